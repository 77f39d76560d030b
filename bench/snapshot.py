"""A frozen copy of the working tree, so edits made during a run do not reach it,
and the worked example loaded into it.

Other engineers edit app, pages and metrics while the benchmark runs; a page or a
build file changed mid-run would otherwise mix two versions in one table (or make
the app rebuild its database inside a timed run). Every measurement runs from the
copy: the working tree as it was when the run started.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from metrics.config import DATA_ENV, DB_ENV, LOG

IGNORE = shutil.ignore_patterns(
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".benchmarks",
    "tests",
    "results",
    "*.duckdb",
    "*.duckdb.*",
    "*.wal",
    "*.lock",
    "*.building-*",
)


def snapshot(src: Path, dst: Path, data: Path | None = None) -> Path:
    """Copy the project at ``src`` (code, data, config; no database) to ``dst``; its
    data/ is a copy of ``data`` when given (the data folder the run was pointed at)."""
    shutil.copytree(src, dst, ignore=IGNORE, symlinks=True)
    if data is not None and Path(data).resolve() != (src / "data").resolve():
        shutil.rmtree(dst / "data")
        shutil.copytree(data, dst / "data", ignore=IGNORE, symlinks=True)
    return dst


@dataclass(frozen=True)
class Tree:
    """The frozen copy of the project that every measurement runs from."""

    root: Path

    @property
    def app(self) -> Path:
        return self.root / "app.py"

    def python(self, args: list[str], env: dict | None = None, timeout: float = 1800):
        """Run ``python -m ...`` in the copy; the completed process."""
        # Every command in the copy reads the copy's data folder, whatever the
        # environment named (the run's --data-dir was copied there).
        base = {k: v for k, v in os.environ.items() if k not in (DATA_ENV, DB_ENV)}
        return subprocess.run(
            [sys.executable, "-m", *args],
            cwd=self.root,
            env={**base, DATA_ENV: str(self.root / "data"), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def worker(self, args: list[str], out: Path, env: dict | None = None) -> dict:
        """Run a worker that writes JSON to ``out``; that JSON."""
        proc = self.python([*args, str(out)], env)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
        return json.loads(out.read_text())


EXAMPLES = ("doncaster_targets_illustrative.csv", "doncaster_return_illustrative.csv")


def load_example_plan(tree: Tree, tmp: Path) -> None:
    """Load the worked example (data/examples: an illustrative improvement plan and
    monthly return for Doncaster) into the copy, as an analyst would, so that the
    scorecard page and the target-status query measure real work. Every build in the
    run replays the two loads; the repository's own data/ is never touched. A data
    folder that holds loads of its own is measured with those instead."""
    if (tree.root / "data" / LOG).exists():
        return
    db = tmp / "plan" / "dashboard.duckdb"
    db.parent.mkdir()
    for name, command in zip(EXAMPLES, ("targets", "import")):
        example = tree.root / "data" / "examples" / name
        proc = tree.python(
            ["metrics", command, str(example), "--db", str(db), "--data-dir", "data"]
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{command} {name}: {proc.stdout}{proc.stderr}"[-1500:])
    shutil.rmtree(db.parent)  # the timed builds start from the files alone
