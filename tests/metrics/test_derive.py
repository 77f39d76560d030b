"""python -m metrics derive: the seven measures from SYNTHETIC CIN census extracts
built in code (tests/derive), each checked against values worked out here by hand;
bad input refused; nothing child-level in any output; the return loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from bench import derive as bench_derive
from metrics.__main__ import main
from metrics.derive.extract import Extract
from metrics.derive.measures import MEASURES, Window, tally
from metrics.derive.workdays import WorkingDays
from tests.derive import extracts as x
from tests.support.areas import DONCASTER, LEEDS
from tests.support.data import ROOT, cli, files, read_rows, table

TEMPLATE = ROOT / "data" / "templates" / "monthly_return_template.csv"
END = "2026-10-31"


def derive(capsys, base, path: Path, out: Path, *extra: str, end: str = END):
    """Run the command in this process; (exit code, stdout, stderr)."""
    data, db = base
    args = [str(path), "--period-end", end, "--out", str(out), "--db", str(db)]
    code = main(["derive", *args, "--data-dir", str(data), *extra])
    got = capsys.readouterr()
    return code, got.out, got.err


def figures(path: Path, end: str = END, window: str = "month") -> dict:
    """{metric_id: (numerator, denominator, value)} read straight from an extract."""
    found = tally(
        Extract(path).children(), Window.ending(dt.date.fromisoformat(end), window)
    )
    return {f.measure.metric_id: (f.numerator, f.denominator, f.value) for f in found}


# --- the example extract: every measure, both windows -----------------------------

# Worked out from tests/derive/example_extract.xml (its comments name each child's
# cases). Month: 1-31 Oct 2026. Year to date: 1 Apr-31 Oct 2026.
MONTH = {
    # A (1 Oct) and B (31 Oct, NFA): the month's first and last days.
    "CPP_Total_NumRef": ("2", "2 referrals in Oct 2026"),
    # A: earlier referral exactly 12 months before; B: 12 months and a day.
    "ReReferral": ("50.0", "1 of 2 referrals in Oct 2026"),
    # C: 24 Aug to 27 Oct is 45 working days (31 Aug a bank holiday); D: 46.
    "Continue_Assess_Comp": ("50.0", "1 of 2 assessments authorised in Oct 2026"),
    # A: 1 to 22 Oct is 15 working days; B: 1 to 23 Oct, 16.
    "CP_conf_15days": ("50.0", "1 of 2 initial child protection conferences"),
    # A, C (ends 2 Nov), D (starts 31 Oct) and F; not B (ends 31 Oct), not E.
    "CPP_Num": ("4", "4 children on a child protection plan at 31 Oct 2026"),
    # A (5 Oct), C (20 Oct), D (31 Oct).
    "CPP_Abuse": ("3", "3 child protection plans started in Oct 2026"),
    # C (a previous plan recorded) and D (an earlier plan in the extract).
    "PrevRegCPR": ("66.7", "2 of 3 child protection plans started in Oct 2026"),
}
YEAR = {
    # A, B, C twice (1 May, 30 Sep), D (1 Apr, NFA); not E (31 Mar), D's 1 Nov.
    "CPP_Total_NumRef": ("5", "5 referrals from 1 Apr to 31 Oct 2026"),
    # A, and C's 30 Sep referral (C's 1 May referral five months before).
    "ReReferral": ("40.0", "2 of 5 referrals from 1 Apr to 31 Oct 2026"),
    # Also A (45 days to 3 Sep), B (46 days to 4 Sep), C's May one (on time).
    "Continue_Assess_Comp": ("60.0", "3 of 5 assessments"),
    # Also C: 20 Aug to 11 Sep is 15 working days.
    "CP_conf_15days": ("66.7", "2 of 3 initial child protection conferences"),
    "CPP_Num": ("4", "4 children on a child protection plan at 31 Oct 2026"),
    # Also B (1 Jun) and D's first (10 Apr).
    "CPP_Abuse": ("5", "5 child protection plans started from 1 Apr to 31 Oct"),
    "PrevRegCPR": ("40.0", "2 of 5 child protection plans started from 1 Apr"),
}


@pytest.mark.parametrize("window, expected", [("month", MONTH), ("year-to-date", YEAR)])
def test_every_measure_in_both_windows_matches_the_worked_example(
    capsys, base, tmp_path, window, expected
):
    out = tmp_path / "return.csv"
    code, stdout, err = derive(capsys, base, x.EXAMPLE, out, "--window", window)
    assert (code, err) == (0, "")
    rows = read_rows(out)
    assert rows[0] == read_rows(TEMPLATE)[0] + ["area_code"]
    assert [r[1] for r in rows[1:]] == list(expected)
    for period_end, metric, service_area, value, note, area in rows[1:]:
        assert (period_end, service_area, area) == (END, "", DONCASTER.code)
        assert value == expected[metric][0], metric
        assert note.startswith(expected[metric][1]), note
        assert note.endswith("; extract of 5 Nov 2026")
    assert f"wrote {out}: 7 figures for Doncaster (E08000017)" in stdout


def test_each_measure_is_a_measure_returns_accept_with_the_same_kind(base):
    kinds = table(
        base[1],
        "SELECT metric_id, value_kind FROM metrics WHERE list_contains(?, metric_id)",
        [[m.metric_id for m in MEASURES]],
    )
    assert dict(zip(kinds.metric_id, kinds.value_kind)) == {
        "CPP_Total_NumRef": "count",
        "ReReferral": "percent",
        "Continue_Assess_Comp": "percent",
        "CP_conf_15days": "percent",
        "CPP_Num": "count",
        "CPP_Abuse": "count",
        "PrevRegCPR": "percent",
    }
    assert {m.metric_id: m.kind for m in MEASURES} == dict(
        zip(kinds.metric_id, kinds.value_kind)
    )


def test_the_readme_shows_the_command_with_the_example_extract():
    readme = (ROOT / "README.md").read_text()
    assert "python -m metrics derive tests/derive/example_extract.xml" in readme
    assert "SYNTHETIC" in x.EXAMPLE.read_text()


# --- boundary cases ---------------------------------------------------------------


def test_working_days_skip_weekends_and_englands_bank_holidays():
    days, d = WorkingDays(), dt.date
    assert days.between(d(2026, 10, 1), d(2026, 10, 1)) == 0  # the start not counted
    assert days.between(d(2026, 10, 2), d(2026, 10, 5)) == 1  # Friday to Monday
    assert days.between(d(2026, 8, 28), d(2026, 9, 1)) == 1  # 31 Aug bank holiday
    # 25 Dec (Friday) and Boxing Day's substitute, Monday 28 Dec 2026.
    assert days.between(d(2026, 12, 24), d(2026, 12, 29)) == 1
    assert days.between(d(2022, 9, 16), d(2022, 9, 20)) == 1  # the state funeral
    # 2026 (from a Thursday): 261 weekdays less 8 bank holidays (GOV.UK: 1 Jan,
    # 3 and 6 Apr, 4 and 25 May, 31 Aug, 25 Dec and 28 Dec, the substitute day).
    assert days.between(d(2025, 12, 31), d(2026, 12, 31)) == 261 - 8


def one(*children: str, head: str | None = None) -> str:
    return x.extract(*children, head=head)


LEAP = x.header(reference="2028-03-31", made="2028-03-06T09:00:00")
BOUNDARIES = [
    # 1 Jul to 3 Sep 2026 is 45 working days with 31 Aug off; to 4 Sep, 46.
    ("45 working days", one(x.child("a", x.episode("2026-07-01", x.assessment("2026-07-01", "2026-09-03"))), x.child("b", x.episode("2026-07-01", x.assessment("2026-07-01", "2026-09-04")))), "2026-09-30", "Continue_Assess_Comp", (1, 2, 50.0)),
    # 20 Aug to 11 Sep 2026 is 15 working days; to 14 Sep, 16; one not required.
    ("15 working days", one(x.child("a", x.episode("2026-08-20", x.enquiry("2026-08-20", "2026-09-11"), x.enquiry("2026-08-20", "2026-09-14"), x.enquiry("2026-09-01", None, "true")))), "2026-09-30", "CP_conf_15days", (1, 2, 50.0)),
    # Exactly twelve months apart, and twelve months and a day.
    ("twelve months", one(x.child("a", x.episode("2025-10-15"), x.episode("2026-10-15")), x.child("b", x.episode("2025-10-15"), x.episode("2026-10-16"))), END, "ReReferral", (1, 2, 50.0)),
    # 29 February 2028 looks back to 28 February 2027, not the 27th.
    ("29 February", one(x.child("a", x.episode("2027-02-28"), x.episode("2028-02-29")), x.child("b", x.episode("2027-02-27"), x.episode("2028-02-29")), head=LEAP), "2028-02-29", "ReReferral", (1, 2, 50.0)),
    # The month's first and last days count, the days either side do not; NFA too.
    ("first and last day", one(x.child("a", x.episode("2026-09-30"), x.episode("2026-10-01", nfa="true")), x.child("b", x.episode("2026-10-31", nfa="1"), x.episode("2026-11-01"))), END, "CPP_Total_NumRef", (2, None, 2)),
    # A plan ending on the period end is closed; one ending a day later is open.
    ("plan ends on period end", one(x.child("a", x.episode("2026-01-05", x.plan("2026-02-01", END))), x.child("b", x.episode("2026-01-05", x.plan("2026-02-01", "2026-11-01"))), x.child("c", x.episode("2026-10-05", x.plan(END)))), END, "CPP_Num", (2, None, 2)),
    # Second plans: a previous plan recorded, or an earlier plan in the extract.
    ("second plans", one(x.child("a", x.episode("2026-10-01", x.plan("2026-10-02", None, 2))), x.child("b", x.episode("2026-01-01", x.plan("2026-01-02", "2026-03-01"))), x.child("b2", x.episode("2026-10-01", x.plan("2026-10-03")), x.episode("2026-01-01", x.plan("2026-01-02", "2026-03-01"))), x.child("c", x.episode("2026-10-01", x.plan("2026-10-04", None, "")))), END, "PrevRegCPR", (2, 3, 66.7)),
    # One of three rounds up: 33.3; two of three: 66.7; none: left out (None).
    ("no conferences", one(x.child("a", x.episode("2026-10-01"))), END, "CP_conf_15days", (0, 0, None)),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, end, metric, expected",
    [b[1:] for b in BOUNDARIES],
    ids=[b[0] for b in BOUNDARIES],
)
def test_boundary_cases(tmp_path, text, end, metric, expected):
    assert figures(x.write(tmp_path, text), end)[metric] == expected


def test_a_namespaced_extract_reads_the_same(tmp_path):
    text = x.EXAMPLE.read_text().replace("<Message>", '<Message xmlns="urn:synthetic">')
    assert 'xmlns="urn:synthetic"' in text
    assert figures(x.write(tmp_path, text)) == figures(x.EXAMPLE)


def test_windows_end_on_a_month_end_and_the_year_starts_on_1_april():
    d = dt.date
    assert Window.ending(d(2027, 3, 31), "year-to-date").first == d(2026, 4, 1)
    assert Window.ending(d(2026, 4, 30), "year-to-date").first == d(2026, 4, 1)
    assert Window.ending(d(2028, 2, 29)).first == d(2028, 2, 1)
    with pytest.raises(ValueError, match="last day of a month"):
        Window.ending(d(2026, 10, 30))


def test_a_measure_with_no_denominator_is_left_out_with_a_line(capsys, base, tmp_path):
    path = x.write(tmp_path, one(x.child("a", x.episode("2026-10-01"))))
    out = tmp_path / "r.csv"
    code, stdout, _ = derive(capsys, base, path, out)
    assert code == 0
    assert [r[1] for r in read_rows(out)[1:]] == [
        "CPP_Total_NumRef", "ReReferral", "CPP_Num", "CPP_Abuse"
    ]  # fmt: skip
    for left in ("Continue_Assess_Comp", "CP_conf_15days", "PrevRegCPR"):
        assert f"left out: {left}: no " in stdout


# --- bad input: exit 2, one message placing the problem, no file ------------------

GOOD = x.child("a", x.episode("2026-10-01", x.assessment("2026-10-01", "2026-10-20")))
A1 = "Message/Children/Child[1]/CINdetails[1]"
# (case, extract, options, text on the line the message names, message)
BAD = [
    ("not XML", "period_end,metric_id\n", [], "period_end", "the file: is not XML"),
    ("cut short", one(GOOD)[:400], [], None, "the file: ends before its XML is complete"),
    ("wrong root", x.extract(GOOD, root="Return"), [], "<Return>", "the root element: is Return, not Message"),
    ("no header", x.extract(GOOD, head=""), [], "<Children>", "Message/Children: comes before any Header"),
    ("nothing but the root", '<?xml version="1.0"?>\n<Message>\n</Message>\n', [], "</Message>", "Message: has no Header"),
    ("no children", x.extract(head=x.header()).replace("  <Children>\n  </Children>\n", ""), [], "</Message>", "Message: has no Children"),
    ("not CIN", one(GOOD, head=x.header(collection="SWF")), [], "<Collection>", "Message/Header/CollectionDetails/Collection: is not CIN"),
    ("date that does not parse", one(x.child("a", x.episode("2026-10-01", x.assessment("2026-10-01", "2026-10-32")))), [], "-32<", f"{A1}/Assessments[1]/AssessmentAuthorisationDate: is not a date"),
    ("date in another format", one(x.child("a", x.episode("01/10/2026"))), [], "01/10/2026", f"{A1}/CINreferralDate: is not a date"),
    ("authorised before start", one(x.child("a", x.episode("2026-10-01", x.assessment("2026-10-02", "2026-10-01")))), [], "<AssessmentAuthorisationDate>", f"{A1}/Assessments[1]/AssessmentAuthorisationDate: is before its AssessmentActualStartDate"),
    ("plan ends before it starts", one(x.child("a", x.episode("2026-10-01", x.plan("2026-10-02", "2026-10-01")))), [], "<CPPendDate>", f"{A1}/ChildProtectionPlans[1]/CPPendDate: is before its CPPstartDate"),
    ("conference before enquiry", one(x.child("a", x.episode("2026-10-01", x.enquiry("2026-10-02", "2026-10-01")))), [], "<DateOfInitialCPC>", f"{A1}/Section47[1]/DateOfInitialCPC: is before its S47ActualStartDate"),
    ("no referral date", one(x.child("a", x.episode(None))), [], "<CINdetails>", f"{A1}: has no CINreferralDate"),
    ("not a flag", one(x.child("a", x.episode("2026-10-01", nfa="maybe"))), [], "<ReferralNFA>", f"{A1}/ReferralNFA: is not true, false, 1 or 0"),
    ("not a count", one(x.child("a", x.episode("2026-10-01", x.plan("2026-10-02", None, "-1")))), [], "<NumberOfPreviousCPP>", f"{A1}/ChildProtectionPlans[1]/NumberOfPreviousCPP: is not a whole number"),
    ("the same child twice", one(GOOD, GOOD), [], "<LAchildID>", "Message/Children/Child[2]/ChildIdentifiers/LAchildID: is the same as Child[1]'s"),
    ("no identifier", one(x.child(None, x.episode("2026-10-01"))), [], "<Child>", "Message/Children/Child[1]/ChildIdentifiers/LAchildID: is missing"),
    ("period end before the census year", one(GOOD), ["--period-end", "2026-03-31"], "<ReferenceDate>", "Message/Header/CollectionDetails/ReferenceDate: the census year starts on 1 Apr 2026"),
    ("year to date before it", one(GOOD), ["--period-end", "2026-03-31", "--window", "year-to-date"], "<ReferenceDate>", "Message/Header/CollectionDetails/ReferenceDate: the census year starts on 1 Apr 2026, after the window's first day (1 Apr 2025)"),
    ("period end after the census year", one(GOOD, head=x.header(reference="2026-03-31")), [], "<ReferenceDate>", "Message/Header/CollectionDetails/ReferenceDate: the census year ends on 31 Mar 2026"),
    ("period end not before the extract", one(GOOD, head=x.header(made="2026-10-31T18:00:00")), [], "<DateTime>", "Message/Header/Source/DateTime: the extract was made on 31 Oct 2026"),
    ("no extract date", one(GOOD, head=x.header(made=None)), [], "<Source>", "Message/Header/Source/DateTime: is missing or not a date"),
    ("unknown LEA", one(GOOD, head=x.header(lea="999")), [], "<LEA>", "Message/Header/Source/LEA: is missing or not the number of a local authority"),
    ("not a month end", one(GOOD), ["--period-end", "2026-10-30"], None, "--period-end 2026-10-30 is not the last day of a month"),
    ("unknown area", one(GOOD), ["--area", "E99999999"], None, "--area E99999999: is not the ONS code of an English local authority"),
    ("not a .csv", one(GOOD), ["--out", "return.xlsx"], None, "a monthly return is written as a .csv file"),
]  # fmt: skip


def line_of(text: str, needle: str) -> int:
    """The line of a text holding the last occurrence of ``needle``, from 1."""
    return text[: text.rindex(needle)].count("\n") + 1


@pytest.mark.parametrize(
    "text, extra, needle, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_input_exits_2_with_one_message_and_writes_nothing(
    capsys, base, tmp_path, text, extra, needle, message
):
    path = x.write(tmp_path, text)
    before = files(tmp_path)
    code, stdout, err = derive(capsys, base, path, tmp_path / "r.csv", *extra)
    assert (code, stdout) == (2, "")
    assert err.count("\n") == 1 and err.startswith("error: "), err
    if needle:
        message = f"line {line_of(text, needle)}, {message}"
    assert message in err
    assert err.endswith("; no return was written\n")
    assert files(tmp_path) == before  # no return, no temporary file


def test_a_missing_extract_is_named(capsys, base, tmp_path):
    code, _, err = derive(capsys, base, tmp_path / "none.xml", tmp_path / "r.csv")
    assert code == 2 and "none.xml: No such file or directory" in err
    assert not (tmp_path / "r.csv").exists()


# --- personal data and loading ----------------------------------------------------

SECRETS = {
    "identifiers": ["ZQX-LACHILD-7731", "ZQX-LACHILD-8842", "K801234567890"],
    "dates": ["2011-07-19", "2013-02-27", "2026-07-13", "2026-09-14", "2026-10-06"],
}


def private_extract(folder: Path, bad: bool = False) -> Path:
    """An extract whose identifiers, UPN and dates are strings found nowhere else."""
    ids, dates = SECRETS["identifiers"], SECRETS["dates"]
    authorised = "2026-10-33" if bad else dates[4]
    return x.write(
        folder,
        one(
            x.child(ids[0], x.episode(dates[2], x.assessment(dates[3], authorised)), born=dates[0], upn=ids[2]),
            x.child(ids[1], x.episode(dates[3], x.plan(dates[4])), born=dates[1]),
        ),
    )  # fmt: skip


def spellings(date: str) -> list[str]:
    d = dt.date.fromisoformat(date)
    return [date, f"{d.day} {d:%b %Y}", f"{d:%d/%m/%Y}"]


def child_level(text: str) -> list[str]:
    """The child-level strings found in a text."""
    found = [s for s in SECRETS["identifiers"] if s in text]
    return found + [s for d in SECRETS["dates"] for s in spellings(d) if s in text]


def test_nothing_child_level_reaches_the_return_messages_log_or_database(env, tmp_path):
    data, db = env
    out = tmp_path / "return.csv"
    args = ["--out", str(out), "--db", str(db), "--data-dir", str(data), "--load"]
    proc = cli("derive", str(private_extract(tmp_path)), "--period-end", END, *args)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "imported return.csv as import" in stdout
    archived = [p.read_text() for p in (data / "imports" / "archive").iterdir()]
    log = (data / "imports" / "log.csv").read_text()
    for text in [out.read_text(), stdout, stderr, log, *archived]:
        assert child_level(text) == [], text
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
        ).fetchall()
        for t, c in columns:
            for secret in SECRETS["identifiers"]:
                sql = f'SELECT count(*) FROM "{t}" WHERE "{c}" LIKE ?'  # names only
                assert con.execute(sql, [f"%{secret}%"]).fetchone()[0] == 0, (t, c)
    notes = table(
        db,
        "SELECT note FROM observations JOIN sources USING (source_id) "
        "WHERE sources.kind = 'monthly return'",
    )
    # Referrals (none in October), assessments, plans open, started and repeated.
    assert len(notes) == 5 and child_level(" ".join(notes.note)) == []


def test_a_refused_extract_names_no_child_value(capsys, base, tmp_path):
    out = tmp_path / "r.csv"
    code, stdout, err = derive(capsys, base, private_extract(tmp_path, True), out)
    assert code == 2 and "AssessmentAuthorisationDate: is not a date" in err
    assert child_level(stdout + err) == [] and "2026-10-33" not in err
    assert not out.exists()


def test_an_unexpected_fault_is_named_by_its_type_only(
    capsys, base, tmp_path, monkeypatch
):
    def fault(*args):
        raise KeyError(SECRETS["identifiers"][0])

    monkeypatch.setattr("metrics.derive.cli.tally", fault)
    out = tmp_path / "r.csv"
    code, _, err = derive(capsys, base, private_extract(tmp_path), out)
    assert code == 1 and "could not be read (KeyError)" in err
    assert child_level(err) == [] and not out.exists()


def test_the_derived_return_loads_as_local_figures_for_the_extracts_area(env, tmp_path):
    data, db = env
    out = tmp_path / "leeds.csv"
    args = ["--out", str(out), "--db", str(db), "--data-dir", str(data)]
    run = ["derive", str(x.EXAMPLE), "--period-end", END, "--area", LEEDS.code, *args]
    stdout, stderr = cli(*run, "--load").communicate(timeout=300)
    assert "imported leeds.csv as import 1: 7 new" in stdout, stderr
    loaded = table(
        db,
        "SELECT metric_id, value, area_code FROM observations o JOIN sources s "
        "USING (source_id) WHERE s.kind = 'monthly return' AND period_end = ?",
        [dt.date(2026, 10, 31)],
    )
    assert dict(zip(loaded.metric_id, loaded.value)) == {
        m: float(v) for m, (v, _) in MONTH.items()
    }
    assert set(loaded.area_code) == {LEEDS.code}
    stdout, _ = cli(*run, "--load").communicate(timeout=300)
    assert "already imported" in stdout  # the same figures twice change nothing


# --- the benchmark's extract -------------------------------------------------------


def test_the_benchmark_extract_is_synthetic_and_derives(tmp_path):
    path = tmp_path / "synthetic.xml"
    assert bench_derive.generate(path, 200) == path.stat().st_size
    assert "SYNTHETIC" in path.read_text()[:200]
    extract = Extract(path)
    found = tally(extract.children(), Window.ending(bench_derive.PERIOD_END))
    assert found[0].numerator > 0  # some referrals fall in October 2026
    assert all(f.denominator is None or f.denominator > 0 for f in found)
    raw = {"children": 30_000, "bytes": 2**25, "seconds": 9.0, "cpu_s": 3.0}
    rows = bench_derive.rows({**raw, "peak_mb": 120.0, "before_mb": 100.0})
    assert [r["status"] for r in rows] == ["PASS", "info"]
    assert rows[0]["item"].startswith("30,000 SYNTHETIC children (32 MB)")
    assert rows[1]["note"].startswith("20 MB above")
