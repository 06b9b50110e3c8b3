"""The open workload's schedule (loadtests/arrivals.py), the service's own histogram for a window
(loadtests/service_latency.py) and the report's bottleneck notes, without a server.

The arrival process is checked statistically with fixed seeds: inter-arrival gaps of one user
and of many users together follow the exponential distribution of the right rate (KS tests),
and the schedule does not move with response times."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from scipy import stats

from loadtests import profiles, service_latency
from loadtests.arrivals import ArrivalClock, ArrivalStats
from loadtests.runner import SLO, Endpoint, bottleneck_notes, judge
from service.metrics import LATENCY_BUCKETS, ServiceMetrics

PACING = profiles.PACING_SECONDS


def _sent_times(clock: ArrivalClock, until: float, service_s: float = 0.0) -> list[float]:
    """Drive one user as locust does: sleep until due, send, be busy ``service_s``, repeat."""
    now = 0.0
    sent = []
    while True:
        now += clock.wait(now)
        if now >= until:
            return sent
        sent.append(now)
        clock.send(now)
        now += service_s


def test_one_users_gaps_are_exponential_at_its_pacing() -> None:
    clock = ArrivalClock(PACING, 0.0, random.Random(7))
    times = _sent_times(clock, until=20_000 * PACING)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) > 15_000
    assert sum(gaps) / len(gaps) == pytest.approx(PACING, rel=0.03)
    assert stats.kstest(gaps, "expon", args=(0, PACING)).pvalue > 0.01


def test_many_users_superpose_to_one_poisson_process_at_the_profiles_rate() -> None:
    rate = profiles.offered_rate(profiles.get_profile("soak"), 0.5, 1000)  # issue 12's case
    users = profiles.users_for(rate)
    duration = 600.0
    master = random.Random(20261201)
    merged = sorted(
        t
        for _ in range(users)
        for t in _sent_times(ArrivalClock(PACING, 0.0, random.Random(master.random())), duration)
    )
    gaps = [b - a for a, b in itertools.pairwise(merged)]
    expected_rate = users / PACING
    assert len(merged) == pytest.approx(expected_rate * duration, rel=0.05)
    assert stats.kstest(gaps, "expon", args=(0, 1 / expected_rate)).pvalue > 0.01
    # Counts per second are Poisson: variance equal to the mean (the old fixed 10 s tick from
    # one start sent in bursts, with a variance far above the mean).
    per_second = [0] * int(duration)
    for t in merged:
        per_second[int(t)] += 1
    mean = sum(per_second) / len(per_second)
    var = sum((c - mean) ** 2 for c in per_second) / (len(per_second) - 1)
    assert 0.8 < var / mean < 1.2


def test_users_that_start_together_do_not_send_together() -> None:
    master = random.Random(3)
    firsts = [ArrivalClock(PACING, 0.0, random.Random(master.random())).next_at
              for _ in range(2000)]
    # The random phase: the first arrival is an exponential gap after the start.
    assert stats.kstest(firsts, "expon", args=(0, PACING)).pvalue > 0.01
    assert max(sum(1 for t in firsts if s <= t < s + 1) for s in range(10)) < 0.15 * len(firsts)


def test_the_schedule_does_not_depend_on_response_times() -> None:
    instant = _sent_times(ArrivalClock(PACING, 0.0, random.Random(11)), until=5000.0)
    slow = _sent_times(ArrivalClock(PACING, 0.0, random.Random(11)), until=5000.0,
                       service_s=0.05)
    # Answers 50 ms slower move no arrival that falls after the answer came back.
    assert len(slow) == len(instant)
    moved = [(a, b) for a, b in zip(instant, slow, strict=True) if a != b]
    assert len(moved) < 0.02 * len(instant)
    assert all(0 < b - a <= 0.05 for a, b in moved)


def test_a_late_answer_makes_the_next_arrival_late_and_moves_none_after_it() -> None:
    clock = ArrivalClock(1.0, 0.0, random.Random(5))
    first = clock.next_at
    assert clock.send(first) == 0.0
    second = clock.next_at
    third_gap_clock = ArrivalClock(1.0, 0.0, random.Random(5))
    third_gap_clock.send(third_gap_clock.next_at)
    third_gap_clock.send(third_gap_clock.next_at)
    third = third_gap_clock.next_at
    busy_until = second + 0.7  # the answer to the first came back 0.7 s after the second was due
    assert clock.wait(busy_until) == 0.0
    assert clock.send(busy_until) == pytest.approx(0.7)
    assert clock.next_at == pytest.approx(third)  # scheduled from the second's time, not 0.7 later


def test_arrivals_never_sent_are_counted_when_a_user_stops() -> None:
    clock = ArrivalClock(1.0, 0.0, random.Random(9))
    reference = ArrivalClock(1.0, 0.0, random.Random(9))
    due = 0
    while reference.next_at <= 50.0:
        reference.send(reference.next_at)
        due += 1
    assert clock.overdue(50.0) == due > 30
    assert clock.next_at > 50.0 and clock.overdue(50.0) == 0


def test_arrival_stats_are_additive_across_workers() -> None:
    a, b = ArrivalStats(), ArrivalStats()
    for lateness in (0.0, 0.02, 0.5):
        a.record(lateness)
    b.record(0.2)
    b.record(0.3, held=True)  # held by the previous answer: not a late wake-up
    b.overdue = 3
    b.cut_off = 1
    master = ArrivalStats()
    master.add(a.take())
    master.add(b.take())
    assert a.sent == 0 and a.lateness_max_s == 0.0  # take() resets: reports are deltas
    out = master.to_json()
    assert (out["sent"], out["overdue"], out["due"], out["cut_off"]) == (5, 3, 8, 1)
    assert out["held"] == 1
    assert out["late"] == {"0.01": 3, "0.1": 2}
    assert out["lateness_max_s"] == 0.5
    assert out["lateness_mean_s"] == pytest.approx(1.02 / 5)


def test_the_burst_profile_is_named_and_keeps_the_weekly_peak() -> None:
    burst = profiles.get_profile("major-incident-burst")
    assert burst.burst_at == 0.5
    assert profiles.offered_rate(burst, 0.3, 1) == pytest.approx(
        profiles.offered_rate(profiles.get_profile("soak"), 0.3, 1)
    )
    assert all(p.burst_at is None for name, p in profiles.PROFILES.items() if name != burst.name)


# -- the service's own histogram -----------------------------------------------------------


def _exposition(observations: dict[tuple[str, str], list[float]]) -> str:
    """The service's real metrics, having observed these durations (seconds) per route."""
    metrics = ServiceMetrics()
    for (method, route), seconds in observations.items():
        for s in seconds:
            metrics.observe_request(route, method, 200, s)
    return metrics.render().decode()


