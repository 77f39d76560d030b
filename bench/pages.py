"""The pages to measure (views.pages.PAGES) and the matched bare app for them."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# The shell of the dashboard as the issue describes it, used until it is counted.
SHELL = {"selectbox_options": [153], "toggles": 1, "buttons": 1}


@dataclass(frozen=True)
class Page:
    """One declared page, as the benchmark needs it."""

    key: str
    title: str
    url_path: str
    default: bool
    file: str  # relative to app.py

    @property
    def address(self) -> str:
        """Where the page is opened: every page, the default one too, at /url_path."""
        return self.url_path

    def as_dict(self) -> dict:
        return {**asdict(self), "address": self.address}

    @classmethod
    def from_dict(cls, d: dict) -> Page:
        return cls(d["key"], d["title"], d["url_path"], d["default"], d["file"])


def declared() -> list[Page]:
    """Every page in views.pages.PAGES, in navigation order."""
    from views.pages import PAGES

    return [Page(p.key, p.title, p.url_path, p.default, p.file) for p in PAGES]


def bare_spec(
    pages: list[Page],
    counts: dict,
    shell: dict,
    database: str | None = None,
    figures: Path | None = None,
) -> dict:
    """The matched bare app's spec: each page's charts and metrics, and the shell;
    with ``figures`` (a folder of KEY.json, written by the count), each page draws
    the dashboard page's own charts instead of plain lines."""
    return {
        "pages": [
            {
                "key": p.key,
                "title": p.title,
                "url": p.url_path,
                "default": p.default,
                "charts": counts[p.key]["charts"],
                "metrics": counts[p.key]["metrics"],
                "figures": str(figures / f"{p.key}.json") if figures else None,
            }
            for p in pages
        ],
        "shell": shell,
        "database": database,
    }


def write_bare(folder: Path, spec: dict) -> Path:
    """Write the matched bare app (router, spec, one page file a page); its router.

    AppTest switches page by file, so each bare page is a file of its own: a copy of
    bare_page.py named after the dashboard page it matches. They sit in a pages/
    folder, as the dashboard's do, so that Streamlit's handling of that folder (on a
    server's first request; on every AppTest run) costs both apps the same.
    """
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "spec.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    for p in spec["pages"]:
        shutil.copyfile(HERE / "bare_page.py", folder / bare_file(p["key"]))
    app = folder / "bare_app.py"
    shutil.copyfile(HERE / "bare_app.py", app)
    return app


EMPTY_PAGE = '''"""{title}, emptied: the dashboard's shell alone (benchmark floor)."""

import streamlit as st

from ui.state import require_app

require_app()
st.title({title!r})
'''


def write_shell(folder: Path, app: Path, pages: list[Page]) -> Path:
    """The dashboard's own router, sidebar and footer around empty pages; its router.

    Each page is replaced by what every page of the dashboard does first and its
    title, so the AppTest run of one measures the dashboard's shell alone.
    """
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    for p in pages:
        (folder / p.file).write_text(EMPTY_PAGE.format(title=p.title), encoding="utf-8")
    shutil.copyfile(app, folder / "app.py")
    return folder / "app.py"


def bare_file(key: str) -> str:
    """A bare page's file, relative to the bare app's router."""
    return f"pages/{key}.py"
