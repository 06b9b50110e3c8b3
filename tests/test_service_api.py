"""Every route and status code of the REAL service (uvicorn in a subprocess), and its logs.

All requests here are synthetic.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from service_support import SAMPLE_REQUEST, Server, current_version, make_env, running

from service.schemas import (
    BatchResponse,
    ModelInfo,
    OutcomeConflict,
    OutcomeResponse,
    ReloadResponse,
    TriageResponse,
)
from triage.policy import SLICE_TOLERANCE

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service_api")]

NOT_BREATHING = {
    "narrative": "SYNTHETIC: elderly female collapsed in street, not breathing, officers "
    "starting CPR",
    "incident_type": "collapse",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, trained_models_dir: Path) -> Iterator[Server]:
    env = make_env(tmp_path_factory.mktemp("api"), trained_models_dir)
    with running(env, "api") as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def auth(server: Server, role: str) -> dict[str, str]:
    return server.env.keys.auth(role)


def triage(
    client: httpx.Client, server: Server, body: Any, role: str = "handler"
) -> httpx.Response:
    return client.post("/v1/triage", json=body, headers=auth(server, role))


def test_health_and_readiness(client: httpx.Client, server: Server) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["model_version"] == current_version(server.env.models_dir)


def test_triage_returns_a_stored_suggestion(client: httpx.Client, server: Server) -> None:
    r = triage(client, server, SAMPLE_REQUEST)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-request-id"]
    body = r.json()
    parsed = TriageResponse.model_validate(body)
    assert set(body) >= {"id", "suggestion", "probabilities", "red_flags", "reasons",
                         "model_version"}
    assert uuid.UUID(parsed.id).version == 4
    assert math.isclose(sum(body["probabilities"].values()), 1.0, abs_tol=1e-6)
    assert set(body["probabilities"]) == {"hear_and_treat", "clinical_advice", "deploy"}
    assert parsed.model_version == current_version(server.env.models_dir)
    assert parsed.reasons, "a suggestion always says why"

    engine = sa.create_engine(server.env.db_url)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT * FROM suggestions WHERE id = :i"), {"i": parsed.id}
        ).mappings().one()
    engine.dispose()
    assert stored["key_name"] == "desk-1"
    assert json.loads(stored["request_json"])["narrative"] == SAMPLE_REQUEST["narrative"]
    assert stored["suggestion"] == body["suggestion"]
    assert stored["model_version"] == body["model_version"]
    assert json.loads(stored["probabilities_json"]) == body["probabilities"]
    assert server.env.keys.handler not in json.dumps(dict(stored), default=str)


def test_red_flag_forces_deploy_and_is_explained(client: httpx.Client, server: Server) -> None:
    r = triage(client, server, NOT_BREATHING)
    assert r.status_code == 200, r.text
    body = TriageResponse.model_validate(r.json())
    assert body.suggestion == "deploy"
    assert body.red_flags, "not breathing is a red flag"
    flag = body.red_flags[0]
    assert flag.name and flag.reason and flag.evidence
    assert body.overridden == (body.model_suggestion != "deploy")


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Missing API key"),
        ({"Authorization": "Bearer not-a-real-key"}, "Unknown or revoked"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Missing API key"),
        ({"Authorization": "Bearer"}, "Missing API key"),
    ],
)
def test_no_or_unknown_key_is_401(client: httpx.Client, headers: dict[str, str],
                                  detail: str) -> None:
    for method, path in (("POST", "/v1/triage"), ("GET", "/v1/model"),
                         ("POST", "/v1/admin/reload"), ("POST", "/v1/triage/batch")):
        r = client.request(method, path, json=SAMPLE_REQUEST, headers=headers)
        assert r.status_code == 401, (method, path, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
        assert detail in r.json()["detail"]


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("analyst", "POST", "/v1/triage", SAMPLE_REQUEST),
        # A fixed id: xdist workers must collect identical parameters.
        ("analyst", "POST", "/v1/triage/6f1c1d5e-0000-4000-8000-000000000001/outcome",
         {"final_disposition": "deploy"}),
        ("handler", "POST", "/v1/admin/reload", None),
        ("analyst", "POST", "/v1/admin/reload", None),
    ],
)
def test_wrong_role_is_403(client: httpx.Client, server: Server, role: str, method: str,
                           path: str, body: Any) -> None:
    r = client.request(method, path, json=body, headers=auth(server, role))
    assert r.status_code == 403, r.text
    assert f"has role '{role}'" in r.json()["detail"]


def test_admin_may_triage_and_any_key_may_read_the_model(client: httpx.Client,
                                                        server: Server) -> None:
    assert triage(client, server, SAMPLE_REQUEST, role="admin").status_code == 200
    version = current_version(server.env.models_dir)
    for role in ("handler", "analyst", "admin"):
        r = client.get("/v1/model", headers=auth(server, role))
        assert r.status_code == 200, r.text
        info = ModelInfo.model_validate(r.json())
        assert info.version == version
        assert 0.0 <= info.thresholds["deploy_threshold"] <= 1.0
        assert info.target["target_under_triage"] > 0
        # a fit setting, served beside the target (this model was fitted with the default)
        assert info.target["slice_tolerance"] == SLICE_TOLERANCE
        # what the policy was fitted to, and nothing it saw on validation
        assert set(info.target) == {"target_under_triage", "confidence", "margin_method",
                                    "slice_tolerance", "slice_tolerances"}
        assert info.target["slice_tolerances"] == {}
        # trained beside the same rule tables as it is served with: no train/serve skew
        assert info.text_preprocessing.matches is True
        assert info.text_preprocessing.speller_sha256_trained == \
            info.text_preprocessing.speller_sha256_serving
        assert info.created_at
        assert info.kind
        # The training file is named, but no folder of the training machine leaks to key holders.
        assert info.trained_on["path"] == "synthetic.parquet"
        assert "/" not in r.text.split('"path":', 1)[1].split(",", 1)[0]
        # ...and the hand-written corpus it also learnt from is named the same way.
        corpus = info.trained_on["corpus"]
        assert corpus["listing"] == "corpus.toml" and corpus["rows"] > 5_000
        assert "independent_y.jsonl" in corpus["files"] and corpus["weight"] == 3.0
        assert not any("sealed" in f for f in corpus["files"])


@pytest.mark.parametrize(
    ("body", "field", "msg"),
    [
        ({**SAMPLE_REQUEST, "age": 300}, "age", "less than or equal to 120"),
        ({**SAMPLE_REQUEST, "age": "old"}, "age", "valid integer"),
        ({**SAMPLE_REQUEST, "breathing": "sort of"}, "breathing", "'normal'"),
        ({**SAMPLE_REQUEST, "colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"age": 30}, "narrative", "Field required"),
        ({"narrative": "   "}, "narrative", "at least 1 character"),
        ({"narrative": "x" * 4001}, "narrative", "at most 4000 characters"),
        ({**SAMPLE_REQUEST, "received_at": "yesterday"}, "received_at", "datetime"),
        ([1, 2], "body", "valid dictionary"),
    ],
)
def test_bad_bodies_get_422_naming_the_field(client: httpx.Client, server: Server, body: Any,
                                             field: str, msg: str) -> None:
    r = triage(client, server, body)
    assert r.status_code == 422, r.text
    out = r.json()
    fields = {e["field"]: e for e in out["detail"]}
    assert field in fields, out
    assert msg in fields[field]["msg"]
    assert field in out["message"]
    for e in out["detail"]:
        quoted = e.get("input")
        assert not (isinstance(quoted, str) and len(quoted) > 83), "long inputs are cut"


def test_invalid_json_is_422(client: httpx.Client, server: Server) -> None:
    r = client.post("/v1/triage", content=b'{"narrative": ', headers={
        **auth(server, "handler"), "content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "json_invalid"


def test_body_over_the_limit_is_413_even_without_content_length(client: httpx.Client,
                                                               server: Server) -> None:
    big = json.dumps({"narrative": "x" * 70_000}).encode()
    r = client.post("/v1/triage", content=big, headers={
        **auth(server, "handler"), "content-type": "application/json"})
    assert r.status_code == 413
    assert "65536 bytes" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # chunked transfer: no Content-Length to trust
        for i in range(0, len(big), 8192):
            yield big[i : i + 8192]

    r = client.post("/v1/triage", content=chunks(), headers={
        **auth(server, "handler"), "content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert r.status_code == 413
    # The server is fine afterwards.
    assert triage(client, server, SAMPLE_REQUEST).status_code == 200


def test_batch_in_order_one_transaction_and_the_limit(client: httpx.Client,
                                                     server: Server) -> None:
    requests = [
        {"narrative": f"SYNTHETIC: person {i} in custody, feels unwell, c/b, age {20 + i}",
         "age": 20 + i}
        for i in range(5)
    ] + [NOT_BREATHING]
    singles = [TriageResponse.model_validate(triage(client, server, q).json()) for q in requests]
    for role in ("analyst", "handler"):
        r = client.post("/v1/triage/batch", json={"requests": requests},
                        headers=auth(server, role))
        assert r.status_code == 200, r.text
        results = BatchResponse.model_validate(r.json()).results
        assert [x.probabilities for x in results] == [x.probabilities for x in singles]
        assert [x.suggestion for x in results] == [x.suggestion for x in singles]
        assert len({x.id for x in results}) == len(requests)
    engine = sa.create_engine(server.env.db_url)
    with engine.connect() as conn:
        batch_ids = conn.execute(
            sa.text("SELECT DISTINCT batch_id FROM suggestions WHERE id IN (:a, :b)"),
            {"a": results[0].id, "b": results[-1].id},
        ).scalars().all()
    engine.dispose()
    assert len(batch_ids) == 1 and batch_ids[0] is not None

    over = {"requests": [{"narrative": "SYNTHETIC: fall"}] * 1001}
    r = client.post("/v1/triage/batch", json=over, headers=auth(server, "analyst"))
    assert r.status_code == 422
    err = r.json()["detail"][0]
    assert err["field"] == "requests"
    assert "max_batch=1000" in err["msg"] and "got 1001" in err["msg"]
    r = client.post("/v1/triage/batch", json={"requests": []}, headers=auth(server, "analyst"))
    assert r.status_code == 422


def test_outcome_lifecycle(client: httpx.Client, server: Server) -> None:
    sid = triage(client, server, NOT_BREATHING).json()["id"]
    url = f"/v1/triage/{sid}/outcome"
    r = client.post(url, json={"final_disposition": "deploy", "note": "SYNTHETIC note"},
                    headers=auth(server, "handler"))
    assert r.status_code == 200, r.text
    out = OutcomeResponse.model_validate(r.json())
    assert (out.suggestion_id, out.suggested, out.final_disposition, out.agreed) == (
        sid, "deploy", "deploy", True)

    r = client.post(url, json={"final_disposition": "hear_and_treat"},
                    headers=auth(server, "handler"))
    assert r.status_code == 409
    conflict = OutcomeConflict.model_validate(r.json())
    assert conflict.existing.final_disposition == "deploy"  # the first stands

    r = client.post(f"/v1/triage/{uuid.uuid4()}/outcome", json={"final_disposition": "deploy"},
                    headers=auth(server, "handler"))
    assert r.status_code == 404
    r = client.post(url, json={"final_disposition": "maybe"}, headers=auth(server, "handler"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "final_disposition"

    metrics = client.get("/metrics").text
    assert 'triage_outcome_agreement_total{final="deploy",suggested="deploy"}' in metrics


def test_reload_by_admin(client: httpx.Client, server: Server) -> None:
    r = client.post("/v1/admin/reload", headers=auth(server, "admin"))
    assert r.status_code == 200, r.text
    body = ReloadResponse.model_validate(r.json())
    assert body.version == body.previous_version == current_version(server.env.models_dir)
    assert body.changed is False


def test_metrics_use_route_templates(client: httpx.Client, server: Server) -> None:
    first = triage(client, server, SAMPLE_REQUEST).json()
    sid = first["id"]
    client.post(f"/v1/triage/{sid}/outcome", json={"final_disposition": "clinical_advice"},
                headers=auth(server, "handler"))
    client.get("/no/such/path")
    assert client.post("/v1/admin/reload", headers=auth(server, "admin")).status_code == 200
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'triage_http_requests_total{method="POST",route="/v1/triage",status="200"}' in text
    assert 'route="/v1/triage/{suggestion_id}/outcome"' in text
    assert sid not in text
    assert 'route="unmatched"' in text
    assert "triage_http_request_duration_seconds_bucket" in text
    assert f'triage_suggestions_total{{suggestion="{first["suggestion"]}"}}' in text
    version = current_version(server.env.models_dir)
    assert 'triage_model_info{kind="' in text and f'version="{version}"' in text
    # trained beside the tables it is served with: no text skew
    assert "\ntriage_model_text_skew 0.0" in text
    assert "triage_red_flag_overrides_total" in text
    assert 'triage_model_reloads_total{result="success"}' in text


def test_logs_are_json_and_free_of_narratives_and_keys(client: httpx.Client,
                                                       server: Server) -> None:
    marker = f"SYNTHETIC-{uuid.uuid4().hex} chest pain radiating to arm, sweaty"
    r = triage(client, server, {"narrative": marker, "age": 58})
    assert r.status_code == 200
    rid = r.headers["x-request-id"]
    sid = r.json()["id"]
    triage(client, server, {"narrative": marker, "age": 999})  # 422 quoting the body
    client.post(f"/v1/triage/{sid}/outcome",
                json={"final_disposition": "deploy", "note": marker},
                headers=auth(server, "handler"))
    client.post("/v1/triage/batch", json={"requests": [{"narrative": marker}]},
                headers=auth(server, "analyst"))
    text = server.logs()
    assert "SYNTHETIC-" not in text
    for key in (server.env.keys.handler, server.env.keys.analyst, server.env.keys.admin):
        assert key not in text
    lines = server.log_lines()  # every line is one JSON object
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line)
    access = [ln for ln in lines if ln.get("request_id") == rid and ln["logger"] ==
              "service.access"]
    assert len(access) == 1
    assert access[0]["route"] == "/v1/triage"
    assert access[0]["status"] == 200
    assert access[0]["key"] == "desk-1"
    assert access[0]["latency_ms"] > 0
