"""Clinical vignettes: load them, run them through a model, and score the answers.

(Running them through a service over HTTP is ``triage_cli.service_client``'s: the core holds
no HTTP client.)

A vignette is one realistic request written by hand with the disposition a clinician expects,
the dispositions a clinician would still accept, and whether missing ``deploy`` would be a
critical (time-critical, harmful) miss. The project's own safety suite lives in
``triage/data/*vignettes*.jsonl``; the promotion gate refuses a model that misses any critical
vignette there. The figures are deliberately simple so that a clinician can check them by hand:

- ``critical_sensitivity``: of the critical vignettes, the share the model sent to ``deploy``.
  Under-triage is the harm, so this is the figure the gate looks at first.
- ``acceptable_rate``: the share of all vignettes whose suggestion a clinician would accept.
- ``over_triage_rate``: of the vignettes where ``deploy`` is *not* acceptable, the share the
  model still sent to ``deploy`` (the ambulances the service exists to save).

The file format is JSON Lines, one vignette per line, the same as
``shared/vignettes/examples.jsonl``::

    {"id": "E001", "request": {...a TriageRequest...}, "expected": "deploy", "critical": true,
     "acceptable": ["deploy"], "rationale": "Gunshot wound.", "red_flag": "penetrating_injury"}
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from triage.jsonsafe import json_safe
from triage.rules.engine import rule_names
from triage.schema import Disposition, TriageRequest
from triage.suggestion import Suggestion

#: The package folder (inside ``triage``) that holds the safety suite.
SUITE_PACKAGE_DIR = "data"
#: A safety-suite file is any JSONL file there whose name contains this word.
SUITE_NAME_MARKER = "vignette"
#: How many problems one ``VignetteError`` lists before it summarises the rest.
MAX_LISTED_PROBLEMS = 20


class VignetteError(ValueError):
    """A vignette file that cannot be used: every problem names the file, line and field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        shown = self.problems[:MAX_LISTED_PROBLEMS]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown)
        if more > 0:
            text += f"\n... and {more} more problem(s)"
        super().__init__(text)


class Vignette(BaseModel):
    """One clinical vignette: a request and what a clinician expects for it.

    ``critical`` means that anything other than ``deploy`` is a dangerous miss, so a critical
    vignette must expect ``deploy`` and accept nothing else. ``acceptable`` lists every
    disposition a clinician would accept (it always contains ``expected``); an honestly
    ambiguous case lists more than one. ``red_flag`` names the red-flag rule the vignette
    exercises (``triage.rules.engine.rule_names()``), positively on a critical vignette and as a
    negated look-alike on a non-critical one.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    request: TriageRequest
    expected: Disposition
    critical: bool
    acceptable: list[Disposition] = Field(min_length=1)
    rationale: str = Field(min_length=1)
    red_flag: str | None = Field(default=None, min_length=1)

    @field_validator("red_flag")
    @classmethod
    def _known_rule(cls, value: str | None) -> str | None:
        if value is not None and value not in rule_names():
            raise ValueError(
                f"{value!r} is not a red-flag rule; use one of {', '.join(rule_names())}"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Vignette:
        if len(set(self.acceptable)) != len(self.acceptable):
            raise ValueError(
                f"'acceptable' lists a disposition twice: {[a.value for a in self.acceptable]}"
            )
        if self.expected not in self.acceptable:
            raise ValueError(
                f"'expected' ({self.expected.value}) must be one of 'acceptable' "
                f"({[a.value for a in self.acceptable]})"
            )
        if self.critical and (
            self.expected is not Disposition.DEPLOY or self.acceptable != [Disposition.DEPLOY]
        ):
            raise ValueError(
                "a 'critical' vignette must expect deploy and accept only deploy; got expected "
                f"{self.expected.value}, acceptable {[a.value for a in self.acceptable]}"
            )
        return self

    @property
    def deploy_acceptable(self) -> bool:
        return Disposition.DEPLOY in self.acceptable


def _describe_validation_error(exc: ValidationError) -> list[str]:
    """Pydantic's errors as "field 'request.age': <message> (got 300)" strings."""
    out: list[str] = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        msg = err.get("msg", "invalid")
        where = f"field '{loc}'" if loc else "vignette"
        if err.get("type") == "extra_forbidden":
            out.append(f"{where}: unknown field (allowed: {_allowed_fields(loc)})")
            continue
        if err.get("type") == "missing":
            out.append(f"{where}: required field is missing")
            continue
        given = err.get("input")
        shown = json.dumps(given) if isinstance(given, str | int | float | bool) else None
        out.append(f"{where}: {msg}" + (f" (got {shown})" if shown is not None else ""))
    return out


