"""A SYNTHETIC 10x database for the scale test: LAIT observations replicated.

Never the default database: the copy is written under a temporary directory as
synthetic-10x.duckdb and carries build_info rows synthetic=true and a note. Each
extra copy of the dfe_lait observations is shifted back by whole multiples of the
LAIT span in years (so no copy shares a period with another), has its period label
prefixed 'SYNTH k:' and its locator prefixed 'SYNTHETIC copy k of'.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

FILE_NAME = "synthetic-10x.duckdb"
NOTE = (
    "SYNTHETIC benchmark data: dfe_lait observations replicated {copies}x with "
    "period_end shifted back {shift}*k years; not for display"
)


def lait_rows(con: duckdb.DuckDBPyConnection) -> int:
    """How many dfe_lait observations the database holds."""
    return con.execute(
        "SELECT count(*) FROM observations WHERE source_id = 'dfe_lait'"
    ).fetchone()[0]


def make_synthetic(source: Path, target: Path, copies: int = 10) -> dict:
    """Copy a built database to ``target`` and replicate its LAIT rows ``copies`` times."""
    if target.resolve() == source.resolve():
        raise ValueError("the synthetic database must be a new file")
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        before = lait_rows(con)
        first, last = con.execute(
            "SELECT min(period_end), max(period_end) FROM observations "
            "WHERE source_id = 'dfe_lait'"
        ).fetchone()
        shift = last.year - first.year + 1
        for k in range(1, copies):
            con.execute(
                """
                INSERT INTO observations
                SELECT * REPLACE (
                    CAST(period_end - to_years(CAST($years AS INTEGER)) AS DATE)
                        AS period_end,
                    'SYNTH ' || $k || ': ' || period_label AS period_label,
                    'SYNTHETIC copy ' || $k || ' of ' || locator AS locator
                )
                FROM observations
                WHERE source_id = 'dfe_lait' AND period_label NOT LIKE 'SYNTH %'
                """,
                {"years": shift * k, "k": k},
            )
        con.executemany(
            "INSERT OR REPLACE INTO build_info VALUES (?, ?)",
            [
                ("synthetic", "true"),
                ("synthetic_note", NOTE.format(copies=copies, shift=shift)),
            ],
        )
        after = lait_rows(con)
        con.execute("CHECKPOINT")
    return {
        "path": str(target),
        "lait_rows_1x": before,
        "lait_rows": after,
        "copies": copies,
        "shift_years": shift,
    }


def is_synthetic(path: Path) -> bool:
    """Whether a database file is labelled synthetic in its build_info."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute(
                "SELECT value FROM build_info WHERE key = 'synthetic'"
            ).fetchall()
    except duckdb.Error:
        return False
    return bool(rows) and rows[0][0] == "true"
