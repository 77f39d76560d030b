"""The region view and the preset comparison groups, checked against values computed
from the raw LAIT file (read here with pandas, not through the code under test)."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from metrics.areas import Area
from metrics.loading.files import FileRejected
from metrics.queries import Database
from tests.support import areas
from tests.support.areas import DONCASTER
from tests.support.data import RAW
from tests.support.lait import current_la_numbers, latest_values
from views.groups import (
    NO_FIGURE,
    group_file,
    own_table,
    read_group_file,
    region_view,
)
from views.options import ChartOptions
from views.scorecard import scorecard

BARNET = areas.TestArea("E09000003", "Barnet", 302)
# Two measures of each polarity (LAIT's dictionary: High / Low).
MEASURES = {
    "Continue_Assess_Comp": "High",
    "CP_conf_15days": "High",
    "ReReferral": "Low",
    "Work_Force_AvgNumCase_SW": "Low",
}
PLACES = [DONCASTER, BARNET]


@pytest.fixture(scope="module")
def db(built_db):
    database = Database(built_db)
    yield database
    database.close()


@cache
def raw() -> pd.DataFrame:
    """The raw LAIT file's rows for current LAs, each value parsed (marks are NaN)."""
    frame = pd.read_parquet(RAW / "lait_bds_long.parquet")
    frame = frame[frame["LA Number"].isin(current_la_numbers())]
    number = pd.to_numeric(frame["Values"], errors="coerce")
    return frame.assign(
        number=number.map(lambda v: float(f"{v:.12g}") if pd.notna(v) else v),
        la=frame["LA Number"].astype(int),
    )


def region_numbers(la_number: int) -> set[int]:
    """LA numbers of the current LAs LAIT puts in the same region as one LA."""
    frame = raw()
    region = frame[frame.la == la_number].Region.iloc[0]
    return set(frame[frame.Region == region].la)


def competition_rank(values: pd.Series, polarity: str) -> pd.Series:
    """1 + how many values are strictly better (ties share the best rank)."""
    better = (lambda a, b: b > a) if polarity == "High" else (lambda a, b: b < a)
    return values.map(lambda v: 1 + sum(better(v, w) for w in values))


def years(measure: str) -> tuple[str, str]:
    """The latest and previous Years labels in which a current LA has a value."""
    rows = raw()[(raw()["Short Desc"] == measure)].dropna(subset=["number"])
    labels = sorted(set(rows.Years))
    return labels[-1], labels[-2]


@pytest.fixture(scope="module")
def numbers(db) -> dict[str, int]:
    """Area code -> LAIT's LA number, for matching rows only."""
    las = db.df("SELECT area_code, la_number FROM areas WHERE is_current")
    return dict(zip(las.area_code, las.la_number.astype("Int64")))


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
def test_region_view_matches_raw_lait(db, numbers, measure, place):
    polarity = MEASURES[measure]
    latest, national, _ = latest_values(measure, published=True)
    _, previous = years(measure)
    members = region_numbers(place.la_number)
    view = region_view(db, measure, place.area)
    table = view.table.assign(la=view.table["area code"].map(numbers))

    # Every current LA of the region is listed, with a figure or not.
    assert set(table.la) == members
    assert view.period == latest and view.previous == previous
    in_region = national[national.index.isin(members)]
    rows = table.set_index("la")
    for la in members - set(in_region.index):
        assert rows.loc[la, "figure"] == NO_FIGURE and pd.isna(rows.loc[la, "value"])
    assert rows.loc[list(in_region.index), "value"].tolist() == pytest.approx(
        in_region.tolist()
    )
    assert rows.loc[list(in_region.index), "rank in region"].tolist() == (
        competition_rank(in_region, polarity).tolist()
    )
    national_rank = competition_rank(national, polarity)
    assert rows.loc[list(in_region.index), "national rank"].tolist() == (
        national_rank[in_region.index].tolist()
    )
    before = raw()[(raw()["Short Desc"] == measure) & (raw().Years == previous)]
    before = before.set_index("la").number
    for la, value in in_region.items():
        if la in before.index and pd.notna(before[la]):
            assert rows.loc[la, "change"] == pytest.approx(value - before[la])
        else:
            assert pd.isna(rows.loc[la, "change"])
    # Sorted by rank in the region, the focus LA marked, the chart drawn.
    ranked = table["rank in region"].dropna().tolist()
    assert ranked == sorted(ranked)
    assert table[table.focus != ""]["area code"].tolist() == [place.code]
    assert view.chart is not None and place.name in view.chart.title


