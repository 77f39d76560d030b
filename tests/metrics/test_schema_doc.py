"""docs/SCHEMA.md must list every table, view and column the database has, in order."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "SCHEMA.md"


def documented() -> dict[str, list[tuple[str, str]]]:
    """Parse '## name' headings and the (column, type) rows of the table under each."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in SCHEMA_DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\w+)( \(view\))?\s*$", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current and line.startswith("|") and len(cells) >= 3:
            if cells[0] in ("column", "") or set(cells[0]) <= {"-"}:
                continue
            tables[current].append((cells[0].strip("`"), cells[1]))
    return tables


def actual(path: Path) -> dict[str, list[tuple[str, str]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
        ]
        return {
            name: [
                (r[0], r[1])
                for r in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'main' AND table_name = ? "
                    "ORDER BY ordinal_position",
                    [name],
                ).fetchall()
            ]
            for name in names
        }


def test_every_table_and_view_is_documented(built_db):
    assert set(documented()) == set(actual(built_db))


def test_every_column_is_documented_in_order_with_its_type(built_db):
    doc, db = documented(), actual(built_db)
    for name, columns in db.items():
        assert doc[name] == columns, name
