"""The database build (metrics/build.py), checked against the raw files themselves.

Expected values are computed here from data/ with pandas, not copied from the
database, so a loader that drops, shifts or alters rows fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from metrics.build import build, ensure_database, needs_build
from metrics.config import DATA_DIR, PROJECT_DIR
from metrics.storage import DataError, read_curated
from tests.support.data import copy_data, read_rows, write_rows

DFE = DATA_DIR / "raw" / "dfe"
CURATED = DATA_DIR / "curated"
LAIT = DFE / "lait_bds_long.parquet"
DICTIONARY = DFE / "lait_data_dictionary.csv"
CIN = DFE / "b1_children_in_need_2013_to_2025.csv"
CSWW = DFE / "csww_indicators_2017_to_2025.csv"
SN_2025 = DFE / "sn_model_2025_wide.csv"
ODS = DATA_DIR / "raw" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
DONCASTER, DONCASTER_NUMBER, ENGLAND = "E08000017", 371, "E92000001"


# --- helpers ---------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lait_numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.strip(), errors="coerce")


@pytest.fixture(scope="module")
def lait() -> pd.DataFrame:
    return pd.read_parquet(LAIT)


@pytest.fixture
def good_db_copy(built_db: Path, tmp_path: Path) -> Path:
    """A copy of the good database in a folder of its own."""
    path = tmp_path / "db" / "dashboard.duckdb"
    path.parent.mkdir()
    shutil.copyfile(built_db, path)
    return path


# --- table contents against the raw files ------------------------------------------


def test_continue_assess_comp_counts_match_the_parquet(ro, lait) -> None:
    raw = lait[lait["Short Desc"] == "Continue_Assess_Comp"]
    assert len(raw) > 0
    non_suppressed = int(lait_numbers(raw["Values"]).notna().sum())
    rows, non_null = ro.execute(
        "SELECT count(*), count(value) FROM observations "
        "WHERE metric_id = 'Continue_Assess_Comp'"
    ).fetchone()
    assert rows == len(raw)
    assert non_null == non_suppressed
    assert non_null < rows  # the measure has suppressed values to get right


def test_doncaster_continue_assess_comp_equals_the_parquet(ro, lait) -> None:
    raw = lait[
        (lait["Short Desc"] == "Continue_Assess_Comp")
        & (lait["LA Number"] == DONCASTER_NUMBER)
    ]
    expected = dict(zip(raw["Years"], lait_numbers(raw["Values"])))
    assert len(expected) >= 10
    got = dict(
        ro.execute(
            "SELECT period_label, value FROM observations "
            "WHERE metric_id = 'Continue_Assess_Comp' AND area_code = ?",
            [DONCASTER],
        ).fetchall()
    )
    assert got.keys() == expected.keys()
    for year, value in expected.items():
        assert got[year] == pytest.approx(value, abs=1e-9), year
    # A 'Financial Year' measure in the dictionary: 2018 ends on 31 March 2018.
    dictionary = pd.read_csv(DICTIONARY, dtype=str, keep_default_na=False)
    assert set(
        dictionary.loc[dictionary.Measure_short == "Continue_Assess_Comp", "Year_Type"]
    ) == {"Financial Year"}
    assert ro.execute(
        "SELECT period_end FROM observations WHERE metric_id = 'Continue_Assess_Comp' "
        "AND area_code = ? AND period_label = '2018'",
        [DONCASTER],
    ).fetchone() == (dt.date(2018, 3, 31),)


def test_every_lait_value_equals_the_parquet(ro, lait) -> None:
    obs = ro.execute(
        "SELECT o.metric_id, o.period_label, a.la_number, o.value "
        "FROM observations AS o JOIN areas AS a USING (area_code) "
        "WHERE o.source_id = 'dfe_lait'"
    ).df()
    raw = lait.assign(expected=lait_numbers(lait["Values"]))
    raw = raw[raw.Years != "0"]  # the one unparseable label (see test_periods)
    assert not raw.duplicated(["Short Desc", "Years", "LA Number"]).any()
    merged = raw.merge(
        obs,
        left_on=["Short Desc", "Years", "LA Number"],
        right_on=["metric_id", "period_label", "la_number"],
        how="outer",
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts()
    assert len(obs) == len(raw)
    assert (merged.expected.isna() == merged.value.isna()).all()
    both = merged.dropna(subset=["expected"])
    assert np.allclose(both.value, both.expected, rtol=1e-11, atol=0)


def test_lait_period_end_follows_the_dictionary_year_type(ro) -> None:
    month_day = {
        "Financial Year": "03-31",
        "Academic Year": "08-31",
        "Calendar Year": "12-31",
        "Annual": "03-31",
        "Annual (end of Sept)": "09-30",
        "Annual - January": "01-31",
    }
    dictionary = pd.read_csv(DICTIONARY, dtype=str, keep_default_na=False)
    expected = {
        m: month_day[t] for m, t in zip(dictionary.Measure_short, dictionary.Year_Type)
    }
    got = ro.execute(
        "SELECT DISTINCT metric_id, strftime(period_end, '%m-%d') FROM observations "
        "WHERE source_id = 'dfe_lait'"
    ).fetchall()
    assert len({m for m, _ in got}) == len(got)  # one month and day per measure
    wrong = [(m, md) for m, md in got if expected[m] != md]
    assert wrong == []


def test_suppressed_value_is_null_not_zero(ro, lait) -> None:
    suppressed = lait[
        (lait["Values"].str.strip() == "-") & (lait["LA Number"] == DONCASTER_NUMBER)
    ]
    assert len(suppressed) > 0
    row = suppressed.iloc[0]
    got = ro.execute(
        "SELECT value FROM observations WHERE metric_id = ? AND period_label = ? "
        "AND area_code = ?",
        [row["Short Desc"], row["Years"], DONCASTER],
    ).fetchall()
    assert got == [(None,)]
    # And over the whole file: as many NULL LAIT observations as '-' marks.
    dashes = int((lait["Values"].str.strip() == "-").sum())
    nulls = ro.execute(
        "SELECT count(*) FROM observations WHERE source_id = 'dfe_lait' AND value IS NULL"
    ).fetchone()[0]
    assert nulls == dashes - int(
        ((lait["Values"].str.strip() == "-") & (lait.Years == "0")).sum()
    )


def test_every_lait_measure_is_a_metric_with_its_polarity(ro, lait) -> None:
    dictionary = pd.read_csv(DICTIONARY, dtype=str, keep_default_na=False)
    polarity = {
        m: {"High": "higher", "Low": "lower"}.get(p, "neutral")
        for m, p in zip(dictionary.Measure_short, dictionary.Polarity)
    }
    measures = set(lait["Short Desc"])
    assert len(measures) == 434
    got = dict(ro.execute("SELECT metric_id, polarity FROM metrics").fetchall())
    assert measures <= got.keys()
    assert {m: got[m] for m in measures} == {m: polarity[m] for m in measures}
    assert set(got.values()) <= {"higher", "lower", "neutral"}
    assert ro.execute(
        "SELECT count(*) FROM metrics WHERE source_id = 'dfe_lait'"
    ).fetchone() == (len(set(dictionary.Measure_short)),)


def test_curated_metrics_are_loaded(ro) -> None:
    curated = pd.read_csv(CURATED / "metrics.csv", dtype=str, keep_default_na=False)
    got = dict(ro.execute("SELECT metric_id, polarity FROM metrics").fetchall())
    for metric, polarity in zip(curated.metric_id, curated.polarity):
        assert got[metric] == polarity


def test_england_rows_exist(ro, lait) -> None:
    assert ro.execute(
        "SELECT level, area_name FROM areas WHERE area_code = ?", [ENGLAND]
    ).fetchone() == ("national", "England")
    b1 = pd.read_csv(CIN, dtype=str)
    national = b1[b1.geographic_level == "National"]
    expected = {
        int(t): float(v) for t, v in zip(national.time_period, national.At31_episodes)
    }
    assert len(expected) == 13
    got = dict(
        ro.execute(
            "SELECT year(period_end), value FROM observations "
            "WHERE metric_id = 'cin_at_31_march' AND area_code = ?",
            [ENGLAND],
        ).fetchall()
    )
    assert got == expected
    england_number = int(
        pd.read_excel(DFE / "lait_la_code_list.xlsx")
        .set_index("LA Name")
        .loc["England", "LA Number"]
    )
    raw_count = int(((lait["LA Number"] == england_number) & (lait.Years != "0")).sum())
    assert raw_count > 0
    assert ro.execute(
        "SELECT count(*) FROM observations WHERE source_id = 'dfe_lait' AND area_code = ?",
        [ENGLAND],
    ).fetchone() == (raw_count,)


def test_doncaster_cin_at_31_march_2022_equals_b1(ro) -> None:
    b1 = pd.read_csv(CIN, dtype=str)
    row = b1[
        (b1.new_la_code == DONCASTER)
        & (b1.time_period == "2022")
        & (b1.geographic_level == "Local authority")
    ]
    assert len(row) == 1
    expected = float(row.At31_episodes.iloc[0])
    assert ro.execute(
        "SELECT value, period_end FROM observations WHERE metric_id = 'cin_at_31_march' "
        "AND area_code = ? AND period_label = '2022'",
        [DONCASTER],
    ).fetchall() == [(expected, dt.date(2022, 3, 31))]


@pytest.mark.parametrize(
    ("path", "column", "metric_id"),
    [
        (CIN, "At31_episodes", "cin_at_31_march"),
        (CIN, "awaiting_assessment", "cin_awaiting_assessment"),
        (CSWW, "caseload_fte", "sw_caseload_fte"),
    ],
)
def test_every_local_authority_row_of_ees_files_is_loaded(
    ro, path, column, metric_id
) -> None:
    """An LA keeps its data when its ONS code changes (Barnsley E08000016 -> E08000038)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame[
        (frame.geographic_level == "Local authority") & frame.old_la_code.str.isdigit()
    ]
    areas = dict(
        ro.execute(
            "SELECT la_number, area_code FROM areas WHERE la_number IS NOT NULL"
        ).fetchall()
    )
    expected = {
        (areas[int(n)], t): (None if pd.isna(v) else float(v))
        for n, t, v in zip(
            frame.old_la_code,
            frame.time_period,
            pd.to_numeric(frame[column], errors="coerce"),
        )
    }
    got = {
        (a, p): v
        for a, p, v in ro.execute(
            "SELECT o.area_code, o.period_label, o.value FROM observations AS o "
            "JOIN areas AS a USING (area_code) "
            "WHERE o.metric_id = ? AND a.level = 'local authority'",
            [metric_id],
        ).fetchall()
    }
    missing = sorted({a for a, _ in expected.keys() - got.keys()})
    assert missing == [], (
        f"{len(expected.keys() - got.keys())} rows missing for {missing}"
    )
    assert got == expected


