"""Which dictionary units are plain counts (compared with their own past, not England)."""

import pandas as pd
import pytest

from metrics.units import is_count
from views.titles import change_title


@pytest.mark.parametrize(
    "unit, count",
    [
        ("count", True),
        ("Number of Children Looked After", True),
        ("Number", True),
        ("Social Workers", True),
        ("Starters FTE", True),
        ("Rate per 10,000", False),
        ("% CIN", False),
        ("cases per FTE", False),
        ("Spend", False),
        (None, False),
    ],
)
def test_is_count(unit, count):
    assert is_count(unit) is count


def test_change_title_compares_with_the_period_before_at_the_shown_precision():
    rows = pd.DataFrame(
        {"period_label": ["2023", "2024", "2025"], "value": [10.0, 12.04, 12.01]}
    )
    assert change_title(rows, "X:", 1, "") == "X: 12 in 2025, the same as 12 in 2024"
    assert change_title(rows, "X:", 2, "%") == (
        "X: 12.01% in 2025, down from 12.04% in 2024"
    )
    assert change_title(rows.tail(1), "X:", 0, "") == "X: 12 in 2025"