def test_window_is_the_difference_of_two_scrapes() -> None:
    before = service_latency.parse(_exposition({("POST", "/v1/triage"): [0.5] * 100}))
    after = service_latency.parse(_exposition({
        ("POST", "/v1/triage"): [0.5] * 100 + [0.003] * 50,
        ("GET", "/metrics"): [0.001],
    }))
    window = service_latency.difference(before, after)
    rows = {r.name: r for r in service_latency.summarise(window)}
    triage = rows["POST /v1/triage"]
    assert triage.requests == 50
    # Only the window's 3 ms requests: every quantile inside the 2.5-5 ms bucket, none 500 ms.
    assert 2.5 <= triage.p50_ms <= 5 and 2.5 <= triage.p99_ms <= 5
    assert rows["Aggregated"].requests == 50  # /metrics is not load


def test_quantiles_interpolate_inside_buckets_like_prometheus() -> None:
    seconds = [0.001 * (i % 40) + 0.0005 for i in range(4000)]  # 0.5 .. 39.5 ms, uniform
    window = service_latency.parse(_exposition({("POST", "/v1/triage"): seconds}))
    counts = window[("POST", "/v1/triage")]
    assert set(counts) == {*LATENCY_BUCKETS, math.inf}
    p50 = service_latency.quantile(counts, 0.5) * 1000
    p99 = service_latency.quantile(counts, 0.99) * 1000
    assert 10 <= p50 <= 25  # the true median (20 ms) lies in the 10-25 ms bucket
    assert 25 <= p99 <= 50
    assert math.isnan(service_latency.quantile({math.inf: 0.0}, 0.5))
    assert service_latency.quantile({0.005: 0.0, math.inf: 10.0}, 0.5) == 0.005


