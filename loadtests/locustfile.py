"""Locust users and the load shape for control-room load tests.

Run through ``triage loadtest`` (loadtests/runner.py), which adds the SLO verdict; it can also be
run by hand: ``locust -f loadtests/locustfile.py --headless --host http://127.0.0.1:8000
--load-profile control-room-day --scale 100 --duration 60``.

Three kinds of user, in proportion to a joint control room's traffic:
- ``CallHandler``: one triage request drawn from synthetic history, then, for a share of them,
  the outcome the clinician recorded;
- ``CadIntegration``: a CAD system sending a batch of requests;
- ``Analyst``: reads the serving model's information.
- ``BurstCaller``: a major incident's caller (``major-incident-burst`` only): ``--burst-size``
  of them send one triage request each within the same second.
Every payload is a different synthetic request with its own request_id: never one payload
repeated. Each user's actions arrive as a Poisson process, one every PACING_SECONDS on average,
whatever the response times (an open workload: loadtests/arrivals.py), and the shape sets the
number of users from the profile's offered rate.

Distributed (``triage loadtest --workers N``, or by hand: one ``--master`` and N ``--worker``
processes): the master runs the shape and writes the summary; each worker generates load and
adds its arrivals and completed actions to its stats reports, which the master sums.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gevent import GreenletExit
from locust import FastHttpUser, LoadTestShape, User, events, task
from locust.argument_parser import LocustArgumentParser
from locust.env import Environment
from locust.exception import StopUser
from locust.runners import WORKER_REPORT_INTERVAL, MasterRunner, WorkerRunner

from loadtests import payloads, profiles
from loadtests.arrivals import ArrivalClock, ArrivalStats
from triage.schema import DISPOSITIONS

log = logging.getLogger("loadtests")

#: Share of handler suggestions for which the handler then records an outcome.
OUTCOME_SHARE = 0.4
#: Share of recorded outcomes that accept the suggestion (the rest override it).
ACCEPT_SHARE = 0.8
BATCH_SIZES = (5, 50)


class _RunState:
    """Mutable state of one locust process (payload pool, options, counters).

    Options are read at init and again at test start: a worker starts with its own command
    line, and receives the master's options (profile, scale, duration, burst) with its first
    spawn message, just before its test starts."""

    def __init__(self) -> None:
        self.pool: list[dict[str, Any]] = []
        self.rng = random.Random(0)
        self.actions_completed = 0
        self.actions_reported = 0
        self.requests_sent = 0
        self.max_requests = 0
        self.offered_actions = 0.0
        self.started = 0.0
        #: When the shape ended the load (monotonic; 0 until then).
        self.load_stopped = 0.0
        self.summary_file: Path | None = None
        self.profile_name = ""
        self.scale = 1.0
        self.duration = 0.0
        self.seed = 0
        self.burst_size = 0
        self.arrivals = ArrivalStats()
        #: Wall-clock times of the first and last burst request sent (wall clock, so that
        #: workers on other machines can be compared); ``burst_sent`` counts them.
        self.burst_sent = 0
        self.burst_first = math.inf
        self.burst_last = -math.inf
        #: Per-tick maximum CPU % of the processes that generate the load.
        self.generator_cpu: list[float] = []
        #: Actions completed by each worker (master only).
        self.worker_actions: dict[str, int] = {}

    @property
    def profile(self) -> profiles.Profile:
        return profiles.get_profile(self.profile_name)

    @property
    def load_end(self) -> float:
        """When the load ends (monotonic): arrivals scheduled later are not due."""
        return self.started + self.duration

    @property
    def burst_users(self) -> int:
        return self.burst_size if self.profile.burst_at is not None else 0


STATE = _RunState()


@events.init_command_line_parser.add_listener
def _add_arguments(parser: LocustArgumentParser) -> None:
    parser.add_argument(
        "--load-profile", default="control-room-day", choices=list(profiles.PROFILES)
    )
    parser.add_argument("--scale", type=float, default=1.0, help="x one force's real rate")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=200_000, help="hard cap on requests")
    parser.add_argument("--payload-seed", type=int, default=payloads.DEFAULT_SEED)
    parser.add_argument(
        "--payload-file", default="", help="request pool written by triage loadtest (JSON); "
        "default: generate it (seconds of CPU) at start-up",
    )
    parser.add_argument("--summary-file", default="", help="where to write the run's summary")
    parser.add_argument(
        "--burst-size", type=int, default=profiles.DEFAULT_BURST_SIZE,
        help="triage requests within one second in major-incident-burst",
    )


def _read_options(opts: Any) -> None:
    STATE.profile_name = opts.load_profile
    STATE.scale = float(opts.scale)
    STATE.duration = float(opts.duration)
    STATE.max_requests = int(opts.max_requests)
    STATE.burst_size = max(0, int(opts.burst_size))
    STATE.summary_file = Path(opts.summary_file) if opts.summary_file else None
    # The master's dispatcher spawns exactly this many BurstCallers (only in a burst profile).
    BurstCaller.fixed_count = STATE.burst_users


def _cache_default_args() -> None:
    """A worker handles each spawn message by calling ``default_args_dict()`` once per option
    (locust 2.47, runners.py), and each call builds locust's whole argument parser: seconds of
    CPU per message on a busy machine, during which the worker sends no heartbeat and the
    master drops it as missing. The defaults never change in a process, so build them once."""
    from locust import argument_parser

    if not hasattr(argument_parser.default_args_dict, "cache_info"):
        argument_parser.default_args_dict = functools.cache(
            argument_parser.default_args_dict
        )


@events.init.add_listener
def _on_init(environment: Environment, **_: Any) -> None:
    opts = environment.parsed_options
    if opts is None:
        return
    _read_options(opts)
    STATE.seed = int(opts.payload_seed)
    STATE.rng = random.Random(STATE.seed)
    if isinstance(environment.runner, MasterRunner):
        return  # the master sends no request
    if isinstance(environment.runner, WorkerRunner):
        _cache_default_args()
    STATE.pool = (
        payloads.read(Path(opts.payload_file)) if opts.payload_file
        else payloads.generate(payloads.POOL_ROWS, STATE.seed)
    )


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
    if environment.parsed_options is not None:
        _read_options(environment.parsed_options)
    STATE.started = time.monotonic()


@events.report_to_master.add_listener
def _on_report_to_master(client_id: str, data: dict[str, Any], **_: Any) -> None:
    """A worker adds what it did since its last report (deltas) to its stats report."""
    actions = STATE.actions_completed - STATE.actions_reported
    STATE.actions_reported = STATE.actions_completed
    data["triage_load"] = {
        "arrivals": STATE.arrivals.take(), "actions": actions, "burst_sent": STATE.burst_sent,
        "burst_first": STATE.burst_first, "burst_last": STATE.burst_last,
    }
    STATE.burst_sent = 0


@events.worker_report.add_listener
def _on_worker_report(client_id: str, data: dict[str, Any], **_: Any) -> None:
    """The master sums its workers' reports into its own state (the run's summary)."""
    report = data.get("triage_load")
    if not report:
        return
    STATE.arrivals.add(report["arrivals"])
    STATE.actions_completed += int(report["actions"])
    STATE.worker_actions[client_id] = STATE.worker_actions.get(client_id, 0) + int(
        report["actions"]
    )
    STATE.burst_sent += int(report["burst_sent"])
    STATE.burst_first = min(STATE.burst_first, float(report["burst_first"]))
    STATE.burst_last = max(STATE.burst_last, float(report["burst_last"]))


@events.quitting.add_listener
def _on_quitting(environment: Environment, **_: Any) -> None:
    if STATE.summary_file is None or isinstance(environment.runner, WorkerRunner):
        return
    end = STATE.load_stopped or time.monotonic()
    elapsed = end - STATE.started if STATE.started else 0.0
    cpu = STATE.generator_cpu
    summary = {
        "profile": STATE.profile_name,
        "scale": STATE.scale,
        "duration_s": STATE.duration,
        "elapsed_s": elapsed,
        "offered_actions": STATE.offered_actions,
        "planned_actions": profiles.planned_actions(STATE.profile, STATE.scale, STATE.duration)
        + STATE.burst_users,
        "actions_completed": STATE.actions_completed,
        "requests_sent": STATE.requests_sent,
        "request_cap": STATE.max_requests,
        "pacing_s": profiles.PACING_SECONDS,
        "arrivals": STATE.arrivals.to_json(),
        "burst": {
            "size": STATE.burst_users,
            "sent": STATE.burst_sent,
            "span_s": STATE.burst_last - STATE.burst_first if STATE.burst_sent else None,
        },
        "generator_cpu_max": max(cpu) if cpu else None,
        "generator_cpu_mean": sum(cpu) / len(cpu) if cpu else None,
        "worker_actions": STATE.worker_actions,
    }
    STATE.summary_file.write_text(json.dumps(summary, indent=2))


@events.quit.add_listener
def _on_quit(**_: Any) -> None:
    """Adds to the summary the request and failure counts locust holds once every user has
    stopped: its ``_stats.csv`` is rewritten once a second and not again at exit, so it can
    miss the answers of the run's last second (loadtests.runner.with_final_counts)."""
    runner = _ENV_RUNNER.get("runner")
    path = STATE.summary_file
    if path is None or runner is None or isinstance(runner, WorkerRunner) or not path.exists():
        return
    summary = json.loads(path.read_text())
    stats = runner.stats
    final = {"Aggregated": [stats.total.num_requests, stats.total.num_failures]}
    for entry in stats.entries.values():
        final[entry.name] = [entry.num_requests, entry.num_failures]
    summary["final_counts"] = final
    path.write_text(json.dumps(summary, indent=2))


