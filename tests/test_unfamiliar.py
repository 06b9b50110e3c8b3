"""Unfamiliar wording carried through the service: response model, audit store (migration 0002),
audit export and metrics, with real ``Suggestion`` objects.

The core decides when wording is unfamiliar (``triage.predictor``); these tests build the
``Suggestion`` it returns and pass it through the service's own functions, so they hold
whichever requests the core marks. The end-to-end test through the real predictor is
``tests/test_page.py::test_made_up_words_are_flagged_unfamiliar_end_to_end``.
Data here is synthetic.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from typer.testing import CliRunner

from service.app import create_app
from service.keys import Principal, Role
from service.metrics import ServiceMetrics
from service.routers.triage import audit_row, suggestion_body
from service.schemas import BatchResponse, TriageResponse
from service.store import AuditStore, new_id
from service.store_db import alembic_config, head_revision, make_engine
from triage.history.loader import load_export
from triage.schema import Disposition, TriageRequest
from triage.suggestion import RedFlag, Suggestion
from triage_cli.main import app

REASON = "Most of the narrative's words are unknown to the model (4 of 5): read it yourself."
REQUEST = TriageRequest(narrative="SYNTHETIC: flibber wozzle quandish merrow plinth")


def suggestion(unfamiliar: bool, final: Disposition = Disposition.CLINICAL_ADVICE) -> Suggestion:
    flags = (RedFlag("not_breathing", "Not breathing.", "not breathing"),) \
        if final is Disposition.DEPLOY else ()
    return Suggestion(
        suggestion=final,
        model_suggestion=Disposition.CLINICAL_ADVICE,
        probabilities={"hear_and_treat": 0.3, "clinical_advice": 0.5, "deploy": 0.2},
        red_flags=flags,
        reasons=("synthetic reason",),
        model_version="20261201T000000Z-abcdef",
        overridden=final is not Disposition.CLINICAL_ADVICE,
        unfamiliar_wording=unfamiliar,
        unfamiliar_reason=REASON if unfamiliar else None,
    )


PRINCIPAL = Principal(name="desk-1", role=Role.HANDLER)


@pytest.fixture
def store(tmp_path: Path):
    s = AuditStore(f"sqlite:///{tmp_path / 'audit.db'}")
    s.open()
    yield s
    s.close()


def test_the_response_body_carries_it_and_matches_the_model() -> None:
    marked = suggestion_body(new_id(), suggestion(True), 0.5)
    plain = suggestion_body(new_id(), suggestion(False), 0.5)
    assert marked["unfamiliar_wording"] is True and marked["unfamiliar_reason"] == REASON
    assert plain["unfamiliar_wording"] is False and plain["unfamiliar_reason"] is None
    assert TriageResponse.model_validate(marked).unfamiliar_reason == REASON
    BatchResponse.model_validate({"results": [marked, plain]})


def test_openapi_documents_both_fields_as_required() -> None:
    schema = create_app().openapi()["components"]["schemas"]["TriageResponse"]
    assert {"unfamiliar_wording", "unfamiliar_reason"} <= set(schema["required"])
    props = schema["properties"]
    assert props["unfamiliar_wording"]["type"] == "boolean"
    assert {t.get("type") for t in props["unfamiliar_reason"]["anyOf"]} == {"string", "null"}
    assert "does not know" in props["unfamiliar_wording"]["description"]


def test_the_audit_stores_and_exports_it(store: AuditStore, tmp_path: Path) -> None:
    day = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    rows = []
    for i, unfamiliar in enumerate((True, False)):
        body = suggestion_body(new_id(), suggestion(unfamiliar), 0.4)
        rows.append(audit_row(body, REQUEST, PRINCIPAL, day + timedelta(minutes=i), None))
    store.add_suggestions(rows).result(timeout=10)
    marked, plain = (store.get_suggestion(r.id) for r in rows)
    assert marked is not None and plain is not None
    assert marked["unfamiliar_wording"] is True and marked["unfamiliar_reason"] == REASON
    assert plain["unfamiliar_wording"] is False and plain["unfamiliar_reason"] is None
    for r in rows:
        store.record_outcome(r.id, Disposition.DEPLOY, None, "desk-1").result(timeout=10)

    out = tmp_path / "export.csv"
    res = CliRunner().invoke(app, ["audit", "export", "--since", "2026-11-30", "--out", str(out),
                                   "--db-url", store.db_url])
    assert res.exit_code == 0, res.output
    loaded = load_export(out, write_rejects=False)
    assert loaded.rejects == [] and loaded.kept == 2
    # The audit's own columns ride along; the loader reports them and trains without them.
    assert set(loaded.unknown_columns) == {"suggested", "model_version", "unfamiliar_wording",
                                           "unfamiliar_reason"}
    raw = pl.read_csv(out).sort("received_at")
    assert raw["unfamiliar_wording"].to_list() == [True, False]
    assert raw["unfamiliar_reason"].to_list() == [REASON, None]
    assert raw["suggested"].to_list() == ["clinical_advice", "clinical_advice"]
    assert raw["disposition"].to_list() == ["deploy", "deploy"]


def test_migration_0002_keeps_older_records_as_not_flagged(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(sa.text(
            "INSERT INTO suggestions (id, created_at, key_name, model_version, request_json, "
            "suggestion, model_suggestion, overridden, probabilities_json, red_flags_json, "
            "reasons_json, latency_ms) VALUES ('old-1', '2026-11-01 10:00:00', 'desk-1', 'v', "
            "'{\"narrative\": \"x\"}', 'deploy', 'deploy', 0, '{}', '[]', '[]', 1.0)"))
    engine.dispose()
    store = AuditStore(f"sqlite:///{tmp_path / 'old.db'}")
    store.open()
    try:
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        old = store.get_suggestion("old-1")
        assert old is not None
        assert old["unfamiliar_wording"] is False and old["unfamiliar_reason"] is None
    finally:
        store.close()


def test_metrics_count_unfamiliar_suggestions_by_disposition() -> None:
    m = ServiceMetrics()
    m.observe_suggestion(suggestion(True))
    m.observe_suggestion(suggestion(True, Disposition.DEPLOY))
    m.observe_suggestion(suggestion(True, Disposition.DEPLOY))
    m.observe_suggestion(suggestion(False))

    def value(final: str) -> float | None:
        return m.registry.get_sample_value("triage_unfamiliar_wording_total",
                                           {"suggestion": final})

    assert value("clinical_advice") == 1.0
    assert value("deploy") == 2.0
    assert value("hear_and_treat") is None
    assert m.registry.get_sample_value("triage_suggestions_total",
                                       {"suggestion": "clinical_advice"}) == 2.0
    assert b"triage_unfamiliar_wording_total" in m.render()
