"""Period labels of the LAIT file turned into end dates (metrics/periods.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.config import DATA_DIR
from metrics.periods import PeriodLabelError, end_year, period_end

LAIT = DATA_DIR / "raw" / "dfe" / "lait_bds_long.parquet"
DICTIONARY = DATA_DIR / "raw" / "dfe" / "lait_data_dictionary.csv"


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("2016", 2016),
        ("2016/17", 2017),
        ("2016-17", 2017),
        ("2016-17 (OT)", 2017),
        ("2014-16", 2016),  # three calendar years ending 2016
        ("2013/14-15/16", 2016),  # three financial/academic years ending 2015/16
        ("2018 (Rev)", 2018),
        ("2020 (Final)", 2020),
        ("2025 (prov)", 2025),
        ("2025-26", 2026),
        ("1999/00", 2000),  # century roll
        ("2099/00", 2100),  # century roll
        ("2098/99-00/01", 2101),  # century roll in a span
        (" 2016/17 ", 2017),  # surrounding whitespace
        ("2018 (REV)", 2018),  # status mark in any case
        ("2019-20 (ot)", 2020),
    ],
)
def test_end_year_of_every_label_shape(label: str, year: int) -> None:
    assert end_year(label) == year


@pytest.mark.parametrize(
    ("year_type", "month", "day"),
    [
        ("Financial Year", 3, 31),
        ("Academic Year", 8, 31),
        ("Calendar Year", 12, 31),
        ("Annual", 3, 31),
        ("Annual (end of Sept)", 9, 30),
        ("Annual - January", 1, 31),
    ],
)
def test_period_end_month_and_day_by_year_type(
    year_type: str, month: int, day: int
) -> None:
    assert period_end("2016/17", year_type) == dt.date(2017, month, day)
    assert period_end("2016", year_type) == dt.date(2016, month, day)
    assert period_end("2014/15-16/17", year_type) == dt.date(2017, month, day)
    assert period_end("2022 (Rev)", year_type) == dt.date(2022, month, day)


@pytest.mark.parametrize("year_type", [None, "", "Some other year type"])
def test_period_end_defaults_to_31_december(year_type: str | None) -> None:
    assert period_end("2016-17", year_type) == dt.date(2017, 12, 31)


def test_period_end_century_roll() -> None:
    assert period_end("2099/00", "Financial Year") == dt.date(2100, 3, 31)
    assert period_end("1999/00", "Academic Year") == dt.date(2000, 8, 31)


@pytest.mark.parametrize(
    "label",
    [
        "0",
        "",
        "   ",
        "abc",
        "2016/19",
        "2014-17",
        "16/17",
        "20166",
        "2016/17/18",
        "(Rev)",
    ],
)
def test_unparseable_labels_raise(label: str) -> None:
    with pytest.raises(PeriodLabelError):
        end_year(label)
    with pytest.raises(PeriodLabelError):
        period_end(label, "Financial Year")


@pytest.mark.parametrize("label", ["1899", "1988/89", "2100/01"])
def test_implausible_years_raise(label: str) -> None:
    with pytest.raises(PeriodLabelError, match="implausible"):
        period_end(label, "Financial Year")


def test_period_label_error_is_a_value_error() -> None:
    assert issubclass(PeriodLabelError, ValueError)
    with pytest.raises(ValueError, match="'abc'"):
        end_year("abc")


def test_every_lait_label_parses_except_those_the_build_reports(ro) -> None:
    raw = pd.read_parquet(LAIT, columns=["Short Desc", "Years"])
    dictionary = pd.read_csv(DICTIONARY, dtype=str, keep_default_na=False)
    year_type = dictionary.drop_duplicates("Measure_short").set_index("Measure_short")[
        "Year_Type"
    ]
    counts = raw.groupby(["Short Desc", "Years"]).size()
    failures: dict[tuple[str, str], int] = {}
    for (measure, label), count in counts.items():
        try:
            end = period_end(label, year_type[measure])
        except PeriodLabelError:
            failures[(measure, label)] = int(count)
        else:
            assert 1990 <= end.year <= 2030, (measure, label, end)
    assert failures == {("CINPermExclusion", "0"): 170}

    reported = ro.execute(
        "SELECT file, detail, row_count FROM build_report "
        "WHERE severity = 'warning' AND detail LIKE '%period label%'"
    ).fetchall()
    assert len(reported) == 1
    file, detail, row_count = reported[0]
    assert file.endswith("lait_bds_long.parquet")
    assert "CINPermExclusion" in detail and "'0'" in detail
    assert row_count == 170
    # The reported rows are not in the database; every other pair is.
    assert ro.execute(
        "SELECT count(*) FROM observations WHERE metric_id = 'CINPermExclusion' "
        "AND period_label = '0'"
    ).fetchone() == (0,)
    loaded = ro.execute(
        "SELECT count(DISTINCT (metric_id, period_label)) FROM observations "
        "WHERE source_id = 'dfe_lait'"
    ).fetchone()[0]
    assert loaded == len(counts) - len(failures)
