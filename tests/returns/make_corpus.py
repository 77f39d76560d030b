"""Write the monthly-return test files in tests/returns/ (they are committed).

Every figure in them is made up for tests; none is real. Rerun after changing the
format (python tests/returns/make_corpus.py); tests/metrics/test_imports.py says what
each bad file must be rejected for.
"""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

BAD = Path(__file__).resolve().parent / "bad"
GOOD = Path(__file__).resolve().parent / "good"
H = "period_end,metric_id,service_area,value,note\n"
OK1 = "2024-04-30,initial_assessments_in_progress,,120,\n"
OK2 = "2024-04-30,initial_assessments_out_of_timescale,,30,\n"


def w(name, text):
    (BAD / name).write_text(text, encoding="utf-8", newline="")


w("empty.csv", "")
w("header_only.csv", H)
w("header_not_in_row_1.csv", "\n" + H + OK1)
w(
    "missing_value_column.csv",
    "period_end,metric_id,service_area,note\n2024-04-30,initial_assessments_in_progress,,\n",
)
w(
    "unknown_column.csv",
    "period_end,metric_id,service_area,value,note,comments\n2024-04-30,initial_assessments_in_progress,,120,,checked\n",
)
w(
    "child_name_column.csv",
    "period_end,metric_id,value,child_name\n2024-04-30,initial_assessments_in_progress,1,Test Child\n",
)
w(
    "date_of_birth_column.csv",
    "period_end,metric_id,value,date_of_birth\n2024-04-30,initial_assessments_in_progress,1,2015-01-01\n",
)
w(
    "upn_column.csv",
    "upn,period_end,metric_id,value\nA000000000000,2024-04-30,initial_assessments_in_progress,1\n",
)
w("unknown_metric.csv", H + OK1 + "2024-04-30,assessments_in_progress,,30,\n")
w("unknown_service_area.csv", H + "2024-04-30,social_worker_caseload,Front Door,18,\n")
w(
    "non_numeric_value.csv",
    H + "2024-04-30,initial_assessments_in_progress,,about 120,\n",
)
w("thousands_separator.csv", H + '2024-04-30,children_in_need_cases,,"1,650",\n')
w("percent_sign.csv", H + "2024-04-30,initial_assessments_on_time_pct,,78%,\n")
w("negative_count.csv", H + OK1 + "2024-04-30,core_assessments_open,,-5,\n")
w("non_integer_count.csv", H + "2024-04-30,initial_assessments_in_progress,,120.5,\n")
w("percent_over_100.csv", H + "2024-04-30,initial_assessments_on_time_pct,,105,\n")
w(
    "initial_out_of_timescale_above_in_progress.csv",
    H + OK1 + "2024-04-30,initial_assessments_out_of_timescale,,130,\n",
)
w(
    "core_out_of_timescale_above_open.csv",
    H
    + "2024-04-30,core_assessments_out_of_timescale,,210,\n2024-04-30,core_assessments_open,,200,\n",
)
w("not_a_date.csv", H + "April 2024,initial_assessments_in_progress,,120,\n")
w("uk_date_format.csv", H + "30/04/2024,initial_assessments_in_progress,,120,\n")
w("not_month_end.csv", H + "2024-04-15,initial_assessments_in_progress,,120,\n")
w("future_date.csv", H + "2099-12-31,initial_assessments_in_progress,,120,\n")
w(
    "duplicate_key.csv",
    H + OK1 + OK2 + "2024-04-30,initial_assessments_in_progress,,121,\n",
)
w(
    "formula_note.csv",
    H
    + '2024-04-30,initial_assessments_in_progress,,120,"=HYPERLINK(""http://example.invalid"",""click"")"\n',
)
w("formula_service_area.csv", H + "2024-04-30,social_worker_caseload,@SUM(A1:A9),18,\n")
w("formula_metric_id.csv", H + "2024-04-30,+initial_assessments_in_progress,,120,\n")
w(
    "html_note.csv",
    H + "2024-04-30,initial_assessments_in_progress,,120,<script>alert(1)</script>\n",
)
w("missing_value.csv", H + "2024-04-30,initial_assessments_in_progress,,,\n")
w("caseload_without_service_area.csv", H + "2024-04-30,social_worker_caseload,,18,\n")
w(
    "unknown_area_code.csv",
    "period_end,metric_id,value,area_code\n2024-04-30,initial_assessments_in_progress,120,E99999999\n",
)
w(
    "ragged_row.csv",
    H + OK1 + "2024-04-30,initial_assessments_out_of_timescale,,30,,extra\n",
)
w(
    "note_too_long.csv",
    H + "2024-04-30,initial_assessments_in_progress,,120," + "x" * 501 + "\n",
)
w("wrong_extension.txt", H + OK1)
w("not_an_xlsx.xlsx", H + OK1)
(BAD / "not_utf8.csv").write_bytes(
    (H + OK1 + "2024-04-30,core_assessments_open,,200,").encode()
    + "caf\xe9".encode("latin-1")
    + b"\n"
)
# Just over 1 MB: a valid header and valid rows, repeated.
big = H + "".join(
    f"2024-04-30,initial_assessments_in_progress,,{i},{'n' * 40}\n"
    for i in range(12000)
)
assert len(big.encode()) > 1_048_576
w("too_large.csv", big)


