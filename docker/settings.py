"""The container's settings check, before anything is served: prints "hosted" (a
working [auth]) or "local" (no [auth], and local mode asked for with
DASHBOARD_LOCAL=1) and exits 0; otherwise says what is wrong and exits 2.

The secrets files are Streamlit's (``--secrets.files`` among the arguments given to
start.sh, else its defaults), read as Streamlit reads them: later files win.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.access import settings_problem  # noqa: E402  (after the path fix)

LOCAL_ENV = "DASHBOARD_LOCAL"


def secrets_files(argv: list[str]) -> list[Path]:
    """The secrets files Streamlit will read, given start.sh's extra arguments."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--secrets.files", dest="files", action="append")
    given = parser.parse_known_args(argv)[0].files
    if given:
        return [Path(f) for f in given]
    from streamlit import config

    return [Path(f) for f in config.get_option("secrets.files")]


def mode(argv: list[str], local_asked: bool) -> tuple[str | None, str]:
    """("hosted" | "local" | None, what is wrong) for these arguments."""
    secrets: dict = {}
    for path in secrets_files(argv):
        if not path.is_file():
            continue
        try:
            secrets.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return None, f"{path} cannot be read: {exc}"
    problem = settings_problem(secrets)
    if problem:
        return None, f"the settings are incomplete: {problem}"
    if "auth" in secrets:
        return "hosted", ""
    if local_asked:
        return "local", ""
    return None, (
        "no [auth] section in .streamlit/secrets.toml, so anyone who can reach the "
        f"server could view and load figures; add [auth] (README, Hosting), or set "
        f"{LOCAL_ENV}=1 to serve without sign-in on 127.0.0.1"
    )


def main(argv: list[str]) -> int:
    """Print the mode, or the problem on stderr; the exit status."""
    found, problem = mode(argv, os.environ.get(LOCAL_ENV) == "1")
    if found is None:
        print(f"start.sh: not serving: {problem}", file=sys.stderr)
        return 2
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
