"""The file steps of taking an official release: put it in a staging folder, check it
exactly as the build would, move it into data/raw, and take it out again if the
rebuild fails. Nothing reaches data/raw before every file of the run is checked.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from metrics.config import PROVENANCE_CSV, STAGING
from metrics.official_files import check
from metrics.releases import file_sha256, lait_release, match
from metrics.sources import Source
from metrics.storage import DataError


@dataclass(frozen=True)
class Staged:
    """A file in the staging folder, checked, with where it goes in data/raw."""

    source: Source
    release: str
    path: Path
    target: Path  # within the data folder
    url: str
    published: str
    sha256: str


def staging_folder(data_dir: Path) -> Path:
    """A new, empty staging folder under the data folder."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = data_dir / STAGING / stamp
    folder.mkdir(parents=True)
    return folder


def discard(folder: Path) -> None:
    """Remove a staging folder and, if then empty, the staging root."""
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.parent.rmdir()
    except OSError:
        pass


def stage(
    folder: Path, name: str, content: bytes, url: str, published: str, release: str
) -> Staged:
    """Write a downloaded file into the staging folder and check it.

    Raises DataError (naming the file) if it is not what its source declares.
    """
    path = folder / name
    path.write_bytes(content)
    return checked(folder, path, url, published, release)


def checked(
    folder: Path, path: Path, url: str, published: str = "", release: str = ""
) -> Staged:
    """Check a staged file as the build would: its name, its contents and, where
    the release is read from the file, that it is the release expected."""
    placed = match(path.name)
    if placed is None:
        raise DataError(path.name, None, None, "matches no declared official source")
    source, key, found = placed
    part = next(p for p in source.parts if p.key == key)
    check(part.expected, folder, Path(path.name))
    named = found.groupdict().get("release") or ""
    if source.release_from == "lait dictionary":
        # The files of one LAIT release share a suffix; its dictionary dates them.
        sibling = folder / f"lait_data_dictionary{found['tag'] or ''}.csv"
        named = lait_release(sibling) if sibling.exists() else ""
    if named and release and named != release:
        raise DataError(
            path.name, None, None, f"holds release {named}, not {release} as offered"
        )
    return Staged(
        source,
        release or named,
        path,
        source.folder / path.name,
        url,
        published,
        file_sha256(path),
    )


def place(staged: list[Staged], data_dir: Path) -> list[Path]:
    """Move checked files into data/raw; return what was moved (for ``unplace``).

    A file already there with the same name is not replaced: a release with the
    same name and other contents is refused.
    """
    for item in staged:
        there = data_dir / item.target
        if there.exists() and file_sha256(there) != item.sha256:
            raise DataError(
                item.target,
                None,
                None,
                "is already here with other contents: move it out of data/raw "
                "first if the new copy should replace it",
            )
    moved = []
    for item in staged:
        there = data_dir / item.target
        if there.exists():
            continue
        there.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(item.path), str(there))
        moved.append(there)
    return moved


def unplace(moved: list[Path], data_dir: Path, provenance: bytes | None) -> None:
    """Take moved files out of data/raw again and restore data/provenance.csv."""
    for path in moved:
        path.unlink(missing_ok=True)
    target = data_dir / PROVENANCE_CSV
    if provenance is None:
        target.unlink(missing_ok=True)
    else:
        target.write_bytes(provenance)
