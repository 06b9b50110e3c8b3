"""Reading control-room text: the one reading of a narrative that the model and the rules share.

Owns: ``charfold`` (pasted text folded to what a reader sees), ``abbreviations`` (the tables of
control-room abbreviations, contractions and misspellings), ``spelling`` (misspelt clinical
words read as the word meant, over ``lexicon/clinical.toml`` and the red-flag tables' words),
``normalise`` (the canonical form), ``lists`` (a list of signs of life under one negation: "not
moving, breathing or responding") and ``negation`` (NegEx-style scopes; ``preprocess``, the
text every model feature reads), and ``tokens`` (words, character n-grams and stated ages of
preprocessed text, shared by the features and the fast scoring paths).

May import: nothing of the project but ``triage.rules.tables`` (the red-flag tables' words are
part of the clinical lexicon). tests/test_architecture.py checks it.
"""
