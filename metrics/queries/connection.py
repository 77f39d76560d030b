"""The read-only connection every query runs on."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import default_db_path


class Connection:
    """A read-only view of the built database; one connection, a cursor per query."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or default_db_path())
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                # ATTACH from a private in-memory database rather than connect(path):
                # DuckDB shares one instance per path within a process, so a new
                # connect() would keep reading a file that an import or a build has
                # since replaced while any older connection to it is still open.
                self._con = duckdb.connect(":memory:")
                self._con.execute("ATTACH ? AS dashboard (READ_ONLY)", [str(self.path)])
                # The ART index on observations is for the build's upserts; for
                # these queries, which pick a few areas of one metric, a scan of
                # the metric-ordered table is about twice as fast as many probes.
                self._con.execute("SET index_scan_max_count = 0")
            return self._con

    def close(self) -> None:
        """Close the connection (a later query reopens it)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one parameterised query and return its rows."""
        cursor = self._connection().cursor()
        try:
            cursor.execute("USE dashboard")  # each cursor starts in the memory catalog
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()
