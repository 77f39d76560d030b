"""Check a monthly return against every rule of its format (metrics.return_rules),
with pandera, and report each broken rule by file, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from metrics.return_rules import (
    COLUMN_ORDER,
    NOTE_MAX,
    PRECEDENCE,
    REQUIRED,
    RULES,
    ReturnRules,
)
from metrics.uploads import (
    CHILD_LEVEL,
    FORMULA,
    ISO_DATE,
    MARKUP,
    NUMBER,
    FileProblem,
    FileRejected,
    ValidFile,
    clean_file_name,
    read_cells,
    reject,
    show,
)


class _Derived:
    """Typed views of a return's cells that the checks and messages share."""

    def __init__(
        self,
        cells: pd.DataFrame,
        rules: ReturnRules,
        areas: dict[str, str],
        current: pd.DataFrame,
        default_area: str,
        today: dt.date,
    ):
        def text(column: str) -> pd.Series:
            if column in cells.columns:
                return cells[column].astype(str).str.strip()
            return pd.Series("", index=cells.index, dtype=object)

        self.text = {c: text(c) for c in COLUMN_ORDER}
        self.today = pd.Timestamp(today)
        self.rules = rules
        period = self.text["period_end"]
        self.period = pd.to_datetime(
            period.where(period.str.fullmatch(ISO_DATE)),
            format="%Y-%m-%d",
            errors="coerce",
        )
        self.metric = self.text["metric_id"]
        self.kind = self.metric.map(rules.kinds)
        by_lower = {s.lower(): s for s in rules.service_areas}
        self.service_area = self.text["service_area"].str.lower().map(by_lower)
        code = self.text["area_code"].str.upper()
        self.area_known = code.isin(list(areas))
        self.area = code.where(code != "", default_area)
        value = self.text["value"]
        number = pd.to_numeric(
            value.where(value.str.fullmatch(NUMBER)), errors="coerce"
        ).astype(float)
        self.number = number.where(number.abs() < 1e15)  # 1e400 reads as infinity
        self.key = pd.DataFrame(
            {
                "period_end": self.period,
                "metric_id": self.metric,
                "service_area": self.service_area.fillna("").where(
                    self.text["service_area"] == "", self.service_area
                ),
                "area_code": self.area,
            },
            index=cells.index,
        )
        self.first_row = self._first_rows()
        self.repeats = list(
            self.first_row[self.first_row != self.first_row.index].index
        )
        self.above = self._above(current)

    def _first_rows(self) -> pd.Series:
        """For each row repeating an earlier row's key, that earlier row."""
        key = self.key.dropna()
        first = key.reset_index().groupby(list(key.columns), dropna=False)["row"]
        return pd.Series(first.transform("min").values, index=key.index)

    def _above(self, current: pd.DataFrame) -> dict[int, str]:
        """Rows whose figure breaks an 'out of timescale <= in progress' rule."""
        file = pd.DataFrame(
            {
                "metric_id": self.metric,
                "area_code": self.area,
                "period_end": self.period.dt.strftime("%Y-%m-%d"),
                "service_area": self.key.service_area,
                "value": self.number,
                "row": self.key.index,
            }
        ).dropna(subset=["period_end", "service_area", "value"])
        file = file[file.metric_id.isin(list(self.rules.kinds))]
        loaded = current.assign(
            period_end=pd.to_datetime(current.period_end).dt.strftime("%Y-%m-%d"),
            service_area=current.service_area.fillna(""),
            row=pd.NA,
        )[file.columns]
        keys = ["metric_id", "area_code", "period_end", "service_area"]
        loaded = loaded.merge(file[keys], on=keys, how="left", indicator=True)
        loaded = loaded[loaded._merge == "left_only"].drop(columns="_merge")
        after = pd.concat([file, loaded], ignore_index=True)
        found: dict[int, str] = {}
        for smaller, larger in self.rules.not_above.items():
            pairs = after[after.metric_id == smaller].merge(
                after[after.metric_id == larger],
                on=["area_code", "period_end", "service_area"],
                suffixes=("", "_limit"),
            )
            for p in pairs[pairs.value > pairs.value_limit].itertuples():
                where = (
                    f"row {int(p.row_limit)}"
                    if pd.notna(p.row_limit)
                    else "already loaded"
                )
                if pd.notna(p.row):
                    found[int(p.row)] = (
                        f"{p.metric_id} {p.value:g} is above {larger} "
                        f"{p.value_limit:g} ({where})"
                    )
                else:
                    found[int(p.row_limit)] = (
                        f"{larger} {p.value_limit:g} is below {p.metric_id} "
                        f"{p.value:g} (already loaded)"
                    )
        return found


