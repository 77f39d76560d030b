"""Write the targets-file test files in tests/targets/ (they are committed).

Every target in them is made up for tests; none is a real plan. Rerun after changing
the format (python tests/targets/make_corpus.py); tests/metrics/test_plan_loads.py
says what each bad file must be rejected for.
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
BAD, GOOD = HERE / "bad", HERE / "good"
H = "metric_id,due,target,direction,note\n"
OK = "Continue_Assess_Comp,2027-03-31,90,,\n"


def w(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8", newline="")


def xlsx(folder: Path, name: str, rows: list[list]) -> None:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(folder / name)


# --- bad files: one fault each (EXPECTED in tests/metrics/test_plan_loads.py) ---
w(BAD, "empty.csv", "")
w(BAD, "header_only.csv", H)
w(BAD, "wrong_extension.txt", H + OK)
w(BAD, "missing_target_column.csv", "metric_id,due,note\nReReferral,2027-03-31,\n")
w(BAD, "unknown_column.csv", "metric_id,due,target,owner\nReReferral,2027-03-31,20,x\n")
w(
    BAD,
    "child_name_column.csv",
    "metric_id,due,target,child_name\nCIN,2027-03-31,1,Test\n",
)
w(BAD, "unknown_metric.csv", H + OK + "Rereferrals,2027-03-31,20,,\n")
w(
    BAD,
    "unknown_area.csv",
    "metric_id,area_code,due,target\nReReferral,E99999999,2027-03-31,20\n",
)
w(BAD, "not_a_date.csv", H + "ReReferral,March 2027,20,,\n")
w(BAD, "uk_date.csv", H + "ReReferral,31/03/2027,20,,\n")
w(BAD, "not_month_end.csv", H + "ReReferral,2027-03-30,20,,\n")
w(BAD, "target_not_a_number.csv", H + "ReReferral,2027-03-31,twenty,,\n")
w(BAD, "target_percent_sign.csv", H + "ReReferral,2027-03-31,20%,,\n")
w(BAD, "percent_over_100.csv", H + "Continue_Assess_Comp,2027-03-31,105,,\n")
w(BAD, "negative_rate.csv", H + "CIN,2027-03-31,-5,at most,\n")
w(BAD, "count_not_whole.csv", H + "cin_awaiting_assessment,2027-03-31,12.5,,\n")
w(BAD, "neutral_without_direction.csv", H + OK + "CIN,2027-03-31,300,,\n")
w(BAD, "unknown_direction.csv", H + "ReReferral,2027-03-31,20,below,\n")
w(BAD, "duplicate_checkpoint.csv", H + OK + "ReReferral,2027-03-31,20,,\n" + OK)
w(BAD, "formula_target.csv", H + "ReReferral,2027-03-31,=10+10,,\n")
w(BAD, "formula_note.csv", H + "ReReferral,2027-03-31,20,,@SUM(A1)\n")
w(BAD, "html_note.csv", H + "ReReferral,2027-03-31,20,,<b>bold</b>\n")
w(BAD, "missing_target.csv", H + "ReReferral,2027-03-31,,,\n")
w(BAD, "note_too_long.csv", H + "ReReferral,2027-03-31,20,," + "x" * 501 + "\n")
xlsx(
    BAD,
    "formula_cell.xlsx",
    [["metric_id", "due", "target"], ["ReReferral", "2027-03-31", "=10*2"]],
)
xlsx(
    BAD,
    "date_of_birth_column.xlsx",
    [["metric_id", "due", "target", "date_of_birth"], ["CIN", "2027-03-31", 300, "x"]],
)

# --- good files ---
w(
    GOOD,
    "plan.csv",
    H
    + "Continue_Assess_Comp,2027-03-31,90,,Test plan checkpoint\n"
    + "Continue_Assess_Comp,2028-03-31,92,,\n"
    + "ReReferral,2027-03-31,20,,\n"
    + "CIN,2027-03-31,320,at most,\n",
)
w(GOOD, "plan_revision.csv", H + "ReReferral,2027-03-31,21.5,,Re-baselined\n")
xlsx(
    GOOD,
    "plan_leeds.xlsx",
    [
        ["metric_id", "area_code", "due", "target", "direction", "note"],
        ["ReReferral", "E08000035", "2027-03-31", 18, "", "Test plan for Leeds"],
        ["sw_caseload_fte", "E08000035", "2027-09-30", 16.5, "", None],
    ],
)
