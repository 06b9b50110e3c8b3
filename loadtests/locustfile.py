"""Locust users and the load shape for control-room load tests.

Run through ``triage loadtest`` (loadtests/runner.py), which adds the SLO verdict; it can also be
run by hand: ``locust -f loadtests/locustfile.py --headless --host http://127.0.0.1:8000
--load-profile control-room-day --scale 100 --duration 60``.

Three kinds of user, in proportion to a joint control room's traffic:
- ``CallHandler``: one triage request drawn from synthetic history, then, for a share of them,
  the outcome the clinician recorded;
- ``CadIntegration``: a CAD system sending a batch of requests;
- ``Analyst``: reads the serving model's information.
Every payload is a different synthetic request with its own request_id: never one payload
repeated. Each user performs one action every PACING_SECONDS (constant throughput), and the
shape sets the number of users from the profile's offered rate.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from locust import FastHttpUser, LoadTestShape, constant_throughput, events, task
from locust.argument_parser import LocustArgumentParser
from locust.env import Environment

from loadtests import profiles
from triage.schema import DISPOSITIONS, request_fields

log = logging.getLogger("loadtests")

#: Share of handler suggestions for which the handler then records an outcome.
OUTCOME_SHARE = 0.4
#: Share of recorded outcomes that accept the suggestion (the rest override it).
ACCEPT_SHARE = 0.8
BATCH_SIZES = (5, 50)
PAYLOAD_POOL_ROWS = 5000


class _RunState:
    """Mutable state of one locust run (payload pool, counters), set up in ``on_init``."""

    def __init__(self) -> None:
        self.pool: list[dict[str, Any]] = []
        self.rng = random.Random(0)
        self.actions_completed = 0
        self.requests_sent = 0
        self.max_requests = 0
        self.offered_actions = 0.0
        self.started = 0.0
        self.summary_file: Path | None = None
        self.profile_name = ""
        self.scale = 1.0
        self.duration = 0.0
        self.seed = 0


STATE = _RunState()


@events.init_command_line_parser.add_listener
def _add_arguments(parser: LocustArgumentParser) -> None:
    parser.add_argument(
        "--load-profile", default="control-room-day", choices=list(profiles.PROFILES)
    )
    parser.add_argument("--scale", type=float, default=1.0, help="x one force's real rate")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=200_000, help="hard cap on requests")
    parser.add_argument("--payload-seed", type=int, default=20261121)
    parser.add_argument("--summary-file", default="", help="where to write the run's summary")


def _request_payloads(rows: int, seed: int) -> list[dict[str, Any]]:
    """Requests drawn from synthetic history (labels and true probabilities removed)."""
    from triage.synth import generate

    frame = generate(rows, seed)
    fields = [f for f in request_fields() if f not in ("request_id", "received_at")]
    out = []
    for row in frame.select(fields).iter_rows(named=True):
        out.append({k: v for k, v in row.items() if v is not None})
    return out


@events.init.add_listener
def _on_init(environment: Environment, **_: Any) -> None:
    opts = environment.parsed_options
    if opts is None:
        return
    STATE.profile_name = opts.load_profile
    STATE.scale = float(opts.scale)
    STATE.duration = float(opts.duration)
    STATE.max_requests = int(opts.max_requests)
    STATE.seed = int(opts.payload_seed)
    STATE.rng = random.Random(STATE.seed)
    STATE.summary_file = Path(opts.summary_file) if opts.summary_file else None
    STATE.pool = _request_payloads(PAYLOAD_POOL_ROWS, STATE.seed)


@events.request.add_listener
def _on_request(**_: Any) -> None:
    STATE.requests_sent += 1
    if STATE.max_requests and STATE.requests_sent >= STATE.max_requests:
        runner = _ENV_RUNNER.get("runner")
        if runner is not None:
            log.warning("request cap %d reached: stopping", STATE.max_requests)
            runner.quit()


_ENV_RUNNER: dict[str, Any] = {}


@events.test_start.add_listener
def _on_test_start(environment: Environment, **_: Any) -> None:
    _ENV_RUNNER["runner"] = environment.runner
    STATE.started = time.monotonic()


@events.quitting.add_listener
def _on_quitting(environment: Environment, **_: Any) -> None:
    if STATE.summary_file is None:
        return
    elapsed = time.monotonic() - STATE.started if STATE.started else 0.0
    summary = {
        "profile": STATE.profile_name,
        "scale": STATE.scale,
        "duration_s": STATE.duration,
        "elapsed_s": elapsed,
        "offered_actions": STATE.offered_actions,
        "planned_actions": profiles.planned_actions(
            profiles.get_profile(STATE.profile_name), STATE.scale, STATE.duration
        ),
        "actions_completed": STATE.actions_completed,
        "requests_sent": STATE.requests_sent,
        "request_cap": STATE.max_requests,
        "pacing_s": profiles.PACING_SECONDS,
    }
    STATE.summary_file.write_text(json.dumps(summary, indent=2))


def _fresh_request() -> dict[str, Any]:
    body = dict(STATE.rng.choice(STATE.pool))
    body["request_id"] = f"LOAD-{uuid.uuid4().hex[:16]}"
    body["received_at"] = datetime.now(UTC).isoformat()
    return body


def _auth_headers() -> dict[str, str]:
    key = os.environ.get("TRIAGE_API_KEY", "")
    return {"Authorization": f"Bearer {key}"} if key else {}


class _TriageUser(FastHttpUser):
    abstract = True
    wait_time = constant_throughput(1 / profiles.PACING_SECONDS)

    def on_start(self) -> None:
        self.headers = _auth_headers()


class CallHandler(_TriageUser):
    weight = 16

    @task
    def triage_and_record(self) -> None:
        with self.client.post(
            "/v1/triage", json=_fresh_request(), headers=self.headers, catch_response=True,
            name="POST /v1/triage", allow_redirects=False,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"status {resp.status_code}: {resp.text[:200]}")
                return
            data = resp.json()
            if data.get("suggestion") not in {d.value for d in DISPOSITIONS}:
                resp.failure(f"no valid suggestion in {resp.text[:200]}")
                return
        if STATE.rng.random() < OUTCOME_SHARE:
            final = (
                data["suggestion"]
                if STATE.rng.random() < ACCEPT_SHARE
                else STATE.rng.choice([d.value for d in DISPOSITIONS])
            )
            self.client.post(
                f"/v1/triage/{data['id']}/outcome",
                json={"final_disposition": final, "note": "synthetic load test"},
                headers=self.headers,
                name="POST /v1/triage/{id}/outcome",
                allow_redirects=False,
            )
        STATE.actions_completed += 1


class CadIntegration(_TriageUser):
    weight = 3

    @task
    def batch(self) -> None:
        n = STATE.rng.randint(*BATCH_SIZES)
        body = {"requests": [_fresh_request() for _ in range(n)]}
        with self.client.post(
            "/v1/triage/batch", json=body, headers=self.headers, catch_response=True,
            name="POST /v1/triage/batch", allow_redirects=False,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"status {resp.status_code}: {resp.text[:200]}")
                return
            if len(resp.json().get("results", [])) != n:
                resp.failure("batch answered a different number of results")
                return
        STATE.actions_completed += 1


class Analyst(_TriageUser):
    weight = 1

    @task
    def model_info(self) -> None:
        with self.client.get(
            "/v1/model", headers=self.headers, catch_response=True, name="GET /v1/model",
            allow_redirects=False,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"status {resp.status_code}")
                return
        STATE.actions_completed += 1


class ProfileShape(LoadTestShape):
    """Sets the number of users each second from the chosen profile's offered rate, and stops
    the run at ``--duration``."""

    def __init__(self) -> None:
        super().__init__()
        self._last: float | None = None

    def tick(self) -> tuple[int, float] | None:
        run_time = self.get_run_time()
        if self._last is not None:
            # What the users alive since the last tick offered: the run's offered load.
            STATE.offered_actions += (
                self.get_current_user_count() / profiles.PACING_SECONDS * (run_time - self._last)
            )
        self._last = run_time
        if run_time >= STATE.duration:
            return None
        profile = profiles.get_profile(STATE.profile_name)
        users = profiles.users_for(
            profiles.offered_rate(profile, run_time / STATE.duration, STATE.scale)
        )
        spawn_rate = max(1.0, users / profile.ramp_seconds)
        return users, spawn_rate
