"""The validated export loader and ``triage validate`` (all data here is synthetic).

Each bad input must be named precisely (file, line, column, value), nothing may be silently
dropped, and a good export in any of the accepted spellings must come through whole with the
right values.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from triage.history import loader_command
from triage.history.loader import ExportError, LoadResult, RowError, load_export
from triage.history.loader_read import LINE, NFIELDS, ROW, read_csv_text
from triage.schema import (
    SYNTHETIC_ONLY_COLUMNS,
    ExportRow,
    enum_fields,
    export_fields,
    polars_schema,
    required_export_fields,
)

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
HEADER: list[str] = list(export_fields())
FIRST_TWO = ("request_id", "received_at")


def good_row(i: int = 1, **overrides: Any) -> dict[str, str]:
    """One valid synthetic export row as text."""
    row = {
        "narrative": f"Synthetic: male 40s fell outside, c/b, talking, small cut {i}",
        "incident_type": "fall",
        "age": "45",
        "sex": "male",
        "conscious": "yes",
        "breathing": "normal",
        "bleeding": "minor",
        "officer_on_scene": "true",
        "location_type": "street",
        "received_at": f"2025-03-01T10:{i % 60:02d}:00",
        "request_id": f"SYN-{i:05d}",
        "force": "Merseyside",
        "ambulance_trust": "NWAS",
        "disposition": "hear_and_treat",
    }
    row.update(overrides)
    return row


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    sep: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    cols = header if header is not None else HEADER
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline)
    writer.writerow(cols)
    for r in rows:
        writer.writerow([r.get(c, "") for c in cols])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def load(path: Path, **kw: Any) -> LoadResult:
    kw.setdefault("write_rejects", False)
    return load_export(path, **kw)


def only_error(result: LoadResult) -> RowError:
    assert len(result.rejects) == 1, result.rejects
    return result.rejects[0]


# ---------------------------------------------------------------------------------------------
# files that cannot be used at all
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("drop", "match"),
    [
        (["disposition"], r"required column 'disposition' is missing"),
        (["request_id", "narrative"], r"required columns 'narrative', 'request_id' are missing"),
        (["received_at"], r"required column 'received_at' is missing"),
    ],
)
def test_missing_required_column_is_export_error(
    tmp_path: Path, drop: list[str], match: str
) -> None:
    header = [c for c in HEADER if c not in drop]
    path = write_csv(tmp_path / "export.csv", [good_row()], header=header)
    with pytest.raises(ExportError, match=match) as err:
        load(path)
    assert str(path) in str(err.value)


def test_misspelt_required_column_is_suggested(tmp_path: Path) -> None:
    header = [c if c != "disposition" else "Dispostion" for c in HEADER]
    rows = [dict(zip(header, good_row(1).values(), strict=True))]
    path = write_csv(tmp_path / "export.csv", rows, header=header)
    with pytest.raises(ExportError, match=r"A misspelling: 'dispostion' for 'disposition'\?"):
        load(path)


def test_bom_read_as_cp1252_is_still_a_bom(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv", [good_row(1, narrative="Synthetic: owed £5")], encoding="cp1252"
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = load(path)
    assert result.encoding == "cp1252" and result.rejects == []
    assert result.frame["narrative"].to_list() == ["Synthetic: owed £5"]


def test_required_columns_come_from_the_schema(tmp_path: Path) -> None:
    # The contract (docs/REQUESTS.md): an export row must carry these four.
    required = {"narrative", "received_at", "request_id", "disposition"}
    assert set(required_export_fields()) == required
    for name in required_export_fields():
        header = [c for c in HEADER if c != name]
        path = write_csv(tmp_path / f"no_{name}.csv", [good_row()], header=header)
        message = rf"no_{name}\.csv: required column '{name}' is missing\. Found columns: "
        with pytest.raises(ExportError, match=message):
            load(path)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", r"is empty \(0 bytes\)"),
        (",".join(HEADER).encode() + b"\n", r"has a header but no data rows"),
        (",".join(HEADER).encode() + b"\r\n\r\n\n", r"has a header but no data rows"),
        ((FIXTURES / "garbage.bin").read_bytes(), r"binary|neither UTF-8 nor Windows-1252"),
        (b"PK\x03\x04" + b"\x00" * 200, r"ZIP archive \(an Excel \.xlsx workbook\?\)"),
        (b"narrative\x00,age\n\x00\x01\x02", r"binary, not CSV text"),
        (b"\n\nrequest_id,narrative\n", r"no header row"),
        ("narrative,age\n".encode("utf-16"), r"UTF-16 text"),
        (b"request_id,narrative\rSYN-1,x\r", r"bare CR \(old Mac style\)"),
    ],
    ids=[
        "empty",
        "header-only",
        "header-and-blank-lines",
        "garbage",
        "xlsx",
        "nul-bytes",
        "blank-header",
        "utf-16",
        "cr-line-ends",
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(ExportError, match=match):
        load(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"nope\.csv: does not exist"):
        load(tmp_path / "nope.csv")
    with pytest.raises(ExportError, match=r"is a directory"):
        load(tmp_path)


def test_corrupt_parquet(tmp_path: Path) -> None:
    path = tmp_path / "export.parquet"
    path.write_bytes(b"PAR1" + b"not really parquet" * 10)
    with pytest.raises(ExportError, match=r"not a readable Parquet file"):
        load(path)


def test_duplicate_column_in_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row()], header=[*HEADER, " AGE "])
    with pytest.raises(ExportError, match=r"the column 'age' appears twice"):
        load(path)


# ---------------------------------------------------------------------------------------------
# rows that are rejected, each named exactly
# ---------------------------------------------------------------------------------------------
def test_age_300_message_in_sklearn_style(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1), good_row(2, age="300"), good_row(3)])
    result = load(path)
    err = only_error(result)
    assert err == RowError(
        line=3,
        row=2,
        request_id="SYN-00002",
        column="age",
        value="300",
        reason="The 'age' column must be an integer 0..120. Got '300' on line 3.",
    )
    assert (result.rows_read, result.kept, result.rejected) == (3, 2, 1)
    assert result.frame["request_id"].to_list() == ["SYN-00001", "SYN-00003"]


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("age", "-1", r"The 'age' column must be an integer 0\.\.120\. Got '-1' on line 2\."),
        ("age", "45.5", r"The 'age' column must be an integer 0\.\.120\. Got '45\.5'"),
        ("age", "forty", r"Got 'forty' on line 2"),
        ("sex", "F", r"The 'sex' column must be one of female, male, unknown .* Got 'F'"),
        ("incident_type", "fight", r"'incident_type' column must be one of concern_for_welfare"),
        ("breathing", "gasping", r"not_breathing, unknown .*Got 'gasping'"),
        (
            "disposition",
            "ambulance",
            r"'disposition' column \(the label\) must be one of "
            r"hear_and_treat, clinical_advice, deploy .*Got 'ambulance' on line 2",
        ),
        ("disposition", "", r"The 'disposition' column is required .* empty value on line 2"),
        ("officer_on_scene", "maybe", r"true/false, yes/no, y/n or 1/0 .*Got 'maybe'"),
        (
            "received_at",
            "31/02/2025",
            r"'received_at' column must be an ISO-8601 timestamp .*"
            r"Got '31/02/2025' on line 2, which is not a real date or time\.",
        ),
        (
            "received_at",
            "2025-02-30T10:00:00",
            r"Got '2025-02-30T10:00:00' on line 2, which is "
            r"not a real date",
        ),
        ("received_at", "25/12/2025 25:61", r"not a real date or time"),
        ("received_at", "yesterday", r"Got 'yesterday' on line 2\.$"),
        ("received_at", "", r"'received_at' column is required"),
        ("narrative", "   ", r"The 'narrative' column is required and must not be blank"),
        (
            "narrative",
            "x" * 4001,
            r"'narrative' column must be 1\.\.4000 characters after "
            r"stripping spaces\. Got 4001 characters on line 2\.",
        ),
        ("request_id", "", r"The 'request_id' column is required"),
        ("request_id", "R" * 65, r"'request_id' column must be 1\.\.64 characters"),
        ("force", "F" * 101, r"'force' column must be 0\.\.100 characters"),
    ],
)
def test_bad_value_rejected_naming_column_value_and_line(
    tmp_path: Path, column: str, value: str, match: str
) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1, **{column: value}), good_row(2)])
    result = load(path)
    err = only_error(result)
    assert err.column == column
    assert err.line == 2 and err.row == 1
    assert err.value == value
    assert re.search(match, err.reason), err.reason
    assert result.kept == 1


def test_several_bad_values_in_one_row_are_all_reported_and_row_counted_once(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1, age="300", sex="F", disposition="x")])
    result = load(path)
    assert [e.column for e in result.rejects] == ["age", "sex", "disposition"]
    assert result.rejected == 1 and result.kept == 0


def test_duplicate_ids_every_later_occurrence_names_the_first(tmp_path: Path) -> None:
    rows = [
        good_row(1),
        good_row(2),
        good_row(3, request_id="SYN-00001"),
        good_row(4),
        good_row(5, request_id=" SYN-00001 "),
    ]
    result = load(write_csv(tmp_path / "e.csv", rows))
    assert result.duplicate_ids == 2
    assert [(e.line, e.column) for e in result.rejects] == [(4, "request_id"), (6, "request_id")]
    for e in result.rejects:
        assert e.request_id == "SYN-00001"
        assert e.reason.startswith("The 'request_id' column must be unique. Got 'SYN-00001'")
        assert e.reason.endswith("already used on line 2.")
    assert result.frame["request_id"].to_list() == ["SYN-00001", "SYN-00002", "SYN-00004"]


def test_truncated_last_line_is_rejected_with_its_line_number(tmp_path: Path) -> None:
    header = ["request_id", "received_at", *(c for c in HEADER if c not in FIRST_TWO)]
    path = write_csv(tmp_path / "e.csv", [good_row(1), good_row(2)], header=header)
    path.write_bytes(path.read_bytes() + b"SYN-00003,2025-03-01T10:40:00,RTC driver tra")
    result = load(path)
    assert result.rows_read == 3 and result.kept == 2
    err = only_error(result)
    assert (err.line, err.row, err.request_id) == (4, 3, "SYN-00003")
    assert err.column == header[3]
    assert err.reason.startswith("Line 4 has 3 fields but the header has 14")
    assert "truncated" in err.reason


def test_truncated_inside_an_open_quote_is_rejected_not_dropped(tmp_path: Path) -> None:
    header = ["request_id", "received_at", *(c for c in HEADER if c not in FIRST_TWO)]
    path = write_csv(tmp_path / "e.csv", [good_row(1)], header=header)
    path.write_bytes(path.read_bytes() + b'SYN-00002,2025-03-01T10:40:00,"RTC driver tra')
    result = load(path)
    assert result.rows_read == 2 and result.kept == 1
    err = only_error(result)
    assert (err.line, err.request_id) == (3, "SYN-00002")
    assert "has 3 fields but the header has 14" in err.reason


def test_long_row_keeps_its_original_text_in_the_rejects_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1), good_row(2), good_row(3)])
    lines = path.read_text().splitlines()
    long_line = lines[2] + ",surplus,fields"
    path.write_text("\n".join([lines[0], lines[1], long_line, "", lines[3]]) + "\n")
    result = load_export(path)
    assert [(e.line, e.column) for e in result.rejects] == [(3, "(row)")]
    rej = pl.read_csv(tmp_path / "e.rejects.csv", infer_schema=False)
    assert rej["original"].to_list() == [long_line]
    assert rej["line"].to_list() == ["3"]


def test_row_with_too_many_fields_is_rejected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1)])
    text = (
        path.read_text()
        + ",".join(good_row(2).values()).replace("fell outside", "fell, outside")
        + "\n"
    )
    path.write_text(text)
    result = load(path)
    err = only_error(result)
    assert err.line == 3 and err.column == "(row)"
    assert "more fields than the 14 in the header" in err.reason


def test_fixture_with_every_kind_of_bad_row(tmp_path: Path) -> None:
    result = load_export(FIXTURES / "bad_rows.csv", rejects_path=tmp_path / "r.csv")
    assert result.rows_read == 7 and result.kept == 2 and result.duplicate_ids == 1
    got = [(e.line, e.column) for e in result.rejects]
    assert got == [
        (3, "age"),
        (4, "received_at"),
        (5, "disposition"),
        (6, "request_id"),
        (8, "incident_type"),
    ]
    assert result.frame["request_id"].to_list() == ["SYN-0101", "SYN-0106"]


# ---------------------------------------------------------------------------------------------
# accepted spellings and parsed values
# ---------------------------------------------------------------------------------------------
def test_cp1252_semicolon_uk_dates_yn_flags_accepted_whole() -> None:
    path = FIXTURES / "good_cp1252_semicolon.csv"
    before = path.read_bytes()
    result = load(path)
    assert (result.encoding, result.separator, result.format) == ("cp1252", ";", "csv")
    assert result.rejects == [] and result.kept == result.rows_read == 3
    assert result.fingerprint == hashlib.sha256(before).hexdigest()
    assert path.read_bytes() == before
    f = result.frame
    assert f.schema == polars_schema(ExportRow)
    assert f["narrative"].to_list() == [
        "Male 40s, c/b, fell in café; small cut to head, no LOC",
        "Female found unresponsive, owed £20, not breathing",
        "Concern for welfare, elderly male confused",
    ]
    assert f["received_at"].to_list() == [
        datetime(2025, 2, 3, 14, 5),
        datetime(2025, 2, 28, 23, 59, 30),
        datetime(2025, 3, 1),
    ]
    assert f["officer_on_scene"].to_list() == [True, False, None]
    assert f["incident_type"].cast(pl.String).to_list() == [
        "fall",
        "collapse",
        "concern_for_welfare",
    ]
    assert f["age"].to_list() == [45, None, 87]
    assert f["breathing"].cast(pl.String).to_list() == ["normal", "not_breathing", None]
    assert f["location_type"].cast(pl.String).to_list() == [
        "licensed_premises",
        "private_dwelling",
        None,
    ]
    assert f["disposition"].cast(pl.String).to_list() == [
        "hear_and_treat",
        "deploy",
        "clinical_advice",
    ]
    assert f["force"].to_list() == ["Merseyside", None, "Cumbria"]


@pytest.mark.parametrize(
    ("column", "typed", "expected"),
    [
        ("disposition", "Hear and Treat", "hear_and_treat"),
        ("disposition", " DEPLOY ", "deploy"),
        ("disposition", "clinical-advice", "clinical_advice"),
        ("incident_type", "Road Traffic Collision", "road_traffic_collision"),
        ("incident_type", "S136 Detention", "s136_detention"),
        ("breathing", "NOT  BREATHING", "not_breathing"),
        ("sex", "Female", "female"),
    ],
)
def test_enum_spellings(tmp_path: Path, column: str, typed: str, expected: str) -> None:
    result = load(write_csv(tmp_path / "e.csv", [good_row(1, **{column: typed})]))
    assert result.rejects == []
    assert result.frame[column].cast(pl.String).to_list() == [expected]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("Yes", True),
        ("no", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("", None),
        ("  ", None),
    ],
)
def test_booleans_and_blank_means_unknown(
    tmp_path: Path, typed: str, expected: bool | None
) -> None:
    result = load(write_csv(tmp_path / "e.csv", [good_row(1, officer_on_scene=typed)]))
    assert result.rejects == []
    assert result.frame["officer_on_scene"].to_list() == [expected]


def test_blank_optional_fields_are_null_never_no(tmp_path: Path) -> None:
    blanks = {c: "" for c in HEADER if c not in required_export_fields()}
    result = load(write_csv(tmp_path / "e.csv", [good_row(1, **blanks)]))
    assert result.rejects == []
    row = result.frame.row(0, named=True)
    for c in blanks:
        assert row[c] is None, c


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-03-01T10:05:00", datetime(2025, 3, 1, 10, 5)),
        ("2025-03-01 10:05:00.250", datetime(2025, 3, 1, 10, 5, 0, 250000)),
        ("2025-03-01T10:05", datetime(2025, 3, 1, 10, 5)),
        ("2025-03-01", datetime(2025, 3, 1)),
        ("2025-03-01T10:05:00Z", datetime(2025, 3, 1, 10, 5)),
        ("2025-07-01T10:05:00+01:00", datetime(2025, 7, 1, 9, 5)),
        ("01/03/2025 10:05", datetime(2025, 3, 1, 10, 5)),
        ("1/3/2025 10:05:07", datetime(2025, 3, 1, 10, 5, 7)),
        ("13/01/2025", datetime(2025, 1, 13)),
        ("29/02/2024", datetime(2024, 2, 29)),
    ],
)
def test_timestamps(tmp_path: Path, typed: str, expected: datetime) -> None:
    result = load(write_csv(tmp_path / "e.csv", [good_row(1, received_at=typed)]))
    assert result.rejects == []
    assert result.frame["received_at"].to_list() == [expected]


def test_header_names_case_and_spaces_ignored_unknown_columns_listed(tmp_path: Path) -> None:
    header = [f"  {c.upper()} " if i % 2 else c.title() for i, c in enumerate(HEADER)]
    header += ["Officer Notes", "shoulder_number"]
    rows = [dict(zip(header, [*good_row(1).values(), "note", "1234"], strict=True))]
    result = load(write_csv(tmp_path / "e.csv", rows, header=header))
    assert result.rejects == [] and result.kept == 1
    assert result.unknown_columns == ("Officer Notes", "shoulder_number")
    assert result.frame.columns == list(polars_schema(ExportRow).names())


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    header = list(required_export_fields())
    result = load(write_csv(tmp_path / "e.csv", [good_row(1)], header=header))
    assert result.rejects == [] and result.frame.schema == polars_schema(ExportRow)
    assert result.frame["age"].to_list() == [None]


def test_quoted_separators_newlines_bom_and_crlf_keep_line_numbers(tmp_path: Path) -> None:
    rows = [
        good_row(1, narrative='Said "help", then; fell\r\nover the wall\nand lay still'),
        good_row(2),
        good_row(3, age="300"),
    ]
    path = write_csv(tmp_path / "e.csv", rows, newline="\r\n", encoding="utf-8-sig")
    result = load(path)
    assert result.encoding == "utf-8-sig"
    assert result.frame["narrative"][0] == 'Said "help", then; fell\r\nover the wall\nand lay still'
    err = only_error(result)
    assert (err.line, err.row, err.column) == (6, 3, "age")


def test_blank_lines_are_skipped_and_counted_not_data(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1), good_row(2, age="300")])
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1], "", "   ", ",,,,,,,,,,,,,", lines[2], "", ""]))
    result = load(path)
    assert result.blank_lines == 4 and result.rows_read == 2
    assert only_error(result).line == 6


@pytest.mark.parametrize("multiline", [False, True], ids=["fast-path", "exact-path"])
def test_both_csv_paths_agree_on_lines(tmp_path: Path, multiline: bool) -> None:
    narrative = "first line\nsecond line" if multiline else "one line"
    rows = [good_row(1, narrative=narrative), good_row(2, sex="X"), good_row(3)]
    path = write_csv(tmp_path / "e.csv", rows)
    path.write_bytes(path.read_bytes() + b"\nSYN-00004,2025-03-01\n")
    result = load(path)
    offset = 1 if multiline else 0
    assert [(e.line, e.column) for e in result.rejects] == [
        (3 + offset, "sex"),
        (6 + offset, HEADER[2]),
    ]
    assert result.blank_lines == 1


def test_mid_field_quote_is_literal(tmp_path: Path) -> None:
    plain = "Synthetic: male about 5 foot 10 tall fell over"
    path = write_csv(tmp_path / "e.csv", [good_row(1, narrative=plain), good_row(2, age="300")])
    path.write_text(path.read_text().replace("5 foot 10", "5'10\""))
    result = load(path)
    assert result.frame["narrative"].to_list() == ["Synthetic: male about 5'10\" tall fell over"]
    assert only_error(result).line == 3


def test_narrative_is_stripped(tmp_path: Path) -> None:
    result = load(write_csv(tmp_path / "e.csv", [good_row(1, narrative="  c/b, fell  ")]))
    assert result.frame["narrative"].to_list() == ["c/b, fell"]


# ---------------------------------------------------------------------------------------------
# the rejects file
# ---------------------------------------------------------------------------------------------
def test_rejects_file_has_original_columns_and_reasons_input_untouched(tmp_path: Path) -> None:
    src = tmp_path / "history.csv"
    shutil.copy(FIXTURES / "bad_rows.csv", src)
    before = src.read_bytes()
    result = load_export(src)
    target = tmp_path / "history.rejects.csv"
    assert result.rejects_path == target
    assert src.read_bytes() == before
    rej = pl.read_csv(target, infer_schema=False)
    header = (FIXTURES / "bad_rows.csv").read_text().splitlines()[0].split(",")
    assert rej.columns == [*header, "line", "row", "column", "reason"]
    assert rej["line"].to_list() == ["3", "4", "5", "6", "8"]
    assert rej["age"][0] == "300"
    assert rej["reason"][0] == "The 'age' column must be an integer 0..120. Got '300' on line 3."
    assert rej["narrative"][4] == "RTC driver tra"
    assert rej.height == result.rejected


def test_rejects_path_option_and_stale_file_removed(tmp_path: Path) -> None:
    target = tmp_path / "out" / "bad.csv"
    load_export(FIXTURES / "bad_rows.csv", rejects_path=target)
    assert target.exists()
    good = write_csv(tmp_path / "good.csv", [good_row(1)])
    result = load_export(good, rejects_path=target)
    assert result.rejects_path is None and not target.exists()


def test_write_rejects_false_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "h.csv"
    shutil.copy(FIXTURES / "bad_rows.csv", src)
    load_export(src, write_rejects=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv"]


def test_rejects_path_may_not_be_the_input(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "h.csv", [good_row(1)])
    with pytest.raises(ExportError, match="would overwrite the input"):
        load_export(src, rejects_path=src)


# ---------------------------------------------------------------------------------------------
# Parquet and synthetic files
# ---------------------------------------------------------------------------------------------
def typed_frame(n: int = 3) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "request_id": [f"SYN-{i}" for i in range(n)],
            "received_at": [datetime(2025, 3, 1, 10, i) for i in range(n)],
            "narrative": [f"Synthetic narrative {i}" for i in range(n)],
            "Incident Type": ["Fall"] * n,
            "age": [30 + i for i in range(n)],
            "officer_on_scene": [True, None, False][:n],
            "disposition": ["deploy", "Hear and Treat", "clinical_advice"][:n],
        }
    )


def test_parquet_good_with_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "e.parquet"
    df = typed_frame().with_columns(
        pl.col("received_at").dt.replace_time_zone("Europe/London"),
        pl.Series("age", [30.0, float("nan"), 32.0]),  # pandas' integer column with a gap
    )
    df.write_parquet(path)
    result = load(path)
    assert (result.format, result.encoding, result.separator) == ("parquet", None, None)
    assert result.rejects == [] and result.kept == 3
    assert result.frame.schema == polars_schema(ExportRow)
    assert result.frame["age"].to_list() == [30, None, 32]
    assert result.frame["received_at"][0] == datetime(2025, 3, 1, 10, 0)  # GMT in March
    assert result.frame["officer_on_scene"].to_list() == [True, None, False]
    assert result.frame["disposition"].cast(pl.String).to_list() == [
        "deploy",
        "hear_and_treat",
        "clinical_advice",
    ]


def test_parquet_bad_rows_named_by_row(tmp_path: Path) -> None:
    path = tmp_path / "e.parquet"
    typed_frame().with_columns(
        pl.Series("age", [30, 300, 31]), pl.Series("disposition", ["deploy", "deploy", "nope"])
    ).write_parquet(path)
    result = load(path)
    assert [(e.line, e.row, e.column) for e in result.rejects] == [
        (None, 2, "age"),
        (None, 3, "disposition"),
    ]
    assert (
        result.rejects[0].reason
        == "The 'age' column must be an integer 0..120. Got '300' in row 2."
    )


def test_parquet_missing_column_and_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "e.parquet"
    typed_frame().drop("disposition").write_parquet(path)
    with pytest.raises(ExportError, match=r"required column 'disposition' is missing"):
        load(path)
    typed_frame().head(0).write_parquet(path)
    with pytest.raises(ExportError, match=r"no data rows"):
        load(path)


def test_synthetic_probability_columns(tmp_path: Path) -> None:
    rows = [good_row(i) for i in range(1, 4)]
    probs = [("0.2", "0.3", "0.5"), ("0.7", "0.7", "0.1"), ("0.1", "abc", "0.9")]
    for r, p in zip(rows, probs, strict=True):
        r.update(dict(zip(SYNTHETIC_ONLY_COLUMNS, p, strict=True)))
    path = write_csv(tmp_path / "s.csv", rows, header=[*HEADER, *SYNTHETIC_ONLY_COLUMNS])
    result = load(path)
    assert result.synthetic
    assert result.frame.columns == [*polars_schema(ExportRow).names(), *SYNTHETIC_ONLY_COLUMNS]
    assert result.frame.select(SYNTHETIC_ONLY_COLUMNS).row(0) == (0.2, 0.3, 0.5)
    assert [(e.line, e.column) for e in result.rejects] == [
        (3, "+".join(SYNTHETIC_ONLY_COLUMNS)),
        (4, SYNTHETIC_ONLY_COLUMNS[1]),
    ]
    assert "must sum to 1" in result.rejects[0].reason


def test_some_but_not_all_probability_columns_is_export_error(tmp_path: Path) -> None:
    rows = [good_row(1, **{SYNTHETIC_ONLY_COLUMNS[0]: "0.5"})]
    path = write_csv(tmp_path / "s.csv", rows, header=[*HEADER, SYNTHETIC_ONLY_COLUMNS[0]])
    with pytest.raises(ExportError, match="synthetic probability columns"):
        load(path)


def test_real_export_is_not_synthetic(tmp_path: Path) -> None:
    result = load(write_csv(tmp_path / "e.csv", [good_row(1)]))
    assert not result.synthetic
    assert result.frame.columns == list(polars_schema(ExportRow).names())


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip_synthetic_history(tmp_path: Path, suffix: str) -> None:
    from triage.history import synth

    df = synth.generate(5000, 11)
    path = tmp_path / f"history{suffix}"
    synth.write_frame(df, path)
    result = load(path)
    assert result.rejects == []
    assert result.synthetic and result.kept == 5000 == df.height
    expected = df.select(result.frame.columns).cast(result.frame.schema)
    assert result.frame.equals(expected)


# ---------------------------------------------------------------------------------------------
# triage validate
# ---------------------------------------------------------------------------------------------
runner = CliRunner()
app = typer.Typer()
loader_command.register(app)
app.command("noop")(lambda: None)  # a second command, so `validate` is a sub-command as in triage


def test_validate_is_registered_on_the_triage_command(tmp_path: Path) -> None:
    from triage_cli.main import app as triage_app

    path = write_csv(tmp_path / "e.csv", [good_row(1)])
    res = runner.invoke(triage_app, ["validate", str(path)])
    assert res.exit_code == 0, res.output


def test_validate_exit_0_when_every_row_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1), good_row(2)])
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 0, res.output
    assert "Every row is valid" in res.output
    assert "Traceback" not in res.output


def test_validate_exit_1_lists_errors_and_writes_rejects(tmp_path: Path) -> None:
    target = tmp_path / "rej.csv"
    res = runner.invoke(
        app,
        ["validate", str(FIXTURES / "bad_rows.csv"), "--rejects", str(target)],
        env={"COLUMNS": "250"},
    )
    assert res.exit_code == 1, res.output
    assert "rejected" in res.output and "SYN-0102" in res.output
    assert "The 'age' column must be an integer 0..120. Got '300' on line 3." in res.output
    assert target.exists()


def test_validate_json(tmp_path: Path) -> None:
    target = tmp_path / "rej.csv"
    res = runner.invoke(
        app, ["validate", str(FIXTURES / "bad_rows.csv"), "--rejects", str(target), "--json"]
    )
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["rows_read"] == 7 and doc["kept"] == 2 and doc["rejected"] == 5
    assert doc["duplicate_ids"] == 1 and doc["errors"][0]["line"] == 3
    assert doc["rejects_file"] == str(target)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        ((FIXTURES / "garbage.bin").read_bytes(), "e.csv"),
        (b"request_id,narrative\nSYN-1,hello\n", "'disposition'"),
    ],
    ids=["empty", "garbage", "missing-column"],
)
def test_validate_exit_2_when_unusable(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    res = runner.invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert res.exit_code == 2
    assert "error:" in res.stderr and message in res.stderr
    assert "Traceback" not in res.output
    json_res = runner.invoke(app, ["validate", str(path), "--json"])
    assert json_res.exit_code == 2
    assert json.loads(json_res.stdout)["usable"] is False


# ---------------------------------------------------------------------------------------------
# line numbers and field counts agree with the csv module on any CSV
# ---------------------------------------------------------------------------------------------
# Line breaks inside values are \n or \r\n (a lone \r is not a line break for the loader).
_cell = st.lists(
    st.sampled_from(["a", "b", " ", ",", ";", '"', '""', "\n", "\r\n", "\t"]), max_size=6
).map("".join)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_cell, min_size=1, max_size=5), min_size=1, max_size=8),
    sep=st.sampled_from([",", ";"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    eol=st.sampled_from(["\n", "\r\n"]),
    blank_after=st.sets(st.integers(0, 8)),
)
def test_csv_structure_matches_csv_module(
    tmp_path: Path,
    rows: list[list[str]],
    sep: str,
    quoting: Literal[0, 1, 2, 3],
    eol: str,
    blank_after: set[int],
) -> None:
    header = ["h1", "h2", "h3"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, quoting=quoting, lineterminator=eol)
    writer.writerow(header)
    for i, r in enumerate(rows):
        writer.writerow(r)
        if i in blank_after:
            buf.write(eol)
    text = buf.getvalue()
    expected = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    next(reader)
    prev = reader.line_num
    for rec in reader:
        if any(c.strip() for c in rec) or len(rec) > len(header) + 1:
            padded = [*rec, "", "", ""][:3]
            # Beyond one extra field the count is only known to exceed the header's.
            expected.append((prev + 1, min(len(rec), len(header) + 2), *padded))
        prev = reader.line_num
    path = tmp_path / "s.csv"
    path.write_text(text, newline="")
    for exact in (False, True):
        table = read_csv_text(path, header, sep, exact=exact)
        got = table.frame.select(
            LINE, pl.col(NFIELDS).clip(upper_bound=len(header) + 2), "c0", "c1", "c2"
        )
        assert got.rows() == expected
        assert table.frame[ROW].to_list() == list(range(1, len(expected) + 1))


def test_docs_list_every_field_and_value_of_the_schema() -> None:
    """docs/REQUESTS.md is the contract in prose: it must not drift from triage/schema.py."""
    text = (Path(__file__).parents[1] / "docs" / "REQUESTS.md").read_text(encoding="utf-8")
    for name in export_fields():
        assert f"`{name}`" in text, name
    for name, enum in enum_fields(ExportRow).items():
        for member in enum:
            assert f"`{member.value}`" in text, (name, member.value)
    for column in SYNTHETIC_ONLY_COLUMNS:
        assert f"`{column}`" in text, column


def test_byte_in_neither_encoding_after_the_first_block_is_named(tmp_path: Path) -> None:
    rows = [good_row(i, narrative="Synthetic caf\xe9 " + "x" * 200) for i in range(1, 600)]
    path = write_csv(tmp_path / "e.csv", rows, encoding="cp1252")
    path.write_bytes(path.read_bytes() + b"SYN-99999,\x81\n")
    assert path.stat().st_size > 100_000
    with pytest.raises(ExportError, match=r"neither UTF-8 nor Windows-1252 .* byte 0x81 at offset"):
        load(path)


def test_parquet_written_by_pandas(tmp_path: Path) -> None:
    import pandas as pd  # a dev dependency; analysts' exports often come from pandas

    frame = pd.DataFrame(
        {
            "Request ID": ["SYN-1", "SYN-2"],
            "Received At": pd.to_datetime(["2025-03-01 10:00:00", "2025-03-01 11:30:15"]),
            "Narrative": ["Synthetic: fell, c/b", "Synthetic: not breathing"],
            "Age": [45, None],
            "Officer On Scene": [True, None],
            "Disposition": ["Hear and Treat", "DEPLOY"],
        }
    )
    path = tmp_path / "pandas.parquet"
    frame.to_parquet(path)
    result = load(path)
    assert result.rejects == []
    assert result.frame["age"].to_list() == [45, None]
    assert result.frame["officer_on_scene"].to_list() == [True, None]
    assert result.frame["received_at"].to_list() == [
        datetime(2025, 3, 1, 10, 0),
        datetime(2025, 3, 1, 11, 30, 15),
    ]
    assert result.frame["disposition"].cast(pl.String).to_list() == ["hear_and_treat", "deploy"]


def test_csv_written_by_pandas_with_its_index_and_float_ages(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "request_id": ["SYN-1", "SYN-2", "SYN-3"],
            "received_at": ["2025-03-01T10:00:00"] * 3,
            "narrative": ["Synthetic: fell", "Synthetic: cut hand", "Synthetic: drunk"],
            "age": [45, None, 300],  # pandas makes this float: 45.0, blank, 300.0
            "disposition": ["deploy"] * 3,
        }
    )
    path = tmp_path / "pandas.csv"
    frame.to_csv(path)  # with the unnamed index column first
    result = load(path)
    assert result.unknown_columns == ("(column 1, no name)",)
    assert result.frame["age"].to_list() == [45, None]
    err = only_error(result)
    assert err.reason == "The 'age' column must be an integer 0..120. Got '300.0' on line 4."


def test_rules_are_the_schema() -> None:
    from triage.history.loader_fields import export_rules

    rules = export_rules()
    schema = polars_schema(ExportRow)
    assert list(rules) == list(schema.names())
    assert all(rules[n].dtype == schema[n] for n in rules)
    assert {n for n, r in rules.items() if r.required} == set(required_export_fields())
    assert (rules["age"].ge, rules["age"].le) == (0, 120)
    assert (rules["narrative"].min_length, rules["narrative"].max_length) == (1, 4000)


def test_every_kept_row_is_a_valid_export_row(tmp_path: Path) -> None:
    """The loader is never more lenient than the pydantic contract the service enforces."""
    from triage.history import synth

    path = tmp_path / "s.csv"
    synth.write_frame(synth.generate(300, 5), path)
    results = [load(path), load(FIXTURES / "good_cp1252_semicolon.csv")]
    for result in results:
        assert result.kept > 0
        for row in result.frame.select(list(export_fields())).iter_rows(named=True):
            ExportRow.model_validate(row)


def test_header_ending_in_a_separator_rows_with_or_without_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1), good_row(2)])
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",", lines[1], lines[2] + ","]) + "\n")
    result = load(path)
    assert result.rejects == [] and result.kept == 2
    assert result.unknown_columns == ("(column 15, no name)",)


def test_long_last_row_keeps_its_original_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [good_row(1)])
    long_line = ",".join(["x"] * 16)
    path.write_bytes(path.read_bytes() + long_line.encode() + b"\r\n\r\n")
    result = load_export(path, rejects_path=tmp_path / "r.csv")
    assert [(e.line, e.column) for e in result.rejects] == [(3, "(row)")]
    assert pl.read_csv(tmp_path / "r.csv", infer_schema=False)["original"].to_list() == [long_line]