def test_barnsley_keeps_every_census_year(ro) -> None:
    """Barnsley's ONS code changed (E08000016 -> E08000038); its LA number did not."""
    b1 = pd.read_csv(CIN, dtype=str)
    raw = b1[(b1.old_la_code == "370") & (b1.geographic_level == "Local authority")]
    assert len(raw) == 13
    got = dict(
        ro.execute(
            "SELECT o.period_label, o.value FROM observations AS o JOIN areas AS a "
            "USING (area_code) WHERE o.metric_id = 'cin_at_31_march' AND a.la_number = 370"
        ).fetchall()
    )
    assert got == {t: float(v) for t, v in zip(raw.time_period, raw.At31_episodes)}


def test_joint_workforce_returns_are_reported_not_loaded(ro) -> None:
    csww = pd.read_csv(CSWW, dtype=str, keep_default_na=False)
    joint = csww[
        (csww.geographic_level == "Local authority") & ~csww.old_la_code.str.isdigit()
    ]
    assert len(joint) > 0
    reported = ro.execute(
        "SELECT detail, row_count FROM build_report WHERE severity = 'warning' "
        "AND file LIKE '%csww%' ORDER BY detail"
    ).fetchall()
    columns = [
        "agency_rate_fte",
        "caseload_fte",
        "turnover_rate_fte",
        "vacancy_rate_fte",
    ]
    assert [d.split(":")[0] for d, _ in reported] == columns
    assert all(n == len(joint) for _, n in reported)
    for name in set(joint.la_name):
        assert all(name in d for d, _ in reported), name


