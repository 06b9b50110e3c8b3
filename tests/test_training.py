"""Training end to end and the ``triage train|evaluate|models`` commands (all data SYNTHETIC).

The time split, the refusal of data with rejected rows, that a failed training registers
nothing, and the CLI with its exit codes and messages. The safety gate's refusal is tested in
test_registry.py on the API and here through ``triage models promote``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from registry_support import critical_miss_vignette, register_copy
from typer.testing import CliRunner

from training import train as train_mod
from training.train import (
    MIN_ROWS,
    RejectedRowsError,
    TrainingError,
    split_by_time,
    train_and_register,
)
from triage.history.loader import ExportError, load_export
from triage.history.synth import generate, write_frame
from triage.predictor import Predictor
from triage.registry import (
    TEMP_PREFIX,
    RegistryError,
    list_versions,
    read_manifest,
    read_promotions,
    resolve_version,
)
from triage_cli.main import app

runner = CliRunner()

SMALL_ROWS = 3000
BAD_ROWS = {17: "300", 250: "-4", 2999: "old"}  # data row index -> bad age


def times(part: pl.DataFrame) -> list[datetime]:
    return list(part["received_at"].to_list())


def assert_ordered(train: pl.DataFrame, valid: pl.DataFrame, test: pl.DataFrame) -> None:
    """Every test row is later than every validation row, which is later than every train row."""
    assert max(times(train)) < min(times(valid))
    assert max(times(valid)) < min(times(test))


# -- the time split ------------------------------------------------------------------------


def test_split_by_calendar_month() -> None:
    frame = generate(2400, 3)
    split = split_by_time(frame)
    assert split.method.startswith("calendar months")
    assert_ordered(split.train, split.valid, split.test)
    assert split.train.height + split.valid.height + split.test.height == frame.height
    assert split.test.height >= 0.15 * frame.height and split.valid.height >= 0.15 * frame.height
    # Test months are whole months at the end: the first test row starts a month.
    assert max(times(split.valid)).month != min(times(split.test)).month


def test_split_falls_back_to_quantiles_for_short_exports() -> None:
    frame = generate(1500, 4, start=date(2025, 3, 1), days=20)
    split = split_by_time(frame)
    assert split.method.startswith("timestamp quantiles")
    assert_ordered(split.train, split.valid, split.test)
    assert split.train.height + split.valid.height + split.test.height == frame.height


@settings(max_examples=40, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=3 * 365 * 24 * 60), min_size=MIN_ROWS,
                     max_size=1500),
)
def test_split_never_lets_a_later_row_into_an_earlier_part(offsets: list[int]) -> None:
    """Any timestamps (ties, gaps, one day or three years): the parts are strictly ordered."""
    start = datetime(2024, 1, 1)
    frame = pl.DataFrame({"received_at": [start + timedelta(minutes=m) for m in offsets],
                          "row": list(range(len(offsets)))})
    try:
        split = split_by_time(frame)
    except TrainingError as exc:
        assert "too few distinct 'received_at' values" in str(exc)
        return
    assert_ordered(split.train, split.valid, split.test)
    rows = sorted(split.train["row"].to_list() + split.valid["row"].to_list()
                  + split.test["row"].to_list())
    assert rows == list(range(len(offsets)))  # a partition: nothing lost, nothing twice


def test_split_refuses_too_little_data() -> None:
    with pytest.raises(TrainingError, match=f"only 100 usable rows; .* at least {MIN_ROWS}"):
        split_by_time(generate(100, 2))


def test_fixture_model_was_tested_on_later_rows_than_it_trained_on(
    trained_models_dir: Path, synthetic_export: Path
) -> None:
    manifest = read_manifest(trained_models_dir, "current")
    splits = manifest["data"]["splits"]
    assert splits["train"]["to"] < splits["valid"]["from"]
    assert splits["valid"]["to"] < splits["test"]["from"]
    again = split_by_time(load_export(synthetic_export, write_rejects=False).frame)
    assert_ordered(again.train, again.valid, again.test)
    assert again.describe() == splits
    assert manifest["data"]["fingerprint_sha256"] == load_export(
        synthetic_export, write_rejects=False).fingerprint


# -- rejects and failures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def export_with_rejects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SYNTHETIC CSV export in which three rows carry an impossible age."""
    frame = generate(SMALL_ROWS, 5).with_columns(pl.col("age").cast(pl.String))
    ages = frame["age"].to_list()
    for row, value in BAD_ROWS.items():
        ages[row] = value
    frame = frame.with_columns(pl.Series("age", ages, dtype=pl.String))
    path = tmp_path_factory.mktemp("rejects") / "export.csv"
    frame.write_csv(path)
    return path


def test_training_refuses_data_with_rejected_rows(export_with_rejects: Path, tmp_path: Path
                                                  ) -> None:
    models = tmp_path / "models"
    with pytest.raises(RejectedRowsError, match=r"3 of 3,000 rows were rejected") as info:
        train_and_register(export_with_rejects, models)
    assert info.value.rejected == 3
    assert "--allow-rejects" in str(info.value) and "age" in str(info.value)
    assert list_versions(models) == []