def _schema(d: _Derived):
    """The pandera schema of a return, its checks closing over the typed views."""
    import pandera.pandas as pa

    def check(rule: str, fn, **kw) -> pa.Check:
        return pa.Check(fn, name=rule, **kw)

    def text_checks(column: str) -> list:
        formula = check("formula", lambda s: ~s.astype(str).str.contains(FORMULA))
        if column == "value":
            formula = check(
                "formula",
                lambda s: ~s.astype(str).str.contains(FORMULA) | d.number.notna(),
            )
        return [formula, check("markup", lambda s: ~s.astype(str).str.contains(MARKUP))]

    def filled(column: str):
        return check("required", lambda s: d.text[column] != "")

    t = d.text
    columns = {
        "period_end": [
            filled("period_end"),
            check("not_a_date", lambda s: (t["period_end"] == "") | d.period.notna()),
            check(
                "not_month_end", lambda s: d.period.isna() | d.period.dt.is_month_end
            ),
            check("future_date", lambda s: d.period.isna() | (d.period <= d.today)),
        ],
        "metric_id": [
            filled("metric_id"),
            check("unknown_metric", lambda s: (t["metric_id"] == "") | d.kind.notna()),
        ],
        "service_area": [
            check(
                "unknown_service_area",
                lambda s: (t["service_area"] == "") | d.service_area.notna(),
            )
        ],
        "area_code": [
            check("unknown_area", lambda s: (t["area_code"] == "") | d.area_known)
        ],
        "value": [
            filled("value"),
            check("not_a_number", lambda s: (t["value"] == "") | d.number.notna()),
            check("negative", lambda s: ~((d.number < 0) & (d.kind != "number"))),
        ],
        "note": [check("note_too_long", lambda s: t["note"].str.len() <= NOTE_MAX)],
    }
    wide = [
        check(
            "not_whole",
            lambda df: ~((d.kind == "count") & (d.number % 1 != 0) & d.number.notna()),
        ),
        check("percent_range", lambda df: ~((d.kind == "percent") & (d.number > 100))),
        check(
            "service_area_required",
            lambda df: (
                ~(
                    (d.metric.map(d.rules.service_area_rule) == "required")
                    & (t["service_area"] == "")
                )
            ),
        ),
        check("not_above", lambda df: pd.Series(~df.index.isin(d.above), df.index)),
        check(
            "duplicate_key",
            lambda df: pd.Series(~df.index.isin(d.repeats), df.index),
        ),
    ]
    return pa.DataFrameSchema(
        {
            c: pa.Column(
                None, checks=text_checks(c) + columns[c], required=c in REQUIRED
            )
            for c in COLUMN_ORDER
        },
        checks=wide,
        strict=True,
    )


WIDE_COLUMN = {
    "not_whole": "value",
    "percent_range": "value",
    "service_area_required": "service_area",
    "not_above": "value",
    "duplicate_key": "metric_id",
}


