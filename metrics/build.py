"""Build the dashboard's DuckDB database from the files in data/ (and only those), and
say whether a built database is up to date with them.

A build writes a new file and swaps it in only when complete, so a failed build
changes nothing. Whether a database is up to date is one check (``freshness``): the
SHA-256 of every input, recorded in the database, recomputed only when an input's
size or modification time has changed since the last check in this process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrics import curated, official, releases
from metrics.changes import record_changes
from metrics.config import (
    CURATED,
    DATA_DIR,
    IMPORTS,
    LOG,
    PROVENANCE_CSV,
    RAW,
    default_db_path,
)
from metrics.loading.replay import replay
from metrics.loading.return_rules import load_rules
from metrics.official_files import check_official_files
from metrics.sources import BY_NAME
from metrics.storage import DataError, build_lock, remove_partial, swap_in
from metrics.units import value_kind

PACKAGE = Path(__file__).parent
SCHEMA_SQL = PACKAGE / "schema.sql"
# The code that reads the data is an input too: a change to it must rebuild.
BUILD_CODE = [
    SCHEMA_SQL,
    *[
        PACKAGE / f"{module}.py"
        for module in (
            "build",
            "changes",
            "config",
            "curated",
            "date_rules",
            "grades",
            "official",
            "official_files",
            "periods",
            "releases",
            "sources",
            "storage",
            "units",
        )
    ],
    # Every load kind's declaration and rules: the build replays the loaded files.
    PACKAGE / "loading" / "kinds.toml",
    *sorted((PACKAGE / "loading").glob("*.py")),
]

Progress = Callable[[float, str], None]

# The files each build step reads (a Path) or the sources whose release in use it
# reads (a name): a step that fails for a reason its own checks do not name (a
# reader's or DuckDB's error) is reported against them.
STEP_FILES: dict[str, tuple[Path | str, ...]] = {
    "sources and grade scale": (CURATED / "sources.csv",),
    "official releases": (PROVENANCE_CSV,),
    "areas": ("dfe_cin_b1", "dfe_csww", "ofsted_outcomes", "dfe_lait codes"),
    "metrics": (CURATED / "metrics.csv",),
    "LAIT dictionary": ("dfe_lait dictionary",),
    "report figures": (CURATED / "document_figures.csv",),
    "LAIT observations": ("dfe_lait values",),
    "children in need and workforce": ("dfe_cin_b1", "dfe_csww"),
    "Ofsted judgements": (
        "ofsted_outcomes",
        CURATED / "ofsted_reports.csv",
        CURATED / "ofsted_inspection_ends.csv",
    ),
    "milestones and targets": (CURATED / "milestones.csv", CURATED / "targets.csv"),
    "notes per area": (CURATED / "area_notes.csv",),
    "statistical neighbours": ("dfe_sn", "dfe_sn_2021"),
    "value rules": (CURATED / "return_rules.csv",),
    "monthly returns and targets": (LOG,),
}


@dataclass
class BuildResult:
    """What a build did: where, how long, from which data, and what it reported."""

    db_path: Path
    seconds: float
    rebuilt: bool
    data_hash: str
    report: list[tuple[str, str, str, int]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what a new release changed


@dataclass(frozen=True)
class Freshness:
    """The hash of the inputs now and the one recorded in the database (if any)."""

    data_hash: str
    stored_hash: str | None

    @property
    def fresh(self) -> bool:
        """Whether the database was built from exactly these inputs."""
        return self.stored_hash == self.data_hash


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Return every input file of the build, in a stable order."""
    files = [
        p
        for sub in (RAW, CURATED, IMPORTS)
        for p in sorted((data_dir / sub).rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]
    provenance = data_dir / PROVENANCE_CSV
    return files + ([provenance] if provenance.is_file() else [])


def data_hash(data_dir: Path = DATA_DIR) -> str:
    """Return one SHA-256 over the names and contents of all inputs and the build code."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for code in BUILD_CODE:
        digest.update(code.read_bytes())
    return digest.hexdigest()


def stored_hash(db_path: Path) -> str | None:
    """Return the data hash recorded in a built database, or None."""
    return _build_info(db_path, "data_hash")


def built_at(db_path: Path) -> str | None:
    """When a built database was built, as '3 Dec 2025 08:13 UTC', or None."""
    return when_built(_build_info(db_path, "built_at"))


def when_built(value: str | None) -> str | None:
    """A build_info built_at value as '3 Dec 2025 08:13 UTC' (None stays None)."""
    if not value:
        return None
    when = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    return f"{when.day} {when:%b %Y %H:%M} UTC"


def _build_info(db_path: Path, key: str) -> str | None:
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            rows = con.execute(
                "SELECT value FROM build_info WHERE key = ?", [key]
            ).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def _signature(db_path: Path, data_dir: Path) -> tuple:
    """Names, sizes and modification times of the inputs and of the database."""
    stats = []
    for path in [*data_files(data_dir), *BUILD_CODE, db_path]:
        try:
            s = path.stat()
        except FileNotFoundError:
            stats.append((str(path), None, None))
            continue
        stats.append((str(path), s.st_size, s.st_mtime_ns))
    return tuple(stats)


_KNOWN: dict[tuple[str, str], tuple[tuple, Freshness]] = {}
_KNOWN_LOCK = threading.Lock()


def freshness(db_path: Path | None = None, data_dir: Path = DATA_DIR) -> Freshness:
    """Compare the database with its inputs, hashing only what may have changed."""
    db_path = Path(db_path or default_db_path())
    key = (str(db_path), str(data_dir))
    signature = _signature(db_path, data_dir)
    with _KNOWN_LOCK:
        known = _KNOWN.get(key)
    if known is not None and known[0] == signature:
        return known[1]
    state = Freshness(data_hash(data_dir), stored_hash(db_path))
    with _KNOWN_LOCK:
        _KNOWN[key] = (signature, state)
    return state


def needs_build(db_path: Path | None = None, data_dir: Path = DATA_DIR) -> bool:
    """Say whether the database is missing or older than the data files."""
    return not freshness(db_path, data_dir).fresh


def ensure_database(
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the database if it is missing or its data changed; else do nothing."""
    db_path = Path(db_path or default_db_path())
    start = time.perf_counter()
    state = freshness(db_path, data_dir)
    if state.fresh:
        return BuildResult(db_path, time.perf_counter() - start, False, state.data_hash)
    with build_lock(db_path):
        # Another process may have built it while this one waited for the lock.
        if stored_hash(db_path) == state.data_hash:
            seconds = time.perf_counter() - start
            return BuildResult(db_path, seconds, False, state.data_hash)
        return build(db_path, data_dir, progress, state.data_hash)


def build(
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    progress: Progress | None = None,
    inputs_hash: str | None = None,
) -> BuildResult:
    """Build the database into a new file and swap it in only when complete.

    ``inputs_hash`` is the data hash when the caller has just computed it.
    """
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    inputs_hash = inputs_hash or data_hash(data_dir)
    tmp = db_path.with_name(f"{db_path.name}.building-{os.getpid()}")
    remove_partial(tmp)
    say = progress or (lambda fraction, message: None)
    report: list[tuple[str, str, str, int]] = []
    found: list[releases.Found] = []  # the releases in use, once checked

    def use(c: duckdb.DuckDBPyConnection) -> None:
        found.append(check_official_files(data_dir))

    steps: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
        ("official files", use),
        ("sources and grade scale", lambda c: curated.load_sources(c, data_dir)),
        ("official releases", lambda c: releases.record(c, found[0], data_dir)),
        ("areas", lambda c: official.load_areas(c, data_dir, found[0])),
        ("metrics", lambda c: curated.load_metrics(c, data_dir)),
        ("LAIT dictionary", lambda c: official.load_lait_dictionary(c, data_dir, found[0])),
        ("report figures", lambda c: curated.load_document_figures(c, data_dir)),
        ("LAIT observations", lambda c: official.load_lait(c, data_dir, report, found[0])),
        ("children in need and workforce", lambda c: official.load_ees(c, data_dir, report, found[0])),
        ("Ofsted judgements", lambda c: official.load_ofsted(c, data_dir, report, found[0])),
        ("milestones and targets", lambda c: curated.load_milestones(c, data_dir)),
        ("notes per area", lambda c: curated.load_area_notes(c, data_dir)),
        ("statistical neighbours", lambda c: official.load_neighbours(c, data_dir, report, found[0])),
        ("value rules", lambda c: set_value_kinds(c, data_dir)),
        ("monthly returns and targets", lambda c: replay(c, data_dir, report)),
    ]  # fmt: skip
    try:
        with duckdb.connect(str(tmp)) as con:
            con.execute(SCHEMA_SQL.read_text())
            for i, (name, step) in enumerate(steps):
                say(i / len(steps), f"Loading {name}")
                _run_step(name, step, con, found[0] if found else None)
            built_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
            say(0.97, "Comparing with the previous build")
            changes = record_changes(
                con, db_path, inputs_hash[:12], built_at.replace(tzinfo=None), report
            )
            con.executemany("INSERT INTO build_report VALUES (?, ?, ?, ?)", report)
            seconds = time.perf_counter() - start
            con.executemany(
                "INSERT INTO build_info VALUES (?, ?)",
                [
                    ("data_hash", inputs_hash),
                    ("built_at", built_at.isoformat()),
                    ("build_seconds", f"{seconds:.2f}"),
                ],
            )
            con.execute("CHECKPOINT")
        swap_in(tmp, db_path)
    finally:
        remove_partial(tmp)
    say(1.0, "Database ready")
    seconds = time.perf_counter() - start
    return BuildResult(db_path, seconds, True, inputs_hash, report, changes)


