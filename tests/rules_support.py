"""Helpers the red-flag test modules share: the flags a narrative raises, a phrase row's
check that a wording reads its concept (each row fails with its phrase taken out of the tables),
and the flags a narrative raises with one guard taken out of a copy of the tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from triage.rules.engine import (
    _compiled,
    _present_concepts,
    _reading,
    compile_tables,
    detect_red_flags,
    read_request,
)
from triage.rules.tables import load_tables
from triage.schema import TriageRequest


def flags(narrative: str, **facts: Any) -> set[str]:
    """The names of the red flags ``narrative`` (with keyed ``facts``) raises."""
    return {f.name for f in detect_red_flags(TriageRequest(narrative=narrative, **facts))}


def reading(narrative: str, **facts: Any) -> tuple[set[str], str | None]:
    """The names of the red flags ``narrative`` raises and the death it hands to the desk to
    verify (the evidence, else None), read as the predictor reads them."""
    r = read_request(TriageRequest(narrative=narrative, **facts))
    return {f.name for f in r.red_flags}, r.verify_death


def assert_reads_concept(concept: str, wording: str) -> None:
    """``wording`` alone reads ``concept``."""
    found = _present_concepts(TriageRequest(narrative=wording), _compiled())
    assert concept in found, f"{wording!r} should read {concept}; read {sorted(found)}"


def flags_without_guard(narrative: str, guard: str, tables_dir: Path) -> set[str]:
    """The flags ``narrative`` raises once the guard whose phrase is ``guard`` is deleted from
    the copy of the tables in ``tables_dir`` (the ``red_flag_tables`` fixture): a guard test
    shows its look-alike unflagged with the guard and flagged without it."""
    guards = tables_dir / "guards.toml"
    text = guards.read_text(encoding="utf-8")
    start = text.index(f"[[guard]]\nphrase = {json.dumps(guard)}\n")
    end = text.find("\n[[guard]]", start + 1)
    guards.write_text(text[:start] + ("" if end < 0 else text[end + 1 :]), encoding="utf-8")
    read = _reading(TriageRequest(narrative=narrative), compile_tables(load_tables(tables_dir)))
    return {f.name for f in read.red_flags}
