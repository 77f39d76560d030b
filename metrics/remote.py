"""Where each official source publishes its releases, asked over HTTP: GOV.UK's
content API, explore education statistics' public API and LAIT's published files.

Each lookup returns the releases on offer that are newer than the one in use
(``Offer``), or raises FetchError naming the source, what went wrong and what to
try. The usual proxy variables are honoured (urllib's default ProxyHandler); the
base addresses can be pointed elsewhere (a test server, a mirror) by environment
variables.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from metrics.releases import Release, lait_release, match
from metrics.sources import Source

BASES = {
    "govuk": ("DASHBOARD_GOVUK_URL", "https://www.gov.uk"),
    "ees": ("DASHBOARD_EES_URL", "https://api.education.gov.uk/statistics/v1"),
    "lait": (
        "DASHBOARD_LAIT_URL",
        "https://raw.githubusercontent.com/dfe-analytical-services/"
        "local-authority-interactive-tool/main/01_data/02_prod",
    ),
}
TIMEOUT_ENV = "DASHBOARD_FETCH_TIMEOUT"  # seconds; 60 by default
LATER_YEARS = 3  # GOV.UK pages named by year: how many years ahead to ask


class FetchError(Exception):
    """A source that could not be asked or fetched: what happened, what to try."""

    def __init__(self, source: str, problem: str, hint: str):
        super().__init__(f"{source}: {problem}")
        self.source, self.problem, self.hint = source, problem, hint


@dataclass(frozen=True)
class Offer:
    """One file of a newer release on offer: its name here, address and release."""

    source: Source
    release: str
    name: str
    url: str
    published: str = ""
    content: bytes | None = None  # already downloaded (LAIT's dictionary)


def base(kind: str) -> str:
    """The base address of a kind of location (its environment variable, if set)."""
    variable, default = BASES[kind]
    return (os.environ.get(variable) or default).rstrip("/")


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV) or 60)
    except ValueError:
        return 60.0


def get(source: str, url: str) -> bytes:
    """The body at ``url``; FetchError (naming ``source``) on any failure."""
    host = urllib.parse.urlsplit(url).netloc or url
    request = urllib.request.Request(
        url, headers={"User-Agent": "csc-dashboard-update", "Accept-Encoding": "gzip"}
    )
    try:
        with urllib.request.build_opener().open(request, timeout=_timeout()) as answer:
            body = answer.read()
            if answer.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return body
    except urllib.error.HTTPError as exc:
        raise FetchError(
            source,
            f"{url} answered {exc.code} {exc.reason}",
            "the publisher may have moved the page or file: check the publication "
            "page (data/PROVENANCE.md) and download by hand, then use --from DIR",
        ) from exc
    except TimeoutError as exc:
        raise FetchError(
            source,
            f"{host} did not answer within {_timeout():g} s",
            f"try again later, or allow more time with {TIMEOUT_ENV}",
        ) from exc
    except (urllib.error.URLError, OSError, EOFError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise FetchError(
                source,
                f"{host} did not answer within {_timeout():g} s",
                f"try again later, or allow more time with {TIMEOUT_ENV}",
            ) from exc
        raise FetchError(
            source,
            f"could not reach {host} ({reason})",
            "check the network connection and any proxy (https_proxy), or "
            "download the files by hand and use --from DIR",
        ) from exc


def get_json(source: str, url: str) -> dict:
    """The JSON object at ``url``; FetchError if it is not one."""
    try:
        answer = json.loads(get(source, url))
    except (ValueError, UnicodeDecodeError) as exc:
        raise changed(source, url, "its answer is not JSON") from exc
    if not isinstance(answer, dict):
        raise changed(source, url, "its answer is not a JSON object")
    return answer


def changed(source: str, url: str, what: str) -> FetchError:
    """The error for an answer not of the shape expected."""
    return FetchError(
        source,
        f"{url} has changed shape ({what})",
        "download the release by hand from the publication page and use --from DIR",
    )


def newer(source: Source, release: str, in_use: Release | None) -> bool:
    """Whether a release is newer than the one in use."""
    if in_use is None:
        return True
    mine = (source.period_end(release), release)
    theirs = (in_use.period_end, in_use.release)
    return mine > theirs if None not in (mine[0], theirs[0]) else release > theirs[1]


def offers(source: Source, in_use: Release | None) -> list[Offer]:
    """The files of newer releases of a source on offer at its location."""
    kind = source.fetch.kind if source.fetch else ""
    if kind == "govuk":
        return _govuk(source, in_use)
    if kind == "ees":
        return _ees(source, in_use)
    if kind == "lait":
        return _lait(source, in_use)
    return []


# --- GOV.UK content API ---------------------------------------------------------


def _govuk(source: Source, in_use: Release | None) -> list[Offer]:
    page = source.fetch.page
    if "{year}" not in page:
        return _govuk_page(source, in_use, page)
    out: list[Offer] = []
    year = int(in_use.release) if in_use else 2024
    for later in range(year + 1, year + 1 + LATER_YEARS):
        try:
            found = _govuk_page(source, in_use, page.format(year=later))
        except FetchError as exc:
            if " answered 404 " in exc.problem:  # that year's page is not out yet
                break
            raise
        out += found
    return out


def _govuk_page(source: Source, in_use: Release | None, path: str) -> list[Offer]:
    url = f"{base('govuk')}/api/content/{path.strip('/')}"
    page = get_json(source.name, url)
    details = page.get("details")
    if not isinstance(details, dict):
        raise changed(source.name, url, "no details")
    files = details.get("attachments") or details.get("documents")
    if not isinstance(files, list):
        raise changed(source.name, url, "no details.attachments or details.documents")
    published = str(page.get("public_updated_at") or page.get("first_published_at"))
    out = []
    for link in _links(files):
        full = urllib.parse.urljoin(f"{base('govuk')}/", link)
        name = urllib.parse.unquote(Path(urllib.parse.urlsplit(full).path).name)
        placed = match(name)
        if placed is None or placed[0] is not source:
            continue
        release = placed[2].groupdict().get("release", "")
        if newer(source, release, in_use):
            out.append(Offer(source, release, name, full, published[:10]))
    return out


def _links(files: list) -> list[str]:
    """The file addresses of details.attachments (objects) or documents (HTML)."""
    links = []
    for item in files:
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            links.append(item["url"])
        elif isinstance(item, str):
            links += re.findall(r'href="([^"]+)"', item)
    return links


# --- explore education statistics' public API -----------------------------------


def _ees(source: Source, in_use: Release | None) -> list[Offer]:
    root = base("ees")
    query = urllib.parse.urlencode({"search": source.fetch.page, "pageSize": 20})
    url = f"{root}/publications?{query}"
    publication = _pick(source, url, source.fetch.page)
    url = f"{root}/publications/{publication['id']}/data-sets?pageSize=100"
    data_set = _pick(source, url, source.fetch.dataset)
    latest = data_set.get("latestVersion")
    try:
        periods = latest["timePeriods"]
        first = re.search(r"\d{4}", str(periods["start"])).group()
        release = re.search(r"\d{4}", str(periods["end"])).group()
        version = str(latest["version"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise changed(
            source.name, url, "no latestVersion with its time periods"
        ) from exc
    if not newer(source, release, in_use):
        return []
    name = source.fetch.save_as.format(first=first, release=release)
    query = urllib.parse.urlencode({"dataSetVersion": version})
    csv_url = f"{root}/data-sets/{data_set['id']}/csv?{query}"
    return [
        Offer(source, release, name, csv_url, str(latest.get("published", ""))[:10])
    ]


def _pick(source: Source, url: str, wanted: str) -> dict:
    """The result whose title is (or, failing that, contains) ``wanted``."""
    results = get_json(source.name, url).get("results")
    if not isinstance(results, list) or not all(
        isinstance(r, dict) and "id" in r and "title" in r for r in results
    ):
        raise changed(source.name, url, "no results with id and title")
    wanted_l = wanted.lower()
    same = [r for r in results if str(r["title"]).lower() == wanted_l]
    within = [r for r in results if wanted_l in str(r["title"]).lower()]
    chosen = same or within
    if not chosen:
        raise changed(source.name, url, f"nothing titled {wanted!r}")
    return chosen[0]


# --- LAIT ------------------------------------------------------------------------


def _lait(source: Source, in_use: Release | None) -> list[Offer]:
    root = base("lait")
    parts = {p.key: p for p in source.parts}
    url = f"{root}/{urllib.parse.quote(parts['dictionary'].fetch_name)}"
    content = get(source.name, url)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dictionary.csv"
        path.write_bytes(content)
        try:
            release = lait_release(path)
        except ValueError as exc:
            raise changed(source.name, url, "no 'Last Update' dates") from exc
    if not newer(source, release, in_use):
        return []
    out = []
    # The dictionary first: the other files are dated by it when checked.
    for part in sorted(source.parts, key=lambda p: p.key != "dictionary"):
        stem, _, suffix = part.shipped.rpartition(".")
        name = f"{stem}_{release}.{suffix}"
        link = f"{root}/{urllib.parse.quote(part.fetch_name)}"
        first = content if part.key == "dictionary" else None
        out.append(Offer(source, release, name, link, "", first))
    return out
