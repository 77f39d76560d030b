"""Ofsted grade wording mapped to one ordinal scale (metrics/grades.py)."""

from __future__ import annotations

import pytest

from metrics.grades import grade_label, grade_rank


@pytest.mark.parametrize(
    ("grade", "rank"),
    [
        ("Outstanding", 1),
        ("Good", 2),
        ("Adequate", 3),
        ("Requires improvement", 3),
        ("Requires improvement to be good", 3),
        ("Inadequate", 4),
    ],
)
def test_every_wording_maps_to_its_rank(grade: str, rank: int) -> None:
    assert grade_rank(grade) == rank
    assert grade_rank(grade.upper()) == rank
    assert grade_rank(grade.lower()) == rank
    assert grade_rank(f"  {grade}\t\n") == rank
    # Runs of whitespace inside the wording count as one space.
    assert grade_rank(grade.replace(" ", "  \t")) == rank


@pytest.mark.parametrize("grade", [None, "", "   ", "\t\n", float("nan"), "nan"])
def test_missing_grades_give_none(grade: object) -> None:
    assert grade_rank(grade) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "grade", ["Excellent", "Satisfactory", "Good!", "Requires", "Outstanding Good", "1"]
)
def test_unknown_word_raises_value_error(grade: str) -> None:
    with pytest.raises(ValueError, match="unknown Ofsted grade"):
        grade_rank(grade)


@pytest.mark.parametrize(
    ("grade", "label"),
    [
        ("Outstanding", "★ Outstanding"),
        ("Good", "✓ Good"),
        ("Adequate", "▲ Adequate"),
        ("Requires improvement", "▲ Requires improvement"),
        ("Requires improvement to be good", "▲ Requires improvement to be good"),
        ("Inadequate", "✗ Inadequate"),
    ],
)
def test_grade_label_carries_a_text_symbol(grade: str, label: str) -> None:
    assert grade_label(grade) == label
    symbol, _, rest = grade_label(grade).partition(" ")
    assert rest == grade
    assert symbol and not symbol.isalnum()


def test_each_rank_has_its_own_symbol() -> None:
    symbols = {
        grade_label(g).split(" ", 1)[0]
        for g in ("Outstanding", "Good", "Requires improvement", "Inadequate")
    }
    assert len(symbols) == 4
    # Grades that share a rank share a symbol.
    assert (
        grade_label("Adequate")[0] == grade_label("Requires improvement to be good")[0]
    )


@pytest.mark.parametrize("grade", [None, ""])
def test_grade_label_of_no_grade_is_a_dash(grade: str | None) -> None:
    assert grade_label(grade) == "—"


def test_grade_label_of_unknown_word_raises() -> None:
    with pytest.raises(ValueError):
        grade_label("Excellent")
