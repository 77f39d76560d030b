"""`python -m metrics update`: ask each official source's public location for its
latest release, download what is newer than the release in use into a staging
folder, check it as the build would, move it into data/raw, record its provenance
in data/provenance.csv and rebuild. ``--from DIR`` takes releases downloaded by
hand instead. Anything that fails changes nothing: one line names the source and
what to try, and the exit code is 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from metrics import remote, staging
from metrics.build import build
from metrics.config import PROVENANCE_CSV
from metrics.releases import Found, append_provenance, find, match
from metrics.sources import BY_NAME, SOURCES, Source
from metrics.storage import DataError, build_lock

Say = Callable[[str], None]


def add_parser(sub):
    """Add the `update` subcommand; return its parser (the caller adds --data-dir)."""
    p = sub.add_parser(
        "update",
        help="fetch newer official releases, check them and rebuild",
        description="Ask each official source for its latest release, take what is "
        "newer than the release in use, check it as the build would, move it into "
        "data/raw, record its provenance and rebuild; on any failure change "
        "nothing (exit code 2). See data/PROVENANCE.md.",
    )
    p.add_argument("--source", choices=sorted(BY_NAME), help="only this source")
    p.add_argument("--dry-run", action="store_true", help="say what would be fetched")
    p.add_argument(
        "--from",
        dest="from_dir",
        type=Path,
        default=None,
        help="take releases downloaded by hand from this folder instead",
    )
    p.add_argument("--db", type=Path, default=None, help="database file to rebuild")
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    """Run `update` from parsed arguments; return the exit code."""
    return update(
        args.data_dir, args.db, args.source, args.dry_run, args.from_dir, print
    )


def update(
    data_dir: Path,
    db: Path,
    source: str | None = None,
    dry_run: bool = False,
    from_dir: Path | None = None,
    say: Say = print,
) -> int:
    """Take newer releases into data/raw and rebuild; 0 done, 2 nothing changed."""
    try:
        found = find(data_dir)
    except DataError as exc:
        say(f"error: {exc}; fix the data folder first (`python -m metrics build`)")
        return 2
    chosen = [BY_NAME[source]] if source else list(SOURCES)
    folder = None
    try:
        if from_dir is not None:
            folder = staging.staging_folder(data_dir)
            staged = _from_folder(from_dir, folder, found, chosen, say, dry_run)
        else:
            offers = _ask(chosen, found, say)
            if dry_run or not offers:
                return _said(offers, dry_run, say)
            folder = staging.staging_folder(data_dir)
            staged = _download(offers, folder)
        if dry_run or not staged:
            return 0
        return _take(staged, data_dir, db, say)
    except remote.FetchError as exc:
        say(f"error: {exc.source}: {exc.problem}; nothing changed")
        say(f"try: {exc.hint}")
        return 2
    finally:
        if folder is not None:
            staging.discard(folder)


def _ask(chosen: list[Source], found: Found, say: Say) -> list[remote.Offer]:
    """Every file of a newer release on offer, from each source asked."""
    offers = []
    for source in chosen:
        if source.fetch is None:
            if len(chosen) == 1:
                say(f"{source.name}: has no public location to ask; nothing to fetch")
            continue
        in_use = found.chosen.get(source.name)
        mine = remote.offers(source, in_use)
        if not mine:
            words = source.words(in_use.release) if in_use else "none"
            say(f"{source.name}: up to date (in use: {words})")
        offers += mine
    return offers


def _said(offers: list[remote.Offer], dry_run: bool, say: Say) -> int:
    for offer in offers:
        words = offer.source.words(offer.release)
        say(f"would fetch {offer.source.name}: {offer.name} ({words}) from {offer.url}")
    return 0


def _download(offers: list[remote.Offer], folder: Path) -> list[staging.Staged]:
    """Download and check every offered file; FetchError on the first bad one."""
    staged = []
    for offer in offers:
        content = offer.content or remote.get(offer.source.name, offer.url)
        try:
            staged.append(
                staging.stage(
                    folder,
                    offer.name,
                    content,
                    offer.url,
                    offer.published,
                    offer.release,
                )
            )
        except DataError as exc:
            raise remote.FetchError(
                offer.source.name,
                f"the download from {offer.url} is not a good copy ({exc})",
                "try again later; if it persists, the publisher has changed the "
                "file: download it by hand and check it with --from DIR",
            ) from exc
    return staged


def _from_folder(
    from_dir: Path,
    folder: Path,
    found: Found,
    chosen: list[Source],
    say: Say,
    dry_run: bool,
) -> list[staging.Staged]:
    """Check releases downloaded by hand; those newer than in use are kept."""
    if not from_dir.is_dir():
        raise remote.FetchError(
            "--from", f"{from_dir} is not a folder", "give the folder the files are in"
        )
    staged = []
    for path in sorted(p for p in from_dir.iterdir() if p.is_file()):
        placed = match(path.name)
        if placed is None:
            raise remote.FetchError(
                path.name,
                f"{path} matches no declared official source",
                "give it its official name (data/PROVENANCE.md lists them)",
            )
        if placed[0] not in chosen:
            continue
        copy = folder / path.name
        copy.write_bytes(path.read_bytes())
        try:
            item = staging.checked(folder, copy, f"file:{path.resolve()}")
        except DataError as exc:
            raise remote.FetchError(
                placed[0].name,
                f"{path} is not a good copy ({exc})",
                "download it again from the publication page",
            ) from exc
        if _not_wanted(item, found, data_dir=folder.parent.parent):
            say(f"{item.source.name}: {path.name} is not newer than the release in use")
            continue
        verb = "would take" if dry_run else "taking"
        say(
            f"{verb} {item.source.name}: {path.name} ({item.source.words(item.release)})"
        )
        staged.append(item)
    return staged


def _not_wanted(item: staging.Staged, found: Found, data_dir: Path) -> bool:
    """A file that is not newer than the release in use (a report: already here)."""
    if item.source.kind == "documents":
        return (data_dir / item.target).exists()
    return not remote.newer(
        item.source, item.release, found.chosen.get(item.source.name)
    )


def _take(staged: list[staging.Staged], data_dir: Path, db: Path, say: Say) -> int:
    """Move checked files in, record them, rebuild; undo all if the build fails."""
    provenance = data_dir / PROVENANCE_CSV
    before = provenance.read_bytes() if provenance.exists() else None
    fetched_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    moved: list[Path] = []
    try:
        with build_lock(db):
            moved = staging.place(staged, data_dir)
            append_provenance(data_dir, [_row(item, fetched_at) for item in staged])
            result = build(db, data_dir)
    except Exception as exc:
        staging.unplace(moved, data_dir, before)
        say(f"error: {exc}; the new files were taken out again, nothing changed")
        say("try: `python -m metrics build --debug` with the files in place shows why")
        return 2
    for item in staged:
        say(f"took {item.source.name}: data/{item.target} from {item.url}")
    for line in result.changes:
        say(line)
    say(f"built {result.db_path} in {result.seconds:.2f} s")
    return 0


def _row(item: staging.Staged, fetched_at: str) -> dict[str, str]:
    return {
        "source": item.source.name,
        "file": str(Path("data") / item.target),
        "release": item.release,
        "url": item.url,
        "published": item.published,
        "sha256": item.sha256,
        "fetched_at": fetched_at,
        "note": "taken by python -m metrics update",
    }
