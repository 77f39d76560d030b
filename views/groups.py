"""The region view and a reader's own table: a measure for every LA of a group in the
latest year, computed without Streamlit.

``region_view`` lists every current LA of the focus LA's region (value, rank in the
region and nationally, quartile band, change, latest Ofsted grade) and draws their
series with the focus LA, the region and England on top. An LA without a figure
is listed as such, never left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from charts.frame import Chart
from metrics.areas import Area
from metrics.formatting import as_at, decimals, fmt, ordinal, slugify
from metrics.grades import grade_label
from metrics.loading.files import (
    FILE_RULES,
    Limits,
    clean_file_name,
    read_cells,
    reject,
)
from metrics.queries import MAX_OWN, Database
from metrics.ranking import benchmark, direction, rank_values
from views.comparators import chosen_group, comparator_figure, compare
from views.options import ChartOptions

NO_FIGURE = "no figure"  # what the table says of an LA without a value


@dataclass
class RegionView:
    """Every current LA of the focus LA's region on one measure, latest year."""

    region: str
    label: str
    period: str | None = None
    previous: str | None = None
    table: pd.DataFrame | None = None  # one row per LA, rank in region first
    chart: Chart | None = None
    summary: str = ""
    messages: list[str] = field(default_factory=list)
    slug: str = ""  # the downloads' file name
    about: dict[str, str] = field(default_factory=dict)  # the Excel file's About sheet


def grade_words(grade: object) -> str:
    """A latest Ofsted grade with its symbol, or that none is held."""
    return grade_label(grade) if isinstance(grade, str) else "— none held"


def latest_table(
    db: Database, measure: str, codes: list[str], focus: str
) -> tuple[pd.DataFrame, str | None, str | None]:
    """Some LAs' latest figures of a measure: value, rank among them and nationally,
    quartile band (national), the previous value and the change, the latest Ofsted
    grade; with the latest and previous periods' labels."""
    meta = db.metric(measure)
    polarity, quartiles_apply = meta["polarity"], bool(meta["quartiles_apply"])
    raw = db.ranking(measure)
    columns = ["area_code", "area_name", "value", "previous_value"]
    if raw.empty:
        names = db.current_las(codes)
        return names.assign(value=None, previous_value=None), None, None
    national, _ = benchmark(raw, focus, polarity, quartiles_apply)
    rows = national[national.area_code.isin(codes)]
    rows = rows.rename(columns={"rank": "national_rank"})
    rows = rows[columns + ["national_rank", "band", "change", "locator"]]
    rows = rows.assign(group_rank=rank_values(rows.value, polarity))
    grades = db.latest_grades()[["area_code", "overall_grade", "published"]]
    rows = rows.merge(grades, on="area_code", how="left")
    order = rows.group_rank.astype("Float64").fillna(float("inf"))
    rows = rows.assign(_order=order).sort_values(["_order", "area_name"])
    previous = raw.previous_label.iloc[0]
    return (
        rows.drop(columns="_order").reset_index(drop=True),
        raw.period_label.iloc[0],
        previous if isinstance(previous, str) else None,
    )


def shown_table(
    rows: pd.DataFrame,
    focus: str,
    period: str,
    previous: str | None,
    rank_name: str,
    source: str,
) -> pd.DataFrame:
    """The table as a page lists it and its downloads hold it."""
    return pd.DataFrame(
        {
            "local authority": rows.area_name,
            "area code": rows.area_code,
            "focus": ["focus LA" if c == focus else "" for c in rows.area_code],
            "period": period,
            "value": rows.value,
            "figure": ["" if pd.notna(v) else NO_FIGURE for v in rows.value],
            rank_name: rows.group_rank,
            "national rank": rows.national_rank,
            "quartile band (national)": rows.band,
            "previous period": previous,
            "previous value": rows.previous_value,
            "change": rows.change,
            "latest Ofsted grade": [grade_words(g) for g in rows.overall_grade],
            "grade published": rows.published,
            "locator": rows.locator,
            "source": source,
        }
    )