def group_means(
    measure: str, members: set[int], statistic: str = "mean"
) -> pd.DataFrame:
    """A group's mean or median and count by Years, from the raw file."""
    rows = raw()[(raw()["Short Desc"] == measure) & raw().la.isin(members)]
    rows = rows.dropna(subset=["number"])
    grouped = rows.groupby("Years").number
    return pd.DataFrame({"value": grouped.agg(statistic), "n": grouped.count()})


def drawn_group(db, measure: str, place: areas.TestArea, spec: str, statistic: str):
    """The group's line as the comparator series computes it, by period label."""
    group = db.comparison_group(spec, place.code, statistic)
    series = db.comparator_series(measure, place.code, group=group)
    line = series[series.role == "neighbours"].set_index("period_label")
    return group, line


@pytest.mark.parametrize("statistic", ["mean", "median"])
@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
def test_region_group_figure_matches_raw_lait(db, measure, place, statistic):
    members = region_numbers(place.la_number) - {place.la_number}
    expected = group_means(measure, members, statistic)
    group, line = drawn_group(db, measure, place, "region", statistic)
    assert len(group.members) == len(members)
    assert set(line.index) == set(expected.index)
    for label, row in expected.iterrows():
        assert line.loc[label, "value"] == pytest.approx(row.value)
        assert line.loc[label, "n_neighbours"] == row.n
        assert line.loc[label, "locator"].startswith(f"{statistic} of {int(row.n)} ")


@pytest.mark.parametrize("spec", ["outstanding", "good_or_better"])
@pytest.mark.parametrize("measure", MEASURES)
def test_graded_group_mean_matches_raw_lait(db, numbers, measure, spec):
    grades = db.latest_grades()
    worst = 1 if spec == "outstanding" else 2
    codes = set(grades[grades.grade_rank <= worst].area_code) - {DONCASTER.code}
    members = {int(numbers[c]) for c in codes}
    expected = group_means(measure, members)
    group, line = drawn_group(db, measure, DONCASTER, spec, "mean")
    assert set(group.members) == codes and DONCASTER.code not in group.members
    latest = expected.index.max()
    assert line.loc[latest, "value"] == pytest.approx(expected.value[latest])
    assert line.loc[latest, "n_neighbours"] == expected.n[latest]
    assert "as at" in group.basis and group.series.endswith("(mean)")


def test_focus_la_never_in_its_own_group(db):
    for spec in (
        "region",
        "outstanding",
        "good_or_better",
        "same_type",
        "neighbours_2025",
    ):
        group = db.comparison_group(spec, "E08000035", "mean")  # Leeds: outstanding
        assert "E08000035" not in group.members and group.members
    own = db.comparison_group("E08000035,E08000017,E08000018", "E08000017")
    assert own.members == ("E08000035", "E08000018")


def test_own_group_refuses_unknown_codes_and_more_than_fifteen(db):
    with pytest.raises(ValueError, match="E08000016"):
        db.comparison_group("E08000016,E08000017", DONCASTER.code)
    codes = ",".join(db.local_authorities().area_code[:16])
    with pytest.raises(ValueError, match="at most 15"):
        db.comparison_group(codes, DONCASTER.code)


def test_region_view_for_an_area_of_another_region(db):
    view = region_view(db, "ReReferral", Area(BARNET.code, BARNET.name))
    assert view.region == "Outer London"
    assert "Outer London" in view.chart.subtitle


@pytest.mark.parametrize("measure", ["ReReferral", "Continue_Assess_Comp"])
def test_scorecard_reference_is_the_chosen_groups_figure(db, measure):
    members = region_numbers(DONCASTER.la_number) - {DONCASTER.la_number}
    expected = group_means(measure, members, "median")
    options = ChartOptions(group="region", stat="median")
    card = scorecard(db, DONCASTER.area, "2025", options)
    row = card.table.set_index("metric_id").loc[measure]
    assert row.neighbours == pytest.approx(expected.value[expected.index.max()])
    default = scorecard(db, DONCASTER.area).table.set_index("metric_id")
    assert default.loc[measure].neighbours != pytest.approx(row.neighbours)