def _detail(d: _Derived, rule: str, row: int, column: str) -> str:
    """What is wrong with one cell, in words, showing the value where it helps."""
    cell = d.text[column][row] if column in d.text else ""
    metric = d.metric[row]
    return {
        "formula": f"{show(cell)} starts with {cell.strip()[:1]!r}",
        "markup": f"{show(cell)} contains markup",
        "required": "the cell is blank",
        "not_a_date": f"{show(cell)} is not a date",
        "not_month_end": f"{cell} is not the last day of its month",
        "future_date": f"{cell} is after today ({d.today:%Y-%m-%d})",
        "unknown_metric": f"{show(cell)} is not a measure of the data dictionary",
        "unknown_service_area": f"{show(cell)} is not a listed service area",
        "unknown_area": f"{show(cell)} is not an English local authority code",
        "not_a_number": f"{show(cell)} is not a number",
        "negative": f"{cell} is below zero",
        "not_whole": f"{cell} is not a whole number and {metric} is a count",
        "percent_range": f"{cell} is above 100 and {metric} is a percentage",
        "service_area_required": f"{metric} has no service_area",
        "note_too_long": f"the note has {len(cell)} characters",
        "not_above": d.above.get(row, ""),
        "duplicate_key": f"row {row} repeats the period_end, metric_id, "
        f"service_area and area_code of row {d.first_row.get(row)}",
    }[rule]


def validate(
    content: bytes,
    file_name: str,
    rules: ReturnRules,
    areas: dict[str, str],
    current: pd.DataFrame,
    default_area: str,
    today: dt.date | None = None,
) -> ValidFile:
    """Check a return against every rule; raise FileRejected listing each breach.

    ``areas`` maps the local authority codes a return may name to their names;
    ``current`` holds the figures already loaded (metric_id, area_code, period_end,
    service_area, value), so a return cannot leave out-of-timescale counts above the
    in-progress counts they belong to.
    """
    import pandera.pandas as pa

    file = clean_file_name(file_name)
    if default_area not in areas:
        raise reject(
            file, None, None, "unknown_area", f"default area {default_area!r}", RULES
        )
    cells = read_cells(content, file_name)
    d = _Derived(cells, rules, areas, current, default_area, today or dt.date.today())
    try:
        _schema(d).validate(cells, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise FileRejected(_problems(exc.failure_cases, d, file)) from None
    return ValidFile(
        file_name=file,
        extension=Path(file).suffix.lower(),
        content=content,
        rows=pd.DataFrame(
            {
                "row": cells.index.astype(int),
                "period_end": d.period.dt.date,
                "metric_id": d.metric,
                "service_area": d.service_area.where(d.service_area.notna(), None),
                "area_code": d.area,
                "value": d.number,
                "note": d.text["note"].where(d.text["note"] != "", None),
            }
        ).reset_index(drop=True),
    )


def _problems(failures: pd.DataFrame, d: _Derived, file: str) -> list[FileProblem]:
    """One problem per broken cell (the first rule in RULES order), in sheet order."""
    found: dict[tuple[int, str], str] = {}
    for f in failures.itertuples():
        if f.check == "column_in_dataframe":
            found[(1, f.failure_case)] = "missing_column"
        elif f.check == "column_in_schema":
            found[(1, f.failure_case)] = "unknown_column"
        elif f.index is None or pd.isna(f.index):
            # A check that raised instead of returning a verdict: a bug, not the file.
            raise RuntimeError(f"return check {f.check!r} failed: {f.failure_case}")
        elif f.check in WIDE_COLUMN:
            key = (int(f.index), WIDE_COLUMN[f.check])
            found.setdefault(key, f.check)
        elif f.check in RULES:
            key = (int(f.index), f.column)
            if key not in found or PRECEDENCE[f.check] < PRECEDENCE[found[key]]:
                found[key] = f.check
    problems = []
    for (row, column), rule in found.items():
        if rule == "missing_column":
            detail = f"there is no column named {column!r}"
        elif rule == "unknown_column":
            detail = f"{column!r} is not a column of the monthly return"
            if CHILD_LEVEL.search(column):
                detail += " and looks like child-level data"
        else:
            detail = _detail(d, rule, row, column)
        problems.append(FileProblem(file, row, column, rule, detail, RULES))
    order = {c: i for i, c in enumerate(COLUMN_ORDER)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, -1)))
