"""The container's start script and health check, run directly (Docker cannot run on
the build machine): the dashboard is served, the health check answers, and data
that do not build do not stop the server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.areas import CHARTS, DONCASTER
from tests.support.browser import chromium_or_skip, wait_for_charts
from tests.support.data import ROOT, copy_data
from tests.support.servers import free_port, stop

START = ROOT / "docker" / "start.sh"
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"


class Started:
    """docker/start.sh on a free port, as the container runs it; stopped by PID."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.env = {**os.environ, **env, "PORT": str(self.port), "ADDRESS": "127.0.0.1"}
        self.log = log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Started:
        with open(self.log, "wb") as out:
            # start.sh execs Streamlit, so this PID becomes the server's.
            self.proc = subprocess.Popen(
                ["sh", str(START)], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            if self.healthy() == 0:
                return self
            time.sleep(0.5)
        self.__exit__()
        raise AssertionError(f"not healthy in 180 s: {self.log.read_text()}")

    def healthy(self) -> int:
        """The health check's exit code, run as the container runs it."""
        return subprocess.run(
            [sys.executable, str(HEALTHCHECK)], env=self.env, timeout=30
        ).returncode

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            stop(self.proc)


@pytest.fixture
def data_and_db(built_db, tmp_path) -> tuple[Path, Path]:
    data = copy_data(tmp_path / "data")
    db = tmp_path / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    return data, db


def test_the_start_script_serves_the_dashboard_and_the_health_check_answers(
    data_and_db, tmp_path, browser
):
    chromium_or_skip()
    data, db = data_and_db
    env = {"DASHBOARD_DB": str(db), "DASHBOARD_DATA": str(data)}
    log = tmp_path / "start.log"
    with Started(env, log) as started:
        assert started.healthy() == 0
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{started.port}/?la={DONCASTER.code}")
        wait_for_charts(page, CHARTS["overview"]["Doncaster"])
        expect(page.locator("[data-testid=stSidebar]")).to_contain_text(
            "Running locally without sign-in"
        )
        context.close()
    assert f"{db} is up to date with the data files" in log.read_text()
    assert started.healthy() == 1  # stopped: the check fails


def test_data_that_do_not_build_do_not_stop_the_server(data_and_db, tmp_path):
    data, db = data_and_db
    (data / "raw" / "dfe" / "sn_model_2025_wide.csv").write_bytes(b"")
    env = {"DASHBOARD_DB": str(db), "DASHBOARD_DATA": str(data)}
    log = tmp_path / "start.log"
    with Started(env, log) as started:
        assert started.healthy() == 0
        with urllib.request.urlopen(f"http://127.0.0.1:{started.port}/") as r:
            assert r.status == 200
    text = log.read_text()
    assert (
        "error: data/raw/dfe/sn_model_2025_wide.csv: the file is empty; the last good "
        "database, built " in text
    )
    assert "start.sh: the data files do not build; the dashboard says why" in text
    assert "Traceback" not in text.split("start.sh:")[0]
