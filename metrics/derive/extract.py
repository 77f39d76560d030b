"""Read a children in need census extract (DfE's XML layout) one child at a time.

The file is parsed as a stream: each `Child` element is turned into a small record
of the dates the measures need and then cleared, so a county's year is never held
whole. A record keeps no identifier, name or date of birth: the child's LAchildID
is used only to refuse a file that holds the same child twice, and stays in memory.

Every problem is an ExtractError naming the line and the element's path in the
file (`Message/Children/Child[12]/CINdetails[1]/Assessments[2]/...`), never a
value the file holds.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from xml.parsers.expat import ErrorString

ROOT = "Message"
CHILDREN = "Children"
CHUNK = 1 << 16  # the longest piece fed to the parser at once (a line, or part)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FLAGS = {"1": True, "true": True, "0": False, "false": False}  # xs:boolean
WHOLE = re.compile(r"\d+")


class ExtractError(Exception):
    """A problem with the extract: where it is (line and element path) and what."""

    def __init__(self, line: int | None, where: str, problem: str):
        super().__init__(line, where, problem)
        self.line, self.where, self.problem = line, where, problem

    def __str__(self) -> str:
        at = f"line {self.line}, " if self.line else ""
        return f"{at}{self.where}: {self.problem}"


@dataclass(frozen=True)
class Header:
    """The extract's header: the census it belongs to and when it was made."""

    collection: str
    year: str
    reference_date: dt.date
    lea: str | None  # the council's LEA (DfE LA) number, as written
    extracted: dt.datetime  # Source/DateTime: when the extract was made
    lines: dict[str, int]  # element name -> line, for messages about the header

    @property
    def year_start(self) -> dt.date:
        """First day of the collection year (the day after a year before the
        reference date): the census holds the episodes open since then."""
        return self.reference_date.replace(year=self.reference_date.year - 1) + (
            dt.timedelta(days=1)
        )


class Referral(NamedTuple):
    """A CIN episode's referral."""

    date: dt.date
    nfa: bool  # closed with no further action


class Assessment(NamedTuple):
    """An assessment; ``authorised`` is None while it is in progress."""

    start: dt.date
    authorised: dt.date | None


class Enquiry(NamedTuple):
    """A section 47 enquiry; ``conference`` is the initial child protection
    conference's date, None if none was held (or it was marked not required)."""

    start: dt.date
    conference: dt.date | None


class Plan(NamedTuple):
    """A child protection plan; ``end`` is None while it is open."""

    start: dt.date
    end: dt.date | None
    previous: int  # NumberOfPreviousCPP (0 when not given)


class Child(NamedTuple):
    """What the measures need of one child: dates and flags only."""

    ordinal: int  # its place among the file's Child elements, from 1
    referrals: list[Referral]
    assessments: list[Assessment]
    enquiries: list[Enquiry]
    plans: list[Plan]