def _run_step(
    name: str,
    step,
    con: duckdb.DuckDBPyConnection,
    found: releases.Found | None = None,
) -> None:
    """Run one build step; any error but a DataError becomes one naming its files."""
    try:
        step(con)
    except DataError:
        raise
    except Exception as exc:
        files = [_step_file(f, found) for f in STEP_FILES.get(name, ())]
        what = " or ".join(str(f) for f in files) or "a data file"
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise DataError(
            what, None, None, f"could not be read ({type(exc).__name__}: {first})"
        ) from exc


def _step_file(file: Path | str, found: releases.Found | None) -> Path | str:
    """A step's file: a path as it is, a source (and part) as its file in use."""
    if isinstance(file, Path):
        return file
    name, _, part = file.partition(" ")
    if found is not None and name in found.chosen:
        return found.file(name, part or None)
    source = BY_NAME[name]
    shipped = next(p for p in source.parts if p.key == part or not part).shipped
    return source.folder / shipped


def set_value_kinds(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Each measure's value kind: from its unit and its published values, or as
    data/curated/return_rules.csv gives it for the council report measures."""
    stats = con.execute(
        """
        SELECT m.metric_id, m.unit, min(o.value), max(o.value),
               bool_and(o.value = round(o.value))
        FROM metrics AS m
        LEFT JOIN observations AS o ON o.metric_id = m.metric_id
             AND o.origin <> 'local' AND o.value IS NOT NULL
        GROUP BY m.metric_id, m.unit
        """
    ).fetchall()
    listed = load_rules(data_dir).kinds
    kinds = [
        (listed.get(m) or value_kind(unit, low, high, whole), m)
        for m, unit, low, high, whole in stats
    ]
    con.executemany("UPDATE metrics SET value_kind = ? WHERE metric_id = ?", kinds)
