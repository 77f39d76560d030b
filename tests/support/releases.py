"""Newer official releases made from the shipped files for the tests (SYNTHETIC
additions: one inspection, one year, one dictionary date, two neighbours swapped),
saved under each source's official name pattern."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd

from tests.support.areas import DONCASTER

OLD_ODS = Path("raw/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods")
NEW_ODS = Path("raw/ofsted/LA_Inspection_Outcomes_as_at_31_March_2026.ods")
OLD_CIN = Path("raw/dfe/b1_children_in_need_2013_to_2025.csv")
NEW_CIN = Path("raw/dfe/b1_children_in_need_2013_to_2026.csv")
OLD_CSWW = Path("raw/dfe/csww_indicators_2017_to_2025.csv")
NEW_CSWW = Path("raw/dfe/csww_indicators_2017_to_2026.csv")
NEW_SN = Path("raw/dfe/sn_model_2026_wide.csv")
LAIT_TAG = "_2026-06-01"
NEW_INSPECTION = dt.date(2026, 1, 12)  # SYNTHETIC: the added inspection's first day


def ods_with_inspection(src: Path, dst: Path, area: str, grade: str) -> None:
    """The outcomes file with one more ILACS inspection of ``area`` (SYNTHETIC)."""
    sheets = pd.read_excel(src, sheet_name=None, header=None, engine="calamine")
    history = sheets["ILACS_inspection_history"]
    header = list(history.iloc[2])
    last = history[history[header.index("Local authority area code")] == area]
    row = last.iloc[-1].copy()
    row[header.index("Inspection date")] = pd.Timestamp(NEW_INSPECTION)
    row[header.index("Publication date")] = pd.Timestamp(2026, 3, 2)
    row[header.index("Overall effectiveness")] = grade
    sheets["ILACS_inspection_history"] = pd.concat(
        [history, row.to_frame().T], ignore_index=True
    )
    with pd.ExcelWriter(dst, engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)


def ees_with_year(src: Path, dst: Path, year: str, column: str, bump: float) -> None:
    """An EES table with one more year: the latest year's rows again under ``year``,
    ``column`` raised by ``bump`` (SYNTHETIC), and one earlier figure revised."""
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    latest = frame[frame.time_period == frame.time_period.max()].copy()
    latest["time_period"] = year
    numbers = pd.to_numeric(latest[column], errors="coerce")
    latest[column] = [
        f"{v + bump:g}" if pd.notna(v) else t for v, t in zip(numbers, latest[column])
    ]
    out = pd.concat([latest, frame], ignore_index=True)
    revised = (out.time_period == "2024") & (
        out.old_la_code == str(DONCASTER.la_number)
    )
    out.loc[revised, column] = [f"{float(v) + 1:g}" for v in out.loc[revised, column]]
    out.to_csv(dst, index=False)


def lait_release(data: Path, out: Path | None = None) -> None:
    """LAIT files dated 2026-06-01: one measure's dictionary date moved on and its
    latest year repeated as a later one (SYNTHETIC)."""
    folder = data / "raw/dfe"
    target = (out or data) / "raw/dfe"
    shutil.copyfile(
        folder / "lait_la_code_list.xlsx", target / f"lait_la_code_list{LAIT_TAG}.xlsx"
    )
    dictionary = pd.read_csv(
        folder / "lait_data_dictionary.csv", dtype=str, keep_default_na=False
    )
    row = dictionary.Measure_short == "Continue_Assess_Comp"
    dictionary.loc[row, "Last Update"] = "46174"  # 1 Jun 2026 as an Excel serial
    dictionary.to_csv(target / f"lait_data_dictionary{LAIT_TAG}.csv", index=False)
    values = pd.read_parquet(folder / "lait_bds_long.parquet")
    latest = values[
        (values["Short Desc"] == "Continue_Assess_Comp") & (values.Years == "2025")
    ].assign(Years="2026")
    pd.concat([values, latest]).to_parquet(
        target / f"lait_bds_long{LAIT_TAG}.parquet", index=False
    )


def sn_release(data: Path, out: Path | None = None) -> None:
    """A 2026 neighbour model: Doncaster's first two neighbours swapped (SYNTHETIC)."""
    frame = pd.read_csv(data / "raw/dfe/sn_model_2025_wide.csv", dtype=str)
    row = frame.old_la_code == str(DONCASTER.la_number)
    frame.loc[row, ["SN_1", "SN_2"]] = frame.loc[row, ["SN_2", "SN_1"]].values
    frame.to_csv((out or data) / NEW_SN, index=False)


def make_all(data: Path, out: Path | None = None) -> None:
    """A newer release of every fetchable source, from ``data``'s shipped files,
    written under ``out`` (default: beside them in ``data``)."""
    out = out or data
    for name in (NEW_ODS, NEW_CIN, NEW_CSWW, NEW_SN):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
    ods_with_inspection(data / OLD_ODS, out / NEW_ODS, DONCASTER.code, "Outstanding")
    ees_with_year(data / OLD_CIN, out / NEW_CIN, "2026", "At31_episodes", 10)
    ees_with_year(data / OLD_CSWW, out / NEW_CSWW, "2026", "caseload_fte", 0.5)
    lait_release(data, out)
    sn_release(data, out)
