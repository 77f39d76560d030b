"""data/PROVENANCE.md's table of official sources, written from the declarations
in metrics/sources.py so that the two cannot disagree (a test checks it).

`python -m metrics.provenance_doc` rewrites the table in place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from metrics.config import DATA_DIR
from metrics.sources import SOURCES, Source

START = (
    "<!-- sources table: written from metrics/sources.py by "
    "`python -m metrics.provenance_doc`; edit the declarations, not this table -->"
)
END = "<!-- end of the sources table -->"
ASKS = {
    "govuk": "GOV.UK content API, page `{page}`",
    "ees": "explore education statistics API: publication `{page}`, data set titled "
    "like `{dataset}`",
    "lait": "LAIT's files: {names}",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _asks(source: Source) -> str:
    if source.fetch is None:
        return "not fetched (drop the file in)"
    names = ", ".join(f"`{p.fetch_name}`" for p in source.parts if p.fetch_name)
    return ASKS[source.fetch.kind].format(
        page=source.fetch.page, dataset=source.fetch.dataset, names=names
    )


def _release(source: Source) -> str:
    if source.release_from == "lait dictionary":
        return "the latest `Last Update` of the dictionary (files of one release share a name suffix)"
    if source.kind == "documents":
        return "each report stands alone (its publication date is in its name)"
    return "the year in the file name"


def sources_table() -> str:
    """The Markdown table of every declared source, between its markers."""
    lines = [
        START,
        "",
        "| source | publisher and title | publication page | files (under `data/`) "
        "| release read from | cadence | feeds | `update` asks | licence |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in SOURCES:
        files = "; ".join(f"`{s.folder}/` `{p.pattern}`" for p in s.parts)
        title = s.title.format(release="YYYY", first="YYYY")
        row = [
            f"`{s.name}`",
            f"{s.publisher}: {title}",
            s.page,
            files,
            _release(s),
            s.cadence.words,
            s.feeds,
            _asks(s),
            s.licence,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    notes = [n for s in SOURCES for n in s.notes]
    lines += [""] + [f"- {n}" for n in notes] + ["", END]
    return "\n".join(lines)


def current(text: str) -> str:
    """The table as it stands in a PROVENANCE.md text (empty if it has none)."""
    if START not in text or END not in text:
        return ""
    return text[text.index(START) : text.index(END) + len(END)]


def write(path: Path = DATA_DIR / "PROVENANCE.md") -> bool:
    """Rewrite the table in ``path``; return whether it changed."""
    text = path.read_text(encoding="utf-8")
    old = current(text)
    if not old:
        raise SystemExit(f"{path}: has no sources table markers")
    new = text.replace(old, sources_table())
    path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print("rewrote" if write() else "unchanged", DATA_DIR / "PROVENANCE.md")
    sys.exit(0)
