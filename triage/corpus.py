"""The hand-written corpus: labelled vignettes the linear model learns wording from.

Why it exists: synthetic history speaks only the generator's phrase pools, so a model trained on
it alone gives a word it has never seen no weight at all, and a heart attack told in lay words
("grey and sweaty, says it's like an elephant on him") reads as a minor call. The project's
independent vignette suites were written by hand, in many voices, with a clinician's expected
disposition each. Joined to the linear model's fit (never to its calibration, the boosting rows,
validation or test), they teach it that wording, while everything the policy and the figures rest
on is still fitted and measured on history alone.

What the corpus is, and at what weight, is a data file a clinical safety officer reads and diffs:
``vignettes/corpus.toml`` lists each suite with a one-line reason. A sealed suite (one kept
only to measure, never to tune on) is refused by name and by content, so the corpus can never
leak into the checks that say whether it helps. Every model trained with it records each file's
SHA-256 and row count in its manifest. A narrative that a held-out measure also holds (the
promotion gate's safety suite, the published audit set, the shared examples) is left out of the
corpus and named there.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from triage.records import NARRATIVE_FIELD
from triage.schema import ExportRow, polars_schema
from triage.vignettes import Vignette, VignetteError, load_vignettes

__all__ = [
    "CORPUS_LISTING",
    "SEALED_MARKER",
    "Corpus",
    "CorpusError",
    "CorpusSource",
    "default_listing",
    "held_out_suites",
    "load_corpus",
    "project_corpus",
    "sealed_suites",
]

#: The listing's file name, in the project's ``vignettes/`` folder.
CORPUS_LISTING = "corpus.toml"
#: File names holding this are sealed suites: measured, never trained or tuned on.
SEALED_MARKER = "sealed"
#: The label column the corpus frame carries (``triage.model.LABEL_COLUMN``).
_LABEL = "disposition"


class CorpusError(ValueError):
    """The corpus listing or one of its files cannot be used (the message names which)."""


class _ListedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1)
    reason: str = Field(min_length=1)

    @field_validator("path")
    @classmethod
    def _not_sealed(cls, value: str) -> str:
        if SEALED_MARKER in Path(value).name.lower():
            raise ValueError(
                f"{value!r} is a sealed suite (its name holds {SEALED_MARKER!r}); sealed suites "
                "measure the model and must never train it"
            )
        return value


class _Listing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Each corpus row counts as this many history rows in the linear model's fit.
    weight: float = Field(gt=0, le=100)
    #: Why this weight (the measurement behind it), for the reader of the listing.
    weight_reason: str = Field(min_length=1)
    file: list[_ListedFile] = Field(min_length=1)


@dataclass(frozen=True)
class CorpusSource:
    """One corpus file as it was read: provenance for the manifest."""

    path: str
    sha256: str
    rows: int
    reason: str


@dataclass(frozen=True)
class Corpus:
    """The corpus as training uses it: narratives with a ``disposition`` label."""

    frame: pl.DataFrame
    weight: float
    listing: str
    listing_sha256: str
    sources: tuple[CorpusSource, ...]
    #: Vignettes left out because a held-out measure holds the same narrative ("file id (in
    #: suite id)").
    left_out: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return self.frame.height

    def describe(self) -> dict[str, Any]:
        """What the manifest records (``triage.manifest.CorpusInfo``)."""
        return {
            "listing": self.listing, "listing_sha256": self.listing_sha256,
            "weight": self.weight, "rows": self.rows,
            "files": [{"path": s.path, "sha256": s.sha256, "rows": s.rows, "reason": s.reason}
                      for s in self.sources],
            "left_out": list(self.left_out),
        }


def default_listing() -> Path:
    """The project's listing: ``vignettes/corpus.toml`` beside the ``triage`` package."""
    return Path(__file__).resolve().parents[1] / "vignettes" / CORPUS_LISTING


def project_corpus() -> Corpus | None:
    """The project's corpus, or None when its listing is not there.

    A source checkout (how the README installs) has ``vignettes/`` beside the package; an
    installed wheel carries no vignettes and trains on the export alone.

    Raises:
        CorpusError: the listing is there but it or a file it names cannot be used.
    """
    listing = default_listing()
    return load_corpus(listing) if listing.is_file() else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_listing(path: Path) -> _Listing:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"{path}: the corpus listing does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path}: the corpus listing cannot be read ({exc})") from None
    try:
        return _Listing.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'listing'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise CorpusError(f"{path}: {problems}") from None


def _frame(vignettes: list[Vignette]) -> pl.DataFrame:
    """The vignettes' narratives and expected dispositions, and nothing else.

    Why not their structured facts: vignette writers leave the facts out of time-critical cases,
    or make them reassuring, on purpose, to test whether the narrative is read. Learned from the
    corpus, a missing fact would come to mean "deploy". The fit also zeroes a corpus row's fact
    columns (``triage.model``), so the facts' weights are learned from history alone and the
    corpus teaches words. (Measured on 300,000 rows of seed 11 with suites U
    to X held out of the corpus: with the facts, the synthetic test months' diversion was 36.94%;
    narratives only, 37.20%; the held-out suites read the same either way.)
    """
    schema = polars_schema(ExportRow)
    return pl.DataFrame(
        {NARRATIVE_FIELD: [v.request.narrative for v in vignettes],
         _LABEL: [v.expected.value for v in vignettes]},
        schema={NARRATIVE_FIELD: schema[NARRATIVE_FIELD], _LABEL: schema[_LABEL]},
    )


