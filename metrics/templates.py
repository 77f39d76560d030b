"""Write the blank templates of the two files a performance team loads: the monthly
return and the improvement plan's targets file (CSV, and XLSX with a Guidance sheet
listing every measure and the rule its values follow). The committed copies are in
data/templates/; `python -m metrics template` writes them again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from metrics import plan_rules, return_rules
from metrics.config import DATA_DIR, DEFAULT_AREA, TEMPLATE_DIR
from metrics.queries import Database
from metrics.return_rules import VALUE_KINDS, load_rules

RETURN_STEM = "monthly_return_template"
TARGETS_STEM = "targets_template"
STEMS = {"monthly return": RETURN_STEM, "targets": TARGETS_STEM}
ROWS = 500  # rows of the XLSX sheet given a date format and drop-down lists


def _measures(db: Database) -> pd.DataFrame:
    """Every measure with its label, value kind and polarity, by id."""
    return db.df(
        "SELECT metric_id, label, value_kind, polarity FROM metrics ORDER BY metric_id"
    )


def _book(columns: list[str], widths: tuple[int, ...], sheet_title: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", widths):
        sheet.column_dimensions[letter].width = width
    guide = book.create_sheet("Guidance")
    return book, sheet, guide


def _finish(book, guide, path: Path) -> Path:
    from openpyxl.styles import Font

    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (40, 60, 36, 20, 36)):
        guide.column_dimensions[letter].width = width
    # Fixed, so that writing the template again gives the same bytes of content.
    book.properties.creator = "metrics.templates"
    book.properties.created = dt.datetime(2025, 1, 1)
    book.save(path)
    return path


def _list(formula: str, cells: str, blank: bool = False):
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1=formula, allow_blank=blank)
    validation.add(cells)
    return validation


def write_return_template(
    folder: Path, measures: pd.DataFrame, data_dir: Path = DATA_DIR
) -> list[Path]:
    """The monthly return's blank CSV and XLSX."""
    rules = load_rules(data_dir, dict(zip(measures.metric_id, measures.value_kind)))
    columns = return_rules.TEMPLATE_COLUMNS
    csv_path = folder / f"{RETURN_STEM}.csv"
    csv_path.write_text(",".join(columns) + "\n", encoding="utf-8")
    book, sheet, guide = _book(columns, (14, 40, 26, 12, 60), "Return")
    for row in range(2, ROWS + 2):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    guide.append(["metric_id", "label", "value", "service_area", "may not exceed"])
    for m in measures.itertuples():
        guide.append(
            [
                m.metric_id,
                m.label,
                VALUE_KINDS[rules.kinds[m.metric_id]],
                rules.service_area_rule.get(m.metric_id, "optional"),
                rules.not_above.get(m.metric_id, ""),
            ]
        )
    guide.append([])
    guide.append(["service_area"])
    first = guide.max_row + 1
    for team in rules.service_areas:
        guide.append([team])
    guide.append([])
    for line in (
        "One row per figure. period_end: last day of the month, YYYY-MM-DD. "
        "value: a number only, by the rule of its measure above.",
        "Optional column area_code: ONS code of the local authority; blank means "
        f"the area chosen when loading ({DEFAULT_AREA} by default).",
        "Figures loaded are local management information, shown as such beside the "
        "official statistics. Never add child-level data (names, dates of birth, "
        "identifiers). See docs/MONTHLY_RETURNS.md.",
    ):
        guide.append([line])
    last = len(measures) + 1
    sheet.add_data_validation(_list(f"=Guidance!$A$2:$A${last}", f"B2:B{ROWS + 1}"))
    teams = f"=Guidance!$A${first}:$A${first + len(rules.service_areas) - 1}"
    sheet.add_data_validation(_list(teams, f"C2:C{ROWS + 1}", blank=True))
    return [csv_path, _finish(book, guide, folder / f"{RETURN_STEM}.xlsx")]


def write_targets_template(folder: Path, measures: pd.DataFrame) -> list[Path]:
    """The targets file's blank CSV and XLSX."""
    columns = plan_rules.TEMPLATE_COLUMNS
    csv_path = folder / f"{TARGETS_STEM}.csv"
    csv_path.write_text(",".join(columns) + "\n", encoding="utf-8")
    book, sheet, guide = _book(columns, (40, 14, 12, 12, 60), "Targets")
    for row in range(2, ROWS + 2):
        sheet.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    guide.append(["metric_id", "label", "target", "direction when blank"])
    for m in measures.itertuples():
        guide.append(
            [
                m.metric_id,
                m.label,
                VALUE_KINDS[m.value_kind],
                plan_rules.BY_POLARITY.get(m.polarity, "required: no better direction"),
            ]
        )
    guide.append([])
    guide.append(["direction"])
    first = guide.max_row + 1
    for direction in plan_rules.DIRECTIONS:
        guide.append([direction])
    guide.append([])
    for line in (
        "One row per checkpoint: the measure, the month end it is due, the target. "
        "Several rows of one measure are its trajectory.",
        "direction: 'at least' or 'at most'; blank follows the measure's polarity "
        "(required where the measure has no better direction).",
        "Optional column area_code: ONS code of the local authority; blank means "
        f"the area chosen when loading ({DEFAULT_AREA} by default). See "
        "docs/TARGETS.md.",
    ):
        guide.append([line])
    last = len(measures) + 1
    sheet.add_data_validation(_list(f"=Guidance!$A$2:$A${last}", f"A2:A{ROWS + 1}"))
    ways = f"=Guidance!$A${first}:$A${first + len(plan_rules.DIRECTIONS) - 1}"
    sheet.add_data_validation(_list(ways, f"D2:D{ROWS + 1}", blank=True))
    return [csv_path, _finish(book, guide, folder / f"{TARGETS_STEM}.xlsx")]


def write_templates(
    db: Database, folder: Path = TEMPLATE_DIR, data_dir: Path = DATA_DIR
) -> list[Path]:
    """Write both templates from the database's dictionary; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    measures = _measures(db)
    return write_return_template(folder, measures, data_dir) + write_targets_template(
        folder, measures
    )


def template_bytes(kind: str, extension: str, folder: Path = TEMPLATE_DIR) -> bytes:
    """A committed template: kind "monthly return" or "targets", "csv" or "xlsx"."""
    return (folder / f"{STEMS[kind]}.{extension}").read_bytes()