def _fresh_request() -> dict[str, Any]:
    body = dict(STATE.rng.choice(STATE.pool))
    body["request_id"] = f"LOAD-{uuid.uuid4().hex[:16]}"
    body["received_at"] = datetime.now(UTC).isoformat()
    return body


def _auth_headers() -> dict[str, str]:
    key = os.environ.get("TRIAGE_API_KEY", "")
    return {"Authorization": f"Bearer {key}"} if key else {}


def _poisson_wait(user: _TriageUser) -> float:
    """Locust's ``wait_time``: sleep until the user's next scheduled arrival (0 if due: the
    user's previous answer held it)."""
    wait = user.clock.wait(time.monotonic())
    user.held = wait == 0.0
    return wait


class _TriageUser(FastHttpUser):
    """A user whose actions arrive as a Poisson process (loadtests/arrivals.py), one every
    PACING_SECONDS on average, independent of how fast the answers come back."""

    abstract = True
    wait_time = _poisson_wait

    def on_start(self) -> None:
        self.headers = _auth_headers()
        # Its own random stream (not the payload seed): users and workers that start together
        # must not share a schedule.
        self.clock = ArrivalClock(profiles.PACING_SECONDS, time.monotonic(), random.Random())
        self.held = False
        self.wait()  # the random phase: the first arrival is an exponential gap after start

    def on_stop(self) -> None:
        STATE.arrivals.overdue += self.clock.overdue(min(time.monotonic(), STATE.load_end))

    @contextmanager
    def arrival(self) -> Iterator[None]:
        """Wraps each action: the due arrival is sent now (its lateness recorded), unless it
        falls after the end of the load (a user woken while the run stops sends nothing); one
        stopped while waiting for its answer is counted as cut off."""
        now = time.monotonic()
        if self.clock.next_at > STATE.load_end:
            raise StopUser()
        STATE.arrivals.record(self.clock.send(now), held=self.held)
        try:
            yield
        except GreenletExit:
            STATE.arrivals.cut_off += 1
            raise