def test_areas_cover_every_observation(ro) -> None:
    assert ro.execute(
        "SELECT count(*) FROM observations WHERE area_code NOT IN "
        "(SELECT area_code FROM areas)"
    ).fetchone() == (0,)
    assert ro.execute(
        "SELECT area_name, level, la_number FROM areas WHERE area_code = ?", [DONCASTER]
    ).fetchone() == ("Doncaster", "local authority", DONCASTER_NUMBER)


def test_ten_statistical_neighbours_per_la_per_model(ro) -> None:
    counts = ro.execute(
        "SELECT model, area_code, count(*), count(DISTINCT neighbour_code), "
        "min(rank), max(rank), count(DISTINCT rank) "
        "FROM statistical_neighbours GROUP BY ALL"
    ).fetchall()
    assert {m for m, *_ in counts} == {"2021", "2025"}
    for model, area, n, distinct, low, high, ranks in counts:
        assert (n, distinct, low, high, ranks) == (10, 10, 1, 10, 10), (model, area)
    wide = pd.read_csv(SN_2025, dtype=str, encoding="utf-8-sig")
    per_model = {m: sum(1 for mm, *_ in counts if mm == m) for m in ("2021", "2025")}
    assert per_model["2025"] == len(wide)
    assert ro.execute(
        "SELECT count(*) FROM statistical_neighbours WHERE area_code = neighbour_code"
    ).fetchone() == (0,)