def sealed_suites(*folders: Path) -> list[Path]:
    """Every sealed suite (a ``.jsonl`` whose name holds "sealed", any case) in ``folders``."""
    found: set[Path] = set()
    for folder in folders:
        if folder.is_dir():
            found.update(p.resolve() for p in folder.iterdir()
                         if p.suffix == ".jsonl" and SEALED_MARKER in p.name.lower())
    return sorted(found)


def held_out_suites() -> list[Path]:
    """Suites kept as measures though not sealed: the promotion gate's safety suite, the
    published audit set, the shared examples and the read-once suites (``measure_*.jsonl``:
    read once on a finished product, never tuned or trained on). A corpus narrative found in
    one is left out of the corpus (and counted), so the gate and those figures never read
    trained-on text."""
    from triage.vignettes import safety_suite_paths

    project = default_listing().parent
    extra = [project / "published_audit.jsonl",
             project.parent.parent / "shared" / "vignettes" / "examples.jsonl",
             *sorted(project.glob("measure_*.jsonl"))]
    return [Path(p) for p in safety_suite_paths()] + [p for p in extra if p.is_file()]


def load_corpus(listing: Path, sealed: list[Path] | None = None,
                held_out: list[Path] | None = None) -> Corpus:
    """Read ``listing`` and every file it names (paths relative to the listing's folder).

    ``sealed`` are suites the corpus must never overlap (default: every sealed suite beside
    the listing and in the project's ``vignettes/``, wherever the listing is): a corpus narrative
    found, word for word (case and spacing aside), in one of them is refused, whatever its
    file is called. ``held_out`` (default ``held_out_suites()``) are measures whose narratives
    are left out of the corpus, each named in ``Corpus.left_out``.

    Raises:
        CorpusError: the listing is invalid, a file is missing, invalid or sealed, a file is
            listed twice, or a narrative is in a sealed suite.
    """
    listing = Path(listing)
    spec = _read_listing(listing)
    base = listing.parent
    seen: set[Path] = set()
    vignettes: list[tuple[str, Vignette]] = []
    sources: list[CorpusSource] = []
    for entry in spec.file:
        path = (base / entry.path).resolve()
        if SEALED_MARKER in path.name.lower():
            raise CorpusError(f"{listing}: {entry.path!r} resolves to {path.name}, a sealed "
                              "suite; sealed suites measure the model and must never train it")
        if path in seen:
            raise CorpusError(f"{listing}: {entry.path!r} is listed twice")
        seen.add(path)
        try:
            found = load_vignettes(path)
        except VignetteError as exc:
            raise CorpusError(f"{listing}: corpus file {entry.path!r}: {exc}") from None
        if not found:
            raise CorpusError(f"{listing}: corpus file {entry.path!r} holds no vignettes")
        vignettes.extend((entry.path, v) for v in found)
        sources.append(CorpusSource(path=entry.path, sha256=_sha256(path), rows=len(found),
                                    reason=entry.reason))
    if sealed is None:
        sealed = sealed_suites(base, default_listing().parent)
    _refuse(listing, vignettes, _narratives(listing, sealed, "sealed suite"))
    held = _narratives(listing, held_out_suites() if held_out is None else held_out,
                       "held-out suite")
    kept = [v for _, v in vignettes if _key(v.request.narrative) not in held]
    left_out = tuple(f"{f} {v.id} (in {held[_key(v.request.narrative)]})"
                     for f, v in vignettes if _key(v.request.narrative) in held)
    return Corpus(frame=_frame(kept), weight=spec.weight, listing=str(listing),
                  listing_sha256=_sha256(listing), sources=tuple(sources), left_out=left_out)


def _key(narrative: str) -> str:
    return " ".join(narrative.lower().split())


def _narratives(listing: Path, suites: list[Path], kind: str) -> dict[str, str]:
    """Each narrative of ``suites`` (by ``_key``) -> "file id", for messages."""
    held: dict[str, str] = {}
    for path in suites:
        try:
            for v in load_vignettes(path):
                held.setdefault(_key(v.request.narrative), f"{Path(path).name} {v.id}")
        except VignetteError as exc:
            raise CorpusError(f"{listing}: {kind} {path}: {exc}") from None
    return held


def _refuse(listing: Path, vignettes: list[tuple[str, Vignette]], sealed: dict[str, str]
            ) -> None:
    clashes = [f"{f} {v.id} (in {sealed[_key(v.request.narrative)]})" for f, v in vignettes
               if _key(v.request.narrative) in sealed]
    if clashes:
        raise CorpusError(
            f"{listing}: {len(clashes)} corpus narrative(s) are in a sealed suite, e.g. "
            f"{', '.join(clashes[:3])}; a sealed suite must never train the model"
        )
