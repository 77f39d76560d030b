"""A newer official release dropped into data/raw beside the old files is used by
the next build without a code change, for every declared source; its judgements and
figures reach the database and what it changed reaches data_changes. A file that
matches no source, or two files that claim one release, are refused, nothing
changed. The newer releases here are made from the shipped files (SYNTHETIC
additions, labelled in each helper), never typed-in figures shown by the app."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from metrics import build as build_module
from metrics.build import build, needs_build
from metrics.changes import JUDGEMENT
from metrics.config import PROJECT_DIR
from metrics.releases import ReleaseError, find
from metrics.serving import BuildFailure
from metrics.sources import BY_NAME, SOURCES
from tests.support.areas import DONCASTER
from tests.support.data import content_hash, copy_data, table
from tests.support.releases import (
    LAIT_TAG,
    NEW_CIN,
    NEW_INSPECTION,
    NEW_ODS,
    NEW_SN,
    OLD_CIN,
    OLD_CSWW,
    OLD_ODS,
    make_all,
)


@pytest.fixture(scope="module")
def dropped(built_db, tmp_path_factory) -> dict:
    """A copy of data/ and of the database built from it as shipped, then built again
    with a newer release of every declared source beside the old files."""
    root = tmp_path_factory.mktemp("dropped")
    data = copy_data(root / "data")
    db = root / "dashboard.duckdb"
    shutil.copyfile(built_db, db)
    assert not needs_build(db, data)  # the copy of data/ is what it was built from
    make_all(data)
    second = build(db, data)
    return {"data": data, "db": db, "second": second}


@pytest.mark.slow
def test_every_declared_source_with_a_fetch_location_has_a_newer_release_here(
    dropped,
):
    used = table(
        dropped["db"], "SELECT source, release FROM source_releases WHERE in_use"
    )
    got = dict(zip(used.source, used.release))
    assert got["ofsted_outcomes"] == "2026"
    assert got["dfe_cin_b1"] == got["dfe_csww"] == got["dfe_sn"] == "2026"
    assert got["dfe_lait"] == "2026-06-01"
    updatable = {s.name for s in SOURCES if s.fetch is not None}
    assert updatable <= {
        "ofsted_outcomes",
        "dfe_cin_b1",
        "dfe_csww",
        "dfe_sn",
        "dfe_lait",
    }


@pytest.mark.slow
def test_older_files_are_kept_and_recorded_as_not_in_use(dropped):
    old = table(
        dropped["db"], "SELECT file FROM source_releases WHERE NOT in_use ORDER BY file"
    ).file.tolist()
    assert str(OLD_ODS) in old and str(OLD_CIN) in old and str(OLD_CSWW) in old
    assert "raw/dfe/lait_bds_long.parquet" in old
    assert (dropped["data"] / OLD_ODS).exists()


@pytest.mark.slow
def test_the_new_ofsted_judgement_is_in_the_database_and_in_data_changes(dropped):
    db = dropped["db"]
    judged = table(
        db,
        "SELECT overall_grade, source_id, published FROM ofsted_judgements "
        "WHERE area_code = ? AND inspection_start = ?",
        [DONCASTER.code, NEW_INSPECTION],
    )
    assert judged.overall_grade.tolist() == ["Outstanding"]
    assert judged.source_id.tolist() == ["ofsted_outcomes_2026"]
    title = table(
        db, "SELECT title FROM sources WHERE source_id = 'ofsted_outcomes_2026'"
    )
    assert title.title.tolist() == [
        BY_NAME["ofsted_outcomes"].title.format(release="2026", first="")
    ]
    changes = table(db, "SELECT * FROM data_changes WHERE metric_id = ?", [JUDGEMENT])
    assert len(changes) == 1
    change = changes.iloc[0]
    assert (change.area_code, change.change, change.new_text) == (
        DONCASTER.code, "new", "Outstanding",
    )  # fmt: skip
    assert change.period_end.date() == NEW_INSPECTION
    assert (change.source, change.release) == ("ofsted_outcomes", "2026")
    assert change.source_file == str(NEW_ODS)


@pytest.mark.slow
def test_the_new_cin_year_and_the_revision_reach_the_database_and_data_changes(
    dropped,
):
    db, data = dropped["db"], dropped["data"]
    raw = pd.read_csv(data / NEW_CIN, dtype=str)
    mine = raw[(raw.old_la_code == str(DONCASTER.la_number))]
    expected = float(mine[mine.time_period == "2026"].At31_episodes.iloc[0])
    got = table(
        db,
        "SELECT value FROM observations WHERE metric_id = 'cin_at_31_march' "
        "AND area_code = ? AND period_label = '2026'",
        [DONCASTER.code],
    )
    assert got.value.tolist() == [expected]
    changes = table(
        db,
        "SELECT change, period_end, old_value, new_value, source, release, first_seen "
        "FROM data_changes WHERE metric_id = 'cin_at_31_march' AND area_code = ?",
        [DONCASTER.code],
    )
    new = changes[changes.change == "new"]
    assert new.period_end.dt.date.tolist() == [dt.date(2026, 3, 31)]
    assert new.new_value.tolist() == [expected]
    revised = changes[changes.change == "revised"].iloc[0]
    assert revised.new_value == revised.old_value + 1
    assert set(changes.source) == {"dfe_cin_b1"} and set(changes.release) == {"2026"}
    built = table(db, "SELECT value FROM build_info WHERE key = 'built_at'").value[0]
    assert changes.first_seen.iloc[0] == pd.Timestamp(built).tz_localize(None)


@pytest.mark.slow
def test_the_new_workforce_lait_and_neighbour_releases_are_used(dropped):
    db = dropped["db"]
    sw = table(
        db,
        "SELECT count(*) AS n FROM observations WHERE metric_id = 'sw_caseload_fte' "
        "AND period_label = '2026'",
    )
    assert sw.n[0] > 100
    lait = table(
        db,
        "SELECT count(*) AS n FROM observations WHERE metric_id = "
        "'Continue_Assess_Comp' AND period_label = '2026' AND source_id = 'dfe_lait'",
    )
    assert lait.n[0] > 100
    model = pd.read_csv(dropped["data"] / NEW_SN, dtype=str)
    first = model.loc[model.old_la_code == str(DONCASTER.la_number), "SN_1"].iloc[0]
    got = table(
        db,
        "SELECT a.la_number FROM statistical_neighbours AS s JOIN areas AS a "
        "ON a.area_code = s.neighbour_code WHERE s.area_code = ? AND s.model = '2026' "
        "AND s.rank = 1",
        [DONCASTER.code],
    )
    assert got.la_number.tolist() == [int(first)]


@pytest.mark.slow
def test_the_build_says_which_releases_changed_and_keeps_each_builds_releases(
    dropped,
):
    lines = dropped["second"].changes
    assert any(
        line.startswith(f"release: ofsted_outcomes: now {NEW_ODS}") for line in lines
    )
    assert (
        f"changed: {NEW_ODS}: 1 new Ofsted judgements, 0 regraded, 0 removed" in lines
    )
    assert any(line.startswith(f"changed: {NEW_CIN}: ") for line in lines)
    history = table(
        dropped["db"],
        "SELECT build_id, source, release FROM release_builds WHERE source = "
        "'dfe_cin_b1' ORDER BY built_at",
    )
    assert history.release.tolist() == ["2025", "2026"]
    assert history.build_id.nunique() == 2
    updates = table(
        dropped["db"],
        "SELECT source, release, previous_release FROM data_updates "
        "WHERE source = 'dfe_cin_b1'",
    )
    assert updates.values.tolist() == [["dfe_cin_b1", "2026", "2025"]]


def _refused(data: Path, db: Path, capsys=None) -> ReleaseError:
    before = content_hash(db)
    with pytest.raises(ReleaseError) as caught:
        build(db, data)
    assert content_hash(db) == before
    return caught.value


@pytest.fixture
def shipped(built_db, tmp_path) -> tuple[Path, Path]:
    """A fresh copy of data/ as shipped and of its built database."""
    data = copy_data(tmp_path / "data")
    db = Path(shutil.copy(built_db, tmp_path / "dashboard.duckdb"))
    return data, db


def test_a_file_that_matches_no_source_is_refused_with_nothing_changed(shipped):
    data, db = shipped
    (data / "raw/dfe/cin_table_from_a_colleague.csv").write_text("a,b\n1,2\n")
    error = _refused(data, db)
    assert str(error) == (
        "raw/dfe/cin_table_from_a_colleague.csv: matches no declared official source "
        "(data/PROVENANCE.md lists the file names each source takes)"
    )
    failure = BuildFailure.of(error)
    assert failure.fix.startswith("give it its official name, or move it out of")


def test_two_files_claiming_one_release_are_refused_with_nothing_changed(shipped):
    data, db = shipped
    # Ofsted named its 2024 file without the day: both names claim release 2025.
    other = data / "raw/ofsted/LA_Inspection_Outcomes_as_at_March_2025.ods"
    shutil.copyfile(data / OLD_ODS, other)
    error = _refused(data, db)
    assert str(error) == (
        f"{OLD_ODS}: claims the same release (as at 31 March 2025) of ofsted_outcomes "
        "as raw/ofsted/LA_Inspection_Outcomes_as_at_March_2025.ods"
    )
    assert BuildFailure.of(error).fix == (
        "keep one of the two files: move LA_Inspection_Outcomes_as_at_31_March_2025.ods"
        " or LA_Inspection_Outcomes_as_at_March_2025.ods out of data/raw"
    )


def test_a_lait_release_missing_one_of_its_files_is_refused(shipped):
    data, db = shipped
    folder = data / "raw/dfe"
    shutil.copyfile(
        folder / "lait_data_dictionary.csv",
        folder / f"lait_data_dictionary{LAIT_TAG}.csv",
    )
    error = _refused(data, db)
    assert "whose values file (lait_bds_long_2026-06-01.parquet) is not here" in str(
        error
    )


def test_the_command_line_refuses_an_unmatched_file_in_two_lines(shipped):
    data, db = shipped
    (data / "raw/ofsted/notes.txt").write_text("to read later\n")
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "build", "--db", str(db), "--data-dir", str(data)],
        capture_output=True, text=True, cwd=PROJECT_DIR, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("error: data/raw/ofsted/notes.txt: matches no declared")
    assert lines[1].startswith("fix: give it its official name")


def test_the_shipped_files_are_each_recognised(tmp_path):
    found = find(PROJECT_DIR / "data")
    assert set(found.chosen) == {s.name for s in SOURCES if s.kind != "documents"}
    for source in SOURCES:
        for part in source.parts:
            name = source.folder / part.shipped
            assert (PROJECT_DIR / "data" / name).exists(), name
    assert build_module.STEP_FILES  # every step names its files or sources
