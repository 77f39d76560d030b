"""`python -m metrics update` against a local HTTP server that answers as GOV.UK's
content API, explore education statistics' public API and LAIT's file host do
(recorded-shaped JSON and files; nothing here reaches the internet): every source's
newer release is fetched, checked, moved into data/raw, recorded in
data/provenance.csv and built; each failure changes nothing and exits 2."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from metrics.build import needs_build
from metrics.config import PROJECT_DIR, PROVENANCE_CSV
from metrics.releases import file_sha256
from metrics.update import update
from tests.support.data import content_hash, copy_data, files, table
from tests.support.releases import (
    LAIT_TAG,
    NEW_CIN,
    NEW_CSWW,
    NEW_ODS,
    NEW_SN,
    make_all,
)

OFSTED_PAGE = "/api/content/government/statistics/local-authority-inspection-outcomes-as-at-31-march-{}"
SN_PAGE = "/api/content/government/publications/local-authority-interactive-tool-lait"


class Server:
    """A local HTTP server answering from ``routes`` (path -> status, body, headers);
    ``slow`` paths wait ``delay`` seconds first. Requests are logged."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, dict]] = {}
        self.slow: set[str] = set()
        self.log: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                # Through a proxy the request line holds the whole address.
                parts = urllib.parse.urlsplit(self.path)
                path = parts.path
                server.log.append(self.path)
                if path in server.slow:
                    time.sleep(2)
                query = f"{path}?{parts.query}"
                missing = (404, b"", {})
                status, body, headers = server.routes.get(
                    query, server.routes.get(path, missing)
                )
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def json(self, path: str, answer: object) -> None:
        self.routes[path] = (200, json.dumps(answer).encode(), {})

    def file(self, path: str, content: bytes, gzipped: bool = False) -> None:
        headers = {"Content-Encoding": "gzip"} if gzipped else {}
        self.routes[path] = (
            200,
            gzip.compress(content) if gzipped else content,
            headers,
        )


def publish(server: Server, made: Path) -> None:
    """Recorded-shaped answers for every source, offering the releases in ``made``."""
    base = server.url
    server.json(
        OFSTED_PAGE.format(2026),
        {
            "title": "Local authority inspection outcomes as at 31 March 2026",
            "public_updated_at": "2026-09-24T09:30:00.000+01:00",
            "details": {
                "attachments": [
                    {"url": f"{base}/media/a1/{NEW_ODS.name}", "title": "Underlying data",
                     "content_type": "application/vnd.oasis.opendocument.spreadsheet"},
                    {"url": f"{base}/media/a2/methodology.pdf", "title": "Methodology"},
                ]
            },
        },
    )  # fmt: skip
    server.file(f"/media/a1/{NEW_ODS.name}", (made / NEW_ODS).read_bytes())
    server.json(
        SN_PAGE,
        {
            "title": "Local authority interactive tool (LAIT)",
            "public_updated_at": "2026-05-12T10:00:00Z",
            "details": {
                "documents": [f'<a href="/media/s1/{NEW_SN.name}">Model 2026</a>']
            },
        },
    )
    server.file(f"/media/s1/{NEW_SN.name}", (made / NEW_SN).read_bytes())
    for slug, search, data_set, name in (
        ("cin", "Children in need", "B1: children in need", NEW_CIN),
        ("csww", "Children's social work workforce", "Workforce indicators", NEW_CSWW),
    ):
        query = urllib.parse.urlencode({"search": search, "pageSize": 20})
        server.json(
            f"/v1/publications?{query}",
            {"results": [{"id": f"pub-{slug}", "title": search, "slug": slug}]},
        )
        server.json(
            f"/v1/publications/pub-{slug}/data-sets",
            {
                "results": [
                    {"id": f"ds-{slug}-other", "title": "Another table",
                     "latestVersion": {"version": "1.0", "timePeriods": {"start": "2020", "end": "2026"}}},
                    {"id": f"ds-{slug}", "title": data_set, "status": "Published",
                     "latestVersion": {"version": "2.0", "published": "2026-10-29T09:30:00Z",
                                       "timePeriods": {"start": name.name.split("_")[-3], "end": "2026"}}},
                ]
            },
        )  # fmt: skip
        server.file(f"/v1/data-sets/ds-{slug}/csv", (made / name).read_bytes(), True)
    for part, name in (
        ("lait_data_dictionary.csv", f"lait_data_dictionary{LAIT_TAG}.csv"),
        ("bds_long_0.parquet", f"lait_bds_long{LAIT_TAG}.parquet"),
        ("la_code_list.xlsx", f"lait_la_code_list{LAIT_TAG}.xlsx"),
    ):
        server.file(f"/lait/{part}", (made / "raw/dfe" / name).read_bytes())