class Extract:
    """A CIN census extract opened for reading: its header, then its children."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lines: dict[ET.Element, int] = {}  # start line of each open element
        self._seen: dict[str, int] = {}  # LAchildID -> ordinal, to refuse repeats
        self._root_seen = False
        self._items = self._walk()
        self.header: Header = next(self._items)  # the walk yields the header first

    def children(self) -> Iterator[Child]:
        """Each child of the extract in file order (read once)."""
        yield from self._items

    # --- the stream ------------------------------------------------------------

    def _events(self) -> Iterator[tuple[int, str, ET.Element]]:
        """Parser events with the line each was read on (the file is fed a line,
        or a piece of a long line, at a time so that the line is known)."""
        parser = ET.XMLPullParser(events=("start", "end"))
        line, closing = 1, False
        try:
            with open(self.path, "rb") as handle:
                while chunk := handle.readline(CHUNK):
                    parser.feed(chunk)
                    for event, elem in parser.read_events():
                        yield line, event, elem
                    line += chunk.endswith(b"\n")
            closing = True
            parser.close()
        except ET.ParseError as exc:
            raise self._not_xml(exc, closing) from None
        for event, elem in parser.read_events():
            yield line, event, elem

    def _not_xml(self, exc: ET.ParseError, closing: bool) -> ExtractError:
        line, column = exc.position
        if not self._root_seen:
            problem = f"is not XML ({ErrorString(exc.code)} at column {column + 1})"
        elif closing:
            problem = (
                "ends before its XML is complete: it may be cut short; make the "
                "extract again"
            )
        else:
            problem = f"is not well-formed XML ({ErrorString(exc.code)} at column "
            problem += f"{column + 1})"
        return ExtractError(line, "the file", problem)

    def _walk(self) -> Iterator:
        """The header, then each child; checks the document's outline."""
        stack: list[str] = []
        header: Header | None = None
        children: ET.Element | None = None
        ordinal = line = 0
        for line, event, elem in self._events():
            if event == "start":
                if elem.tag[:1] == "{":  # a namespace, if the extract has one
                    elem.tag = elem.tag.rpartition("}")[2]
                if not stack:
                    self._root(line, elem.tag)
                stack.append(elem.tag)
                if len(stack) > 1:
                    self._lines[elem] = line
                if len(stack) == 2 and elem.tag == CHILDREN:
                    if header is None:
                        raise ExtractError(
                            line, f"{ROOT}/{CHILDREN}", "comes before any Header"
                        )
                    children = elem
                continue
            stack.pop()
            if len(stack) == 1 and elem.tag == "Header" and header is None:
                header = self._header(elem)
                yield header
            elif len(stack) == 2 and elem.tag == "Child" and stack[1] == CHILDREN:
                ordinal += 1
                yield self._child(elem, ordinal)
                children.clear()  # the child read, its elements go
            else:
                continue
            self._lines.clear()
            elem.clear()
        if header is None:
            raise ExtractError(line, ROOT, "has no Header")
        if children is None:
            raise ExtractError(line, ROOT, "has no Children")

    def _root(self, line: int, tag: str) -> None:
        self._root_seen = True
        if tag != ROOT:
            raise ExtractError(
                line,
                "the root element",
                f"is {tag}, not {ROOT}: this is not a CIN census extract",
            )

    # --- the header ------------------------------------------------------------

    def _header(self, elem: ET.Element) -> Header:
        at = f"{ROOT}/Header"
        details = self._needed(elem, "CollectionDetails", at)
        source = self._needed(elem, "Source", at)
        collection = (details.findtext("Collection") or "").strip()
        if collection.upper() != "CIN":
            raise ExtractError(
                self._line(details.find("Collection"), details),
                f"{at}/CollectionDetails/Collection",
                "is not CIN: this is not a children in need census extract",
            )
        reference = self._date(details, "ReferenceDate", f"{at}/CollectionDetails")
        node = source.find("DateTime")
        text = (node.text or "").strip() if node is not None else ""
        try:
            extracted = dt.datetime.fromisoformat(text)
            if not ISO_DATE.match(text):
                raise ValueError
        except ValueError:
            raise ExtractError(
                self._line(node, source),
                f"{at}/Source/DateTime",
                "is missing or not a date and time written YYYY-MM-DDThh:mm:ss",
            ) from None
        lea = (source.findtext("LEA") or "").strip() or None
        return Header(
            collection=collection,
            year=(details.findtext("Year") or "").strip(),
            reference_date=reference,
            lea=lea,
            extracted=extracted,
            lines={
                "ReferenceDate": self._line(details.find("ReferenceDate"), details),
                "DateTime": self._line(node, source),
                "LEA": self._line(source.find("LEA"), source),
            },
        )

    def _needed(self, parent: ET.Element, tag: str, at: str) -> ET.Element:
        node = parent.find(tag)
        if node is None:
            raise ExtractError(self._line(parent), at, f"has no {tag}")
        return node

    # --- a child ---------------------------------------------------------------

    def _child(self, elem: ET.Element, ordinal: int) -> Child:
        at = f"{ROOT}/{CHILDREN}/Child[{ordinal}]"
        node = elem.find("ChildIdentifiers/LAchildID")
        identifier = (node.text or "").strip() if node is not None else ""
        if not identifier:
            raise ExtractError(
                self._line(node, elem),
                f"{at}/ChildIdentifiers/LAchildID",
                "is missing or empty: every child needs one",
            )
        first = self._seen.setdefault(identifier, ordinal)
        if first != ordinal:
            raise ExtractError(
                self._line(node),
                f"{at}/ChildIdentifiers/LAchildID",
                f"is the same as Child[{first}]'s: the census holds each child once",
            )
        child = Child(ordinal, [], [], [], [])
        for i, episode in enumerate(elem.iterfind("CINdetails"), 1):
            self._episode(episode, f"{at}/CINdetails[{i}]", child)
        return child

    def _episode(self, episode: ET.Element, at: str, child: Child) -> None:
        """Add one CIN episode's referral, assessments, enquiries and plans."""
        child.referrals.append(
            Referral(
                self._date(episode, "CINreferralDate", at),
                self._flag(episode, "ReferralNFA", at),
            )
        )
        for j, node in enumerate(episode.iterfind("Assessments"), 1):
            where, first = f"{at}/Assessments[{j}]", "AssessmentActualStartDate"
            start = self._date(node, first, where)
            end = self._in_order(
                node, first, start, "AssessmentAuthorisationDate", where
            )
            child.assessments.append(Assessment(start, end))
        for j, node in enumerate(episode.iterfind("Section47"), 1):
            where, first = f"{at}/Section47[{j}]", "S47ActualStartDate"
            start = self._date(node, first, where)
            held = self._in_order(node, first, start, "DateOfInitialCPC", where)
            if self._flag(node, "ICPCnotRequired", where):
                held = None
            child.enquiries.append(Enquiry(start, held))
        for j, node in enumerate(episode.iterfind("ChildProtectionPlans"), 1):
            where, first = f"{at}/ChildProtectionPlans[{j}]", "CPPstartDate"
            start = self._date(node, first, where)
            end = self._in_order(node, first, start, "CPPendDate", where)
            previous = self._whole(node, "NumberOfPreviousCPP", where)
            child.plans.append(Plan(start, end, previous))

    # --- cells -----------------------------------------------------------------

    def _line(
        self, node: ET.Element | None, parent: ET.Element | None = None
    ) -> int | None:
        """The line an element starts on (else its parent's), if known."""
        if node is not None and node in self._lines:
            return self._lines[node]
        return self._lines.get(parent) if parent is not None else None

    def _date(
        self, parent: ET.Element, tag: str, at: str, required: bool = True
    ) -> dt.date | None:
        node = parent.find(tag)
        text = (node.text or "").strip() if node is not None else ""
        if not text:
            if required:
                raise ExtractError(self._line(node, parent), at, f"has no {tag}")
            return None
        try:
            if not ISO_DATE.fullmatch(text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ExtractError(
                self._line(node), f"{at}/{tag}", "is not a date written YYYY-MM-DD"
            ) from None

    def _flag(self, parent: ET.Element, tag: str, at: str) -> bool:
        node = parent.find(tag)
        text = (node.text or "").strip().lower() if node is not None else ""
        if text and text not in FLAGS:
            raise ExtractError(
                self._line(node), f"{at}/{tag}", "is not true, false, 1 or 0"
            )
        return FLAGS.get(text, False)

    def _whole(self, parent: ET.Element, tag: str, at: str) -> int:
        node = parent.find(tag)
        text = (node.text or "").strip() if node is not None else ""
        if text and not WHOLE.fullmatch(text):
            raise ExtractError(
                self._line(node), f"{at}/{tag}", "is not a whole number, 0 or more"
            )
        return int(text) if text else 0

    def _in_order(
        self, parent: ET.Element, first: str, start: dt.date, tag: str, at: str
    ) -> dt.date | None:
        """The optional date ``tag`` of ``parent``, refused if before ``start`` (the
        date ``first``)."""
        later = self._date(parent, tag, at, required=False)
        if later is not None and later < start:
            raise ExtractError(
                self._line(parent.find(tag)), f"{at}/{tag}", f"is before its {first}"
            )
        return later
