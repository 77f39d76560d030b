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


def snapshot(src: Path, dst: Path) -> Path:
    """Copy the project at ``src`` (code, data, config; no database) to ``dst``."""
    shutil.copytree(src, dst, ignore=IGNORE, symlinks=True)
    return dst