@pytest.fixture(scope="module")
def world(built_db, tmp_path_factory):
    """The made releases, a server offering them, and a copy of data/ with a copy of
    the database built from it."""
    root = tmp_path_factory.mktemp("update")
    shipped = copy_data(root / "shipped")
    made = root / "made"
    make_all(shipped, made)
    db = root / "shipped.duckdb"
    shutil.copyfile(built_db, db)
    assert not needs_build(db, shipped)  # make_all wrote only outside shipped/
    server = Server()
    publish(server, made)
    yield {"root": root, "shipped": shipped, "made": made, "db": db, "server": server}
    server.httpd.shutdown()


@pytest.fixture
def env(world, tmp_path, monkeypatch):
    """This test's copy of the data and database, the server's routes as published
    and the base addresses pointed at it."""
    publish(world["server"], world["made"])
    world["server"].slow.clear()
    world["server"].log.clear()
    data = tmp_path / "data"
    shutil.copytree(world["shipped"], data)
    db = Path(shutil.copy(world["db"], tmp_path / "dashboard.duckdb"))
    url = world["server"].url
    monkeypatch.setenv("DASHBOARD_GOVUK_URL", url)
    monkeypatch.setenv("DASHBOARD_EES_URL", f"{url}/v1")
    monkeypatch.setenv("DASHBOARD_LAIT_URL", f"{url}/lait")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return data, db, world["server"], world["made"]


def run(data: Path, db: Path, **options) -> tuple[int, list[str]]:
    said: list[str] = []
    code = update(data, db, say=said.append, **options)
    return code, said


def unchanged(data: Path, db: Path, action) -> list[str]:
    """Run ``action``; assert it exits 2 and changes no file and no table."""
    before, tables = files(data), content_hash(db)
    code, said = action()
    assert code == 2, said
    assert files(data) == before and content_hash(db) == tables
    return said


def test_dry_run_says_what_it_would_fetch_for_every_source(env):
    data, db, _, made = env
    before = files(data)
    code, said = run(data, db, dry_run=True)
    assert code == 0
    wanted = [
        f"would fetch ofsted_outcomes: {NEW_ODS.name} (as at 31 March 2026)",
        f"would fetch dfe_lait: lait_data_dictionary{LAIT_TAG}.csv",
        f"would fetch dfe_lait: lait_bds_long{LAIT_TAG}.parquet",
        f"would fetch dfe_cin_b1: {NEW_CIN.name} (years to 31 March 2026)",
        f"would fetch dfe_csww: {NEW_CSWW.name} (years to 30 September 2026)",
        f"would fetch dfe_sn: {NEW_SN.name} (2026 model)",
    ]
    for line in wanted:
        assert any(s.startswith(line) for s in said), (line, said)
    assert files(data) == before


