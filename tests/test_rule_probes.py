"""A ratchet over the reviews' probes: every probe the rules read rightly stays read rightly.

Three helper reviews of the rule changes of 2026-12-02 and a coverage exercise wrote about 1,400
probe narratives (SYNTHETIC, in officers' and call-handlers' words, by helpers who had not read the
tables) and ran them against the rules before and after each change. Each review found that the
previous round's fixes had hidden something real. ``tests/fixtures/rule_probes.jsonl`` keeps
every probe the rules read rightly on the day it was written, so that no later edit can quietly
lose one again:

- ``critical``: a time-critical patient: at least one red flag, and never a death to verify;
- ``death``: an unequivocal death: handed to the desk to verify (no ambulance sent to resuscitate
  a body);
- ``living``: a person someone calls dead but who shows a sign of life: never a death to verify.

``tests/fixtures/harmless_probes.jsonl`` keeps the other side since the fourteenth session: the
reviews' look-alikes and the red teams' minor requests that the rules leave unflagged, so that a
later phrase cannot quietly start sending ambulances to them; a change that must flag one (a
trade for safety) removes it in the same commit, with the reason in the change log.

A probe may carry ``fields``: the structured facts the operator keyed (since the thirteenth
session, whose change let the narrative answer a keyed ``breathing``, ``bleeding`` or
``conscious``). Probes the rules did not read rightly that day are left out (the change log in
docs/CLINICAL_SAFETY.md counts them as known gaps); when a change reads one, add it here. A change
that must give one up (a trade for over-triage) removes it from the file, in the same commit, with
the reason in the change log.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from triage.rules.engine import read_request
from triage.schema import TriageRequest

PROBES = Path(__file__).parent / "fixtures" / "rule_probes.jsonl"
KINDS = ("critical", "death", "living")


def _probes(kind: str) -> list[tuple[str, dict[str, str]]]:
    rows = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]
    return [(r["narrative"], r.get("fields", {})) for r in rows if r["kind"] == kind]


def test_the_probe_file_is_well_formed() -> None:
    rows = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) > 1000
    assert {r["kind"] for r in rows} == set(KINDS)
    assert all(r["narrative"].strip() and r["source"].strip() for r in rows)
    assert all(set(r) <= {"narrative", "kind", "source", "fields"} for r in rows)
    keys = [(r["narrative"], json.dumps(r.get("fields", {}), sort_keys=True)) for r in rows]
    assert len(set(keys)) == len(rows), "a probe is listed twice"


@pytest.mark.parametrize("kind", KINDS)
def test_every_probe_is_still_read_rightly(kind: str) -> None:
    wrong: list[str] = []
    for text, fields in _probes(kind):
        reading = read_request(TriageRequest(narrative=text, **fields))
        if kind == "critical":
            ok = bool(reading.red_flags) and reading.verify_death is None
        elif kind == "death":
            ok = reading.verify_death is not None
        else:
            ok = reading.verify_death is None
        if not ok:
            flags = ", ".join(f.name for f in reading.red_flags) or "no flag"
            wrong.append(f"{text!r} {fields or ''}: {flags}, verify_death={reading.verify_death!r}")
    assert not wrong, f"{len(wrong)} {kind} probe(s) no longer read rightly:\n" + "\n".join(wrong)


#: The tuned suites: read to write the rules, so every critical vignette the rules read must
#: stay read (the sealed suites and the read-once measures are never used to test the rules).
TUNED_SUITES = (
    "independent_*.jsonl", "tuning.jsonl", "published_audit.jsonl", "tuned_zl.jsonl",
    "tuned_zm.jsonl", "redteam_*.jsonl",
)
MODEL_ONLY = Path(__file__).parent / "fixtures" / "model_only_critical.txt"


def _tuned_critical() -> dict[str, dict[str, object]]:
    root = Path(__file__).resolve().parents[1] / "vignettes"
    out: dict[str, dict[str, object]] = {}
    for pattern in TUNED_SUITES:
        for path in sorted(root.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    v = json.loads(line)
                    if v.get("critical"):
                        out[v["id"]] = v["request"]
    return out


def test_every_critical_vignette_of_the_tuned_suites_keeps_its_flag() -> None:
    """A word the tables gain changes what the speller corrects (the tables are its lexicon):
    "whistly" added to one phrase stopped "a whistly noise when she breathes in" being read as
    stridor, and two critical vignettes lost their flags. This holds every critical vignette of
    the tuned suites that the rules read to a flag, whatever a later change does."""
    listed = {
        line.strip() for line in MODEL_ONLY.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    vignettes = _tuned_critical()
    assert len(vignettes) > 3000
    unknown = listed - set(vignettes)
    assert not unknown, f"listed ids not in the tuned suites: {sorted(unknown)}"
    lost = []
    for vid, request in vignettes.items():
        if vid in listed:
            continue
        reading = read_request(TriageRequest(**request))
        if not reading.red_flags or reading.verify_death is not None:
            lost.append(f"{vid}: {str(request['narrative'])[:100]!r}")
    assert not lost, f"{len(lost)} critical vignette(s) no longer raise a flag:\n" + "\n".join(lost)


HARMLESS = Path(__file__).parent / "fixtures" / "harmless_probes.jsonl"


def test_every_harmless_look_alike_stays_unflagged() -> None:
    rows = [json.loads(line) for line in HARMLESS.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) > 500
    assert all(set(r) <= {"narrative", "source", "fields"} and r["source"].strip() for r in rows)
    flagged: list[str] = []
    for r in rows:
        reading = read_request(TriageRequest(narrative=r["narrative"], **r.get("fields", {})))
        if reading.red_flags or reading.verify_death is not None:
            names = ", ".join(f.name for f in reading.red_flags) or "verify_death"
            flagged.append(f"{r['narrative'][:100]!r}: {names}")
    assert not flagged, f"{len(flagged)} harmless probe(s) now flagged:\n" + "\n".join(flagged)


SEALED_DEATHS = Path(__file__).parents[1] / "benchmarks" / "data" / "sealed_death_probes.jsonl"
MEASURE = Path(__file__).parents[1] / "benchmarks" / "measure_death_verification.py"


def test_the_sealed_death_probes_are_well_formed_and_never_in_the_ratchet() -> None:
    """The sealed measure of death verification (never tuned on) holds 150 living people and
    150 deaths, and none of its narratives may leak into the ratchet the rules are held to."""
    rows = [json.loads(line) for line in SEALED_DEATHS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert [r["kind"] for r in rows].count("living") == 150
    assert [r["kind"] for r in rows].count("death") == 150
    assert len({r["id"] for r in rows}) == len(rows)
    ratchet = {json.loads(line)["narrative"]
               for line in PROBES.read_text(encoding="utf-8").splitlines() if line}
    assert not ratchet & {r["narrative"] for r in rows}


def test_the_death_measure_names_the_file_and_line_of_a_bad_probe(tmp_path: Path) -> None:
    bad = tmp_path / "probes.jsonl"
    bad.write_text('{"id": "x1", "kind": "living", "narrative": "found dead, rigor"}\n'
                   '{"id": "x2", "kind": "alive", "narrative": "found dead, rigor"}\n',
                   encoding="utf-8")
    run = subprocess.run([sys.executable, str(MEASURE), "--probes", str(bad)],
                         capture_output=True, text=True, check=False)
    assert run.returncode != 0
    assert f"{bad}:2: 'kind' must be living or death. Got 'alive'." in run.stderr
