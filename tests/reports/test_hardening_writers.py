"""Every writer takes what the data hold: control characters in a note no longer stop
Excel, Word, PowerPoint or the PDF, text that starts like a formula reaches no
spreadsheet as one, and the sidebar never shows a traceback for a failed pack."""

from __future__ import annotations

import csv
import io
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from charts.export import csv_bytes, workbook, xlsx_bytes
from metrics.areas import Area
from metrics.formatting import safe_cell, safe_text
from metrics.queries import Database
from tests.support.areas import DONCASTER
from tests.support.browser import chromium_or_skip

# A line break pasted from Word or PowerPoint, a ^A, and a NUL.
NOISY = "Line one\x0bline two\x01 after the review\x00 (see note;=1+1)"
SAFE = "Line one\nline two after the review (see note;=1+1)"
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.fixture(scope="module")
def noisy_db(planned, tmp_path_factory) -> Database:
    """The planned database, its loaded note and plan notes holding NOISY."""
    db = tmp_path_factory.mktemp("noisy") / "dashboard.duckdb"
    shutil.copyfile(planned[1], db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE observations SET note = ? WHERE note IS NOT NULL", [NOISY])
        con.execute("UPDATE plan_targets SET note = ?", [NOISY])
        assert con.execute(
            "SELECT count(*) FROM observations WHERE note = ?", [NOISY]
        ).fetchone()[0]
    database = Database(db)
    yield database
    database.close()


def test_safe_text_keeps_line_breaks_and_drops_other_controls():
    assert safe_text(NOISY) == SAFE
    assert safe_text("a\tb\r\nc\x0cd\x1fe") == "a\tb\r\nc\nde"


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_like_a_formula_stays_text(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("see note;=1+1") == "see note;=1+1"
    assert safe_cell(-3.5) == -3.5 and safe_cell(None) is None


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "note": [*FORMULAS, NOISY, "see note;=1+1", None],
            "value": [-1.5, -2, 3, 4, 5, 6, -7, 8, 9],
        }
    )


def test_csv_downloads_neutralise_formulas_and_keep_numbers():
    rows = list(csv.reader(io.StringIO(csv_bytes(_frame()).decode("utf-8"))))
    assert rows[0] == ["note", "value"]
    notes = [r[0] for r in rows[1:]]
    assert notes[:6] == ["'" + f for f in FORMULAS]
    assert notes[6] == SAFE and notes[7] == "see note;=1+1" and notes[8] == ""
    assert [float(r[1]) for r in rows[1:]] == [-1.5, -2, 3, 4, 5, 6, -7, 8, 9]
    # Text is quoted, so a semicolon inside a note never starts a cell of its own
    # (Excel in locales whose separator is the semicolon); numbers are not.
    assert '"see note;=1+1",8.0' in csv_bytes(_frame()).decode("utf-8")


def test_excel_downloads_take_control_characters_and_neutralise_formulas():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Sheet": _frame()})))
    sheet = book["Sheet"]
    notes = [sheet.cell(row=r, column=1).value for r in range(2, 11)]
    assert notes[:6] == ["'" + f for f in FORMULAS]
    assert notes[6] == SAFE and notes[8] is None
    values = [sheet.cell(row=r, column=2) for r in range(2, 11)]
    assert [c.value for c in values] == [-1.5, -2, 3, 4, 5, 6, -7, 8, 9]
    assert {c.data_type for c in values} == {"n"}  # numbers stay numbers
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 9))


def test_the_scorecard_downloads_take_a_noisy_note(noisy_db):
    from views.scorecard import scorecard

    table = scorecard(noisy_db, Area(DONCASTER.code, DONCASTER.name)).table
    table = table.assign(trend=[", ".join(f"{v:g}" for v in t) for t in table.trend])
    text = " ".join(str(v) for v in table.astype(str).to_numpy().ravel())
    assert "\x01" in text  # the view hands the note on as it is stored
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Scorecard": table})))
    cells = [c.value for row in book["Scorecard"].iter_rows() for c in row]
    assert SAFE in cells
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8"))))
    assert SAFE in [c for r in rows for c in r]


def test_the_chart_workbook_neutralises_its_own_texts():
    from charts.frame import Chart

    chart = Chart(
        fig=None,
        title='=HYPERLINK("http://x")',
        subtitle="a\x01b",
        source="s",
        alt="",
        table=pd.DataFrame({"label": ["-1+1"], "value": [-1.0]}),
        slug="c",
        notes=[NOISY],
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook(chart)))
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2)}
    assert about["Title"] == '\'=HYPERLINK("http://x")'
    assert about["Subtitle"] == "ab" and about["Note"] == SAFE
    data = book["Data"]
    assert data["A2"].value == "'-1+1" and data["B2"].value == -1.0


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "pptx", "docx"])
def test_every_pack_format_takes_a_noisy_note(noisy_db, fmt):
    chromium_or_skip()
    from reports import export
    from reports.boardpack import build_board_pack

    try:
        pack = build_board_pack(noisy_db, Area(DONCASTER.code, DONCASTER.name), fmt)
    finally:
        export.stop()
    assert len(pack.content) > 10_000
    if fmt == "docx":
        from docx import Document

        doc = Document(io.BytesIO(pack.content))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        assert SAFE in cells


def _pack_control() -> None:
    from metrics.areas import Area
    from ui.sidebar import board_pack_control

    board_pack_control(Area("E08000017", "Doncaster"))


def test_the_sidebar_shows_a_message_not_a_traceback_when_a_pack_fails(
    app_db, monkeypatch
):
    import reports.boardpack

    def fails(*args, **kwargs):
        raise ValueError("All strings must be XML compatible: /srv/app/reports/x.py")

    monkeypatch.setattr(reports.boardpack, "build_board_pack", fails)
    at = AppTest.from_function(_pack_control, default_timeout=90).run()
    button = next(b for b in at.sidebar.button if b.label == "Prepare board pack")
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.sidebar.error]
    assert errors == [
        "The board pack could not be prepared. Its pages on screen are unaffected; "
        "try again, and if it fails again tell the person who runs the dashboard "
        "(the server's log says what went wrong)."
    ]
    assert "/srv/app" not in " ".join(m.value for m in at.sidebar.markdown)


def test_a_views_table_downloads_neutralise_formulas_and_controls():
    from ui.tables import workbook as table_workbook

    table = pd.DataFrame({"group": ["=1+1", NOISY], "value": [-2.5, 3.0]})
    book = openpyxl.load_workbook(
        io.BytesIO(table_workbook(table, {"Title": "@SUM(A1)"}))
    )
    data = book["Data"]
    assert [data["A2"].value, data["A3"].value] == ["'=1+1", SAFE]
    assert data["B2"].value == -2.5 and data["B2"].data_type == "n"
    assert book["About"]["B2"].value == "'@SUM(A1)"