def book(rows, name):
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    for r in rows:
        ws.append(r)
    wb.properties.created = dt.datetime(2025, 1, 1)
    wb.save(name)


book(
    [
        ["period_end", "metric_id", "service_area", "value", "note"],
        [dt.datetime(2024, 4, 30), "initial_assessments_in_progress", None, 120, None],
        [
            dt.datetime(2024, 4, 30),
            "initial_assessments_out_of_timescale",
            None,
            "=D2/4",
            None,
        ],
    ],
    BAD / "formula_cell.xlsx",
)
book(
    [
        ["period_end", "metric_id", "value", "name"],
        [dt.datetime(2024, 4, 30), "initial_assessments_in_progress", 1, "Test Child"],
    ],
    BAD / "child_name_column.xlsx",
)
book(
    [
        ["period_end", "metric_id", "service_area", "value", "note"],
        [dt.datetime(2024, 4, 18), "initial_assessments_in_progress", None, 120, None],
    ],
    BAD / "not_month_end.xlsx",
)

# Good XLSX: June and July 2024, date cells, an area_code column.
rows = [["period_end", "metric_id", "service_area", "area_code", "value", "note"]]
for month, base in ((dt.datetime(2024, 6, 30), 0), (dt.datetime(2024, 7, 31), 5)):
    rows += [
        [
            month,
            "initial_assessments_in_progress",
            None,
            "E08000017",
            105 - base,
            "Test fixture: not real figures" if not base else None,
        ],
        [
            month,
            "initial_assessments_out_of_timescale",
            None,
            "E08000017",
            22 - base,
            None,
        ],
        [month, "initial_assessments_on_time_pct", None, None, 82.5 + base, None],
        [month, "core_assessments_open", None, None, 185 - base, None],
        [month, "core_assessments_out_of_timescale", None, None, 38 - base, None],
        [month, "children_in_need_cases", None, None, 1600 - base, None],
        [month, "social_worker_caseload", "CMARAS", None, 17.5, None],
        [month, "social_worker_caseload", "Targeted Family Support", None, 16, None],
        [month, "social_worker_caseload", "Children in Care", None, 12, None],
    ]
book(rows, GOOD / "june_july_2024.xlsx")
# A later return revising one April figure and adding one new figure.
(GOOD / "april_revision.csv").write_text(
    H
    + "2024-04-30,initial_assessments_in_progress,,125,Corrected after a data cleanse (test fixture)\n"
    "2024-04-30,initial_assessments_out_of_timescale,,30,\n"
    "2024-08-31,initial_assessments_in_progress,,98,\n",
    encoding="utf-8",
    newline="",
)
print(len(list(BAD.iterdir())), "bad files")
