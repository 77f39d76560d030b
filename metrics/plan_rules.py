"""The improvement plan's targets file: its columns, the rules each cell follows, and
the check that reports every broken rule by file, row and column.

One row per checkpoint: metric_id, area_code (blank: the area chosen when loading),
due (a month end), target, direction ("at least" or "at most"; blank: from the
measure's polarity) and note. Several rows of one measure and area are its
trajectory. docs/TARGETS.md says the same for the people who fill it in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.return_rules import VALUE_KINDS
from metrics.uploads import (
    CELL_RULES,
    CHILD_LEVEL,
    FILE_RULES,
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

COLUMNS = ["metric_id", "area_code", "due", "target", "direction", "note"]
REQUIRED = ["metric_id", "due", "target"]
TEMPLATE_COLUMNS = ["metric_id", "due", "target", "direction", "note"]
DIRECTIONS = ("at least", "at most")
BY_POLARITY = {"higher": "at least", "lower": "at most"}
NOTE_MAX = 500

RULES: dict[str, tuple[str, str]] = {
    **FILE_RULES,
    "missing_column": (
        "columns metric_id, due and target are required",
        "add the missing column to row 1 (see the targets template)",
    ),
    "unknown_column": (
        "only the columns metric_id, area_code, due, target, direction and note are "
        "accepted; a plan holds aggregate targets and must never contain child-level "
        "data (names, dates of birth or identifiers)",
        "delete the column; if it holds details of individual children, delete the "
        "file too and tell your information governance lead",
    ),
    **CELL_RULES,
    "required": (
        "metric_id, due and target must each have a value in every row",
        "fill in the cell, or delete the row if it is not a checkpoint",
    ),
    "unknown_metric": (
        "metric_id must be a measure of the data dictionary",
        "use an id listed in the targets template's Guidance sheet or on the Sources "
        "and caveats page (e.g. Continue_Assess_Comp, ReReferral, sw_caseload_fte)",
    ),
    "unknown_area": (
        "area_code must be blank or the ONS code of an English local authority",
        "leave area_code blank to use the area chosen when loading, or give an ONS "
        "code such as E08000017",
    ),
    "not_a_date": (
        "due must be a date written YYYY-MM-DD",
        "write the date as year-month-day, e.g. 2027-03-31",
    ),
    "not_month_end": (
        "due must be the last day of a month",
        "give the last day of the month the checkpoint falls in, e.g. 2027-03-31",
    ),
    "not_a_number": (
        "target must be a number",
        "write digits only, with a decimal point if needed: no % signs, units or "
        "words (e.g. 90 or 17.5)",
    ),
    "target_range": (
        "a target must be a value the measure can take: a percentage from 0 to 100, "
        "a count a whole number 0 or more, a rate or average 0 or more",
        "give the target in the measure's own unit (90 for 90%, not 0.9)",
    ),
    "unknown_direction": (
        "direction must be blank, 'at least' or 'at most'",
        "write 'at least' when the figure must reach the target or more, 'at most' "
        "when it must not exceed it; leave it blank to follow the measure's polarity",
    ),
    "direction_required": (
        "a measure with no better direction (neutral polarity) needs a direction",
        "write 'at least' or 'at most' in the direction column",
    ),
    "note_too_long": (
        f"a note may be at most {NOTE_MAX} characters",
        "shorten the note",
    ),
    "duplicate_checkpoint": (
        "each metric_id, area_code and due may appear once in a file",
        "keep one row per checkpoint; to change a target already loaded, load a new "
        "file with the new value (it is kept as a revision)",
    ),
}
PRECEDENCE = {rule: i for i, rule in enumerate(RULES)}


def in_range(kind: str | None, value: float) -> bool:
    """Whether a target is a value a measure of this kind can take."""
    if kind == "number":
        return True
    if value < 0:
        return False
    if kind == "percent":
        return value <= 100
    if kind == "count":
        return float(value).is_integer()
    return True


def _text(cells: pd.DataFrame, column: str) -> pd.Series:
    if column in cells.columns:
        return cells[column].astype(str).str.strip()
    return pd.Series("", index=cells.index, dtype=object)


def validate_plan(
    content: bytes,
    file_name: str,
    areas: dict[str, str],
    kinds: dict[str, str],
    polarity: dict[str, str],
    default_area: str,
) -> ValidFile:
    """Check a targets file against every rule; raise FileRejected listing each breach.

    ``areas`` maps the local authority codes a plan may name to their names;
    ``kinds`` and ``polarity`` give each measure's value kind and polarity.
    """
    file = clean_file_name(file_name)
    if default_area not in areas:
        raise reject(
            file, None, None, "unknown_area", f"default area {default_area!r}", RULES
        )
    cells = read_cells(content, file_name)
    found: dict[tuple[int, str | None], tuple[str, str]] = {}

    def fault(row: int, column: str | None, rule: str, detail: str) -> None:
        key = (row, column)
        if key not in found or PRECEDENCE[rule] < PRECEDENCE[found[key][0]]:
            found[key] = (rule, detail)

    for column in cells.columns:
        if column not in COLUMNS:
            detail = f"{column!r} is not a column of the targets file"
            if CHILD_LEVEL.search(column):
                detail += " and looks like child-level data"
            fault(1, column, "unknown_column", detail)
    for column in REQUIRED:
        if column not in cells.columns:
            fault(1, column, "missing_column", f"there is no column named {column!r}")
    if found:
        raise FileRejected(_sorted(found, file))

    text = {c: _text(cells, c) for c in COLUMNS}
    due = pd.to_datetime(
        text["due"].where(text["due"].str.fullmatch(ISO_DATE)),
        format="%Y-%m-%d",
        errors="coerce",
    )
    number = pd.to_numeric(
        text["target"].where(text["target"].str.fullmatch(NUMBER)), errors="coerce"
    ).astype(float)
    code = text["area_code"].str.upper()
    area = code.where(code != "", default_area)
    direction = text["direction"].str.lower().str.split().str.join(" ")
    for row in cells.index:
        for column in COLUMNS:
            cell = text[column][row]
            if FORMULA.search(cell) and not (
                column == "target" and pd.notna(number[row])
            ):
                fault(row, column, "formula", f"{show(cell)} starts with {cell[:1]!r}")
            elif MARKUP.search(cell):
                fault(row, column, "markup", f"{show(cell)} contains markup")
        for column in REQUIRED:
            if text[column][row] == "":
                fault(row, column, "required", "the cell is blank")
        metric = text["metric_id"][row]
        if metric and metric not in kinds:
            fault(
                row,
                "metric_id",
                "unknown_metric",
                f"{show(metric)} is not a measure of the data dictionary",
            )
        if code[row] and code[row] not in areas:
            fault(
                row,
                "area_code",
                "unknown_area",
                f"{show(text['area_code'][row])} is not an English local authority "
                "code",
            )
        if text["due"][row] and pd.isna(due[row]):
            fault(row, "due", "not_a_date", f"{show(text['due'][row])} is not a date")
        elif pd.notna(due[row]) and not due[row].is_month_end:
            fault(
                row,
                "due",
                "not_month_end",
                f"{text['due'][row]} is not the last day of its month",
            )
        if text["target"][row] and pd.isna(number[row]):
            fault(
                row,
                "target",
                "not_a_number",
                f"{show(text['target'][row])} is not a number",
            )
        elif pd.notna(number[row]) and metric in kinds:
            kind = kinds[metric]
            if not in_range(kind, number[row]):
                fault(
                    row,
                    "target",
                    "target_range",
                    f"{text['target'][row]} is not {VALUE_KINDS[kind]}, and {metric} "
                    f"is measured as {kind}",
                )
        given = direction[row]
        if given and given not in DIRECTIONS:
            fault(
                row,
                "direction",
                "unknown_direction",
                f"{show(text['direction'][row])} is not a direction",
            )
        elif not given and metric in polarity and polarity[metric] not in BY_POLARITY:
            fault(
                row,
                "direction",
                "direction_required",
                f"{metric} has no better direction, so the direction is blank",
            )
        if len(text["note"][row]) > NOTE_MAX:
            fault(
                row,
                "note",
                "note_too_long",
                f"the note has {len(text['note'][row])} characters",
            )
    key = pd.DataFrame(
        {"metric_id": text["metric_id"], "area_code": area, "due": due},
        index=cells.index,
    ).dropna()
    first = key.reset_index().groupby(list(key.columns))["row"].transform("min")
    for row, earlier in zip(key.index, first):
        if earlier != row:
            fault(
                row,
                "metric_id",
                "duplicate_checkpoint",
                f"row {row} repeats the metric_id, area_code and due of row {earlier}",
            )
    if found:
        raise FileRejected(_sorted(found, file))
    rows = pd.DataFrame(
        {
            "row": cells.index.astype(int),
            "metric_id": text["metric_id"],
            "area_code": area,
            "due": due.dt.date,
            "target": number,
            "direction": [
                d or BY_POLARITY.get(polarity.get(m, ""))
                for d, m in zip(direction, text["metric_id"])
            ],
            "direction_given": direction != "",
            "note": text["note"].where(text["note"] != "", None),
        }
    ).reset_index(drop=True)
    return ValidFile(file, Path(file).suffix.lower(), content, rows)


def _sorted(found: dict, file: str) -> list[FileProblem]:
    """The problems as FileProblems, in sheet order (row, then column order)."""
    order = {c: i for i, c in enumerate(COLUMNS)}
    problems = [
        FileProblem(file, row, column, rule, detail, RULES)
        for (row, column), (rule, detail) in found.items()
    ]
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, -1)))
