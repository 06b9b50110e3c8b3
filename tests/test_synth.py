"""Data expectations for the SYNTHETIC history generator (triage.history.synth).

All data here is synthetic. The expectations come from shared/spec/requests.md: the class mix,
the busiest period (Thursday to Saturday, 18:30 to 06:30), red flags that mean deploy unless
negated, and a narrative that carries everything the label depends on.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from triage.history import demand
from triage.history.synth import (
    FIELD_MISSING,
    NARRATIVE_ONLY_SHARE,
    class_mix,
    generate,
    write_frame,
)
from triage.schema import (
    SYNTHETIC_ONLY_COLUMNS,
    LocationType,
    feature_fields,
    synthetic_schema,
)

ROWS = 60_000
SEED = 7
#: Every structured fact a request may carry: the schema's model inputs other than the text.
FACT_FIELDS = tuple(f for f in feature_fields() if f != "narrative")


@pytest.fixture(scope="module")
def df() -> pl.DataFrame:
    return generate(ROWS, SEED)


@pytest.fixture(scope="module")
def timed(df: pl.DataFrame) -> pl.DataFrame:
    """Rows with the minute of day, the weekday and the weekday of the night they belong to."""
    mins = (pl.col("received_at").dt.hour().cast(pl.Int32) * 60
            + pl.col("received_at").dt.minute().cast(pl.Int32))
    d = df.with_columns(mins.alias("mins"), pl.col("received_at").dt.weekday().alias("wd"))
    night = (pl.col("mins") >= 18 * 60 + 30) | (pl.col("mins") < 6 * 60 + 30)
    night_wd = (
        pl.when(pl.col("mins") < 6 * 60 + 30)
        .then((pl.col("received_at") - pl.duration(days=1)).dt.weekday())
        .otherwise(pl.col("wd"))
    )
    return d.with_columns(night.alias("night"), night_wd.alias("night_wd"))


def _mean(s: pl.Series) -> float:
    value: Any = s.mean()
    return float(value)


def _val(value: Any) -> Any:
    """A polars scalar as the plain value it is (polars types it as a wide union)."""
    return value


def _has(pattern: str) -> pl.Expr:
    return pl.col("narrative").str.contains(f"(?i){pattern}")


# --------------------------------------------------------------------------- shape


def test_schema_is_exactly_the_synthetic_schema(df: pl.DataFrame) -> None:
    assert df.schema == synthetic_schema()
    assert df.height == ROWS


def test_same_seed_same_frame_and_different_seed_different_frame() -> None:
    a = generate(3_000, 11)
    assert a.equals(generate(3_000, 11))
    b = generate(3_000, 12)
    assert not a.equals(b)
    assert _mean(a["narrative"] != b["narrative"]) > 0.9


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": 0, "seed": 1}, r"rows must be at least 1\. Got 0"),
        ({"rows": -5, "seed": 1}, r"rows must be at least 1\. Got -5"),
        ({"rows": 10, "seed": 1, "days": 0}, r"days must be at least 1\. Got 0"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(**kwargs)


def test_ids_forces_and_times(df: pl.DataFrame) -> None:
    assert df["request_id"].n_unique() == df.height
    assert df["request_id"].str.contains(r"^SYN-[A-Z]{3}-\d{7}$").all()
    assert _val(df["received_at"].min()) >= datetime(2025, 1, 1)
    assert _val(df["received_at"].max()) < datetime(2026, 1, 1)
    assert df["received_at"].is_sorted()
    assert df["force"].n_unique() >= 10
    # each force has one trust; the request_id carries the force
    assert (df.group_by("force").agg(pl.col("ambulance_trust").n_unique())["ambulance_trust"]
            == 1).all()
    assert df.group_by("force").agg(pl.col("request_id").str.slice(4, 3).n_unique())[
        "request_id"].max() == 1
    met = df.filter(pl.col("force") == "Metropolitan Police Service")
    assert set(met["ambulance_trust"].unique()) == {"London Ambulance Service"}
    assert met.height / df.height > 0.2  # the MPS is the largest source


def test_start_and_days_bound_the_period() -> None:
    d = generate(2_000, 3, start=date(2024, 6, 1), days=10)
    assert _val(d["received_at"].min()) >= datetime(2024, 6, 1)
    assert _val(d["received_at"].max()) < datetime(2024, 6, 11)


# --------------------------------------------------------------------------- class mix


def test_class_mix_matches_the_calibration(df: pl.DataFrame) -> None:
    mix = class_mix(df)
    assert abs(mix["deploy"] - 0.45) < 0.03, mix
    assert abs(mix["hear_and_treat"] - 0.33) < 0.03, mix
    assert abs(mix["clinical_advice"] - 0.22) < 0.03, mix
    # published: the majority of police requests are minor; most need no ambulance
    assert mix["deploy"] < 0.5


def test_class_mix_varies_by_force(df: pl.DataFrame) -> None:
    by_force = df.group_by("force").agg(
        pl.len().alias("n"),
        (pl.col("disposition") == "deploy").mean().alias("deploy"),
        (pl.col("disposition") == "hear_and_treat").mean().alias("ht"),
    )
    assert _val(by_force["deploy"].max()) - _val(by_force["deploy"].min()) > 0.03
    assert by_force["deploy"].is_between(0.35, 0.56).all()
    ht = dict(zip(by_force["force"], by_force["ht"], strict=True))
    # Merseyside's hear-and-treat desk (42% published) leans to hear_and_treat
    assert ht["Merseyside Police"] > class_mix(df)["hear_and_treat"] + 0.02


# --------------------------------------------------------------------------- missingness


def test_missing_rates_per_field_and_narrative_only_share(df: pl.DataFrame) -> None:
    for f in FACT_FIELDS:
        rate = df[f].null_count() / df.height
        assert 0.30 <= rate <= 0.60, (f, rate)
    narrative_only = df.select(pl.all_horizontal([pl.col(f).is_null() for f in FACT_FIELDS])
                               .mean()).item()
    assert abs(narrative_only - NARRATIVE_ONLY_SHARE) < 0.02
    assert set(FIELD_MISSING) == set(FACT_FIELDS)
    assert df["narrative"].null_count() == 0


def test_every_location_type_occurs(df: pl.DataFrame) -> None:
    """The generator has wording for every location the schema allows (none left out)."""
    assert set(df["location_type"].drop_nulls().cast(pl.String).unique()) == {
        loc.value for loc in LocationType
    }


# --------------------------------------------------------------------------- time


def test_demand_curve_averages_one_and_peaks_on_weekend_nights() -> None:
    minutes = np.arange(7 * 24 * 60)
    week = demand.relative_intensity(minutes // 1440, minutes % 1440)
    assert float(week.mean()) == pytest.approx(1.0)
    friday_2300 = demand.intensity_at(datetime(2025, 3, 14, 23, 0))
    tuesday_2300 = demand.intensity_at(datetime(2025, 3, 11, 23, 0))
    assert friday_2300 == pytest.approx(tuesday_2300 * demand.WEEKEND_NIGHT_UPLIFT)
    assert demand.peak_intensity() == pytest.approx(float(week.max()))


@pytest.mark.parametrize(
    ("ts", "nye"),
    [
        (datetime(2025, 12, 31, 18, 29), False),
        (datetime(2025, 12, 31, 18, 30), True),
        (datetime(2026, 1, 1, 6, 29), True),
        (datetime(2026, 1, 1, 6, 30), False),
        (datetime(2025, 12, 30, 23, 0), False),
    ],
)
def test_new_years_eve_night_bounds(ts: datetime, nye: bool) -> None:
    assert demand.is_new_years_eve_night(ts) is nye
    ordinary = ts.replace(year=2024, month=12, day=10 if ts.month == 12 else 11)
    ratio = demand.intensity_at(ts) / demand.intensity_at(ordinary)
    # 31 Dec 2025 is a Wednesday and 10 Dec 2024 a Tuesday: both ordinary days and nights.
    assert ratio == pytest.approx(demand.NEW_YEARS_EVE_FACTOR if nye else 1.0)


def test_busiest_thursday_to_saturday_nights(timed: pl.DataFrame) -> None:
    weeks = 52
    busy = timed.filter(pl.col("night") & pl.col("night_wd").is_in([4, 5, 6])).height
    busy_per_hour = busy / (3 * weeks * 12)
    day = timed.filter(~pl.col("night") & pl.col("wd").is_in([1, 2, 3])
                       & pl.col("mins").is_between(8 * 60, 18 * 60, closed="left")).height
    day_per_hour = day / (3 * weeks * 10)
    assert busy_per_hour > 1.8 * day_per_hour
    # and the Thursday-to-Saturday nights beat the other nights
    other = timed.filter(pl.col("night") & pl.col("night_wd").is_in([1, 2, 3, 7])).height
    assert busy / 3 > 1.4 * other / 4


def test_new_years_eve_night_is_two_to_four_times_a_normal_night(timed: pl.DataFrame) -> None:
    month = pl.col("received_at").dt.month()
    dom = pl.col("received_at").dt.day()
    nye = ((month == 12) & (dom == 31) & (pl.col("mins") >= 18 * 60 + 30)) | (
        (month == 1) & (dom == 1) & (pl.col("mins") < 6 * 60 + 30))
    nye_rows = timed.filter(nye).height  # the two halves: 1 Jan 2025 early, 31 Dec 2025 late
    nights = timed.filter(pl.col("night") & ~nye).height / 364
    assert 2.0 <= nye_rows / nights <= 4.0, (nye_rows, nights)


def test_incident_mix_moves_with_time(timed: pl.DataFrame) -> None:
    known = timed.filter(pl.col("incident_type").is_not_null())
    busy = known.filter(pl.col("night") & pl.col("night_wd").is_in([4, 5, 6]))
    day = known.filter(~pl.col("night") & pl.col("wd").is_in([1, 2, 3, 4, 5]))
    drink_fight = pl.col("incident_type").is_in(["intoxication", "assault"]).mean()
    falls_welfare = pl.col("incident_type").is_in(["fall", "concern_for_welfare"]).mean()
    assert busy.select(drink_fight).item() > 2 * day.select(drink_fight).item()
    assert day.select(falls_welfare).item() > 1.5 * busy.select(falls_welfare).item()


# --------------------------------------------------------------------------- probabilities


def test_probabilities_sum_to_one(df: pl.DataFrame) -> None:
    p = df.select(SYNTHETIC_ONLY_COLUMNS).to_numpy()
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-9)
    assert (p > 0).all() and (p < 1).all()


@pytest.mark.parametrize("cls", ["hear_and_treat", "clinical_advice", "deploy"])
def test_labels_follow_the_probabilities_in_every_bin(df: pl.DataFrame, cls: str) -> None:
    binned = df.with_columns(
        (pl.col(f"p_{cls}") * 10).floor().clip(0, 9).alias("bin"),
        (pl.col("disposition") == cls).alias("hit"),
    ).group_by("bin").agg(pl.len().alias("n"), pl.col(f"p_{cls}").mean().alias("p"),
                          pl.col("hit").mean().alias("freq"))
    checked = 0
    for row in binned.iter_rows(named=True):
        if row["n"] < 300:
            continue
        se = (row["p"] * (1 - row["p"]) / row["n"]) ** 0.5
        assert abs(row["freq"] - row["p"]) < 4 * se + 0.005, row
        checked += 1
    assert checked >= 4


def test_probabilities_depend_only_on_what_a_request_shows(df: pl.DataFrame) -> None:
    """The oracle property: two rows with the same narrative and the same facts have the same
    probabilities (nothing hidden moves them), so a model reading the request can approach p."""
    same = df.group_by(["narrative", *FACT_FIELDS]).agg(
        pl.len().alias("n"),
        *[(pl.col(c).max() - pl.col(c).min()).alias(c) for c in SYNTHETIC_ONLY_COLUMNS],
    ).filter(pl.col("n") > 1)
    assert same.height > 50  # short narratives repeat, so the check has material
    for c in SYNTHETIC_ONLY_COLUMNS:
        assert _val(same[c].max()) < 1e-12, c


def test_a_modest_share_of_ambiguous_cases(df: pl.DataFrame) -> None:
    share = _mean(df["p_deploy"].is_between(0.2, 0.6))
    assert 0.08 <= share <= 0.30


def test_label_noise_is_a_few_percent(df: pl.DataFrame) -> None:
    sure = df.filter(pl.col("p_deploy") > 0.9)
    disagree = _mean(sure["disposition"] != "deploy")
    assert 0.003 < disagree < 0.05


# --------------------------------------------------------------------------- red flags

RED_FLAG_WORDINGS = {
    "not breathing": r"\bnot breathing\b",
    "NB": r"(?-i:\bNB\b)",
    "unresponsive": r"\bunresponsive\b",
    "GCS 3-8": r"\bGCS [3-8]\b",
    "stabbed": r"\bstabbed\b",
    "FAST positive": r"\bFAST (positive|\+ve)",
    "worst headache": r"worst (ever )?headache",
    "non-blanching rash": r"non[- ]blanching",
    "fitting for N mins": r"fitting for \d+ mins",
    # "no head injury, on warfarin" is not one: the head injury must not be negated
    "head injury on anticoagulant": r"(^|[,.;] |- )(hit head|head injury|lac to head|HI), (on "
                                    r"warfarin|takes apixaban|on rivaroxaban|on anticoags)",
    "knocked out": r"knocked out (briefly|for)",
    "trapped": r"\btrapped\b( [^w]|[^ ]|$)",  # not "trapped wind", a distractor
    "cardiac chest pain": r"radiating to left arm|crushing CP",
    "anaphylaxis": r"tongue swelling after|anaphylaxis",
    "large overdose": r"\btaken \d{2,3} paracetamol",
    "strangled and passed out": r"strangled.*passed out",
    "hypo and confused": r"BM \d\.\d, confused",
    "still warm": r"still warm",
    "airway burns": r"singed nasal hair",
    "labour complication": r"cord visible|bleeding heavily",
}


@pytest.mark.parametrize("name", list(RED_FLAG_WORDINGS))
def test_red_flag_wordings_are_present_and_mean_deploy(df: pl.DataFrame, name: str) -> None:
    rows = df.filter(_has(RED_FLAG_WORDINGS[name]))
    assert rows.height >= 15, f"{name}: only {rows.height} rows"
    assert _mean(rows["p_deploy"]) >= 0.95, name


def test_red_flag_rows_are_labelled_deploy(df: pl.DataFrame) -> None:
    any_flag = pl.any_horizontal([_has(p) for p in RED_FLAG_WORDINGS.values()])
    rows = df.filter(any_flag)
    assert rows.height > 0.05 * df.height
    assert _mean(rows["disposition"] == "deploy") >= 0.95


@pytest.mark.parametrize(
    "negation",
    ["no LOC", "breathing normally", "denies chest pain", "not on blood thinners",
     "no head injury", "FAST negative", "blanches under glass", "no lip or tongue swelling"],
)
def test_negated_red_flags_are_not_red_flags(df: pl.DataFrame, negation: str) -> None:
    rows = df.filter(_has(re.escape(negation))
                     & ~pl.any_horizontal([_has(p) for p in RED_FLAG_WORDINGS.values()]))
    assert rows.height >= 20, negation
    assert _mean(rows["p_deploy"]) < 0.5, negation


def test_drowsy_after_drink_means_more_in_custody_than_in_a_pub(df: pl.DataFrame) -> None:
    drowsy = df.filter(_has(r"drowsy after drink|very sleepy but wakes|drowsy, been drinking|"
                            r"drunk and drowsy"))
    custody = drowsy.filter(pl.col("location_type") == "custody_suite")
    pub = drowsy.filter(pl.col("location_type") == "licensed_premises")
    assert custody.height > 50 and pub.height > 50
    gap = _mean(custody["p_deploy"]) - _mean(pub["p_deploy"])
    assert gap > 0.3


def test_after_a_fall_age_and_anticoagulants_raise_risk(df: pl.DataFrame) -> None:
    hit_head = df.filter(_has(r"hit head, no LOC$|hit head, no LOC[,.;-]")
                         & ~_has("blood thinners|anticoag") & pl.col("age").is_not_null())
    old = _mean(hit_head.filter(pl.col("age") >= 80)["p_deploy"])
    young = _mean(hit_head.filter(pl.col("age") < 70)["p_deploy"])
    assert old > young + 0.1
    on_thinners_hit = _mean(df.filter(_has(r"hit head, on warfarin"))["p_deploy"])
    on_thinners_no_hit = _mean(df.filter(_has(r"no head injury, on warfarin"))["p_deploy"])
    assert on_thinners_hit > 0.95
    assert on_thinners_no_hit < 0.6


def test_officer_on_scene_moves_advice_from_phone_to_officer(df: pl.DataFrame) -> None:
    drunk = df.filter(_has(r"steady on feet|walking and talking"))
    with_officer = drunk.filter(pl.col("officer_on_scene"))
    without = drunk.filter(pl.col("officer_on_scene").not_())
    assert (_mean(with_officer["p_clinical_advice"])
            > _mean(without["p_clinical_advice"]) + 0.3)


# --------------------------------------------------------------------------- narratives

ABBREVIATIONS = ("IP", "MOP", "c/b", "ETOH", "s136", "NFA", "GCS", "LOC", "RTC", "PIC", "DOB",
                 "y/o", "CP", "SOB", "NB", "OD", "DSH", "MH")


def test_narratives_use_control_room_language(df: pl.DataFrame) -> None:
    text = df["narrative"]
    for abbr in ABBREVIATIONS:
        word = f"(?-i)(^|[^A-Za-z]){re.escape(abbr)}([^A-Za-z]|$)"
        assert text.str.contains(word).sum() > 10, abbr
    lengths = text.str.len_chars()
    assert _val(lengths.min()) < 25 and _val(lengths.max()) > 250
    assert _val(lengths.max()) <= 4000
    assert (text == text.str.strip_chars()).all()
    # typos: common misspellings appear, but not everywhere
    typo = _mean(text.str.contains(r"(?i)concious|unconcious|paracetomol|vommit|breathng"))
    assert 0.001 < typo < 0.05
    assert text.n_unique() > 0.5 * df.height


def test_structured_facts_agree_with_the_narrative(df: pl.DataFrame) -> None:
    unconscious = df.filter(pl.col("conscious") == "no")
    assert not unconscious["narrative"].str.contains(r"(?i)\bc/b\b|GCS 15|talking").any()
    not_breathing = df.filter(pl.col("breathing") == "not_breathing")
    assert not not_breathing["narrative"].str.contains(r"(?i)breathing (normally|fine|ok)").any()
    no_officer = df.filter(pl.col("officer_on_scene").not_())
    # ("no officers on scene" is allowed: it says the same as the field)
    on_scene = r"(?i)(^|[,.;] |- )(officers|police) on scene"
    assert not no_officer["narrative"].str.contains(on_scene).any()
    assert df.filter(pl.col("officer_on_scene"))["narrative"].str.contains(on_scene).sum() > 100
    custody = df.filter(pl.col("location_type") == "custody_suite")
    assert custody["officer_on_scene"].drop_nulls().all()
    # the age written in the narrative is the structured age
    stated = df.filter(pl.col("age").is_not_null()).with_columns(
        pl.col("narrative").str.extract(r"(?i)^(?:\w+ )?(?:male|female) (\d{1,3})\b", 1)
        .cast(pl.Int16, strict=False).alias("said"))
    stated = stated.filter(pl.col("said").is_not_null())
    assert stated.height > 500
    assert (stated["said"] == stated["age"]).all()


# --------------------------------------------------------------------------- writing


def test_csv_round_trip(tmp_path: Path) -> None:
    d = generate(2_000, 5)
    path = tmp_path / "history.csv"
    write_frame(d, path)
    back = pl.read_csv(path, schema=synthetic_schema())
    assert back.equals(d)
    text = path.read_text()
    first = text.splitlines()[1]
    assert re.search(r",2025-\d\d-\d\dT\d\d:\d\d:\d\d,SYN-", first)
    assert ",true," in text and ",false," in text
    assert ",," in text  # blanks for missing


def test_same_seed_writes_the_identical_file(tmp_path: Path) -> None:
    for i in (1, 2):
        write_frame(generate(1_500, 21), tmp_path / f"h{i}.csv")
    assert (tmp_path / "h1.csv").read_bytes() == (tmp_path / "h2.csv").read_bytes()
    # written whole and renamed into place: no temporary file is left beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h1.csv", "h2.csv"]


def test_parquet_round_trip(tmp_path: Path) -> None:
    d = generate(2_000, 5)
    path = tmp_path / "sub" / "history.parquet"
    write_frame(d, path)
    assert pl.read_parquet(path).equals(d)


@pytest.mark.parametrize("name", ["history.json", "history.txt", "history", "history.csv.gz"])
def test_write_frame_refuses_other_endings(tmp_path: Path, name: str) -> None:
    d = generate(10, 5)
    with pytest.raises(ValueError, match=r"unsupported file ending .*Use one of \.csv, \.parquet"):
        write_frame(d, tmp_path / name)
    assert not (tmp_path / name).exists()


# --------------------------------------------------------------------------- command


def _app() -> typer.Typer:
    from triage.history.synth_command import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Make ``synth`` a sub-command, as under ``triage``."""

    return app


