"""Shared pytest fixtures: the database built once a session and copies of it and of
data/ for the tests that change them; the browser mark."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:  # so plain `pytest` finds metrics/ too
    sys.path.insert(0, str(PROJECT_DIR))


from metrics.build import build, needs_build  # noqa: E402  (after the path fix)
from metrics.config import DATA_DIR  # noqa: E402
from tests.support.data import copy_data, files  # noqa: E402

TESTS = Path(__file__).resolve().parent
BROWSER_TESTS = TESTS / "browser"


@pytest.hookimpl(tryfirst=True)  # marked before `-m` selects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test; they run last, so the
    session's one Chromium is not kept open under the other tests."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: BROWSER_TESTS in item.path.parents)


# --- metrics database fixtures (tests of metrics/) ------------------------------


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real database from data/ once per test session; return its path."""
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


# --- copies of data/ for loads (returns and targets) ------------------------------


@pytest.fixture(scope="session", autouse=True)
def repo_imports_untouched():
    """No test may write into the repository's data/imports."""
    before = files(DATA_DIR / "imports") if (DATA_DIR / "imports").exists() else {}
    yield
    after = files(DATA_DIR / "imports") if (DATA_DIR / "imports").exists() else {}
    assert after == before


@pytest.fixture(scope="session")
def base(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of data/ and of the database built from it, shared read-only by copies."""
    root = tmp_path_factory.mktemp("imports_base")
    data = copy_data(root / "data")
    db = root / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    assert not needs_build(db, data)  # the copy of data/ is what it was built from
    return data, db


@pytest.fixture
def env(base: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """This test's own copy of data/ and of the built database."""
    data = tmp_path / "data"
    shutil.copytree(base[0], data)
    db = tmp_path / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(base[1], db)
    assert not needs_build(db, data)
    return data, db


@pytest.fixture(scope="session")
def planned(base, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of data/ and its database with the test plans for Doncaster and Leeds
    (tests/targets/good) and one local figure with commentary loaded."""
    from metrics.loading.load import import_return, import_targets

    root = tmp_path_factory.mktemp("planned")
    data = root / "data"
    shutil.copytree(base[0], data)
    db = data / "dashboard.duckdb"
    shutil.copyfile(base[1], db)
    good = TESTS / "targets" / "good"
    for name in ("plan.csv", "plan_leeds.xlsx"):
        path = good / name
        import_targets(path.read_bytes(), name, db, data, "E08000017")
    body = (
        b"period_end,metric_id,service_area,value,note\n"
        b"2026-09-30,ReReferral,,23.4,Re-referrals up after the duty review\n"
    )
    import_return(body, "local.csv", db, data, "E08000017")
    return data, db


@pytest.fixture(scope="session")
def since_made(tmp_path_factory: pytest.TempPathFactory):
    """A copy of data/ with changes either side of a chosen day (tests.support.since),
    for what changed since the last meeting."""
    from tests.support.since import made_in

    return made_in(tmp_path_factory, "since")