def _allowed_fields(loc: str) -> str:
    model: type[BaseModel] = TriageRequest if loc.startswith("request.") else Vignette
    return ", ".join(model.model_fields)


def _parse_lines(path: Path, lines: Iterable[tuple[int, str]]) -> list[Vignette]:
    vignettes: list[Vignette] = []
    problems: list[str] = []
    first_line_of: dict[str, int] = {}
    for lineno, raw in lines:
        text = raw.strip()
        if not text:
            continue
        where = f"{path}: line {lineno}"
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{where}: must be a JSON object, got {type(data).__name__}")
            continue
        try:
            vignette = Vignette.model_validate(data)
        except ValidationError as exc:
            label = f"{where} (id {data['id']!r})" if isinstance(data.get("id"), str) else where
            problems.extend(f"{label}: {p}" for p in _describe_validation_error(exc))
            continue
        if vignette.id in first_line_of:
            problems.append(
                f"{where}: duplicate id {vignette.id!r} (first used on line "
                f"{first_line_of[vignette.id]})"
            )
            continue
        first_line_of[vignette.id] = lineno
        vignettes.append(vignette)
    if problems:
        raise VignetteError(problems)
    if not vignettes:
        raise VignetteError([f"{path}: holds no vignettes"])
    return vignettes


def load_vignettes(path: Path) -> list[Vignette]:
    """Read and validate one JSONL vignette file.

    Every bad line is reported (not only the first), each naming the file, line, id when known,
    and field; duplicate ids are refused. Blank lines are allowed and carry nothing.

    Raises:
        VignetteError: the file cannot be read or any line is not a valid vignette.
    """
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VignetteError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise VignetteError([f"{path}: is a folder, not a JSONL file"]) from None
    except UnicodeDecodeError as exc:
        raise VignetteError(
            [f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None
    except OSError as exc:
        raise VignetteError([f"{path}: cannot be read ({exc.strerror})"]) from None
    return _parse_lines(path, enumerate(content.splitlines(), start=1))


def safety_suite_paths() -> list[Path]:
    """The package's own safety-suite files (``triage/data/*vignette*.jsonl``), sorted by name."""
    folder = resources.files("triage").joinpath(SUITE_PACKAGE_DIR)
    paths = [
        Path(str(entry))
        for entry in folder.iterdir()
        if entry.is_file() and SUITE_NAME_MARKER in entry.name and entry.name.endswith(".jsonl")
    ]
    return sorted(paths, key=lambda p: p.name)


def load_safety_suite() -> list[Vignette]:
    """Every vignette of the safety suite; ids are unique across all its files.

    Raises:
        VignetteError: a file is invalid, an id repeats across files, or the suite is missing.
    """
    paths = safety_suite_paths()
    if not paths:
        raise VignetteError(
            [f"no safety-suite files (*{SUITE_NAME_MARKER}*.jsonl) in the triage package's data"]
        )
    out: list[Vignette] = []
    seen: dict[str, Path] = {}
    problems: list[str] = []
    for path in paths:
        try:
            vignettes = load_vignettes(path)
        except VignetteError as exc:
            problems.extend(exc.problems)
            continue
        for v in vignettes:
            if v.id in seen:
                problems.append(f"{path}: duplicate id {v.id!r} (also in {seen[v.id]})")
            else:
                seen[v.id] = path
                out.append(v)
    if problems:
        raise VignetteError(problems)
    return out


@dataclass
class VignetteScore:
    """The figures for one run of vignettes (see the module docstring for definitions).

    A rate whose denominator is zero (no critical vignettes; no vignette where deploy is
    unacceptable) is ``nan`` here and ``null`` in JSON: there is nothing to measure, and a
    comparison such as ``critical_sensitivity >= 1.0`` is then False, which a gate treats as
    failing rather than passing.
    """

    n: int
    n_critical: int
    critical_sensitivity: float
    acceptable_rate: float
    over_triage_rate: float
    n_deploy_unacceptable: int = 0
    misses: list[tuple[Vignette, Disposition]] = field(default_factory=list)
    critical_misses: list[Vignette] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: the figures and every miss with its narrative."""
        suggested_by_id = {v.id: s for v, s in self.misses}
        return {
            "n": self.n,
            "n_critical": self.n_critical,
            "n_deploy_unacceptable": self.n_deploy_unacceptable,
            "critical_sensitivity": json_safe(self.critical_sensitivity),
            "acceptable_rate": json_safe(self.acceptable_rate),
            "over_triage_rate": json_safe(self.over_triage_rate),
            "n_misses": len(self.misses),
            "n_critical_misses": len(self.critical_misses),
            "misses": [
                {
                    "id": v.id,
                    "critical": v.critical,
                    "narrative": v.request.narrative,
                    "expected": v.expected.value,
                    "acceptable": [a.value for a in v.acceptable],
                    "suggested": s.value,
                    "red_flag": v.red_flag,
                    "rationale": v.rationale,
                }
                for v, s in self.misses
            ],
            "critical_misses": [
                {
                    "id": v.id,
                    "narrative": v.request.narrative,
                    "suggested": suggested_by_id[v.id].value,
                    "red_flag": v.red_flag,
                }
                for v in self.critical_misses
            ],
        }


def _rate(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else math.nan


def score_vignettes(
    vignettes: Sequence[Vignette], suggestions: Sequence[Disposition]
) -> VignetteScore:
    """Score ``suggestions`` (one per vignette, same order) against the vignettes.

    A miss is a suggestion outside ``acceptable``; a critical miss is a critical vignette not
    sent to ``deploy`` (every critical miss is also a miss).

    Raises:
        ValueError: the two sequences differ in length, or a suggestion is not a disposition.
    """
    if len(vignettes) != len(suggestions):
        raise ValueError(
            f"score_vignettes needs one suggestion per vignette: got {len(vignettes)} "
            f"vignettes and {len(suggestions)} suggestions"
        )
    suggested: list[Disposition] = []
    for v, s in zip(vignettes, suggestions, strict=True):
        try:
            suggested.append(Disposition(s))
        except ValueError:
            raise ValueError(
                f"score_vignettes: the suggestion for vignette {v.id!r} must be one of "
                f"{', '.join(d.value for d in Disposition)}. Got {s!r}."
            ) from None
    misses: list[tuple[Vignette, Disposition]] = []
    critical_misses: list[Vignette] = []
    n_critical = n_critical_hit = n_acceptable = n_unacc = n_over = 0
    for v, s in zip(vignettes, suggested, strict=True):
        if s in v.acceptable:
            n_acceptable += 1
        else:
            misses.append((v, s))
        if v.critical:
            n_critical += 1
            if s is Disposition.DEPLOY:
                n_critical_hit += 1
            else:
                critical_misses.append(v)
        if not v.deploy_acceptable:
            n_unacc += 1
            if s is Disposition.DEPLOY:
                n_over += 1
    return VignetteScore(
        n=len(vignettes),
        n_critical=n_critical,
        critical_sensitivity=_rate(n_critical_hit, n_critical),
        acceptable_rate=_rate(n_acceptable, len(vignettes)),
        over_triage_rate=_rate(n_over, n_unacc),
        n_deploy_unacceptable=n_unacc,
        misses=misses,
        critical_misses=critical_misses,
    )


class SuggestsMany(Protocol):
    """What ``run_with_predictor`` needs of a predictor (``triage.predictor.Predictor``)."""

    def suggest_many(self, requests: Sequence[TriageRequest]) -> Sequence[Suggestion]: ...


def run_with_predictor(predictor: SuggestsMany, vignettes: Sequence[Vignette]) -> list[Disposition]:
    """The predictor's final suggestion (after the red-flag rules) for each vignette."""
    suggestions = predictor.suggest_many([v.request for v in vignettes])
    return [s.suggestion for s in suggestions]
