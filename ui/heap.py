"""A server's long-lived objects kept out of the garbage collector's way.

Streamlit collects garbage after every script run (its ``runner.postScriptGC``
setting), and a full collection walks every object the process holds. Once the
server has served its first run, most of those objects (the imported modules of
pandas, Plotly and DuckDB, cached data, the database connection) live as long as
the process, so walking them again after every run of every session only costs
time: measured on these 2-core machines, 20 sessions opening the accessibility
statement at once used 83 ms of server CPU a session with it and 13 ms after
``settle`` (``python -m bench`` has the rows). ``gc.freeze`` moves what exists at
that moment to a generation the collector skips; what later runs make is still
collected after each run, and memory is still freed by reference counting.
"""

from __future__ import annotations

import atexit
import gc
import threading

_LOCK = threading.Lock()
_settled = False


def settle() -> bool:
    """Freeze the objects alive now, once a process; True the time it freezes.

    Called at the end of a run (app.py), so the first run's imports and caches are
    in what is frozen."""
    global _settled
    if _settled:
        return False
    with _LOCK:
        if _settled:
            return False
        gc.collect()  # what is garbage already is not kept for good
        gc.freeze()
        # Given back at exit, so the interpreter's last collection sees everything
        # (extension modules that count their objects at exit would report leaks).
        atexit.register(gc.unfreeze)
        _settled = True
    return True