def test_synth_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "s.parquet"
    result = CliRunner().invoke(_app(), ["synth", "--rows", "500", "--seed", "3", "--out",
                                         str(out)])
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out).equals(generate(500, 3))
    assert "500" in result.output and "deploy" in result.output and "SYNTHETIC" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "0", "--seed", "1"], "--rows must be at least 1. Got 0."),
        (["--rows", "10", "--seed", "1", "--days", "0"], "--days must be at least 1"),
        (["--rows", "10", "--seed", "1", "--start", "2025-13-01"], "--start must be a date"),
    ],
)
def test_synth_command_refuses_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(_app(), ["synth", *args, "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()


def test_synth_command_refuses_bad_ending(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["synth", "--rows", "10", "--seed", "1", "--out",
                                         str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert ".csv or .parquet" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_history_speaks_everyday_regional_and_slang_wording(df: pl.DataFrame) -> None:
    """Issue 10: the generator's language is much richer than its templates. Each of these
    paraphrases of a template word occurs, and none dominates its template word."""
    text = df["narrative"]
    for word in ("throwing up", "spewing", "hammered", "keeled over", "bairn", "reckons",
                 "not with it"):
        assert text.str.contains(f"(?i){re.escape(word)}").sum() >= 5, word
    vomiting = _mean(text.str.contains(r"(?i)\bvomiting\b"))
    being_sick = _mean(text.str.contains(r"(?i)being sick|throwing up|spewing|puking"))
    assert 0 < being_sick < 2 * vomiting


def test_a_few_red_flag_rows_carry_stale_reassuring_facts(df: pl.DataFrame) -> None:
    """Structured facts can contradict the narrative (a tick-box from the first call); the
    label follows the narrative."""
    unresponsive = df.filter(_has(r"\bunresponsive\b|\bunrousable\b|not rousable")
                             & (pl.col("p_deploy") > 0.95))
    stale = unresponsive.filter(pl.col("conscious") == "yes")
    assert 0 < stale.height < 0.15 * unresponsive.height
    assert _mean(stale["p_deploy"]) > 0.95
