"""Ofsted grade words across frameworks, mapped to one ordinal scale."""

from __future__ import annotations

# 1 = best. Each framework's own wording keeps its meaning on the shared scale:
# 'adequate' (to 2012), 'requires improvement' (SIF 2013-2017) and 'requires
# improvement to be good' (ILACS 2018-) are all the third of four grades.
GRADE_RANK: dict[str, int] = {
    "outstanding": 1,
    "good": 2,
    "adequate": 3,
    "requires improvement": 3,
    "requires improvement to be good": 3,
    "inadequate": 4,
}

RANK_LABEL: dict[int, str] = {
    1: "Outstanding",
    2: "Good",
    3: "Requires improvement / adequate",
    4: "Inadequate",
}

# Sub-judgement columns of ofsted_judgements, across frameworks.
SUBJUDGEMENTS = (
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "leadership",
    "adoption",
)

# Text symbols so a grade never relies on colour alone.
RANK_SYMBOL: dict[int, str] = {1: "★", 2: "✓", 3: "▲", 4: "✗"}


def grade_rank(grade: str | None) -> int | None:
    """Return the ordinal rank (1 outstanding .. 4 inadequate) of an Ofsted grade."""
    if grade is None:
        return None
    text = " ".join(str(grade).split()).lower()
    if not text or text == "nan":
        return None
    try:
        return GRADE_RANK[text]
    except KeyError:
        raise ValueError(f"unknown Ofsted grade {grade!r}") from None


def grade_label(grade: str | None) -> str:
    """Return the grade with its symbol, e.g. '✓ Good'."""
    rank = grade_rank(grade)
    return "—" if rank is None else f"{RANK_SYMBOL[rank]} {grade}"