@pytest.fixture(scope="module")
def names(db) -> dict[str, str]:
    las = db.local_authorities()
    return dict(zip(las.area_code, las.area_name))


def test_a_saved_group_loads_back(names):
    codes = ("E08000035", "E08000018", DONCASTER.code)
    saved = group_file(codes, names)
    assert saved.decode().splitlines()[:2] == [
        "area_code,local_authority",
        "E08000035,Leeds",
    ]
    assert read_group_file(saved, "group.csv", names) == codes


@pytest.mark.parametrize(
    "text, row, column, words",
    [
        ("area_code,local_authority\nE08000035,Leeds\nE99,x\n", 3, "area_code", "E99"),
        ("area_code,la\nE08000035,Leeds\n", 1, "la", "not expected"),
        ("local_authority\nLeeds\n", 1, "area_code", "missing"),
        (
            "area_code,local_authority\nE08000035,Leeds\nE08000035,Leeds\n",
            3,
            "area_code",
            "listed before",
        ),
    ],
)
def test_a_bad_group_file_is_refused_naming_row_and_column(
    names, text, row, column, words
):
    with pytest.raises(FileRejected) as refused:
        read_group_file(text.encode(), "group.csv", names)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (row, column) and words in problem.detail
    assert "group.csv" in str(refused.value)


def test_a_group_file_over_fifteen_las_or_too_large_or_not_csv_is_refused(names):
    sixteen = group_file(tuple(names)[:16], names)
    with pytest.raises(FileRejected, match="at most 15 local authorities"):
        read_group_file(sixteen, "g.csv", names)
    with pytest.raises(FileRejected, match="at most 4,096 bytes"):
        read_group_file(b"area_code,local_authority\n" + b"x" * 5000, "g.csv", names)
    with pytest.raises(FileRejected, match="only .csv"):
        read_group_file(b"area_code\n", "g.txt", names)


def test_own_table_matches_raw_lait(db, numbers, names):
    codes = "E08000035,E08000018,E06000014"  # Leeds, Rotherham, York
    own = own_table(db, tuple(MEASURES), DONCASTER.area, "2025", codes)
    table = own.table.assign(la=own.table["area code"].map(numbers)).set_index("la")
    members = {int(numbers[c]) for c in codes.split(",")} | {DONCASTER.la_number}
    assert set(table.index) == members
    for measure, polarity in MEASURES.items():
        latest, national, _ = latest_values(measure, published=True)
        label = db.metric(measure)["label"]
        mine = national[national.index.isin(members)]
        assert table.loc[mine.index, f"{label}: {latest}"].tolist() == pytest.approx(
            mine.tolist()
        )
        ranks = competition_rank(mine, polarity)
        assert table.loc[mine.index, f"{label}: rank in group"].tolist() == (
            ranks.tolist()
        )
    assert table.focus[DONCASTER.la_number] == "focus LA"
    with pytest.raises(ValueError, match="1 to 5 measures"):
        own_table(db, ("a", "b", "c", "d", "e", "f"), DONCASTER.area)


@pytest.mark.parametrize("measure", ["ReReferral", "Continue_Assess_Comp"])
@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
def test_same_type_group_mean_matches_raw_lait(db, measure, place):
    codes = pd.read_excel(RAW / "lait_la_code_list.xlsx", engine="openpyxl")
    kind = dict(zip(codes["LA Number"], codes["Type"]))
    members = {
        n for n in current_la_numbers() if kind.get(n) == kind[place.la_number]
    } - {place.la_number}
    expected = group_means(measure, members)
    group, line = drawn_group(db, measure, place, "same_type", "mean")
    assert len(group.members) == len(members)
    latest = expected.index.max()
    assert line.loc[latest, "value"] == pytest.approx(expected.value[latest])
    assert line.loc[latest, "n_neighbours"] == expected.n[latest]
