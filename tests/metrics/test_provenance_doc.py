"""data/PROVENANCE.md's sources table is the declarations of metrics/sources.py,
and data/provenance.csv records every shipped official file as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from metrics.config import DATA_DIR, PROVENANCE_CSV
from metrics.provenance_doc import current, sources_table
from metrics.releases import file_sha256, find
from metrics.sources import SOURCES

DOC = DATA_DIR / "PROVENANCE.md"


def test_the_sources_table_is_written_from_the_declarations():
    text = DOC.read_text(encoding="utf-8")
    assert current(text) == sources_table(), (
        "data/PROVENANCE.md's sources table differs from metrics/sources.py: run "
        "python -m metrics.provenance_doc"
    )
    for source in SOURCES:
        assert f"| `{source.name}` |" in text
        for part in source.parts:
            assert part.pattern.replace("|", "\\|") in text


def test_provenance_csv_records_every_file_under_raw_with_its_checksum():
    rows = pd.read_csv(DATA_DIR / PROVENANCE_CSV, dtype=str, keep_default_na=False)
    found = find(DATA_DIR)
    on_disk = {
        str(Path("data") / name): release
        for release in found.releases
        for _, name in release.files
    }
    assert set(rows.file) == set(on_disk)
    for row in rows.itertuples():
        assert row.sha256 == file_sha256(DATA_DIR.parent / row.file), row.file
        assert row.source == on_disk[row.file].source.name
        assert row.release == on_disk[row.file].release
        assert row.url.startswith("https://github.com/") and row.fetched_at


def test_the_checksum_table_agrees_with_provenance_csv():
    text = DOC.read_text(encoding="utf-8")
    listed = dict(re.findall(r"\| `(raw/[^`]+)` \| ([0-9a-f]{64}) \|", text))
    rows = pd.read_csv(DATA_DIR / PROVENANCE_CSV, dtype=str, keep_default_na=False)
    recorded = {f.removeprefix("data/"): h for f, h in zip(rows.file, rows.sha256)}
    assert listed == recorded