def test_doncaster_2025_neighbours_equal_the_raw_file(ro) -> None:
    wide = pd.read_csv(SN_2025, dtype=str, encoding="utf-8-sig")
    row = wide[wide.old_la_code == str(DONCASTER_NUMBER)]
    assert len(row) == 1
    row = row.iloc[0]
    by_number = dict(
        ro.execute(
            "SELECT la_number, area_code FROM areas WHERE la_number IS NOT NULL"
        ).fetchall()
    )
    expected = [
        (k, by_number[int(row[f"SN_{k}"])], row[f"SN_{k}P"].strip())
        for k in range(1, 11)
    ]
    got = ro.execute(
        "SELECT rank, neighbour_code, closeness FROM statistical_neighbours "
        "WHERE area_code = ? AND model = '2025' ORDER BY rank",
        [DONCASTER],
    ).fetchall()
    assert got == expected


def test_every_ilacs_row_of_the_ods_is_a_judgement(ro) -> None:
    ods = pd.read_excel(
        ODS, engine="odf", sheet_name="ILACS_inspection_history", header=2
    )
    assert len(ods) > 200
    expected = sorted(
        (name, start.date(), pub.date(), kind, grade)
        for name, start, pub, kind, grade in zip(
            ods["Local authority name"],
            ods["Inspection date"],
            ods["Publication date"],
            ods["Inspection type"],
            ods["Overall effectiveness"],
        )
    )
    got = sorted(
        ro.execute(
            "SELECT area_name, inspection_start, published, inspection_type, overall_grade "
            "FROM ofsted_judgements WHERE source_id = 'ofsted_outcomes_2025'"
        ).fetchall()
    )
    assert got == expected
    # Each row's area is a known LA: the ODS code, or its replacement by name.
    areas = dict(
        ro.execute(
            "SELECT area_code, area_name FROM areas WHERE level = 'local authority'"
        ).fetchall()
    )
    for code, name in ro.execute(
        "SELECT area_code, area_name FROM ofsted_judgements "
        "WHERE source_id = 'ofsted_outcomes_2025'"
    ).fetchall():
        assert code in areas, (code, name)
    ods_codes = set(ods["Local authority area code"])
    stale = ods_codes - areas.keys()
    for old in stale:
        name = ods.loc[
            ods["Local authority area code"] == old, "Local authority name"
        ].iloc[0]
        new = [c for c, n in areas.items() if n == name]
        assert len(new) == 1, name
        n_ods = int((ods["Local authority area code"] == old).sum())
        assert ro.execute(
            "SELECT count(*) FROM ofsted_judgements WHERE source_id = 'ofsted_outcomes_2025' "
            "AND area_code = ?",
            [new[0]],
        ).fetchone() == (n_ods,)


