"""Issue 11, service side, against the REAL service (uvicorn in a subprocess): keys fail
closed, the key is checked before the body, per-key rate limits, hostile input never 500,
and /readyz keeps details for keyed callers.

All requests here are synthetic.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from service_support import SAMPLE_REQUEST, Server, make_env, running

from service.keys import KeyRing, KeysUnavailable, add_key, revoke_key
from triage.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hardening_service")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, trained_models_dir: Path) -> Iterator[Server]:
    env = make_env(tmp_path_factory.mktemp("harden"), trained_models_dir)
    with running(env, "harden") as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def post_raw(
    client: httpx.Client, path: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    return client.post(path, content=body, headers={"Content-Type": "application/json", **headers})


# -- finding 1: keys fail closed -------------------------------------------------------------


def test_rewrite_keeps_the_keys_files_mode_and_group(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    add_key(path, "desk-1", "handler")
    group = os.getgroups()[-1] if os.getgroups() else os.getegid()
    os.chown(path, -1, group)
    os.chmod(path, 0o640)
    before = path.stat()
    add_key(path, "desk-2", "handler")
    revoke_key(path, "desk-1")
    after = path.stat()
    assert '"desk-2"' in path.read_text() and '"desk-1"' not in path.read_text()
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_keyring_refuses_every_key_while_the_file_is_broken(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key = add_key(path, "desk-1", "handler")
    ring = KeyRing(path)
    assert ring.authenticate(key) is not None
    for broken in ("{not json", '{"keys": [{"name": "x", "role": "handler", "sha256": "é"}]}'):
        path.write_text(broken, encoding="utf-8")
        ring.refresh(force=True)
        with pytest.raises(KeysUnavailable, match="keys file"):
            ring.authenticate(key)
        assert ring.problem is not None and str(path) in ring.problem
    # Unreadable (a folder where the file should be): refused too.
    path.unlink()
    path.mkdir()
    ring.refresh(force=True)
    with pytest.raises(KeysUnavailable, match="Cannot read"):
        ring.authenticate(key)


def test_a_corrupt_keys_file_stops_every_key_and_readyz(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    env = make_env(tmp_path, trained_models_dir)
    good = env.keys_file.read_text(encoding="utf-8")
    with running(env, "keys") as srv, srv.client() as c:
        admin = env.keys.auth("admin")
        assert c.get("/v1/model", headers=admin).status_code == 200
        assert c.get("/readyz").status_code == 200
        env.keys_file.write_text(good[: len(good) // 2], encoding="utf-8")  # truncated JSON
        time.sleep(1.2)  # the ring re-reads at most once a second
        for role in ("handler", "analyst", "admin"):
            r = c.post("/v1/triage", json=SAMPLE_REQUEST, headers=env.keys.auth(role))
            assert r.status_code == 503, r.text
            assert "keys file" in r.json()["detail"]
            assert str(env.keys_file) not in r.text  # the path is for the log, not callers
        ready = c.get("/readyz")
        assert ready.status_code == 503 and "keys file" in ready.json()["detail"]
        env.keys_file.write_text(good, encoding="utf-8")
        time.sleep(1.2)
        assert c.get("/v1/model", headers=admin).status_code == 200
        assert c.get("/readyz").status_code == 200
    logs = srv.logs()
    assert "refusing EVERY key" in logs and "readable again" in logs


# -- finding 7: the key before the body; readyz details only for keyed callers --------------


def test_no_key_is_refused_before_the_body_is_read(client: httpx.Client) -> None:
    r = post_raw(client, "/v1/triage", b"{this is not json", {})
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"] == "Bearer"
    r = post_raw(client, "/v1/triage", b"{broken", {"Authorization": "Bearer not-a-key"})
    assert r.status_code == 401
    # A big body to the batch route: refused at the header, without parsing 7 MB.
    big = b'{"requests": [' + b'{"narrative": "x"},' * 350_000 + b'{"narrative": "x"}]}'
    assert len(big) > 6_000_000
    t0 = time.perf_counter()
    r = post_raw(client, "/v1/triage/batch", big, {})
    assert r.status_code == 401
    assert time.perf_counter() - t0 < 5.0


def test_readyz_keeps_details_for_keyed_callers(tmp_path: Path) -> None:
    env = make_env(tmp_path, None)  # empty registry: not ready
    with running(env, "readyz") as srv, srv.client() as c:
        anonymous = c.get("/readyz")
        assert anonymous.status_code == 503
        assert str(env.models_dir) not in anonymous.text
        assert "no model loaded" in anonymous.json()["detail"]
        keyed = c.get("/readyz", headers=env.keys.auth("handler"))
        assert keyed.status_code == 503
        assert str(env.models_dir) in keyed.json()["detail"]


# -- finding 8: per-key rate limit ------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after_per_key(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    env = make_env(tmp_path, trained_models_dir)
    # per hour, not per minute: the sliding-window counter weighs the previous window's hits by
    # the share of it still inside the window (floored), so five hits straddling a minute's
    # boundary could let a sixth through and fail this test about once in a few hundred runs (it
    # did on 2026-12-03); an hour makes that chance some sixty times smaller
    env.extra_env["TRIAGE_RATE_LIMIT"] = "5/hour"
    with running(env, "ratelimit") as srv, srv.client() as c:
        handler = env.keys.auth("handler")
        statuses = [
            c.post("/v1/triage", json=SAMPLE_REQUEST, headers=handler).status_code
            for _ in range(5)
        ]
        assert statuses == [200] * 5
        r = c.post("/v1/triage", json=SAMPLE_REQUEST, headers=handler)
        assert r.status_code == 429
        assert 1 <= int(r.headers["retry-after"]) <= 3600
        assert "desk-1" in r.json()["detail"]
        # Refused before the body: a broken body is still 429, not 422.
        assert post_raw(c, "/v1/triage", b"{", handler).status_code == 429
        # Another key has its own count.
        other = c.post("/v1/triage", json=SAMPLE_REQUEST, headers=env.keys.auth("admin"))
        assert other.status_code == 200
        # Anonymous callers are not counted against anyone (and get 401, not 429).
        assert c.post("/v1/triage", json=SAMPLE_REQUEST).status_code == 401
    assert "5/hour" in r.json()["detail"]


def test_rate_limit_setting_is_validated() -> None:
    with pytest.raises(ValidationError, match="rate_limit"):
        Settings(rate_limit="lots")
    assert Settings(rate_limit="10/second;100/minute").rate_limit == "10/second;100/minute"


# -- finding 6: hostile input is 422, never 500 ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"narrative": "fell \\ud800 over"}', "narrative"),
        (b'{"narrative": "ok", "request_id": "CAD-\\udfff"}', "request_id"),
        (b'{"narrative": "ok", "received_at": "0001-01-01T00:00:00+14:00"}', "received_at"),
        (b'{"narrative": "ok", "received_at": "9999-12-31T23:59:59-14:00"}', "received_at"),
        (b'{"narrative": "ok", "age": true}', "age"),
        (b'{"narrative": "ok", "age": "45"}', "age"),
        (b'{"narrative": "ok", "age": 45.5}', "age"),
        (b'{"narrative": "ok", "officer_on_scene": 1}', "officer_on_scene"),
        (b'{"narrative": "ok", "officer_on_scene": "yes"}', "officer_on_scene"),
        (b'{"narrative": "ok", "\\ud800": 1}', "body"),  # no field name to give
    ],
)
def test_hostile_fields_get_422_naming_the_field(
    client: httpx.Client, server: Server, body: bytes, field: str
) -> None:
    r = post_raw(client, "/v1/triage", body, server.env.keys.auth("handler"))
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["detail"]], r.text


@pytest.mark.parametrize("note", [b'"x\\udc80"', b'"nul \\u0000 in a note"'])
def test_hostile_outcome_note_gets_422(client: httpx.Client, server: Server, note: bytes) -> None:
    sid = client.post("/v1/triage", json=SAMPLE_REQUEST,
                      headers=server.env.keys.auth("handler")).json()["id"]
    r = post_raw(client, f"/v1/triage/{sid}/outcome",
                 b'{"final_disposition": "deploy", "note": ' + note + b"}",
                 server.env.keys.auth("handler"))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "note", r.text


def test_nul_in_a_narrative_is_stored_and_answered(client: httpx.Client, server: Server) -> None:
    """NUL is pasted text like any control: the narrative is stored JSON-escaped."""
    r = post_raw(client, "/v1/triage", b'{"narrative": "fell\\u0000 down stairs, c/b"}',
                 server.env.keys.auth("handler"))
    assert r.status_code == 200, r.text


# Text with what pasted or hostile text carries: lone surrogates, format characters (Cf),
# NUL, controls and every other plane.
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, categories=("Cs", "Cf", "Cc", "Zs", "Co")),
        st.characters(),
    ),
    max_size=40,
)
JSON_SCALARS = st.one_of(
    HOSTILE_TEXT, st.booleans(), st.none(), st.integers(), st.floats(allow_nan=False),
)


def _dumps(value: Any) -> bytes:
    # json.dumps escapes surrogates as \\udXXX (UTF-8 could not carry them); orjson would refuse.
    return json.dumps(value).encode("ascii")


FIELDS = ("narrative", "incident_type", "age", "sex", "conscious", "breathing", "bleeding",
          "officer_on_scene", "location_type", "received_at", "request_id")
REQUESTS = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), HOSTILE_TEXT), JSON_SCALARS, max_size=5
).map(lambda d: {"narrative": "SYNTHETIC fuzz", **d})


def test_unicode_fuzz_never_gets_a_server_error(client: httpx.Client, server: Server) -> None:
    """Hypothesis over every route that takes input: hostile Unicode in every field and as
    field names, path parameters and query strings; no answer is 5xx. Then: every route was
    reached on every example, and the service logged no 500 (checked in this same test, so
    the check never depends on another test having run first)."""
    fuzz_counts: dict[str, int] = {}

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=REQUESTS, batch=st.booleans(), hostile_id=HOSTILE_TEXT)
    def fuzz(body: dict[str, Any], batch: bool, hostile_id: str) -> None:
        admin = server.env.keys.auth("admin")
        # The raw bytes, percent-encoded as a client would send them (surrogates as CESU bytes).
        path_id = quote(hostile_id.encode("utf-8", "surrogatepass"), safe="") or "x"
        calls = [
            ("POST", "/v1/triage", _dumps(body)),
            ("POST", "/v1/triage/batch", _dumps({"requests": [body] * (2 if batch else 1)})),
            ("POST", f"/v1/triage/{path_id}/outcome",
             _dumps({"final_disposition": "deploy", "note": hostile_id})),
            ("POST", "/v1/triage/00000000-0000-4000-8000-000000000000/outcome",
             _dumps({"final_disposition": hostile_id, "note": body.get("narrative")})),
            ("GET", "/v1/model?x=" + path_id, b""),
            ("GET", "/readyz", b""),
            ("GET", "/healthz", b""),
            ("GET", "/metrics", b""),
            ("GET", "/", b""),
        ]
        for method, path, content in calls:
            r = client.request(method, path, content=content or None,
                               headers={"Content-Type": "application/json", **admin})
            assert r.status_code < 500, (method, path, content[:300], r.status_code, r.text[:300])
            fuzz_counts[path.split("?")[0].split("/")[-1] or "/"] = (
                fuzz_counts.get(path.split("?")[0].split("/")[-1] or "/", 0) + 1
            )

    fuzz()
    assert sum(fuzz_counts.values()) >= 150 * 9
    assert '"status":500' not in server.logs()
