"""Every command and the app read the same data folder: --data-dir, else
$DASHBOARD_DATA, else data/. Each runs against a copy holding a loaded plan; the
repository's data/ stays untouched and the copy's plan survives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.config import DATA_DIR, DATA_ENV, DB_ENV, data_dir, db_for
from tests.derive import extracts as x
from tests.support.data import ROOT, files, table

# Each runs a command that builds, a board pack or the app on a copy of its own.
pytestmark = pytest.mark.slow

DONCASTER = "E08000017"
PLAN = "SELECT count(*) AS n FROM plan_targets WHERE area_code = ?"


@pytest.fixture
def copy(planned, tmp_path) -> Path:
    """This test's own copy of a data folder holding plans and a loaded return."""
    data = tmp_path / "copy"
    shutil.copytree(planned[0], data)
    return data


@pytest.fixture
def repo_untouched():
    """The repository's data/ (the database too, if built) is the same afterwards."""
    before = files(DATA_DIR)
    yield
    assert files(DATA_DIR) == before


def _plan_rows(data: Path) -> int:
    return int(table(data / "dashboard.duckdb", PLAN, [DONCASTER]).n.iloc[0])


def _run(module: str, *args: str, data: Path, how: str) -> subprocess.CompletedProcess:
    """``python -m MODULE ARGS`` with the copy named by --data-dir or the variable."""
    env = {k: v for k, v in os.environ.items() if k not in (DATA_ENV, DB_ENV)}
    if how == "env":
        env[DATA_ENV] = str(data)
    else:
        args = (*args, "--data-dir", str(data))
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_one_function_names_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.delenv(DB_ENV, raising=False)
    assert data_dir() == DATA_DIR
    assert db_for() == DATA_DIR / "dashboard.duckdb"
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "given") == tmp_path / "given"
    assert db_for(tmp_path / "given") == tmp_path / "given" / "dashboard.duckdb"
    monkeypatch.setenv(DB_ENV, str(tmp_path / "other.duckdb"))
    assert db_for(tmp_path / "given") == tmp_path / "other.duckdb"


@pytest.mark.parametrize("how", ["env", "option"])
def test_metrics_build_reads_the_copy(copy, repo_untouched, how):
    planned_rows = _plan_rows(copy)
    assert planned_rows > 0
    (copy / "dashboard.duckdb").unlink()
    proc = _run("metrics", "build", data=copy, how=how)
    assert proc.returncode == 0, proc.stderr
    assert f"built {copy / 'dashboard.duckdb'}" in proc.stdout
    assert _plan_rows(copy) == planned_rows


@pytest.mark.parametrize("how", ["env", "option"])
def test_metrics_import_and_targets_write_into_the_copy(copy, repo_untouched, how):
    ret = copy.parent / "return.csv"
    ret.write_text(
        "period_end,metric_id,service_area,value,note\n"
        "2026-10-31,ReReferral,,22.9,After the duty review\n"
    )
    proc = _run("metrics", "import", str(ret), data=copy, how=how)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(list((copy / "imports" / "archive").iterdir())) == 4
    targets = ROOT / "tests" / "targets" / "good" / "plan.csv"
    proc = _run("metrics", "targets", str(targets), "--area", "E08000035", data=copy,
                how=how)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _plan_rows(copy) > 0
    leeds = table(copy / "dashboard.duckdb", PLAN, ["E08000035"]).n.iloc[0]
    assert leeds > 0


def test_metrics_update_stages_in_the_copy(copy, repo_untouched, tmp_path):
    hand = tmp_path / "downloads"
    hand.mkdir()
    name = "csww_indicators_2017_to_2025.csv"
    shutil.copyfile(copy / "raw" / "dfe" / name, hand / name)
    proc = _run("metrics", "update", "--from", str(hand), data=copy, how="env")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"dfe_csww: {name} is not newer than the release in use" in proc.stdout
    assert _plan_rows(copy) > 0


def test_metrics_derive_loads_into_the_copy(copy, repo_untouched, tmp_path):
    out = tmp_path / "derived.csv"
    proc = _run(
        "metrics", "derive", str(x.EXAMPLE), "--period-end", "2026-10-31",
        "--area", DONCASTER, "--out", str(out), "--load", data=copy, how="env",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(list((copy / "imports" / "archive").iterdir())) == 4
    assert _plan_rows(copy) > 0


def test_reports_builds_the_pack_from_the_copy(copy, repo_untouched, tmp_path):
    # Its data files changed since the database was built: the command rebuilds it,
    # from the copy's own files.
    (copy / "imports" / "log.csv").touch()
    os.utime(copy / "dashboard.duckdb", (0, 0))
    out = tmp_path / "pack.docx"
    proc = _run("reports", "--out", str(out), data=copy, how="env")
    assert proc.returncode == 0, proc.stderr
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "No improvement plan targets are loaded" not in text
    assert _plan_rows(copy) > 0


def test_the_app_reads_the_copy(copy, repo_untouched, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.setenv(DATA_ENV, str(copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in at.get("markdown"))
    shown += " ".join(str(getattr(e, "value", "")) for e in at.get("caption"))
    assert "No improvement plan" not in shown
    assert _plan_rows(copy) > 0


def test_the_apps_data_dir_option_names_the_folder(monkeypatch, tmp_path):
    from ui import data as ui_data

    # Set first, so that the variable the function sets is undone after the test.
    monkeypatch.setenv(DATA_ENV, "before")
    monkeypatch.delenv(DATA_ENV)
    ui_data._take_data_dir(["--data-dir", str(tmp_path)])
    assert data_dir() == tmp_path
    monkeypatch.setenv(DATA_ENV, "elsewhere")
    ui_data._take_data_dir(["--data", "x"])  # no abbreviations
    assert data_dir() == Path("elsewhere")


def test_bench_measures_a_copy_of_the_named_folder(copy, repo_untouched, tmp_path):
    from bench.run import prepare

    tree = prepare(tmp_path / "bench", copy)
    assert files(tree.root / "data" / "imports") == files(copy / "imports")
    proc = tree.python(["metrics", "build"])
    assert proc.returncode == 0, proc.stderr
    assert _plan_rows(tree.root / "data") > 0
    assert _plan_rows(copy) > 0