@pytest.mark.slow
def test_update_fetches_every_source_records_provenance_and_rebuilds(env):
    data, db, server, made = env
    code, said = run(data, db)
    assert code == 0, said
    for name in (NEW_ODS, NEW_CIN, NEW_CSWW, NEW_SN):
        assert file_sha256(data / name) == file_sha256(made / name)
    provenance = pd.read_csv(data / PROVENANCE_CSV, dtype=str, keep_default_na=False)
    taken = provenance[provenance.note == "taken by python -m metrics update"]
    assert set(taken.source) == {
        "ofsted_outcomes", "dfe_lait", "dfe_cin_b1", "dfe_csww", "dfe_sn",
    }  # fmt: skip
    for row in taken.itertuples():
        assert row.sha256 == file_sha256(data / Path(row.file).relative_to("data"))
        assert row.url.startswith(server.url) and row.fetched_at
    ofsted = taken[taken.source == "ofsted_outcomes"].iloc[0]
    assert (ofsted.release, ofsted.published) == ("2026", "2026-09-24")
    cin = taken[taken.source == "dfe_cin_b1"].iloc[0]
    assert cin.url.endswith("/v1/data-sets/ds-cin/csv?dataSetVersion=2.0")
    used = table(db, "SELECT source, release FROM source_releases WHERE in_use")
    got = dict(zip(used.source, used.release))
    assert got["ofsted_outcomes"] == got["dfe_cin_b1"] == got["dfe_sn"] == "2026"
    assert got["dfe_lait"] == "2026-06-01"
    published = table(
        db, "SELECT published FROM source_releases WHERE source = 'ofsted_outcomes' "
        "AND in_use",
    )  # fmt: skip
    assert str(published.published[0].date()) == "2026-09-24"
    assert any(line.startswith(f"changed: {NEW_ODS}: 1 new Ofsted") for line in said)
    assert not (data / "staging").exists()
    again, said = run(data, db)  # nothing newer now
    assert (
        again == 0
        and "ofsted_outcomes: up to date (in use: as at 31 March 2026)" in said
    )


def test_only_the_named_source_is_asked(env):
    data, db, server, made = env
    code, said = run(data, db, source="dfe_sn", dry_run=True)
    assert code == 0
    assert server.log == [SN_PAGE]
    code, said = run(data, db, source="dfe_sn_2021")
    assert code == 0 and said == [
        "dfe_sn_2021: has no public location to ask; nothing to fetch"
    ]


def test_no_network_is_refused_with_nothing_changed(env, monkeypatch):
    data, db, _, made = env
    monkeypatch.setenv("DASHBOARD_GOVUK_URL", "http://127.0.0.1:9")  # nothing there
    said = unchanged(data, db, lambda: run(data, db, source="ofsted_outcomes"))
    assert said[0].startswith("error: ofsted_outcomes: could not reach 127.0.0.1:9")
    assert said[1].startswith("try: check the network connection")


def test_a_timeout_is_refused_with_nothing_changed(env, monkeypatch):
    data, db, server, made = env
    monkeypatch.setenv("DASHBOARD_FETCH_TIMEOUT", "0.5")
    server.slow.add("/v1/data-sets/ds-csww/csv")
    said = unchanged(data, db, lambda: run(data, db))
    host = server.url.removeprefix("http://")
    assert said[0] == (
        f"error: dfe_csww: {host} did not answer within 0.5 s; nothing changed"
    )
    assert (
        said[1]
        == "try: try again later, or allow more time with DASHBOARD_FETCH_TIMEOUT"
    )


def test_a_404_is_refused_with_nothing_changed(env):
    data, db, server, made = env
    del server.routes[f"/media/a1/{NEW_ODS.name}"]
    said = unchanged(data, db, lambda: run(data, db))
    assert said[0] == (
        f"error: ofsted_outcomes: {server.url}/media/a1/{NEW_ODS.name} answered 404 "
        "Not Found; nothing changed"
    )
    del server.routes[SN_PAGE]
    said = unchanged(data, db, lambda: run(data, db, source="dfe_sn"))
    assert said[0].startswith(f"error: dfe_sn: {server.url}{SN_PAGE} answered 404")


def test_a_changed_page_is_refused_with_nothing_changed(env):
    data, db, server, made = env
    server.json(OFSTED_PAGE.format(2026), {"title": "moved", "body": "<p>gone</p>"})
    said = unchanged(data, db, lambda: run(data, db))
    assert said[0] == (
        f"error: ofsted_outcomes: {server.url}{OFSTED_PAGE.format(2026)} has changed "
        "shape (no details); nothing changed"
    )
    publish(server, made)
    server.json("/v1/publications/pub-cin/data-sets", {"data": []})
    said = unchanged(data, db, lambda: run(data, db, source="dfe_cin_b1"))
    assert "has changed shape (no results with id and title)" in said[0]
    server.routes["/v1/publications/pub-cin/data-sets"] = (200, b"<html>", {})
    said = unchanged(data, db, lambda: run(data, db, source="dfe_cin_b1"))
    assert "has changed shape (its answer is not JSON)" in said[0]


