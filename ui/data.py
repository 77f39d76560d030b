"""The database and everything built from it, cached per build: queries, charts and
views, shared by every session."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys

import streamlit as st

from charts.frame import Chart
from metrics.config import DATA_ENV, add_data_dir, default_data_dir, default_db_path
from metrics.queries import Database
from metrics.serving import BuildFailure, serve_database


def _take_data_dir(argv: list[str]) -> None:
    """`streamlit run app.py -- --data-dir PATH`: the app reads PATH, as the commands
    do; given on the command line it wins over $DASHBOARD_DATA for this server."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    add_data_dir(parser)
    given = parser.parse_known_args(argv)[0].data_dir
    if given:
        os.environ[DATA_ENV] = str(given)


_take_data_dir(sys.argv[1:])


def ensure_built() -> str | None:
    """Bring the database up to date (with a progress bar); return its build id.

    A session keeps the id it started with; the build's own freshness check decides
    whether anything changed (the database file included, so an import or a rebuild
    by the command line is seen). When the data files do not build, the last good
    database is served, build_failure() says why, and the session checks again on
    each run, which costs little until a file changes. None: there is no database
    and the files do not build.
    """
    if "build_id" in st.session_state and not build_failure():
        return st.session_state.build_id
    bar = None

    def progress(fraction: float, message: str) -> None:
        nonlocal bar
        bar = bar or st.progress(0.0, text="Building the database from data/ …")
        bar.progress(min(fraction, 1.0), text=message)

    serving = serve_database(default_db_path(), default_data_dir(), progress=progress)
    if bar is not None:
        bar.empty()
    st.session_state.build_failure = serving.failure
    st.session_state.build_id = serving.data_hash
    return serving.data_hash


def build_failure() -> BuildFailure | None:
    """Why the data files did not build, when the last good database is served."""
    return st.session_state.get("build_failure")


def _build_id() -> str:
    """This session's build id (checked by app.py's ensure_built on each run)."""
    return st.session_state.get("build_id") or ensure_built()


def forget_build() -> None:
    """Make the next run of this session check the build again (after a load)."""
    st.session_state.pop("build_id", None)


@st.cache_resource(show_spinner=False)
def _database(path: str, build_id: str) -> Database:
    return Database(path)


def db() -> Database:
    """The read-only database of the current build."""
    return _database(path=str(default_db_path()), build_id=_build_id())


@st.cache_data(ttl=3600, show_spinner=False, max_entries=512)
def _query(path: str, build_id: str, method: str, args: tuple) -> object:
    return getattr(_database(path=path, build_id=build_id), method)(*args)


def q(method: str, *args: object) -> object:
    """Call a Database method, cached on the build and the arguments."""
    # Keyword arguments: Streamlit finds a positional argument's name by inspecting
    # the function's signature on every call.
    return _query(
        path=str(default_db_path()), build_id=_build_id(), method=method, args=args
    )


@st.cache_resource(show_spinner=False, max_entries=512)
def _built(path: str, build_id: str, token: str, _builder, _args: tuple) -> object:
    """``_builder(database, *_args)``; ``token`` names the builder and arguments.

    Hashing one string is much cheaper than Streamlit hashing the argument objects.
    """
    result = _builder(_database(path=path, build_id=build_id), *_args)
    key = (path, build_id, token)
    if isinstance(result, Chart):
        result.cache_key = key
    elif isinstance(result, list):
        for i, value in enumerate(result):
            if isinstance(value, Chart):
                value.cache_key = (*key, i)
    elif dataclasses.is_dataclass(result):
        for f in dataclasses.fields(result):
            value = getattr(result, f.name)
            if isinstance(value, Chart):
                value.cache_key = (*key, f.name)
    return result


def cached(builder, *args: object):
    """``builder(database, *args)``, computed once per build and arguments, shared.

    For chart builders and views that depend only on the database and their
    arguments (which must have a faithful repr: strings, numbers, frozen
    dataclasses). The result is shared by every session: callers must not change it.
    Charts in it are marked so that show_chart can replay their page element.
    """
    token = f"{builder.__module__}:{builder.__qualname__}{args!r}"
    return _built(
        path=str(default_db_path()),
        build_id=_build_id(),
        token=token,
        _builder=builder,
        _args=args,
    )


def _area_names(database: Database) -> dict[str, str]:
    las = database.local_authorities()
    return dict(zip(las.area_code, las.area_name))


def area_names() -> dict[str, str]:
    """Current LAs' code -> name, in name order (shared: do not change it)."""
    return cached(_area_names)
