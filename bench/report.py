"""The results table: rows with figure, reference, ratio, target and PASS/MISS."""

from __future__ import annotations

import json
import os
from pathlib import Path

# Issue #6's targets.
PAGE_RATIO = 1.25  # every page vs the bare page, AppTest and browser
BUILD_COLD_S = 5.0
BUILD_UNCHANGED_S = 0.2
QUERY_MS = 30.0
SCALE_RATIO = 1.5  # page time at 10x data vs 1x
MEMORY_RATIO = 1.3  # server RSS after 20 sessions vs the bare page's server

COLUMNS = ["Measure", "Item", "Figure", "Against", "Ratio", "Target", "Result"]


def row(
    section: str,
    item: str,
    value: float | None,
    unit: str,
    *,
    reference: float | None = None,
    reference_label: str = "",
    limit: float | None = None,
    limit_on: str = "value",
    note: str = "",
    error: str = "",
) -> dict:
    """One result row; its status is computed from value, reference and limit."""
    ratio = value / reference if value is not None and reference else None
    checked = ratio if limit_on == "ratio" else value
    if error or value is None:
        status = "ERROR" if error else "SKIP"
    elif limit is None:
        status = "info"
    else:
        status = "PASS" if checked is not None and checked <= limit else "MISS"
    if limit is None:
        target = ""
    elif limit_on == "ratio":
        target = f"≤ {limit:g}×"
    else:
        target = f"≤ {limit:g} {unit}"
    return {
        "section": section,
        "item": item,
        "value": value,
        "unit": unit,
        "reference": reference,
        "reference_label": reference_label,
        "ratio": ratio,
        "limit": limit,
        "limit_on": limit_on if limit is not None else None,
        "target": target,
        "status": status,
        "note": note,
        "error": error,
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB" if abs(value) >= 10 else f"{value:.1f} MB"
    if unit == "s":
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def markdown(rows: list[dict], meta: dict) -> str:
    """The table and its notes as Markdown."""
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for r in rows:
        against = r["reference_label"]
        if r["reference"] is not None and not against:
            against = _number(r["reference"], r["unit"])
        result = r["status"] if r["status"] != "info" else ""
        if r["error"]:
            result = f"ERROR: {r['error'][:120]}"
        cells = [
            r["section"],
            r["item"] + (f" ({r['note']})" if r["note"] else ""),
            _number(r["value"], r["unit"]),
            against,
            f"{r['ratio']:.2f}×" if r["ratio"] is not None else "",
            r["target"],
            result,
        ]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    missed = [r for r in rows if r["status"] == "MISS"]
    errors = [r for r in rows if r["status"] == "ERROR"]
    lines += [
        "",
        f"{sum(r['status'] == 'PASS' for r in rows)} PASS, {len(missed)} MISS, "
        f"{len(errors)} ERROR.",
    ]
    if meta.get("notes"):
        lines += ["", "Notes:", ""] + [f"- {n}" for n in meta["notes"]]
    header = [
        f"Run {meta.get('started_at', '?')} on {meta.get('host', '?')}, "
        f"{meta.get('duration_s', 0):.0f} s; {meta.get('versions', '')}; "
        f"code {meta.get('git', '?')}.",
        f"Settings: {meta.get('settings_text', '')}.",
        "",
    ]
    return "\n".join(header + lines) + "\n"


def write(rows: list[dict], meta: dict, raw: dict, md_path: Path) -> tuple[Path, Path]:
    """Write the Markdown table and the JSON (rows, meta, raw figures) atomically."""
    md_path.parent.mkdir(parents=True, exist_ok=True)
    json_path = md_path.with_suffix(".json")
    for path, text in (
        (md_path, markdown(rows, meta)),
        (json_path, json.dumps({"meta": meta, "rows": rows, "raw": raw}, indent=1)),
    ):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return md_path, json_path
