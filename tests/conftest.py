"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:  # so plain `pytest` finds metrics/ too
    sys.path.insert(0, str(PROJECT_DIR))


# --- metrics database fixtures (tests of metrics/) ------------------------------


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real database from data/ once per test session; return its path."""
    from metrics.build import build

    path = tmp_path_factory.mktemp("built_db") / "dashboard.duckdb"
    result = build(path)
    assert result.rebuilt and path.exists()
    return path


@pytest.fixture
def ro(built_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the built database, closed after the test."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        yield con
    finally:
        con.close()


# --- app fixtures (AppTest) --------------------------------------------------------


@pytest.fixture(scope="module")
def app_db(built_db: Path) -> Iterator[Path]:
    """Point the app (DASHBOARD_DB) at the test database for one test module."""
    patch = pytest.MonkeyPatch()
    patch.setenv("DASHBOARD_DB", str(built_db))
    yield built_db
    patch.undo()
