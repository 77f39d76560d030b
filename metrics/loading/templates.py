"""Write the blank template of each kind of file (CSV, and XLSX with a Guidance sheet
listing every measure and the rule its values follow), as the kind declares it. The
committed copies are in data/templates/; `python -m metrics template` writes them
again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from metrics.config import DATA_DIR, TEMPLATE_DIR
from metrics.loading.kinds import KINDS, LoadKind
from metrics.queries import Database

ROWS = 500  # rows of the XLSX sheet given a date format and drop-down lists
GUIDANCE_WIDTHS = (40, 60, 36, 20, 36)


def measures(db: Database) -> pd.DataFrame:
    """Every measure with its label, value kind and polarity, by id."""
    return db.df(
        "SELECT metric_id, label, value_kind, polarity FROM metrics ORDER BY metric_id"
    )


def _letter(columns: tuple[str, ...], column: str) -> str:
    return "ABCDEFGHIJ"[columns.index(column)]


def _list(formula: str, column: str, blank: bool = False):
    """A drop-down list of a sheet's column, from rows of the Guidance sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1=formula, allow_blank=blank)
    validation.add(f"{column}2:{column}{ROWS + 1}")
    return validation


def _guidance(guide, rules: pd.DataFrame, column: str, choices: tuple, notes) -> int:
    """Fill the Guidance sheet: each measure's rule, the choices of a column, notes;
    return the row of the first choice."""
    guide.append(list(rules.columns))
    for row in rules.itertuples(index=False):
        guide.append(list(row))
    guide.append([])
    guide.append([column])
    first = guide.max_row + 1
    for choice in choices:
        guide.append([choice])
    guide.append([])
    for line in notes:
        guide.append([line])
    return first


def write_template(
    kind: LoadKind, folder: Path, table: pd.DataFrame, data_dir: Path = DATA_DIR
) -> list[Path]:
    """A kind's blank CSV and XLSX, the Guidance sheet listing ``table``'s measures."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t, columns = kind.template, kind.form.template_columns()
    csv_path = folder / f"{t.stem}.csv"
    csv_path.write_text(",".join(columns) + "\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = t.sheet
    sheet.append(list(columns))
    guide = book.create_sheet("Guidance")
    rules = kind.measure_rules(table, data_dir)
    choices = kind.rules.choices(data_dir)
    first = _guidance(guide, rules, t.choices, choices, t.notes)
    for cell in [*sheet[1], *guide[1]]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", t.widths):
        sheet.column_dimensions[letter].width = width
    for letter, width in zip("ABCDE", GUIDANCE_WIDTHS):
        guide.column_dimensions[letter].width = width
    date = columns.index(kind.form.date) + 1
    for row in range(2, ROWS + 2):
        sheet.cell(row=row, column=date).number_format = "yyyy-mm-dd"
    ids = f"=Guidance!$A$2:$A${len(rules) + 1}"
    sheet.add_data_validation(_list(ids, _letter(columns, "metric_id")))
    listed = f"=Guidance!$A${first}:$A${first + len(choices) - 1}"
    column = _letter(columns, t.choices)
    sheet.add_data_validation(_list(listed, column, blank=True))
    # Fixed, so that writing the template again gives the same bytes of content.
    book.properties.creator = "metrics.loading.templates"
    book.properties.created = dt.datetime(2025, 1, 1)
    path = folder / f"{t.stem}.xlsx"
    book.save(path)
    return [csv_path, path]


def write_templates(
    db: Database, folder: Path = TEMPLATE_DIR, data_dir: Path = DATA_DIR
) -> list[Path]:
    """Write every kind's templates from the database's dictionary; return the
    paths."""
    folder.mkdir(parents=True, exist_ok=True)
    table = measures(db)
    return [
        p for k in KINDS.values() for p in write_template(k, folder, table, data_dir)
    ]


def template_bytes(kind: str, extension: str, folder: Path = TEMPLATE_DIR) -> bytes:
    """A committed template: a kind's name ("monthly return", "targets") and
    "csv" or "xlsx"."""
    return (folder / f"{KINDS[kind].template.stem}.{extension}").read_bytes()
