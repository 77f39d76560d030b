"""A copy of data/ with changes on either side of a chosen day, for the "since the
last meeting" tests (SYNTHETIC: the plan, the local figure, the 2026 LAIT figure
and the two inspections are made up from the shipped files, never shown by the
app outside the tests).

Timeline: the shipped data built; a plan for Doncaster loaded on 1 Jun 2026 (one
re-referrals checkpoint due Oct 2026 at the 2025 figure, one due Mar 2027); the
chosen day, 1 Sep 2026; a monthly return for Sep 2026 loaded on 15 Oct 2026, above
the checkpoint; then a build with a LAIT release whose 2026 assessments figure puts
Doncaster first, one revised 2024 figure, and Ofsted outcomes with a new
inspection of Doncaster and of its closest statistical neighbour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from metrics.build import build
from metrics.loading import load as imports
from tests.support.areas import DONCASTER
from tests.support.data import copy_data
from tests.support.lait import lait
from tests.support.releases import (
    LAIT_TAG,
    NEW_ODS,
    OLD_ODS,
    lait_release,
    ods_with_inspection,
)

CHOSEN = dt.date(2026, 9, 1)
PLAN_LOADED = dt.datetime(2026, 6, 1, 10, 0)
RETURN_LOADED = dt.datetime(2026, 10, 15, 9, 30)
RISE = 5.0  # the Sep 2026 local re-referral figure: the 2025 figure plus this
FIRST_DUE = "2026-10-31"
SECOND_DUE = "2027-03-31"
SECOND_TARGET = 15.0
REVISED_YEAR = "2024"  # Doncaster's CIN rate of this year is revised by +1


@dataclass(frozen=True)
class SinceData:
    """Where the data and database are, and the figures the tests expect."""

    data: Path
    db: Path
    rereferral_2025: float
    local_figure: float
    assess_2026: float
    assess_rank_2025: int
    cin_old: float
    neighbour_name: str
    neighbour_code: str


def _neighbour(data: Path) -> tuple[str, str]:
    """Doncaster's closest neighbour in the 2025 model: name and ONS code, read
    from the neighbour file and the Ofsted outcomes file."""
    model = pd.read_csv(data / "raw/dfe/sn_model_2025_wide.csv", encoding="utf-8-sig")
    first = model[model.old_la_code == DONCASTER.la_number].SN_1.iloc[0]
    name = model[model.old_la_code == first].la_name.iloc[0]
    sheet = pd.read_excel(
        data / OLD_ODS, sheet_name="ILACS_inspection_history", header=2
    )
    code = sheet[sheet["Local authority name"] == name]["Local authority area code"]
    return name, str(code.iloc[0])


def _lait(data: Path) -> tuple[float, int, float]:
    """LAIT dated 2026-06-01 (tests.release_files) with Doncaster's 2026 assessments
    figure above every 2025 one and its 2024 CIN rate revised; returns that figure,
    Doncaster's 2025 rank (higher is better) and the CIN rate before."""
    lait_release(data)
    path = data / f"raw/dfe/lait_bds_long{LAIT_TAG}.parquet"
    values = pd.read_parquet(path)
    numbers = pd.to_numeric(values.Values, errors="coerce")
    measure = values["Short Desc"] == "Continue_Assess_Comp"
    current = pd.read_csv(
        data / "raw/dfe/sn_model_2025_wide.csv", encoding="utf-8-sig"
    ).old_la_code
    las = values["LA Number"].isin(current)
    year25 = numbers[measure & las & (values.Years == "2025")].dropna()
    top = min(float(year25.max()) + 0.5, 100.0)
    mine = values["LA Number"] == DONCASTER.la_number
    values.loc[measure & mine & (values.Years == "2026"), "Values"] = f"{top:g}"
    doncaster25 = float(numbers[measure & mine & (values.Years == "2025")].iloc[0])
    rank25 = int((year25 > doncaster25).sum()) + 1
    cin = (values["Short Desc"] == "CIN") & mine & (values.Years == REVISED_YEAR)
    cin_old = float(numbers[cin].iloc[0])
    values.loc[cin, "Values"] = f"{cin_old + 1:g}"
    values.to_parquet(path, index=False)
    return top, rank25, cin_old


def make(root: Path, monkeypatch) -> SinceData:
    """Build the copy of data/ and its history as the module docstring says."""
    data = copy_data(root / "data")
    db = data / "dashboard.duckdb"
    build(db, data)
    before = float(lait("ReReferral", DONCASTER.la_number)["2025"])
    plan = (
        "metric_id,due,target,direction,note\n"
        f"ReReferral,{FIRST_DUE},{before:g},,Hold re-referrals\n"
        f"ReReferral,{SECOND_DUE},{SECOND_TARGET:g},,Bring re-referrals down\n"
    ).encode()
    monkeypatch.setattr(imports, "_utc_now", lambda: PLAN_LOADED)
    imports.import_targets(plan, "plan.csv", db, data, DONCASTER.code)
    local = before + RISE
    body = (
        "period_end,metric_id,service_area,value,note\n"
        f"2026-09-30,ReReferral,,{local:g},Re-referrals up after the duty review\n"
    ).encode()
    monkeypatch.setattr(imports, "_utc_now", lambda: RETURN_LOADED)
    imports.import_return(body, "september.csv", db, data, DONCASTER.code)
    monkeypatch.undo()
    top, rank25, cin_old = _lait(data)
    name, code = _neighbour(data)
    between = root / "outcomes.ods"
    ods_with_inspection(data / OLD_ODS, between, DONCASTER.code, "Outstanding")
    ods_with_inspection(between, data / NEW_ODS, code, "Good")
    build(db, data)
    return SinceData(data, db, before, local, top, rank25, cin_old, name, code)


def made_in(tmp_path_factory, name: str) -> SinceData:
    """make() in a new folder of the test session, the clock put back after."""
    patch = pytest.MonkeyPatch()
    try:
        return make(tmp_path_factory.mktemp(name), patch)
    finally:
        patch.undo()
