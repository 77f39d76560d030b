"""SYNTHETIC CIN census extracts for the tests, built in code: made-up children in
DfE's XML layout, one element a line so that messages can be placed by line."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE / "example_extract.xml"  # the README's example (hand-checked)


def _tag(name: str, value: object, pad: str) -> str:
    return "" if value is None else f"{pad}<{name}>{value}</{name}>\n"


def _module(name: str, **cells: object) -> str:
    """A module of a CIN episode, one cell a line (a None cell is left out)."""
    inner = "".join(_tag(tag, value, " " * 10) for tag, value in cells.items())
    return f"        <{name}>\n{inner}        </{name}>\n"


def assessment(start: str, authorised: str | None = None) -> str:
    """An Assessments module."""
    return _module(
        "Assessments",
        AssessmentActualStartDate=start,
        AssessmentAuthorisationDate=authorised,
    )


def enquiry(start: str, conference: str | None = None, not_required=None) -> str:
    """A Section47 module."""
    return _module(
        "Section47",
        S47ActualStartDate=start,
        DateOfInitialCPC=conference,
        ICPCnotRequired=not_required,
    )


def plan(start: str, end: str | None = None, previous: object = 0) -> str:
    """A ChildProtectionPlans module."""
    return _module(
        "ChildProtectionPlans",
        CPPstartDate=start,
        CPPendDate=end,
        NumberOfPreviousCPP=previous,
    )


def episode(referral: str | None, *modules: str, nfa: object = "false") -> str:
    """A CINdetails element: its referral, then its modules."""
    return (
        "      <CINdetails>\n"
        + _tag("CINreferralDate", referral, " " * 8)
        + _tag("ReferralNFA", nfa, " " * 8)
        + "".join(modules)
        + "      </CINdetails>\n"
    )


def child(identifier: str | None, *episodes: str, born="2012-05-06", upn=None) -> str:
    """A Child element with its identifiers and CIN episodes."""
    return (
        "    <Child>\n      <ChildIdentifiers>\n"
        + _tag("LAchildID", identifier, " " * 8)
        + _tag("UPN", upn, " " * 8)
        + _tag("PersonBirthDate", born, " " * 8)
        + "      </ChildIdentifiers>\n"
        + "".join(episodes)
        + "    </Child>\n"
    )


def header(
    reference="2027-03-31", made="2026-11-05T09:00:00", lea="371", collection="CIN"
) -> str:
    """The Header element."""
    return (
        "  <Header>\n    <CollectionDetails>\n"
        + _tag("Collection", collection, " " * 6)
        + _tag("Year", reference[:4], " " * 6)
        + _tag("ReferenceDate", reference, " " * 6)
        + "    </CollectionDetails>\n    <Source>\n"
        + _tag("LEA", lea, " " * 6)
        + _tag("DateTime", made, " " * 6)
        + "    </Source>\n  </Header>\n"
    )


def extract(*children: str, head: str | None = None, root="Message") -> str:
    """A whole extract: the declaration, a SYNTHETIC label, header and children."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- SYNTHETIC test extract: made-up children -->\n"
        f"<{root}>\n"
        + (header() if head is None else head)
        + "  <Children>\n"
        + "".join(children)
        + f"  </Children>\n</{root}>\n"
    )


def write(folder: Path, text: str, name: str = "extract.xml") -> Path:
    """Write an extract's text to a file in ``folder``; its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