def region_view(db: Database, measure: str, area: Area) -> RegionView:
    """Every current LA of the focus LA's region on a measure in its latest year, and
    a chart of their series with the focus LA, the region and England on top."""
    meta = db.metric(measure)
    members = db.region_members(area.code)
    region = members.region_name.iloc[0] if len(members) else "its region"
    view = RegionView(region=region, label=meta["label"])
    rows, view.period, view.previous = latest_table(
        db, measure, list(members.area_code), area.code
    )
    group = db.comparison_group("region", area.code)
    comparison = compare(
        db, measure, area, group, ChartOptions(shown=("england", "region", "each"))
    )
    if view.period is None:
        view.messages.append(f"No current LA has a published value of {view.label}.")
        return view
    source = comparator_source(meta, measure)
    view.table = shown_table(
        rows, area.code, view.period, view.previous, "rank in region", source
    )
    dps = decimals(meta.get("dps"))
    view.summary = region_summary(rows, area, region, view.period, meta, dps)
    view.slug = slugify(area.name, measure, "region", view.period)
    view.about = {
        "title": view.summary,
        "measure": f"{view.label} ({measure})",
        "local authorities": f"every current LA in {region} ({len(rows)})",
        "source": source,
    }
    if comparison.series.dropna(subset=["value"]).empty:
        view.messages.append(f"No published values of {view.label} in {region}.")
        return view
    view.chart = comparator_figure(comparison, view.summary, slug=("region",))
    return view


def comparator_source(meta: dict, measure: str) -> str:
    """The measure's source and code, as a table's source column gives it."""
    when = as_at(meta.get("last_updated")) or as_at(meta.get("published"))
    return f"{meta['source_title']} ({measure})" + (f"; as at {when}" if when else "")


def region_summary(
    rows: pd.DataFrame, area: Area, region: str, period: str, meta: dict, dps: int
) -> str:
    """The region view's message: where the focus LA ranks in its region."""
    focus = rows[rows.area_code == area.code]
    ranked = int(rows.group_rank.notna().sum())
    if focus.empty or pd.isna(focus.group_rank.iloc[0]):
        return f"{area.name} has no figure for {period}; {ranked} LAs in {region} do"
    rank = int(focus.group_rank.iloc[0])
    value = fmt(focus.value.iloc[0], dps)
    if meta["polarity"] in ("higher", "lower"):
        return f"{area.name} ranks {ordinal(rank)} of {ranked} in {region}, {period}"
    return (
        f"{area.name} is {ordinal(rank)} highest of {ranked} in {region}, {period} "
        f"({value}; {direction(meta['polarity'])})"
    )


# --- a group saved to and loaded from a small file -------------------------------

MAX_GROUP_BYTES = 4_096  # 15 rows of a code and a name are under 1 kB
# Its size and its number of LAs have rules of their own below.
GROUP_FILE = Limits((".csv",), max_bytes=1_048_576, max_rows=1_000)
GROUP_COLUMNS = ("area_code", "local_authority")
GROUP_RULES = {
    **FILE_RULES,
    "columns": (
        "a group file has the column area_code (and may have local_authority)",
        "save the group again from the dashboard, or put area_code and "
        "local_authority in row 1",
    ),
    "unknown_la": (
        "each area_code must be the ONS code of a current English local authority",
        "check the code against the Sources page's list, or choose the LA by name "
        "and save the group again",
    ),
    "group_too_large": (
        f"a group file may be at most {MAX_GROUP_BYTES:,} bytes",
        "save the group again from the dashboard: it writes only the codes and names",
    ),
    "too_many_las": (
        f"a group has at most {MAX_OWN} local authorities",
        "remove rows, or save two groups",
    ),
    "repeated_la": (
        "each local authority may be listed once",
        "remove the repeated row",
    ),
}


def group_file(codes: tuple[str, ...], names: dict[str, str]) -> bytes:
    """A group's definition as a small CSV file (area_code, local_authority)."""
    frame = pd.DataFrame(
        {"area_code": list(codes), "local_authority": [names[c] for c in codes]}
    )
    return frame.to_csv(index=False).encode("utf-8")