def test_a_damaged_download_is_refused_with_nothing_changed(env):
    data, db, server, made = env
    content = (made / NEW_CIN).read_bytes()
    server.file("/v1/data-sets/ds-cin/csv", content[: len(content) // 2], True)
    said = unchanged(data, db, lambda: run(data, db))
    assert said[0].startswith(
        f"error: dfe_cin_b1: the download from {server.url}/v1/data-sets/ds-cin/csv"
        f"?dataSetVersion=2.0 is not a good copy ({NEW_CIN.name}, row "
    )
    server.file("/lait/bds_long_0.parquet", b"<html>Sign in</html>")
    said = unchanged(data, db, lambda: run(data, db, source="dfe_lait"))
    assert "is not a complete Parquet file" in said[0]


def test_update_honours_the_proxy_variables(env, monkeypatch):
    data, db, server, made = env
    # An address only the proxy (the test server) can answer for.
    monkeypatch.setenv("DASHBOARD_GOVUK_URL", "http://publisher.invalid")
    monkeypatch.setenv("http_proxy", server.url)
    monkeypatch.delenv("NO_PROXY")
    code, said = run(data, db, source="dfe_sn", dry_run=True)
    assert code == 0, said
    assert server.log == [f"http://publisher.invalid{SN_PAGE}"]
    assert said == [
        f"would fetch dfe_sn: {NEW_SN.name} (2026 model) from "
        f"http://publisher.invalid/media/s1/{NEW_SN.name}"
    ]


@pytest.mark.slow
def test_from_a_folder_takes_releases_downloaded_by_hand(env, tmp_path):
    data, db, _, made = env
    hand = tmp_path / "downloads"
    hand.mkdir()
    shutil.copyfile(made / NEW_CIN, hand / NEW_CIN.name)
    shutil.copyfile(data / "raw/dfe/csww_indicators_2017_to_2025.csv",
                    hand / "csww_indicators_2017_to_2025.csv")  # fmt: skip
    code, said = run(data, db, from_dir=hand)
    assert code == 0, said
    assert said[:2] == [
        "taking dfe_cin_b1: b1_children_in_need_2013_to_2026.csv (years to 31 March "
        "2026)",
        "dfe_csww: csww_indicators_2017_to_2025.csv is not newer than the release in "
        "use",
    ]
    assert (data / NEW_CIN).exists()
    used = table(db, "SELECT release FROM source_releases WHERE in_use AND source = "
                 "'dfe_cin_b1'")  # fmt: skip
    assert used.release.tolist() == ["2026"]
    provenance = pd.read_csv(data / PROVENANCE_CSV, dtype=str)
    assert provenance.url.iloc[-1] == f"file:{(hand / NEW_CIN.name).resolve()}"


def test_from_a_folder_refuses_an_unknown_file_with_nothing_changed(env, tmp_path):
    data, db, _, made = env
    hand = tmp_path / "downloads"
    hand.mkdir()
    (hand / "children_in_need.csv").write_text("a\n1\n")
    said = unchanged(data, db, lambda: run(data, db, from_dir=hand))
    assert said[0].startswith(f"error: children_in_need.csv: {hand}/children_in_need")


def test_the_command_line_takes_the_data_folder_and_exits_2_on_a_failure(env):
    data, db, _, made = env
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "update", "--source", "ofsted_outcomes",
         "--data-dir", str(data), "--db", str(db)],
        capture_output=True, text=True, cwd=PROJECT_DIR, check=False,
        env={**os.environ, "DASHBOARD_GOVUK_URL": "http://127.0.0.1:9"},
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ofsted_outcomes: ")


def test_a_failed_rebuild_takes_the_new_files_out_again(env, tmp_path, monkeypatch):
    import metrics.update as update_module

    data, db, _, made = env
    hand = tmp_path / "downloads"
    hand.mkdir()
    shutil.copyfile(made / NEW_CIN, hand / NEW_CIN.name)

    def fails(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(update_module, "build", fails)
    said = unchanged(data, db, lambda: run(data, db, from_dir=hand))
    assert said[-2] == (
        "error: [Errno 28] No space left on device; the new files were taken out "
        "again, nothing changed"
    )
