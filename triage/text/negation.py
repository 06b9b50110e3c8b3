"""Negation, NegEx-style, over :func:`triage.text.normalise.normalise` output.

* :func:`negation_scopes` finds the spans a negation governs ("denies chest pain",
  "no loss of consciousness", "chest pain ruled out").
* :func:`mark_negation` prefixes each token inside a scope with ``neg_`` so that a bag-of-words
  model sees "neg_breathing" and "breathing" as different features.
* :func:`preprocess` is ``mark_negation(normalise(text))``, the text every model feature reads.

Negation semantics (see :func:`negation_scopes`): a negated span means "the narrative says this
is absent". Some phrases that start with a negation word are themselves findings: "not
breathing", "no response", "not responding", "no pulse", "no signs of life", "not making
sense". For them the scope covers only the phrase's own words (so the model still sees
``neg_breathing``, distinct from "breathing") and stops there, so "not breathing and cold" does
not negate "cold". The rules treat such phrases as findings by matching the phrase including its
negation word (a match that starts at the trigger is never inside the trigger's own scope).
"and" does not end a scope ("denies chest pain and sweating" negates both) except before a
patient state in :data:`AND_STATES` ("no LOC and unresponsive" reports unresponsiveness).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from triage.text.answers import ANSWER_DOUBTS, PLAIN_NO
from triage.text.joins import SLASH_AUXILIARIES, separator_marks
from triage.text.normalise import CACHE_SIZE, WORD_SPLIT_RE, normalise

__all__ = [
    "AND_STATES",
    "MAX_SCOPE_TOKENS",
    "Analysis",
    "analyse",
    "is_negated",
    "mark_negation",
    "negation_scopes",
    "preprocess",
]

#: A pre-negation trigger governs at most this many following tokens (NegEx uses 5).
MAX_SCOPE_TOKENS = 5
#: A post-negation trigger ("chest pain ruled out") governs at most this many preceding tokens.
MAX_POST_SCOPE_TOKENS = 3

#: Phrases that begin with a negation word but report an abnormal FINDING. Their scope is only
#: their own words after the negation word, and nothing after them.
FINDING_PHRASES: tuple[str, ...] = (
    "not breathing",
    "no breathing",
    "not breathing properly",
    "not breathing normally",
    "no longer breathing",
    "no signs of breathing",
    "no sign of breathing",
    "not responding",
    "not responsive",
    "not respond",
    "no output",  # "no output DOs doing CPR": the CPR told after it reads (H2 control 37)
    "nil output",
    "no response",
    "not rousable",
    "not waking",
    "not wake",
    "not waking up",
    "not moving",
    "no pulse",
    "no signs of life",
    "no sign of life",
    "not making sense",
    "not make sense",
    "not alert",
    "not conscious",
    "not fully conscious",
    "not stopped",
    "not stop",
    "not stopping",
    "not fade",
    "not fading",
    "not blanch",
    "not blanching",
    "not go away",
    "not know where",
    "not knowing where",
    "no idea where",
    "not himself",
    "not herself",
    # the protection missing is the finding (a mechanism's severity), and what follows is
    # not negated: "no helmet hit his head, being sick" had lost its head injury (a blind
    # writer's probes, thirty-sixth session)
    "no helmet",
    "no seatbelt",
    "no seat belt",
    "not wearing a helmet",
    "not wearing a seatbelt",
    "not wearing his helmet",
    "not wearing her helmet",
    "without a helmet",
    "without helmet",
    # nobody came to the door: the welfare check's finding, not a denial of what was found
    # inside ("no reply forced entry male unconscious on floor" read nothing; thirty-sixth
    # session)
    "no reply",
    "no answer",
    # a treatment that has not worked is the finding ("10 puffs of the blue inhaler with no
    # change and can only get two words out" denied the breathlessness that followed; a blind
    # writer's hedged emergencies, thirty-seventh session)
    "no change",
    "no difference",
    "no improvement",
    "no better",
    "no relief",
    "no effect",
    "nil improvement",
    "nil change",
    "nil effect",
    "nil relief",
)

#: Pre-negation triggers: negate up to MAX_SCOPE_TOKENS following tokens.
PRE_TRIGGERS: tuple[str, ...] = (
    "no signs of",
    "no sign of",
    "no evidence of",
    "no history of",
    "no previous history of",
    "no complaints of",
    "no complaint of",
    "no obvious",
    "no apparent",
    "negative for",
    "not complaining of",
    "not on",
    "not",
    "no",
    "nil",
    "denies",
    "denied",
    "denying",
    "deny",
    "without",
    "never",
    "nothing",
    "none",
    "nobody",
    "neither",
    "nor",
    "absence of",
    "free of",
)

#: Post-negation triggers: negate up to MAX_POST_SCOPE_TOKENS preceding tokens
#: ("chest pain denied", "fast negative", "head injury ruled out").
POST_TRIGGERS: tuple[str, ...] = (
    "ruled out",
    "denied",
    "negative",
    "absent",
    "not present",
    "excluded",
)

#: Words that end a pre-negation scope ("no chest pain BUT short of breath").
TERMINATORS: tuple[str, ...] = (
    "but",
    "however",
    "although",
    "though",
    "except",
    "apart from",
    "aside from",
    "yet",
    "still",
    "and is",
    "and was",
    "and has",
    "and had",
    "and now",
    "and then",
    "now",
    "then",
    "says",
    "said",
    "states",
    "stated",
    "reports",
    "reported",
    "who",
    "which",
    "whilst",
    "while",
    "because",
    "as",
    "since",
    "until",
    "officers",
    "police",
    "patient",
    "he",
    "she",
    "they",
)

#: "and" followed by one of these ends a scope: "no LOC and unresponsive" reports that the
#: patient IS unresponsive. A false red flag is the cost when a writer meant "no X and no Y";
#: a missed one is the cost the other way, so these are the states that matter most.
AND_STATES: frozenset[str] = frozenset(
    {
        "unresponsive",
        "unconscious",
        "drowsy",
        "confused",
        "floppy",
        "blue",
        "grey",
        "clammy",
        "fitting",
        "gasping",
        "cold",
        "vomiting",
        "bleeding",
        "pale",
        "sweaty",
        "now",
        "is",
        "was",
        "has",
        # forty-third session: "not resisting and making gasping noises" after a restraint
        # (a blind writer's assaults); what follows is what the person is doing now
        "making",
        "snoring",
        "gurgling",
        "choking",
        "limp",
        "sleepy",
        "slurring",
    }
)


class _Phrases:
    """A set of word sequences, looked up by length (longest first): a few hash probes."""

    __slots__ = ("by_length", "first", "lengths")

    def __init__(self, phrases: tuple[str, ...]) -> None:
        seqs = [tuple(p.split()) for p in phrases]
        self.first = frozenset(s[0] for s in seqs)
        self.lengths = tuple(sorted({len(s) for s in seqs}, reverse=True))
        self.by_length = {n: frozenset(s for s in seqs if len(s) == n) for n in self.lengths}

    def __contains__(self, word: str) -> bool:
        return word in self.first


class _NegationIndex:
    """The four phrase tables of the negation pass, indexed (built once, on first use)."""

    __slots__ = ("finding", "post", "pre", "term", "trigger_first")

    def __init__(self) -> None:
        self.finding = _Phrases(FINDING_PHRASES)
        self.pre = _Phrases(PRE_TRIGGERS)
        self.post = _Phrases(POST_TRIGGERS)
        self.term = _Phrases(TERMINATORS)
        #: first words of every phrase that starts a negation or a finding
        self.trigger_first = self.finding.first | self.pre.first | self.post.first


@lru_cache(maxsize=1)
def _negation_index() -> _NegationIndex:
    return _NegationIndex()

#: A finding phrase followed by one of these is an ordinary negation ("no breathing problems").
_FINDING_BLOCKERS = frozenset(
    {
        "problem", "problems", "probs", "prob", "difficulty", "difficulties", "issues", "issue",
        "concerns", "trouble", "bother",
    }
)
_POST_FOLLOWERS = frozenset({"and", "but", "so", "by", "on", "at", "in"})


class Analysis:
    """Words of a normalised narrative with their offsets, clause breaks and negation.

    ``words[i]`` is the i-th word stripped of surrounding punctuation; ``starts[i]``/``ends[i]``
    its character span in ``text``; ``breaks[i]`` is True when clause punctuation (. , ; : ? !
    ( ) or a dash) follows word i, so nothing (a negation scope, a rule phrase) runs across it;
    ``negated[i]`` is True when word i is inside a negation scope, and ``trigger[i]`` is then the
    index of the word that starts the negation (-1 otherwise), so a phrase that contains its own
    trigger ("not breathing") can be told from one negated from outside. Built by
    :func:`analyse`;
    shared by :func:`negation_scopes`, :func:`mark_negation` and the red-flag rules so the text
    is split once.
    """

    __slots__ = ("breaks", "ends", "negated", "starts", "text", "trigger", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        parts = WORD_SPLIT_RE.split(text)  # separator, word, separator, word, ..., separator
        cum = list(accumulate(map(len, parts)))
        self.words: list[str] = parts[1::2]
        self.starts: list[int] = cum[0:-1:2]
        self.ends: list[int] = cum[1::2]
        self.breaks, slashes = separator_marks(parts[2::2], text)
        self.trigger = _negate(self.words, self.breaks, slashes)
        if "?" in text:
            _answered_no(self.words, parts[2::2], self.trigger)
        self.negated = [t >= 0 for t in self.trigger]


#: An answer that starts with one of these says no to the question before it ("CT: has she
#: been sick or sleepy? C: no, she's back playing"), unless the next word is one of
#: :data:`triage.text.answers.ANSWER_DOUBTS` ("no idea", "not as much", "no, but").
ANSWER_NO = frozenset(w for w in PLAIN_NO if " " not in w) | frozenset(
    {"not", "none", "never", "denies"}
)
#: A question holding one of these asks whether a finding has changed or takes it as given
#: ("has the fitting stopped?", "is the stab wound still bleeding?", "did the inhaler help?",
#: "has she been sick since she took the 60 paracetamol?"): its "no" confirms the finding, so
#: nothing in it is negated (a review of 2026-12-05 found each of these lost its flag).
_QUESTION_PRESUMES = frozenset(
    {"still", "stopped", "stop", "stopping", "eased", "ease", "easing", "improved", "improve",
     "improving", "settled", "settle", "settling", "faded", "fade", "fading", "helped", "help",
     "helping", "worked", "work", "working", "gone", "better", "worse", "since", "after",
     "cleared", "passed", "finished", "changed", "resolved", "subsided", "calmed", "anymore",
     "yet", "again", "come", "came", "round", "recovered", "responded", "woken", "blanch",
     "blanched", "blanching", "disappear", "disappeared", "go", "went", "slowed", "less", "with"}
)
#: "no" straight before one of these starts the answer's own statement ("C: no she's fitting"):
#: it negates nothing after it, however the words after it read.
_ANSWER_SUBJECTS = frozenset(
    {"he", "she", "they", "it", "i", "we", "you", "he's", "she's", "it's", "its", "hes", "shes",
     "they're", "theyre", "i'm", "im", "there", "there's", "theres", "that", "that's", "thats",
     "the", "his", "her", "their", "my"}
)
#: A question is at most this many words back from its "?" (to the previous sentence end or
#: speaker label), and a speaker label before an answer at most two words ("C:", "the caller:").
MAX_QUESTION_WORDS = 12
#: A call-taker's line ("ct: ...?") is read back to its label up to this many words: it often
#: lists several dangers in one question (twenty-seventh session).
MAX_CALL_TAKER_WORDS = 24
_MAX_LABEL_WORDS = 2
_SENTENCE_END = re.compile(r"[.?!:]").search
#: A question starts with one of these ("is he awake?", "any chest pain?", "did she hit her
#: head?"); a detail typed with "??" and corrected ("in the hospital car park?? no,
#: supermarket car park") is not a question, and its words stay findings.
QUESTION_WORDS = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "did", "does", "do", "can", "could",
     "will", "would", "any", "anything", "anyone", "how", "what", "where", "when", "who", "why"}
)


#: "with" after one of these asks about a trouble ("any problems with her eyesight?"), not
#: about a finding together with something given ("did he fit with the cocaine?").
_TROUBLE_WITH = frozenset({"problems", "problem", "trouble", "troubles", "difficulty", "issues"})


def _presumes(asked: list[str]) -> bool:
    """The question takes its finding as given or asks whether it has changed
    (:data:`_QUESTION_PRESUMES`), so its "no" confirms the finding."""
    found = _QUESTION_PRESUMES.intersection(asked)
    if found == {"with"}:
        return not all(
            x > 0 and asked[x - 1] in _TROUBLE_WITH for x, w in enumerate(asked) if w == "with"
        )
    return bool(found)


def _question_start(words: list[str], separators: list[str], i: int) -> int:
    """Where the question ending at word ``i`` starts: back to the previous sentence end or
    speaker label, at most :data:`MAX_QUESTION_WORDS` words; a call-taker's line ("ct: any
    headache, problems with her eyesight, any swelling in her face or hands? c: no") is read
    whole up to :data:`MAX_CALL_TAKER_WORDS` (a blind review of 2026-12-05: its first items
    stayed findings)."""
    k = i
    while k > 0 and i - k < MAX_CALL_TAKER_WORDS - 1 and not _SENTENCE_END(separators[k - 1]):
        k -= 1
    if i - k >= MAX_QUESTION_WORDS and not (
        k > 0 and words[k - 1] == "ct" and ":" in separators[k - 1]
    ):
        k = i - MAX_QUESTION_WORDS + 1
    return k


def _answered_no(words: list[str], separators: list[str], trigger: list[int]) -> None:
    """Negate, in ``trigger``, the words of each question the next sentence answers "no".

    Call transcripts relayed by police write the question and the answer ("CT: any chest pain
    now? C: not today, no."): read on its own, the question names the finding the answer
    denies, and the rules raised it (a sixth red team, 2026-12-05). The answer's first word,
    after a speaker label of at most two words ending in a colon, is the trigger; "no idea",
    "not sure", "not as much" and "no, but" are doubts or part answers and negate nothing; a
    "question" that does not start with a question word is a corrected detail, not a question;
    a question that asks whether a finding has changed, or takes it as given, is confirmed by
    its "no" and negates nothing; "no" straight before the answer's own subject ("no she's
    fitting") negates nothing after it; a word already negated keeps its own trigger.
    """
    n = len(words)
    for i, sep in enumerate(separators[: n - 1]):
        if "?" not in sep:
            continue
        j = i + 1
        label_end = next((k for k in range(j, min(n, j + _MAX_LABEL_WORDS))
                          if ":" in separators[k]), None)
        if label_end is not None:
            j = label_end + 1
        if j >= n or words[j] not in ANSWER_NO:
            continue
        if j + 1 < n and not separators[j].strip() and words[j + 1] in _ANSWER_SUBJECTS:
            # "no she's fitting": the answer's statement follows; "no" negates none of it
            for q in range(j + 1, n):
                if trigger[q] == j:
                    trigger[q] = -1
            continue
        if j + 1 < n and words[j + 1] in ANSWER_DOUBTS:
            continue
        k = _question_start(words, separators, i)
        asked = words[k : i + 1]
        if (words[k] not in QUESTION_WORDS or _presumes(asked)
                or any(w[:1].isdigit() for w in asked)):
            continue  # a question stating a number ("with the temperature of 38.5") presumes it
        for q in range(k, i + 1):
            if trigger[q] < 0:
                trigger[q] = j


def _match_at(words: list[str], breaks: list[bool], i: int, phrases: _Phrases) -> int:
    """Length of the longest phrase of ``phrases`` starting at word i (0 if none).

    A phrase never runs across clause punctuation: only its last word may carry a break.
    """
    if words[i] not in phrases.first:
        return 0
    n = len(words)
    for k in phrases.lengths:
        if k == 1:
            return 1 if (words[i],) in phrases.by_length[1] else 0
        if (
            i + k <= n
            and tuple(words[i : i + k]) in phrases.by_length[k]
            and not any(breaks[i : i + k - 1])
        ):
            return k
    return 0


def _negate(words: list[str], breaks: list[bool], slashes: list[bool] | None) -> list[int]:
    """Per word, the index of the trigger that negates it, or -1 (see negation_scopes);
    ``slashes``: per word, whether a list's slash or plus follows it (joins.SLASH_AUXILIARIES)."""
    n = len(words)
    negated = [-1] * n
    idx = _negation_index()
    first = idx.trigger_first
    todo = [i for i, w in enumerate(words) if w in first]
    if not todo:
        return negated
    done = 0  # words before this index are already handled
    for i in todo:
        if i < done:
            continue
        k = _match_at(words, breaks, i, idx.finding)
        if k and i + k < n and not breaks[i + k - 1] and words[i + k] in _FINDING_BLOCKERS:
            k = 0  # "no breathing problems" negates "breathing problems": not a finding
        if k:
            for j in range(i + 1, i + k):
                negated[j] = i
            done = i + k
            continue
        k = _match_at(words, breaks, i, idx.post)
        if k:
            last = i + k - 1
            if last == n - 1 or breaks[last] or words[last + 1] in _POST_FOLLOWERS:
                j = i - 1
                count = 0
                while j >= 0 and count < MAX_POST_SCOPE_TOKENS and not breaks[j]:
                    if _match_at(words, breaks, j, idx.term) or words[j] in first:
                        break
                    negated[j] = i
                    count += 1
                    j -= 1
                done = i + k
                continue
        k = _match_at(words, breaks, i, idx.pre)
        if k:
            j = i + k
            if breaks[j - 1]:
                done = j
                continue
            end = min(n, j + MAX_SCOPE_TOKENS)
            slash_ends = i > 0 and words[i] == "not" and words[i - 1] in SLASH_AUXILIARIES
            while j < end:
                if words[j] in idx.term and _match_at(words, breaks, j, idx.term):
                    break
                if words[j] == "and" and j + 1 < n and words[j + 1] in AND_STATES:
                    break  # "no LOC and unresponsive": the state after "and" is a finding
                if words[j] in first and (
                    _match_at(words, breaks, j, idx.pre)
                    or _match_at(words, breaks, j, idx.finding)
                    or _match_at(words, breaks, j, idx.post)
                ):
                    break
                negated[j] = i
                if breaks[j] or (slash_ends and slashes is not None and slashes[j]):
                    j += 1
                    break
                j += 1
            done = j
    return negated


@lru_cache(maxsize=CACHE_SIZE)
def analyse(normalised: str) -> Analysis:
    """Split :func:`normalise` output into words with offsets, clause breaks and negation.

    Cached like :func:`normalise` (the features and the rules analyse the same text): treat
    the returned object as read-only.
    """
    return Analysis(normalised)


def negation_scopes(normalised: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of ``normalised`` that a negation governs.

    ``normalised`` must be :func:`normalise` output (lower-case, contractions expanded).

    * A pre-trigger ("no", "not", "denies", "without", "nil", "never", "negative for",
      "no signs of", "no history of", "not on"...) negates the following words up to
      MAX_SCOPE_TOKENS (5), stopping early at clause punctuation (. , ; : ? ! ( ) or a dash), a
      terminator ("but", "however", "although", "except", "and is", "says", "now", a new
      subject such as "he"/"she"/"officers") or another trigger.
    * A post-trigger ("ruled out", "denied", "negative", "absent", "excluded") at the end of a
      clause negates up to MAX_POST_SCOPE_TOKENS (3) preceding words of the same clause.
    * A finding phrase ("not breathing", "no response", "not making sense", "no pulse") is
      scoped to its own words only: "breathing" in "not breathing" is inside a scope (the
      model sees ``neg_breathing``), but nothing after the phrase is.

    The trigger itself is never inside its scope. So a rule phrase that includes the negation
    word ("not breathing", "never had a fit before") starts outside every scope and reads as a
    positive finding, while "no difficulty breathing" puts "difficulty breathing" inside one.

    Returns sorted, non-overlapping spans; consecutive negated words form one span.
    """
    return _spans(analyse(normalised))


def _spans(a: Analysis) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = False
    for i, neg in enumerate(a.negated):
        if neg:
            if prev and not a.breaks[i - 1]:
                spans[-1] = (spans[-1][0], a.ends[i])
            else:
                spans.append((a.starts[i], a.ends[i]))
        prev = neg
    return spans


def is_negated(scopes: list[tuple[int, int]], position: int) -> bool:
    """Whether character ``position`` lies inside one of ``scopes`` (from negation_scopes)."""
    i = bisect_right(scopes, (position, 1 << 62)) - 1
    return i >= 0 and scopes[i][0] <= position < scopes[i][1]


def mark_negation(normalised: str) -> str:
    """``normalised`` with every word inside a negation scope prefixed by ``neg_``.

    "denies chest pain, c/b" (normalised) -> "denies neg_chest neg_pain, conscious and
    breathing"; "not breathing" -> "not neg_breathing" (a distinct feature from "breathing").
    Words outside scopes, punctuation and spacing are unchanged, so a vectorizer's token
    pattern sees ``neg_chest`` as one token.
    """
    a = analyse(normalised)
    if not any(a.negated):
        return normalised
    out: list[str] = []
    last = 0
    for i, neg in enumerate(a.negated):
        if neg:
            s = a.starts[i]
            out.append(normalised[last:s])
            out.append("neg_")
            last = s
    out.append(normalised[last:])
    return "".join(out)


def preprocess(text: str) -> str:
    """``mark_negation(normalise(text))``: the ``preprocessor=`` for scikit-learn vectorizers.

    A plain module-level function (picklable), so a fitted Pipeline that uses it can be saved
    with joblib and loaded in the service.
    """
    return mark_negation(normalise(text))
