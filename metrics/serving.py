"""The last good data keeps serving: a rebuild that fails leaves the database it
would have replaced in place, says in plain words which file is at fault and what to
do, and is tried again only when the data files change."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from metrics.build import Progress, ensure_database, freshness, stored_hash
from metrics.config import CURATED, DATA_DIR, IMPORTS, RAW, default_db_path
from metrics.storage import DataError

LOGGER = logging.getLogger(__name__)
_FAILED_LOCK = threading.Lock()


@dataclass(frozen=True)
class BuildFailure:
    """Why the data files do not build: what is wrong (file first) and what to do."""

    problem: str
    fix: str
    file: str | None = None  # the file at fault, as shown: data/raw/...

    @classmethod
    def of(cls, exc: BaseException) -> BuildFailure:
        """The failure a build's exception stands for, in plain words."""
        if not isinstance(exc, DataError):
            return cls(
                f"the build failed ({type(exc).__name__}: {exc})",
                "this is not a fault in one data file: `python -m metrics build "
                "--debug` shows the details",
            )
        shown = exc.file if Path(exc.file).is_absolute() else f"data/{exc.file}"
        problem = f"{shown}{str(exc).removeprefix(exc.file)}"
        return cls(problem, _fix(exc, shown), shown)


def _fix(error: DataError, shown: str) -> str:
    """What to do about a faulty data file, by the folder it is in."""
    if getattr(error, "fix", None):  # a file the build cannot place says its own
        return error.fix
    parts = Path(error.file).parts
    folder = parts[0] if parts else ""
    if folder == str(RAW):
        return (
            "put back the file exactly as published (data/PROVENANCE.md gives its "
            "source and SHA-256)"
        )
    if folder == str(CURATED):
        where = f"row {error.row} of {shown}" if error.row else shown
        return f"correct {where} (docs/SCHEMA.md gives each column's meaning)"
    if folder == str(IMPORTS):
        return (
            "restore data/imports/ (the log and the archive) from the last backup; "
            "these files are never edited by hand"
        )
    return f"correct {shown}"


@dataclass(frozen=True)
class Serving:
    """The database to serve (None when there is none) and why a rebuild failed."""

    data_hash: str | None
    failure: BuildFailure | None = None


_FAILED: dict[tuple[str, str], tuple[str, BuildFailure]] = {}


def serve_database(
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    progress: Progress | None = None,
) -> Serving:
    """The database the app should read, rebuilt first if its inputs changed.

    A rebuild that fails leaves the last good database in place: it is served with
    the failure, and the build is tried again only when the inputs change.
    """
    db_path = Path(db_path or default_db_path())
    state = freshness(db_path, data_dir)
    if state.fresh:
        return Serving(state.data_hash)
    key = (str(db_path), str(data_dir))
    with _FAILED_LOCK:
        failed = _FAILED.get(key)
    if failed is not None and failed[0] == state.data_hash:
        return Serving(state.stored_hash, failed[1])
    try:
        result = ensure_database(db_path, data_dir, progress)
    except Exception as exc:
        LOGGER.warning("the data files do not build", exc_info=True)
        failure = BuildFailure.of(exc)
        with _FAILED_LOCK:
            _FAILED[key] = (state.data_hash, failure)
        return Serving(stored_hash(db_path), failure)
    with _FAILED_LOCK:
        _FAILED.pop(key, None)
    return Serving(result.data_hash)
