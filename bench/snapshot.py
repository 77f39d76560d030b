"""A frozen copy of the working tree, so edits made during a run do not reach it.

Other engineers edit app, pages and metrics while the benchmark runs; a page or a
build file changed mid-run would otherwise mix two versions in one table (or make
the app rebuild its database inside a timed run). Every measurement runs from the
copy: the working tree as it was when the run started.
"""

from __future__ import annotations

import shutil
from pathlib import Path

IGNORE = shutil.ignore_patterns(
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".benchmarks",
    "tests",
    "results",
    "*.duckdb",
    "*.duckdb.*",
    "*.wal",
    "*.lock",
    "*.building-*",
)


def snapshot(src: Path, dst: Path, data: Path | None = None) -> Path:
    """Copy the project at ``src`` (code, data, config; no database) to ``dst``; its
    data/ is a copy of ``data`` when given (the data folder the run was pointed at)."""
    shutil.copytree(src, dst, ignore=IGNORE, symlinks=True)
    if data is not None and Path(data).resolve() != (src / "data").resolve():
        shutil.rmtree(dst / "data")
        shutil.copytree(data, dst / "data", ignore=IGNORE, symlinks=True)
    return dst