def _triage(user: FastHttpUser) -> dict[str, Any] | None:
    """One handler's triage request; the answer, or None (a failure, recorded as such)."""
    with user.client.post(
        "/v1/triage", json=_fresh_request(), headers=_auth_headers(), catch_response=True,
        name="POST /v1/triage", allow_redirects=False,
    ) as resp:
        if resp.status_code != 200:
            resp.failure(f"status {resp.status_code}: {resp.text[:200]}")
            return None
        data: dict[str, Any] = resp.json()
        if data.get("suggestion") not in {d.value for d in DISPOSITIONS}:
            resp.failure(f"no valid suggestion in {resp.text[:200]}")
            return None
    return data


class CallHandler(_TriageUser):
    weight = 16

    @task
    def triage_and_record(self) -> None:
        with self.arrival():
            data = _triage(self)
            if data is None:
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
        with self.arrival():
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
        with self.arrival():
            with self.client.get(
                "/v1/model", headers=self.headers, catch_response=True, name="GET /v1/model",
                allow_redirects=False,
            ) as resp:
                if resp.status_code != 200:
                    resp.failure(f"status {resp.status_code}")
                    return
            STATE.actions_completed += 1


class BurstCaller(FastHttpUser):
    """A major incident's caller: one triage request at a random moment within the burst's
    second (``burst_at`` of the run, plus up to 1 s), then idle until the run ends. The master
    spawns exactly ``--burst-size`` of them (``fixed_count``), only in a burst profile."""

    fixed_count = 0

    def on_start(self) -> None:
        burst_at = STATE.profile.burst_at or 0.0
        self.fire_at = STATE.started + burst_at * STATE.duration + random.random()
        self.fired = False
        self.wait()

    def wait_time(self) -> float:
        if self.fired:
            return 3600.0  # one request each: idle until the run stops this user
        return max(0.0, self.fire_at - time.monotonic())

    @task
    def incident_call(self) -> None:
        if self.fired:
            return
        self.fired = True
        STATE.arrivals.record(max(0.0, time.monotonic() - self.fire_at))
        now = time.time()
        STATE.burst_sent += 1
        STATE.burst_first = min(STATE.burst_first, now)
        STATE.burst_last = max(STATE.burst_last, now)
        try:
            if _triage(self) is not None:
                STATE.actions_completed += 1
        except GreenletExit:
            STATE.arrivals.cut_off += 1
            raise