def read_group_file(
    content: bytes, file_name: str, names: dict[str, str]
) -> tuple[str, ...]:
    """The LA codes of a group file, checked like any upload (type, size, at most 15
    rows, its columns, current LA codes listed once); FileRejected names the file,
    row and column of the first problem and nothing is taken from the file."""
    file = clean_file_name(file_name)
    if len(content) > MAX_GROUP_BYTES:
        detail = f"the file is {len(content):,} bytes"
        raise reject(file, None, None, "group_too_large", detail, rules=GROUP_RULES)
    cells = read_cells(content, file_name, GROUP_FILE)
    missing = [c for c in GROUP_COLUMNS[:1] if c not in cells.columns]
    extra = [c for c in cells.columns if c not in GROUP_COLUMNS]
    if missing or extra:
        column = (missing or extra)[0]
        detail = f"column {column} is {'missing' if missing else 'not expected'}"
        raise reject(file, 1, column, "columns", detail, rules=GROUP_RULES)
    if len(cells) > MAX_OWN:
        row = int(cells.index[MAX_OWN])
        detail = f"the file lists {len(cells)} local authorities"
        raise reject(file, row, "area_code", "too_many_las", detail, rules=GROUP_RULES)
    codes: list[str] = []
    for row, code in cells.area_code.str.strip().items():
        if code not in names:
            detail = f"'{code}' is not a current LA's code"
            raise reject(
                file, row, "area_code", "unknown_la", detail, rules=GROUP_RULES
            )
        if code in codes:
            detail = f"'{code}' is listed before"
            raise reject(
                file, row, "area_code", "repeated_la", detail, rules=GROUP_RULES
            )
        codes.append(code)
    return tuple(codes)


# --- a reader's own table: up to 5 measures across a group's LAs -----------------

MAX_MEASURES = 5


@dataclass
class OwnTable:
    """Up to five measures across a comparison group's LAs and the focus LA: each
    measure's latest value, change on the previous period and rank in the group."""

    title: str
    group: str  # the group in words
    table: pd.DataFrame  # one row per LA, the focus LA marked
    source: str
    slug: str
    notes: list[str] = field(default_factory=list)  # per measure: period, polarity
    measures: list[tuple[str, str, str | None]] = field(default_factory=list)
    area_code: str = ""  # the focus LA's

    @property
    def about(self) -> dict[str, str]:
        """What the Excel file's About sheet says."""
        return {"title": self.title, "group": self.group, "source": self.source}


def own_table(
    db: Database,
    measures: tuple[str, ...],
    area: Area,
    model: str = "2025",
    group: str = "",
) -> OwnTable:
    """Up to five measures for the focus LA and its comparison group (by default its
    statistical neighbours under ``model``); an LA without a figure says so."""
    if not 1 <= len(measures) <= MAX_MEASURES:
        raise ValueError(f"choose 1 to {MAX_MEASURES} measures, not {len(measures)}")
    chosen = chosen_group(db, area, model, ChartOptions(group=group))
    codes = [area.code, *chosen.members]
    names = db.current_las(codes)
    frame = pd.DataFrame(
        {
            "local authority": names.area_name,
            "area code": names.area_code,
            "focus": ["focus LA" if c == area.code else "" for c in names.area_code],
        }
    )
    sources, notes, parts = [], [], []
    for measure in measures:
        meta = db.metric(measure)
        rows, period, previous = latest_table(db, measure, codes, area.code)
        rows = rows.set_index("area_code").reindex(names.area_code)
        label = meta["label"]
        frame[f"{label}: {period}"] = rows.value.to_numpy()
        frame[f"{label}: change on {previous}"] = rows.change.to_numpy()
        frame[f"{label}: rank in group"] = rows.group_rank.to_numpy()
        sources.append(comparator_source(meta, measure))
        parts.append((label, period, previous))
        notes.append(
            f"{label} ({measure}): {period}, {direction(meta['polarity'])}; "
            f"{int(rows.value.isna().sum())} of {len(rows)} LAs without a figure"
        )
    words = f"{area.name} and its comparison group, {chosen.name}"
    words += f" ({len(chosen.members)} LAs" + (
        f"; {chosen.basis})" if chosen.basis else ")"
    )
    what = "1 measure" if len(measures) == 1 else f"{len(measures)} measures"
    return OwnTable(
        title=f"{what} for {words}",
        group=words,
        table=frame,
        source="; ".join(sources),
        slug=slugify(area.name, "own-table", *measures),
        notes=notes,
        measures=parts,
        area_code=area.code,
    )