def test_a_failed_training_registers_nothing(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "synthetic.parquet"
    write_frame(generate(SMALL_ROWS, 6), data)
    models = tmp_path / "models"

    def disk_full(*args: object, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device (simulated)")

    monkeypatch.setattr(train_mod, "write_report", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        train_and_register(data, models, candidates=("linear",))
    assert list_versions(models) == []
    assert [p.name for p in models.iterdir() if p.name.startswith(TEMP_PREFIX)] == []
    with pytest.raises(RegistryError, match="no model has been promoted"):
        resolve_version(models, "current")


@pytest.mark.parametrize(
    ("content", "error", "match"),
    [
        (b"", ExportError, "empty|no rows|no header"),
        (b"\x89PNG\r\n\x1a\n\0\0\0binary", ExportError, "binary|not CSV|cannot"),
        (b"narrative,age\nfell over,30\n", ExportError, "required column"),
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, content: bytes, error: type[Exception],
                                    match: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(error, match=match):
        train_and_register(path, tmp_path / "models")
    assert list_versions(tmp_path / "models") == []


@pytest.mark.parametrize("tolerance", [-0.01, 1.0, float("nan")])
def test_a_slice_tolerance_outside_0_to_1_is_refused_before_anything_is_read(
    tolerance: float, tmp_path: Path
) -> None:
    """The library refuses it too (not only the command line's range), naming the option."""
    refused = r"--slice-tolerance: slice_tolerance must be a fraction from 0 to 0\.5"
    with pytest.raises(TrainingError, match=refused):
        train_and_register(tmp_path / "absent.csv", tmp_path / "models",
                           slice_tolerance=tolerance)
    assert list_versions(tmp_path / "models") == []


# -- the command line ----------------------------------------------------------------------


@pytest.mark.slow
def test_cli_train_refuses_rejects_then_trains_with_allow_rejects(
    export_with_rejects: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    refused = runner.invoke(app, ["train", "--data", str(export_with_rejects),
                                  "--models-dir", str(models), "--quiet"])
    assert refused.exit_code == 2, refused.output
    assert "3 of 3,000 rows were rejected" in refused.stderr
    assert "Traceback" not in refused.output
    assert list_versions(models) == []

    ok = runner.invoke(app, ["train", "--data", str(export_with_rejects), "--models-dir",
                             str(models), "--allow-rejects", "--candidates", "linear", "--quiet",
                             "--slice-tolerance", "0.04",
                             "--slice-tolerance-for", "mental_health=0.06",
                             "--boosting-members", "3"])
    assert ok.exit_code == 0, ok.output
    version = ok.stdout.split("version: ")[1].split()[0]
    report = Path(ok.stdout.split("report: ")[1].split()[0])
    assert report.is_file() and report.parent.parent.name == version
    manifest = read_manifest(models, version)
    assert manifest["data"]["rows"]["rejected"] == 3
    assert manifest["data"]["rows"]["kept"] == SMALL_ROWS - 3
    assert manifest["data"]["rejects_allowed"] is True
    # the slice tolerance given is the one fitted with, and both places record it
    assert manifest["train_config"]["slice_tolerance"] == 0.04
    assert manifest["policy"]["slice_tolerance"] == 0.04
    assert manifest["train_config"]["slice_tolerances"] == {"mental_health": 0.06}
    assert manifest["train_config"]["boosting_members"] == 3
    assert manifest["policy"]["slice_tolerances"] == {"mental_health": 0.06}
    assert manifest["model"]["kind"] == "linear"
    assert [e.is_current for e in list_versions(models)] == [False]  # not promoted
    # By default the project's hand-written corpus joins the fit, said and recorded.
    assert manifest["corpus"]["listing"].endswith("vignettes/corpus.toml")
    assert f"corpus: {manifest['corpus']['rows']:,} hand-written vignettes" in ok.stderr


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["train", "--data", "/nonexistent/export.csv"], "export.csv"),
        (["train", "--data", "{data}", "--candidates", "forest"], "--candidates must list"),
        (["train", "--data", "{data}", "--target-under-triage", "2"], "target-under-triage"),
        (["train", "--data", "{data}", "--slice-tolerance", "0.9"],
         "Invalid value for '--slice-tolerance'"),
        (["train", "--data", "{data}", "--slice-tolerance-for", "mental_health"],
         "--slice-tolerance-for must be TYPE=FRACTION"),
        (["train", "--data", "{data}", "--slice-tolerance-for", "mental_health=lots"],
         "--slice-tolerance-for must be TYPE=FRACTION"),
        (["train", "--data", "{data}", "--slice-tolerance-for", "mental_health=0.04",
          "--slice-tolerance-for", "mental_health=0.06"], "names 'mental_health' twice"),
        (["train", "--data", "{data}", "--slice-tolerance-for", "psychiatric=0.06"],
         "slice_tolerances names 'psychiatric', which is not a slice; the slices are "),
        (["train", "--data", "{data}", "--slice-tolerance-for", "mental_health=0.8"],
         "slice_tolerances['mental_health']: slice_tolerance must be a fraction"),
        (["train", "--data", "{data}", "--boosting-members", "0"],
         "Invalid value for '--boosting-members'"),
        (["evaluate", "--model", "20991231T000000Z-abcdef", "--data", "{data}"],
         "no such model version"),
        (["evaluate", "--model", "nonsense", "--data", "{data}"], "is not a model version"),
        (["models", "promote", "20991231T000000Z-abcdef"], "no such model version"),
    ],
)
def test_cli_bad_input_exits_2_without_traceback(
    args: list[str], match: str, writable_models_dir: Path, synthetic_export: Path
) -> None:
    argv = [a.replace("{data}", str(synthetic_export)) for a in args]
    result = runner.invoke(app, [*argv, "--models-dir", str(writable_models_dir)])
    assert result.exit_code == 2, result.output
    assert match in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture(scope="module")
def other_seed_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("other") / "synthetic_seed7.parquet"
    write_frame(generate(2000, 7), path)
    return path


def test_cli_evaluate_json_is_one_object(trained_models_dir: Path, other_seed_export: Path,
                                         tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", "--model", "current", "--data",
                                 str(other_seed_export), "--json", "--models-dir",
                                 str(trained_models_dir), "--report-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    for key in ("under_triage_rate", "diversion_rate", "oracle_diversion_rate", "accuracy",
                "macro_f1", "ece", "n"):
        assert key in payload, key
    assert payload["n"] == 2000
    assert payload["model_version"] == resolve_version(trained_models_dir, "current")
    assert 0 <= payload["under_triage_rate"] <= 1 and payload["oracle_diversion_rate"] > 0
    assert Path(payload["report_path"]).is_file()


def test_cli_evaluate_table(trained_models_dir: Path, other_seed_export: Path,
                            tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", "--data", str(other_seed_export), "--models-dir",
                                 str(trained_models_dir), "--report-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "under-triage" in result.stdout and "oracle diversion" in result.stdout
    assert (tmp_path / "r" / "index.html").is_file()


def test_cli_models_list_marks_current(trained_models_dir: Path, trained_version: str) -> None:
    result = runner.invoke(app, ["models", "list", "--models-dir", str(trained_models_dir)])
    assert result.exit_code == 0, result.output
    assert trained_version in result.stdout and "* = current" in result.stdout
    as_json = runner.invoke(app, ["models", "list", "--json", "--models-dir",
                                  str(trained_models_dir)])
    rows = json.loads(as_json.stdout)
    assert [(r["version"], r["current"]) for r in rows] == [(trained_version, True)]


def test_cli_promote_gate_force_and_rollback(writable_models_dir: Path, predictor: Predictor,
                                             tmp_path: Path) -> None:
    root = writable_models_dir
    first = resolve_version(root, "current")
    second = register_copy(root)
    suite = tmp_path / "extra_vignettes.jsonl"
    suite.write_text(critical_miss_vignette(predictor).model_dump_json() + "\n")
    base = ["--models-dir", str(root), "--extra-vignettes", str(suite)]

    refused = runner.invoke(app, ["models", "promote", second, *base])
    assert refused.exit_code == 1, refused.output
    assert "CRITICAL MISS TEST-CRITICAL-1" in refused.stderr
    assert "NOT" in refused.stderr or "refuses promotion" in refused.stderr
    assert resolve_version(root, "current") == first

    no_reason = runner.invoke(app, ["models", "promote", second, "--force", *base])
    assert no_reason.exit_code == 2 and "--force needs --reason" in no_reason.stderr

    forced = runner.invoke(app, ["models", "promote", second, "--force", "--reason",
                                 "approved by the clinical safety officer (test)", *base])
    assert forced.exit_code == 0, forced.output
    assert f"promoted: {second} is now current" in forced.stdout
    assert read_promotions(root)[-1]["reason"] == "approved by the clinical safety officer (test)"

    back = runner.invoke(app, ["models", "rollback", "--models-dir", str(root)])
    assert back.exit_code == 0, back.output
    assert f"rolled back: {first} is now current" in back.stdout
    again = runner.invoke(app, ["models", "rollback", "--models-dir", str(root)])
    assert again.exit_code == 2 and "no previous version" in again.stderr


def test_cli_evaluate_warns_when_given_the_training_file(
    trained_models_dir: Path, synthetic_export: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["evaluate", "--data", str(synthetic_export), "--json",
                                 "--models-dir", str(trained_models_dir), "--report-dir",
                                 str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "is the file" in result.stderr and "overstate" in result.stderr
    assert json.loads(result.stdout)["n"] == 30_000