def test_a_restart_during_the_window_is_reported_not_guessed() -> None:
    before = service_latency.parse(_exposition({("POST", "/v1/triage"): [0.003] * 10}))
    after = service_latency.parse(_exposition({("POST", "/v1/triage"): [0.003] * 4}))
    with pytest.raises(service_latency.ScrapeError, match="restarted"):
        service_latency.difference(before, after)


# -- who is the bottleneck ------------------------------------------------------------------


SUMMARY = {"profile": "soak", "scale": 1000.0, "duration_s": 30.0, "elapsed_s": 30.0,
           "offered_actions": 200.0, "actions_completed": 198,
           "arrivals": {"sent": 198, "overdue": 0, "due": 198, "late": {"0.01": 0, "0.1": 0}},
           "generator_cpu_max": 40.0, "generator_cpu_mean": 30.0}


def _verdict(client_p50: float, service_p50: float, **summary: object):
    triage = Endpoint("POST /v1/triage", 150, 0, client_p50, client_p50 * 2, client_p50 * 3, 5)
    v = judge(triage, [triage], {**SUMMARY, **summary}, SLO())
    v.service = [
        service_latency.ServiceLatency("POST /v1/triage", 150, service_p50, 8.0, 9.0),
        service_latency.ServiceLatency("Aggregated", 150, service_p50, 8.0, 9.0),
    ]
    return v


def test_agreeing_figures_are_called_the_services() -> None:
    notes = bottleneck_notes(_verdict(5.5, 3.6))
    assert len(notes) == 1 and "they are the service's figures" in notes[0]


def test_client_latency_far_above_the_services_is_placed_outside_the_app() -> None:
    # Locust kept its schedule: the time went before the app's timer started (a queue).
    notes = bottleneck_notes(_verdict(31.0, 3.6))
    assert any(n.startswith("QUEUE: POST /v1/triage") and "8.6 x" in n for n in notes), notes
    # Locust's event loop woke its users late: the same gap is the generator's.
    late = {"sent": 198, "overdue": 0, "due": 198, "late": {"0.01": 40, "0.1": 5}}
    notes = bottleneck_notes(_verdict(31.0, 3.6, arrivals=late))
    assert any(n.startswith("GENERATOR: POST /v1/triage") for n in notes), notes
    assert any("locust woke 20% of its arrivals more than 10 ms" in n for n in notes)


def test_a_busy_generator_and_held_arrivals_are_named() -> None:
    v = _verdict(5.0, 4.0, generator_cpu_max=97.0,
                 arrivals={"sent": 100, "overdue": 5, "due": 105, "held": 12,
                           "late": {"0.01": 2}})
    notes = bottleneck_notes(v)
    assert any(n.startswith("GENERATOR: locust's CPU reached 97%") for n in notes)
    assert any(n.startswith("SERVICE: 12% of arrivals were sent late because the same user")
               for n in notes)
    assert not any("woke" in n for n in notes)  # 2% woken late is within the limit


def test_a_slow_service_is_named() -> None:
    v = _verdict(80.0, 60.0)
    v.service[-1] = service_latency.ServiceLatency("Aggregated", 150, 60.0, 90.0, 120.0)
    assert any(n.startswith("SERVICE:") for n in bottleneck_notes(v))


def test_throughput_is_judged_on_the_arrivals_that_fell_due() -> None:
    # 150 expected, 120 arrived (Poisson); 115 done is 96% of those due: no breach.
    ok = judge(Endpoint("Aggregated", 120, 0, 3, 5, 8, 4), [],
               {**SUMMARY, "offered_actions": 150.0, "actions_completed": 115,
                "arrivals": {"sent": 120, "overdue": 0, "due": 120}}, SLO())
    assert ok.passed, ok.breaches
    # The service fell behind: 60 of 120 due.
    behind = judge(Endpoint("Aggregated", 60, 0, 3, 5, 8, 2), [],
                   {**SUMMARY, "actions_completed": 60,
                    "arrivals": {"sent": 70, "overdue": 50, "due": 120}}, SLO())
    assert any("60 actions done < 90% of 120 due" in b for b in behind.breaches)