def test_doncaster_has_six_judgements_in_date_order(ro) -> None:
    rows = ro.execute(
        "SELECT year(inspection_start), grade_rank, source_id FROM ofsted_judgements "
        "WHERE area_code = ? ORDER BY COALESCE(published, inspection_end, inspection_start)",
        [DONCASTER],
    ).fetchall()
    assert [r[0] for r in rows] == [2011, 2012, 2015, 2017, 2022, 2025]
    assert [r[1] for r in rows] == [3, 4, 4, 2, 3, 2]
    reports = pd.read_csv(CURATED / "ofsted_reports.csv", dtype=str)
    assert [r[2] for r in rows[:4]] == list(
        reports[reports.area_code == DONCASTER].source_id
    )
    assert [r[2] for r in rows[4:]] == ["ofsted_outcomes_2025"] * 2
    latest = ro.execute(
        "SELECT overall_grade, published FROM latest_judgements WHERE area_code = ?",
        [DONCASTER],
    ).fetchall()
    assert latest == [("Good", dt.date(2025, 3, 18))]


def test_every_document_figure_is_an_observation(ro) -> None:
    figures = pd.read_csv(
        CURATED / "document_figures.csv", dtype=str, keep_default_na=False
    )
    assert len(figures) > 0

    def num(text: str) -> float | None:
        return float(text) if text.strip() else None

    for f in figures.itertuples():
        matches = ro.execute(
            """
            SELECT value, value_low, value_high, approximate, qualifier, period_end,
                   period_label, date_precision, area_name, note
            FROM observations
            WHERE metric_id = ? AND area_code = ? AND period_end = ?
              AND service_area IS NOT DISTINCT FROM ? AND source_id = ? AND locator = ?
              AND value IS NOT DISTINCT FROM ? AND value_low IS NOT DISTINCT FROM ?
              AND value_high IS NOT DISTINCT FROM ?
            """,
            [
                f.metric_id,
                f.area_code,
                dt.date.fromisoformat(f.period_end),
                f.service_area or None,
                f.source_id,
                f.locator,
                num(f.value),
                num(f.value_low),
                num(f.value_high),
            ],
        ).fetchall()
        assert len(matches) == 1, f.figure_id
        (
            value,
            low,
            high,
            approximate,
            qualifier,
            end,
            label,
            precision,
            area_name,
            note,
        ) = matches[0]
        assert approximate is (f.approximate == "true"), f.figure_id
        assert qualifier == (f.qualifier or None), f.figure_id
        assert label == f.period_label and precision == f.date_precision, f.figure_id
        assert area_name == f.area_name and note == (f.note or None), f.figure_id
    assert ro.execute(
        "SELECT count(*) FROM observations WHERE source_id NOT IN "
        "('dfe_lait', 'dfe_cin_b1', 'dfe_csww')"
    ).fetchone() == (len(figures),)


def test_initial_assessments_at_start_of_2013(ro) -> None:
    assert ro.execute(
        "SELECT value, approximate, qualifier FROM observations "
        "WHERE metric_id = 'initial_assessments_in_progress' AND period_end = '2013-01-01'"
    ).fetchall() == [(552.0, True, "over")]


def test_build_info_records_the_data_hash(ro, built_db) -> None:
    info = dict(ro.execute("SELECT key, value FROM build_info").fetchall())
    assert {"data_hash", "built_at", "build_seconds"} <= info.keys()
    assert len(info["data_hash"]) == 64
    assert not needs_build(built_db)


# --- failures and rebuilds -----------------------------------------------------------


