"""Paths, copies of data/, databases read back, CSV rows and the command line."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent.parent
RAW = ROOT / "data" / "raw" / "dfe"


def copy_data(dst: Path) -> Path:
    """Copy data/ (all but database files) to ``dst``."""
    for src in DATA_DIR.rglob("*"):
        if src.is_file() and ".duckdb" not in src.name:
            target = dst / src.relative_to(DATA_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    return dst


def content_hash(db: Path) -> str:
    """One hash over the row count and the rows of every table of a database."""
    digest = hashlib.sha256()
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        for (table,) in tables:
            # Table names come from the catalog; values are hashed by DuckDB.
            count, total = con.execute(
                f'SELECT count(*), sum(hash(t)) FROM "{table}" AS t'
            ).fetchone()
            digest.update(f"{table}:{count}:{total};".encode())
    return digest.hexdigest()


def files(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def table(db: Path, sql: str, params: list | tuple = ()) -> pd.DataFrame:
    """A query's rows (values passed as parameters) from a database file, opened
    read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def read_rows(path: Path) -> list[list[str]]:
    """A CSV file's rows as lists of cells."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows of cells as a CSV file."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    """``python -m metrics ARGS`` in the project folder, output captured as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "metrics", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )
