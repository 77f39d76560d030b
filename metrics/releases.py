"""Which release of each official source the build uses: every file under data/raw
is recognised by its source's declared name pattern (metrics.sources), releases are
told apart by the release each file's name (or, for LAIT, its dictionary) gives, and
the newest of each source is used. Older files stay where they are, for the record.

A file that matches no source, or two files that claim the same release, stop the
build with a message naming the file and what to do; nothing changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import PROVENANCE_CSV, RAW
from metrics.sources import BY_NAME, SOURCES, Source
from metrics.storage import DataError

PROVENANCE_COLUMNS = (
    "source",
    "file",
    "release",
    "url",
    "published",
    "sha256",
    "fetched_at",
    "note",
)


class ReleaseError(DataError):
    """A file under data/raw the build cannot place, with what to do about it."""

    def __init__(self, file: str | Path, problem: str, fix: str):
        super().__init__(file, None, None, problem)
        self.fix = fix


@dataclass(frozen=True)
class Release:
    """One release of a source: its files (part key -> path in the data folder)."""

    source: Source
    release: str
    files: tuple[tuple[str, Path], ...]

    @property
    def source_id(self) -> str:
        """The sources-table id of this release."""
        return self.source.source_id_for(self.release)

    @property
    def period_end(self) -> dt.date | None:
        """The last day of the period it covers, where it has one."""
        return self.source.period_end(self.release)

    def path(self, part: str | None = None) -> Path:
        """The file of one part (the first part when none is named)."""
        files = dict(self.files)
        return files[part] if part else self.files[0][1]

    def first_year(self) -> str:
        """A name's first year ('2013' of ..._2013_to_2026.csv), or ''."""
        for part in self.source.parts:
            match = re.fullmatch(part.pattern, self.path(part.key).name)
            if match and "first" in match.groupdict():
                return match["first"]
        return ""

    def title(self) -> str:
        """The source's title for this release."""
        return self.source.title.format(release=self.release, first=self.first_year())


@dataclass(frozen=True)
class Found:
    """Every release under data/raw, and the one of each source the build uses."""

    releases: tuple[Release, ...]
    chosen: dict[str, Release]

    def file(self, source: str, part: str | None = None) -> Path:
        """The file of the release in use of a source (its first part by default)."""
        return self.chosen[source].path(part)

    def in_use(self, release: Release) -> bool:
        """Whether a release is the one the build uses (reports: every one)."""
        if release.source.kind == "documents":
            return True
        return self.chosen.get(release.source.name) == release


def match(name: str) -> tuple[Source, str, re.Match] | None:
    """The source, part and match of a file name, or None."""
    for source in SOURCES:
        for part in source.parts:
            found = re.fullmatch(part.pattern, name)
            if found:
                return source, part.key, found
    return None


def find(data_dir: Path) -> Found:
    """Place every file under data/raw; raise ReleaseError on one that cannot be."""
    groups: dict[tuple[str, str], dict[str, Path]] = {}
    unmatched = []
    for path in sorted((data_dir / RAW).rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        name = path.relative_to(data_dir)
        placed = match(path.name)
        if placed is None or name.parent != placed[0].folder:
            unmatched.append((name, placed))
            continue
        source, part, found = placed
        key = found.groupdict().get("release") or found.groupdict().get("tag") or ""
        group = groups.setdefault((source.name, key), {})
        if part in group:
            _duplicate(source, key, group[part], name)
        group[part] = name
    releases = _releases(groups, data_dir)
    chosen = _newest(releases, data_dir)
    for name, placed in unmatched:
        _unmatched(name, placed)
    return Found(tuple(releases), chosen)


def _releases(groups: dict, data_dir: Path) -> list[Release]:
    out, seen = [], {}
    for (source_name, key), parts in sorted(groups.items()):
        source = BY_NAME[source_name]
        missing = [p for p in source.parts if p.key not in parts]
        if missing:
            some = next(iter(parts.values()))
            raise ReleaseError(
                some,
                f"is one file of a release of {source.title.split(':')[0]} whose "
                f"{missing[0].key} file ({_named_like(missing[0].shipped, key)}) is "
                "not here",
                "put the release's other files beside it, or move it out of data/raw",
            )
        files = tuple((p.key, parts[p.key]) for p in source.parts)
        release = key
        if source.release_from == "lait dictionary":
            release = lait_release(data_dir / dict(files)["dictionary"])
        if (source.name, release) in seen:
            _duplicate(source, release, seen[(source.name, release)], files[0][1])
        seen[(source.name, release)] = files[0][1]
        out.append(Release(source, release, files))
    return out


def _duplicate(source: Source, release: str, first: Path, second: Path) -> None:
    raise ReleaseError(
        first,
        f"claims the same release ({source.words(release)}) of {source.name} as "
        f"{second}",
        f"keep one of the two files: move {first.name} or {second.name} out of "
        "data/raw",
    )


def _named_like(shipped: str, key: str) -> str:
    stem, dot, suffix = shipped.rpartition(".")
    return f"{stem}{key}.{suffix}" if dot else shipped


def _newest(releases: list[Release], data_dir: Path) -> dict[str, Release]:
    chosen: dict[str, Release] = {}
    for release in releases:
        if release.source.kind == "documents":
            continue
        now = chosen.get(release.source.name)
        if now is None or _order(release) > _order(now):
            chosen[release.source.name] = release
    for source in SOURCES:
        if source.required and source.name not in chosen:
            shipped = _last_recorded(source, data_dir) or source.parts[0].shipped
            raise DataError(source.folder / shipped, None, None, "the file is missing")
    return chosen


def _order(release: Release) -> tuple:
    return (release.period_end or dt.date.min, release.release)


def _unmatched(name: Path, placed) -> None:
    if placed is not None:
        raise ReleaseError(
            name,
            f"is named like {placed[0].name}'s files but is not in {placed[0].folder}",
            f"move it to data/{placed[0].folder}",
        )
    raise ReleaseError(
        name,
        "matches no declared official source (data/PROVENANCE.md lists the file "
        "names each source takes)",
        "give it its official name, or move it out of data/raw if it is not an "
        "official release",
    )


def lait_release(dictionary: Path) -> str:
    """LAIT's release: the latest 'Last Update' of its dictionary, as an ISO date."""
    name = dictionary.name
    try:
        frame = pd.read_csv(dictionary, dtype=str, keep_default_na=False)
        days = pd.to_numeric(frame["Last Update"], errors="coerce").dropna()
    except (KeyError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(
            dictionary, None, "Last Update", "cannot be read to tell the release"
        ) from exc
    if days.empty:
        raise DataError(name, None, "Last Update", "holds no date")
    return (dt.date(1899, 12, 30) + dt.timedelta(days=int(days.max()))).isoformat()


# --- provenance ------------------------------------------------------------------


def read_provenance(data_dir: Path) -> pd.DataFrame:
    """data/provenance.csv: one row per official file taken, oldest first."""
    path = data_dir / PROVENANCE_CSV
    if not path.exists():
        return pd.DataFrame(columns=list(PROVENANCE_COLUMNS))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PROVENANCE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(PROVENANCE_CSV, 1, missing[0], "column is missing")
    return frame


def append_provenance(data_dir: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to data/provenance.csv (written with its header when new)."""
    path = data_dir / PROVENANCE_CSV
    new = not path.exists()
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, PROVENANCE_COLUMNS, lineterminator="\n")
        if new:
            writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in PROVENANCE_COLUMNS})


def _last_recorded(source: Source, data_dir: Path) -> str | None:
    try:
        rows = read_provenance(data_dir)
    except DataError:
        return None
    rows = rows[rows.source == source.name]
    return Path(rows.file.iloc[-1]).name if len(rows) else None


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _published(text: str) -> dt.date | None:
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def record(con: duckdb.DuckDBPyConnection, found: Found, data_dir: Path) -> None:
    """Write source_releases (every file found) and give each release in use its
    row in sources."""
    provenance = read_provenance(data_dir)
    by_file = {r.file: r for r in provenance.itertuples()}
    rows = []
    for release in found.releases:
        for part, name in release.files:
            known = by_file.get(str(Path("data") / name)) or by_file.get(str(name))
            rows.append(
                {
                    "source": release.source.name,
                    "source_id": release.source_id or None,
                    "release": release.release,
                    "period_end": release.period_end,
                    "part": part,
                    "file": str(name),
                    "sha256": file_sha256(data_dir / name),
                    "in_use": found.in_use(release),
                    "published": _published(known.published) if known else None,
                    "url": (known.url or None) if known else None,
                    "fetched_at": (known.fetched_at or None) if known else None,
                }
            )
    frame = pd.DataFrame(rows)
    con.register("found_files", frame)
    con.execute("INSERT INTO source_releases BY NAME SELECT * FROM found_files")
    con.unregister("found_files")
    for release in found.chosen.values():
        _source_row(con, release, frame)


def _source_row(con: duckdb.DuckDBPyConnection, release: Release, files) -> None:
    """The release in use in sources: a curated row keeps its words but gains the
    file and, where recorded, the publication date; otherwise a row is added."""
    source = release.source
    mine = files[(files.source == source.name) & (files.release == release.release)]
    published = mine.published.dropna()
    day = published.iloc[0] if len(published) else None
    reference = "; ".join(f"data/{f}" for f in mine.file)
    exists = con.execute(
        "SELECT count(*) FROM sources WHERE source_id = ?", [release.source_id]
    ).fetchone()[0]
    # A fixed id (dfe_cin_b1) names whichever release is in use: its title follows
    # the release; an id per release (ofsted_outcomes_2025) keeps its curated words.
    fixed = "{release}" not in source.source_id
    title, reference = (release.title(), reference) if fixed else (None, None)
    if not exists:
        con.execute(
            "INSERT INTO sources (source_id, title, publisher, published, "
            "published_precision, kind, licence, reference, published_rule) "
            "VALUES (?, ?, ?, ?, ?, 'official statistics', ?, ?, ?)",
            [
                release.source_id,
                release.title(),
                source.publisher,
                day,
                "day" if day else None,
                source.licence,
                reference,
                # The day the release's own page or file gives.
                "exact" if day else None,
            ],
        )
        return
    con.execute(
        "UPDATE sources SET title = coalesce(?, title), "
        "reference = coalesce(?, reference), "
        "published = coalesce(published, ?), "
        "published_precision = coalesce(published_precision, ?) WHERE source_id = ?",
        [title, reference, day, "day" if day else None, release.source_id],
    )