class ProfileShape(LoadTestShape):
    """Sets the number of users each second from the chosen profile's offered rate (plus a
    burst profile's BurstCallers), records the generator's CPU, and stops the run at
    ``--duration`` or at ``--max-requests`` (counted over every worker)."""

    def __init__(self) -> None:
        super().__init__()
        self._last: float | None = None
        self._draining_since: float | None = None

    def _record_cpu(self) -> None:
        runner = self.runner
        if isinstance(runner, MasterRunner):
            cpus = [float(c.cpu_usage) for c in runner.clients.all]
        elif runner is not None:
            cpus = [float(runner.current_cpu_usage)]
        else:
            cpus = []
        if cpus:
            STATE.generator_cpu.append(max(cpus))

    def tick(self) -> tuple[int, float, list[type[User]]] | None:
        run_time = self.get_run_time()
        bursting = STATE.burst_users
        classes: list[type[User]] = [CallHandler, CadIntegration, Analyst]
        if bursting:
            classes.append(BurstCaller)
        if self._draining_since is not None:
            # Distributed: the users are stopped; wait for every worker's last stats report
            # (sent every WORKER_REPORT_INTERVAL s) before quitting, since the master waits
            # only half a second for them when it quits.
            if run_time - self._draining_since < WORKER_REPORT_INTERVAL + 1.5:
                return 0, 1000.0, classes
            return None
        if self._last is not None:
            # What the paced users alive since the last tick offered: the run's offered load.
            paced = max(0, self.get_current_user_count() - bursting)
            STATE.offered_actions += paced / profiles.PACING_SECONDS * (run_time - self._last)
        self._last = run_time
        self._record_cpu()
        sent = self.runner.stats.total.num_requests if self.runner is not None else 0
        if run_time >= STATE.duration or (STATE.max_requests and sent >= STATE.max_requests):
            burst_at = STATE.profile.burst_at
            if burst_at is not None and run_time >= burst_at * STATE.duration + 1:
                STATE.offered_actions += bursting  # the burst was offered, once
            STATE.load_stopped = time.monotonic()
            if isinstance(self.runner, MasterRunner):
                self._draining_since = run_time
                return 0, 1000.0, classes
            return None
        profile = STATE.profile
        users = profiles.users_for(
            profiles.offered_rate(profile, run_time / STATE.duration, STATE.scale)
        )
        spawn_rate = max(1.0, (users + bursting) / profile.ramp_seconds)
        return users + bursting, spawn_rate, classes
