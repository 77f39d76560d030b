"""What loading a file would change: each of its rows new, revised or unchanged
against the rows of its kind already loaded."""

from __future__ import annotations

import pandas as pd

STATUSES = ("new", "revised", "unchanged")


def _keyed(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """The frame with its key columns copied so that blank (None) matches blank."""
    return frame.assign(
        **{
            f"_key_{c}": frame[c].astype(object).where(frame[c].notna(), "")
            for c in key
        }
    )


def compare(
    rows: pd.DataFrame,
    loaded: pd.DataFrame,
    key: tuple[str, ...],
    values: tuple[str, ...],
) -> pd.DataFrame:
    """Each row marked new, revised or unchanged, with the loaded ``values`` beside
    it as previous_<column> and its revision number.

    A row is identified by ``key``; it is unchanged when every one of ``values``
    equals the one loaded (numbers to within 1e-9), and new when nothing is loaded
    for its key.
    """
    joined = [f"_key_{c}" for c in key]
    previous = {c: f"previous_{c}" for c in (*values, "revision")}
    held = _keyed(loaded, key)[[*joined, *previous]].rename(columns=previous)
    out = _keyed(rows, key).merge(held, on=joined, how="left").drop(columns=joined)
    same = pd.Series(True, index=out.index)
    for c in values:
        if pd.api.types.is_numeric_dtype(rows[c]):
            before = pd.to_numeric(out[f"previous_{c}"], errors="coerce")
            same &= (out[c] - before).abs() < 1e-9
        else:
            same &= out[c] == out[f"previous_{c}"]
    out["status"] = "revised"
    out.loc[out[f"previous_{values[0]}"].isna(), "status"] = "new"
    out.loc[same, "status"] = "unchanged"
    out["revision"] = out.previous_revision.fillna(0).astype(int) + (
        out.status != "unchanged"
    ).astype(int)
    return out.drop(columns="previous_revision")


def counts(changes: pd.DataFrame) -> tuple[int, int, int]:
    """How many rows are new, revised and unchanged."""
    found = changes.status.value_counts() if len(changes) else pd.Series(dtype=int)
    return tuple(int(found.get(s, 0)) for s in STATUSES)
