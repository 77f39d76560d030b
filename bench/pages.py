"""Find the app's pages: st.Page calls in app.py, then any file in pages/ left out."""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


@dataclass(frozen=True)
class PageSpec:
    """One page: its title, file (relative to app.py), address and registration."""

    title: str
    path: str
    url_path: str
    default: bool
    registered: bool = True

    @property
    def key(self) -> str:
        """A short stable name for the page (its file's stem)."""
        return Path(self.path).stem

    @property
    def address(self) -> str:
        """The page's path on the server: the default page lives at the root."""
        return "" if self.default else self.url_path

    def as_dict(self) -> dict:
        return {**asdict(self), "key": self.key}


def _literal(node: ast.AST | None) -> object:
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def _is_page_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "Page") or (
        isinstance(func, ast.Name) and func.id == "Page"
    )


def _default_title(path: str) -> str:
    # Streamlit's own rule for a page without a title: the file stem, spaced.
    return Path(path).stem.replace("_", " ").strip().capitalize()


def discover(app: Path = APP) -> list[PageSpec]:
    """Every page of the app in navigation order, then unregistered pages/ files."""
    tree = ast.parse(app.read_text(encoding="utf-8"), filename=str(app))
    calls = sorted(
        (n for n in ast.walk(tree) if _is_page_call(n)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    found: list[dict] = []
    for call in calls:
        kwargs = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
        path = _literal(call.args[0]) if call.args else kwargs.get("page")
        if not isinstance(path, str):
            continue  # a page built from a callable or a variable: not a file
        url_path = kwargs.get("url_path") or Path(path).stem
        found.append(
            {
                "title": kwargs.get("title") or _default_title(path),
                "path": Path(path).as_posix(),
                "url_path": str(url_path).strip("/"),
                "default": kwargs.get("default") is True,
            }
        )
    if found and not any(p["default"] for p in found):
        found[0]["default"] = True  # st.navigation's rule: the first page is default
    pages = [PageSpec(**p) for p in found]
    registered = {p.path for p in pages}
    folder = app.parent / "pages"
    for extra in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        rel = extra.relative_to(app.parent).as_posix()
        if rel not in registered and not extra.name.startswith("_"):
            pages.append(
                PageSpec(_default_title(rel), rel, extra.stem, False, registered=False)
            )
    return pages