def test_broken_csv_raises_and_keeps_the_good_database(tmp_path, good_db_copy) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "document_figures.csv"
    rows = read_rows(path)
    header = rows[0]
    line = next(i for i, r in enumerate(rows, start=1) if r and r[0] == "F05")
    rows[line - 1][header.index("period_end")] = "early 2013"
    write_rows(path, rows)
    before = sha256(good_db_copy)

    with pytest.raises(DataError) as caught:
        build(good_db_copy, data)

    error = caught.value
    assert "curated/document_figures.csv" in str(error)
    assert f"row {line}" in str(error)
    assert "period_end" in str(error)
    assert "'early 2013'" in str(error)
    assert (error.file, error.row, error.column) == (
        "curated/document_figures.csv",
        line,
        "period_end",
    )
    assert line == 6  # F05 is the fifth data row, on line 6 of the file
    assert sha256(good_db_copy) == before
    assert [p.name for p in good_db_copy.parent.iterdir() if "building" in p.name] == []
    with duckdb.connect(str(good_db_copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] > 600_000


def test_failed_build_into_a_new_path_leaves_nothing(tmp_path) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "document_figures.csv"
    rows = read_rows(path)
    rows[3][rows[0].index("approximate")] = "maybe"
    write_rows(path, rows)
    db = tmp_path / "out" / "new.duckdb"
    with pytest.raises(DataError, match=r"row 4, column 'approximate'"):
        build(db, data)
    assert not db.exists()
    assert [p.name for p in db.parent.iterdir() if "building" in p.name] == []


def test_missing_column_raises_data_error(tmp_path) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "sources.csv"
    rows = read_rows(path)
    drop = rows[0].index("licence")
    write_rows(path, [r[:drop] + r[drop + 1 :] for r in rows])
    with pytest.raises(DataError) as caught:
        build(tmp_path / "x.duckdb", data)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "curated/sources.csv",
        1,
        "licence",
    )
    assert "curated/sources.csv, row 1, column 'licence'" in str(caught.value)
    assert "missing" in str(caught.value)


def test_extra_column_raises_data_error(tmp_path) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "metrics.csv"
    rows = read_rows(path)
    write_rows(
        path, [r + (["colour"] if i == 0 else ["red"]) for i, r in enumerate(rows)]
    )
    with pytest.raises(DataError) as caught:
        build(tmp_path / "x.duckdb", data)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "curated/metrics.csv",
        1,
        "colour",
    )
    assert "not part of this file's format" in str(caught.value)


def test_unknown_metric_in_document_figures_raises(tmp_path) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "document_figures.csv"
    rows = read_rows(path)
    rows[2][rows[0].index("metric_id")] = "no_such_metric"
    write_rows(path, rows)
    with pytest.raises(DataError) as caught:
        build(tmp_path / "x.duckdb", data)
    assert (caught.value.row, caught.value.column) == (3, "metric_id")
    assert "no_such_metric" in str(caught.value)


def test_required_value_missing_raises(tmp_path) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "sources.csv"
    rows = read_rows(path)
    rows[5][rows[0].index("title")] = "  "
    write_rows(path, rows)
    with pytest.raises(DataError, match=r"curated/sources.csv, row 6, column 'title'"):
        build(tmp_path / "x.duckdb", data)


@pytest.mark.slow
def test_ensure_database_rebuilds_only_when_data_change(tmp_path, good_db_copy) -> None:
    data = copy_data(tmp_path / "data")
    first = ensure_database(good_db_copy, data)
    assert first.rebuilt is False
    assert not needs_build(good_db_copy, data)

    path = data / "curated" / "document_figures.csv"
    rows = read_rows(path)
    line = next(i for i, r in enumerate(rows) if r and r[0] == "F02")
    rows[line][rows[0].index("note")] = "Changed for a test"
    write_rows(path, rows)
    assert needs_build(good_db_copy, data)

    second = ensure_database(good_db_copy, data)
    assert second.rebuilt is True
    with duckdb.connect(str(good_db_copy), read_only=True) as con:
        assert con.execute(
            "SELECT note FROM observations WHERE metric_id = "
            "'initial_assessments_in_progress' AND period_end = '2013-08-04'"
        ).fetchall() == [("Changed for a test",)]

    third = ensure_database(good_db_copy, data)
    assert third.rebuilt is False


def test_needs_build_for_a_missing_file_not_for_a_copy_of_data(
    tmp_path, built_db
) -> None:
    """A missing file needs a build; the hash of an unchanged copy of data/ matches."""
    data = copy_data(tmp_path / "data")
    assert needs_build(tmp_path / "absent.duckdb", data)
    assert not needs_build(built_db, data)


