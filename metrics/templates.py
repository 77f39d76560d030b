"""Write the blank templates of the monthly return (CSV and XLSX with a Guidance
sheet); the committed copies are in data/templates/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from metrics.config import CURATED, DATA_DIR, TEMPLATE_DIR
from metrics.return_rules import TEMPLATE_COLUMNS, VALUE_KINDS, load_rules

TEMPLATE_STEM = "monthly_return_template"


def write_templates(
    folder: Path = TEMPLATE_DIR, data_dir: Path = DATA_DIR
) -> list[Path]:
    """Write the blank CSV and XLSX templates of the return format; return the paths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    rules = load_rules(data_dir)
    labels = pd.read_csv(data_dir / CURATED / "metrics.csv", dtype=str).set_index(
        "metric_id"
    )["label"]
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{TEMPLATE_STEM}.csv"
    csv_path.write_text(",".join(TEMPLATE_COLUMNS) + "\n", encoding="utf-8")

    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (14, 40, 26, 12, 60)):
        sheet.column_dimensions[letter].width = width
    for row in range(2, 502):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    guide = book.create_sheet("Guidance")
    guide.append(["metric_id", "label", "value", "service_area", "may not exceed"])
    for metric_id, kind in rules.kinds.items():
        guide.append(
            [
                metric_id,
                labels.get(metric_id, ""),
                VALUE_KINDS[kind],
                rules.service_area_rule[metric_id],
                rules.not_above.get(metric_id, ""),
            ]
        )
    guide.append([])
    guide.append(["service_area"])
    first = guide.max_row + 1
    for area in rules.service_areas:
        guide.append([area])
    guide.append([])
    for line in (
        "One row per figure. period_end: last day of the month, YYYY-MM-DD. "
        "value: a number only.",
        "Optional column area_code: ONS code of the local authority; blank means "
        "the area chosen when loading (Doncaster, E08000017, by default).",
        "Never add child-level data (names, dates of birth, identifiers). "
        "See docs/MONTHLY_RETURNS.md.",
    ):
        guide.append([line])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 40
    guide.column_dimensions["C"].width = 36
    ids = DataValidation(
        type="list", formula1=f"=Guidance!$A$2:$A${len(rules.kinds) + 1}"
    )
    ids.add("B2:B501")
    teams = DataValidation(
        type="list",
        formula1=f"=Guidance!$A${first}:$A${first + len(rules.service_areas) - 1}",
        allow_blank=True,
    )
    teams.add("C2:C501")
    for validation in (ids, teams):
        sheet.add_data_validation(validation)
    book.properties.creator = "metrics.returns.write_templates"
    book.properties.created = dt.datetime(2025, 1, 1)
    xlsx_path = folder / f"{TEMPLATE_STEM}.xlsx"
    book.save(xlsx_path)
    return [csv_path, xlsx_path]


def template_bytes(kind: str, folder: Path = TEMPLATE_DIR) -> bytes:
    """The committed template file of a kind ('csv' or 'xlsx')."""
    return (folder / f"{TEMPLATE_STEM}.{kind}").read_bytes()
