"""Load profiles and the SLO verdict, without a server (the smoke run is in test_loadtest_smoke)."""

from __future__ import annotations

from datetime import datetime

import pytest

from loadtests import profiles
from loadtests.runner import (
    SLO,
    Endpoint,
    LoadTestError,
    ensure_loopback,
    judge,
    read_stats,
    with_final_counts,
)
from triage.history import demand


def test_control_room_day_has_its_friday_night_peak() -> None:
    p = profiles.get_profile("control-room-day")
    # The run starts Friday 06:30: a quarter in is Friday 12:30, 0.7 is Friday 23:18 (the
    # week's peak hour), 0.85 is Saturday 02:54 (still the peak night).
    morning = profiles.offered_rate(p, 0.0, 1)
    midday = profiles.offered_rate(p, 0.25, 1)
    evening = profiles.offered_rate(p, 0.7, 1)
    small_hours = profiles.offered_rate(p, 0.85, 1)
    assert evening > midday > morning
    assert evening == pytest.approx(demand.mean_rate_per_second() * demand.peak_intensity())
    # Saturday 02:54 belongs to Friday night: uplifted against the same hour of a Wednesday.
    wednesday = demand.intensity_at(datetime(2026, 11, 18, 2, 54))
    assert small_hours == pytest.approx(
        demand.mean_rate_per_second() * wednesday * demand.WEEKEND_NIGHT_UPLIFT, rel=0.02
    )


def test_nye_surge_is_two_to_four_times_the_peak() -> None:
    nye = profiles.get_profile("nye-surge")
    soak = profiles.get_profile("soak")
    ratio = profiles.offered_rate(nye, 0.5, 1) / profiles.offered_rate(soak, 0.5, 1)
    assert 2.0 <= ratio <= 4.0


def test_spike_jumps_and_returns() -> None:
    p = profiles.get_profile("spike")
    before, during, after = (profiles.offered_rate(p, f, 1) for f in (0.1, 0.4, 0.8))
    assert during == pytest.approx(before * profiles.SPIKE_FACTOR)
    assert after == pytest.approx(before)


def test_scale_multiplies_one_force_real_rate() -> None:
    p = profiles.get_profile("control-room-day")
    assert profiles.offered_rate(p, 0.3, 100) == pytest.approx(
        100 * profiles.offered_rate(p, 0.3, 1)
    )
    # Scale 1 of the largest force over a whole compressed day averages its yearly volume.
    mean = sum(profiles.offered_rate(p, i / 1440, 1) for i in range(1440)) / 1440
    assert mean * 365 * 86400 == pytest.approx(demand.LARGEST_FORCE_REQUESTS_PER_YEAR, rel=0.35)


def test_users_cover_the_offered_rate() -> None:
    assert profiles.users_for(0.0) == 1
    assert profiles.users_for(1.0) == 10
    assert profiles.users_for(1.01) == 11


def test_unknown_profile_is_named() -> None:
    with pytest.raises(ValueError, match=r"Unknown load profile 'rush'.*control-room-day"):
        profiles.get_profile("rush")


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("http://10.1.2.3:8000", "loopback addresses only"),
        ("http://192.168.0.9", "loopback addresses only"),
        ("ftp://127.0.0.1", "must be a URL"),
        ("127.0.0.1:8000", "must be a URL"),
    ],
)
def test_only_loopback_targets(url: str, match: str) -> None:
    with pytest.raises(LoadTestError, match=match):
        ensure_loopback(url)


def test_loopback_targets_are_accepted() -> None:
    ensure_loopback("http://127.0.0.1:8000")
    ensure_loopback("http://localhost:1")


def _agg(p99: float, requests: int = 100, failures: int = 0) -> Endpoint:
    return Endpoint("Aggregated", requests, failures, 2.0, 5.0, p99, 10.0)


SUMMARY = {"profile": "soak", "scale": 100.0, "duration_s": 10.0, "elapsed_s": 10.0,
           "offered_actions": 50.0, "actions_completed": 50}


def test_verdict_passes_within_slo() -> None:
    v = judge(_agg(12.0), [], SUMMARY, SLO(p99_ms=50))
    assert v.passed and v.breaches == []
    assert v.offered_rate == pytest.approx(5.0) and v.achieved_rate == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("agg", "summary", "slo", "breach"),
    [
        (_agg(51.0), SUMMARY, SLO(p99_ms=50), "p99 51.0 ms > 50 ms"),
        (_agg(5.0, failures=1), SUMMARY, SLO(), "failure ratio 0.0100 > 0"),
        (_agg(5.0), {**SUMMARY, "actions_completed": 40}, SLO(), "throughput: 40 actions"),
        (_agg(0.0, requests=0), SUMMARY, SLO(), "no request completed"),
    ],
)
def test_verdict_names_each_breach(agg: Endpoint, summary: dict, slo: SLO, breach: str) -> None:
    v = judge(agg, [], summary, slo)
    assert not v.passed
    assert any(breach in b for b in v.breaches), v.breaches


def test_read_stats_parses_locust_csv(tmp_path) -> None:
    (tmp_path / "run_stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
        "POST,POST /v1/triage,90,0,3,3.5,1,20,400,9.0,0,3,4,4,5,6,8,10,12,20,20,20\n"
        ",Aggregated,100,1,3,3.6,1,25,400,10.0,0.1,3,4,4,5,6,9,11,14,25,25,25\n"
    )
    agg, eps = read_stats(tmp_path / "run")
    assert (agg.requests, agg.failures, agg.p99_ms, agg.p95_ms) == (100, 1, 14.0, 9.0)
    assert [e.name for e in eps] == ["POST /v1/triage"]


def test_the_final_counts_replace_the_csvs_which_can_lag_a_second(tmp_path) -> None:
    """Locust rewrites ``_stats.csv`` once a second and not at exit: the counts taken when its
    users had stopped (the summary's ``final_counts``) replace the CSV's, latencies stay."""
    agg = Endpoint("Aggregated", 39, 0, 3, 5, 8, 4)
    eps = [
        Endpoint("POST /v1/triage", 39, 0, 3, 5, 8, 4),
        Endpoint("GET /v1/model", 2, 0, 1, 1, 1, 1),
    ]
    final = {"Aggregated": [40, 1], "POST /v1/triage": [40, 1]}
    agg2, eps2 = with_final_counts(agg, eps, final)
    assert (agg2.requests, agg2.failures, agg2.p99_ms) == (40, 1, 8)
    assert [(e.name, e.requests, e.failures) for e in eps2] == [
        ("POST /v1/triage", 40, 1), ("GET /v1/model", 2, 0)
    ]
    # never fewer than the CSV saw
    agg3, _ = with_final_counts(agg, eps, {"Aggregated": [10, 0]})
    assert agg3.requests == 39


def test_missing_stats_is_an_error(tmp_path) -> None:
    with pytest.raises(LoadTestError, match="wrote no statistics"):
        read_stats(tmp_path / "absent")