@pytest.mark.slow
def test_cli_build_exits_zero(tmp_path) -> None:
    db = tmp_path / "cli" / "dashboard.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DB"}
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "build", "--db", str(db)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert db.exists()
    assert f"built {db}" in done.stdout
    assert "CINPermExclusion" in done.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert (
            con.execute(
                "SELECT count(*) FROM observations WHERE area_code = ?", [DONCASTER]
            ).fetchone()[0]
            > 1000
        )
    assert not needs_build(db)


def test_data_error_message_format() -> None:
    error = DataError("curated/x.csv", 7, "value", "bad")
    assert str(error) == "curated/x.csv, row 7, column 'value': bad"
    assert str(DataError("curated/x.csv", None, None, "unreadable")) == (
        "curated/x.csv: unreadable"
    )
    assert isinstance(error, ValueError)


# --- curated CSV checking: faults must be DataErrors naming the right line -------------


def test_row_number_counts_blank_lines(tmp_path) -> None:
    """A blank line is still a line of the file: the fault below is on line 4."""
    path = tmp_path / "x.csv"
    path.write_text("a,b\nx,2020-01-01\n\ny,not-a-date\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_curated(path, {"a": ("str", True), "b": ("date", True)}, tmp_path)
    assert (caught.value.file, caught.value.column) == ("x.csv", "b")
    assert caught.value.row == 4


def test_extra_trailing_field_does_not_shift_columns(tmp_path) -> None:
    """A stray trailing comma on each row must not make column 'a' a hidden index.

    Either the file is refused (DataError naming line 2) or it is read as written;
    it must never load with every value moved one column to the left.
    """
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\nx,y,1,\nz,w,2,\n", encoding="utf-8")
    spec = {"a": ("str", True), "b": ("str", True), "c": ("float", False)}
    try:
        frame = read_curated(path, spec, tmp_path)
    except DataError as error:
        assert (error.file, error.row) == ("x.csv", 2)
    else:
        assert frame.to_dict("records") == [
            {"a": "x", "b": "y", "c": 1.0},
            {"a": "z", "b": "w", "c": 2.0},
        ]


def test_duplicate_key_in_curated_csv_is_a_data_error(tmp_path) -> None:
    data = copy_data(tmp_path / "data")
    path = data / "curated" / "sources.csv"
    rows = read_rows(path)
    write_rows(path, rows + [rows[1]])
    with pytest.raises(DataError) as caught:
        build(tmp_path / "x.duckdb", data)
    assert caught.value.file == "curated/sources.csv"
    assert caught.value.column == "source_id"
    assert caught.value.row == len(rows) + 1
    assert not (tmp_path / "x.duckdb").exists()


def test_insert_refuses_a_column_name_that_is_not_a_plain_identifier():
    import duckdb

    from metrics.storage import insert

    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE sources (source_id VARCHAR)")
    with pytest.raises(ValueError, match="not a plain column or table name"):
        insert(con, "sources", pd.DataFrame({'source_id") SELECT 1; --': ["x"]}))
    insert(con, "sources", pd.DataFrame({"source_id": ["x"]}))
    assert con.execute("SELECT source_id FROM sources").fetchall() == [("x",)]


def test_freshness_hashes_again_only_when_an_input_or_the_database_changes(
    tmp_path, monkeypatch
):
    from metrics import build as b

    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    source = data / "raw" / "a.csv"
    source.write_text("x\n1\n")
    db = tmp_path / "dashboard.duckdb"
    hashed = []
    real = b.data_hash
    monkeypatch.setattr(b, "data_hash", lambda d: hashed.append(d) or real(d))

    first = b.freshness(db, data)
    assert len(hashed) == 1 and first.stored_hash is None and not first.fresh
    assert b.freshness(db, data) is first and len(hashed) == 1  # nothing changed

    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    touched = b.freshness(db, data)
    assert len(hashed) == 2 and touched.data_hash == first.data_hash  # same bytes

    db.write_bytes(b"not a database")  # e.g. an import replaced the file
    assert b.freshness(db, data).stored_hash is None and len(hashed) == 3

    (data / "raw" / "b.csv").write_text("x\n2\n")
    added = b.freshness(db, data)
    assert len(hashed) == 4 and added.data_hash != first.data_hash
