"""Death verification, measured on probes the rules were never tuned on.

    .venv/bin/python benchmarks/measure_death_verification.py [--probes FILE] [--show-wrong]

When the rules read a death as certain they cancel every red flag and hand it to the clinical
desk to verify by phone: no ambulance goes (docs/CLINICAL_SAFETY.md, H2 control 6). Two harms
pull against each other: a living person read as dead (the worst: the rules cancel their flags),
and a real death sent an ambulance (over-triage). ``benchmarks/data/sealed_death_probes.jsonl``
holds 300 SYNTHETIC probes written on 2026-12-04 by a helper who never saw the rules or the
earlier probes, for this measure only:

- ``living`` (150): a death beside someone alive who needs an ambulance (a relative, a role, a
  first name, a description, a pronoun after a long gap, "the other one"), or a reported death
  that then shows life; none of them may be verified;
- ``death`` (150): a real single death whose text names grieving relatives, the dead person's
  history, officers' words, pets, hospitals and people present and well; each should be
  verified (41 are deliberately hard).

SEALED: never used to choose a phrase. Read its counts; do not read its misses to tune the
tables (``--show-wrong`` exists for a clinician's review, and whoever uses it retires the set as
a measure). Prints, per kind and per writer's label, how many probes the rules verify as dead.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from triage.rules.engine import read_request
from triage.schema import TriageRequest

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "benchmarks" / "data" / "sealed_death_probes.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--probes", type=Path, default=PROBES)
    ap.add_argument("--show-wrong", action="store_true",
                    help="list the probes read wrongly (retires the set as a sealed measure)")
    args = ap.parse_args()
    console = Console(highlight=False, width=150)
    total: Counter[str] = Counter()
    verified: Counter[str] = Counter()
    by_label: Counter[tuple[str, str]] = Counter()
    verified_by_label: Counter[tuple[str, str]] = Counter()
    wrong: list[str] = []
    lines = args.probes.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("kind") not in ("living", "death"):
            raise SystemExit(f"{args.probes}:{n}: 'kind' must be living or death. "
                             f"Got {row.get('kind')!r}.")
        fields = {"incident_type": row["incident_type"]} if row.get("incident_type") else {}
        reading = read_request(TriageRequest(narrative=row["narrative"], **fields))
        is_verified = reading.verify_death is not None
        kind, label = row["kind"], row.get("who", "")
        total[kind] += 1
        verified[kind] += is_verified
        by_label[kind, label] += 1
        verified_by_label[kind, label] += is_verified
        if is_verified == (kind == "living"):
            wrong.append(f"{row['id']} ({kind}): {row['narrative']}")
    table = Table(title=f"death verification on {args.probes.name}")
    for col in ("kind", "label", "n", "verified as dead", "read wrongly"):
        table.add_column(col)
    for (kind, label), n in sorted(by_label.items()):
        v = verified_by_label[kind, label]
        table.add_row(kind, label, str(n), str(v), str(v if kind == "living" else n - v))
    console.print(table)
    for kind in ("living", "death"):
        v, n = verified[kind], total[kind]
        what = "living people verified as dead" if kind == "living" else "real deaths verified"
        console.print(f"{what}: {v} of {n}")
    if args.show_wrong:
        console.print("\n".join(wrong))


if __name__ == "__main__":
    main()
