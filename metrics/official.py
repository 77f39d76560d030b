"""Load the official files in data/raw: areas, the LAIT dictionary and values, DfE's
children in need and workforce files, Ofsted's outcomes and the neighbour models.

Each reader takes the release of its source that metrics.releases found newest
(``found``), never a file name of its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import ENGLAND
from metrics.curated import ofsted_reports, with_inspection_ends
from metrics.grades import grade_rank
from metrics.periods import PeriodLabelError, period_end
from metrics.releases import Found
from metrics.sources import EES_COLUMNS, OFSTED_SHEETS, OFSTED_SUBJUDGEMENTS
from metrics.storage import insert

# LAIT names its regions by name only; these are their ONS codes.
LAIT_REGION_NAMES = {
    "london (inner)": "E13000001",
    "london (outer)": "E13000002",
}
# EES columns loaded as metrics: source, column, metric_id, month and day of period end.
EES_MEASURES = [
    ("dfe_cin_b1", "At31_episodes", "cin_at_31_march", (3, 31)),
    ("dfe_cin_b1", "awaiting_assessment", "cin_awaiting_assessment", (3, 31)),
    ("dfe_csww", "caseload_fte", "sw_caseload_fte", (9, 30)),
    ("dfe_csww", "agency_rate_fte", "sw_agency_rate_fte", (9, 30)),
    ("dfe_csww", "turnover_rate_fte", "sw_turnover_rate_fte", (9, 30)),
    ("dfe_csww", "vacancy_rate_fte", "sw_vacancy_rate_fte", (9, 30)),
]
POLARITY = {"High": "higher", "Low": "lower"}


def load_areas(con: duckdb.DuckDBPyConnection, data_dir: Path, found: Found) -> None:
    """England, regions and every LA, current or not, from the DfE files."""
    ees = pd.concat(
        [
            pd.read_csv(data_dir / found.file(s), dtype=str)[list(EES_COLUMNS)]
            for s in ("dfe_cin_b1", "dfe_csww")
        ]
    )
    las = (
        ees[ees.geographic_level == "Local authority"]
        .sort_values("time_period")
        .drop_duplicates("old_la_code", keep="last")
    )
    regions = ees[ees.geographic_level == "Regional"].drop_duplicates("region_code")
    region_by_name = {
        n.lower(): c for c, n in zip(regions.region_code, regions.region_name)
    }
    region_by_name.update(LAIT_REGION_NAMES)
    latest = _ofsted_sheets(data_dir / found.file("ofsted_outcomes"))[OFSTED_SHEETS[0]]
    current = set(latest["Local authority area code"]) | set(
        latest["Local authority name"]
    )
    codes = pd.read_excel(data_dir / found.file("dfe_lait", "codes"), engine="calamine")
    rows = []
    for number, name, kind in zip(codes["LA Number"], codes["LA Name"], codes["Type"]):
        match = las[las.old_la_code == str(number)]
        if len(match):
            r = match.iloc[0]
            # LAIT marks councils replaced by reorganisation "(Pre LG)"; keep that.
            label = name if "Pre LG" in name else r.la_name
            rows.append(
                (
                    r.new_la_code,
                    int(number),
                    label,
                    "local authority",
                    r.region_code,
                    r.region_name,
                    r.new_la_code in current or label in current,
                    kind if isinstance(kind, str) and kind.strip() else None,
                )
            )
        elif name == "England":
            rows.append(
                (ENGLAND, int(number), "England", "national", None, None, True, None)
            )
        elif name.lower() in region_by_name:
            code = region_by_name[name.lower()]
            label = regions.loc[regions.region_code == code, "region_name"]
            rows.append(
                (
                    code,
                    int(number),
                    label.iloc[0] if len(label) else name,
                    "region",
                    None,
                    None,
                    True,
                    None,
                )
            )
        # 'England (discontinued)' (1000) has no data rows and no area.
    frame = pd.DataFrame(
        rows,
        columns=[
            "area_code",
            "la_number",
            "area_name",
            "level",
            "region_code",
            "region_name",
            "is_current",
            "la_type",
        ],
    )
    insert(con, "areas", frame)


def _excel_serial(text: str) -> dt.date | None:
    try:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    except (TypeError, ValueError):
        return None


def load_lait_dictionary(
    con: duckdb.DuckDBPyConnection, data_dir: Path, found: Found
) -> None:
    """The LAIT data dictionary's measures as metrics, and LAIT's publication date."""
    dictionary = data_dir / found.file("dfe_lait", "dictionary")
    lait = pd.read_csv(dictionary, dtype=str, keep_default_na=False)
    # A few measures sit under two topics; keep one row, preferring one with dps.
    lait["has_dps"] = lait.dps.str.isdigit()
    lait = lait.sort_values("has_dps", ascending=False, kind="stable").drop_duplicates(
        "Measure_short"
    )
    frame = pd.DataFrame(
        {
            "metric_id": lait.Measure_short,
            "label": lait.Chart_title.where(lait.Chart_title != "", lait.Measure),
            "unit": lait.y_axis_name,
            "polarity": lait.Polarity.map(POLARITY).fillna("neutral"),
            "definition": lait.Description.str.strip(),
            "source_id": "dfe_lait",
            "topic": lait.Topic,
            "dps": pd.to_numeric(lait.dps, errors="coerce").astype("Int64"),
            "year_type": lait.Year_Type,
            "quartiles_apply": lait.No_Quartile != "N",
            "last_updated": [_excel_serial(v) for v in lait["Last Update"]],
            "link": lait["Hyperlink(s)"].str.split().str[0],
            "next_update": [_excel_serial(v) for v in lait["Next Update"]],
            "methodology": lait.Methodology.str.strip().replace("", None),
        }
    )
    insert(con, "metrics", frame)
    con.execute(
        "UPDATE sources SET published = (SELECT max(last_updated) FROM metrics "
        "WHERE source_id = 'dfe_lait'), published_precision = 'day' "
        "WHERE source_id = 'dfe_lait'"
    )


def _lait_periods(
    con: duckdb.DuckDBPyConnection, file: Path, path: str, report: list
) -> None:
    pairs = con.execute(
        """
        SELECT DISTINCT l."Short Desc" AS measure, l.Years AS label, m.year_type
        FROM read_parquet(?) AS l JOIN metrics AS m ON m.metric_id = l."Short Desc"
        """,
        [path],
    ).fetchall()
    rows = []
    for measure, label, year_type in pairs:
        try:
            rows.append((measure, label, period_end(label, year_type)))
        except PeriodLabelError as exc:
            count = con.execute(
                'SELECT count(*) FROM read_parquet(?) WHERE "Short Desc" = ? AND Years = ?',
                [path, measure, label],
            ).fetchall()[0][0]
            report.append(
                ("warning", str(file), f"{measure}: {exc}; rows not loaded", count)
            )
    con.execute(
        "CREATE TEMP TABLE lait_periods (measure VARCHAR, label VARCHAR, period_end DATE)"
    )
    insert(
        con,
        "lait_periods",
        pd.DataFrame(rows, columns=["measure", "label", "period_end"]),
    )


def load_lait(
    con: duckdb.DuckDBPyConnection, data_dir: Path, report: list, found: Found
) -> None:
    """Every LAIT value with a parseable period, suppression marks as NULL."""
    file = found.file("dfe_lait", "values")
    path = str(data_dir / file)
    _lait_periods(con, file, path, report)
    con.execute(
        """
        CREATE TEMP TABLE lait AS
        SELECT "Short Desc" AS measure, Years AS label, "LA Number" AS la_number,
               "Values" AS raw, TRY_CAST(trim("Values") AS DOUBLE) AS v
        FROM read_parquet(?)
        """,
        [path],
    )
    unknown_measures = con.execute(
        "SELECT measure, count(*) FROM lait WHERE measure NOT IN "
        "(SELECT metric_id FROM metrics) GROUP BY 1"
    ).fetchall()
    for measure, count in unknown_measures:
        report.append(
            (
                "warning",
                str(file),
                f"measure {measure} is not in the data dictionary; rows not loaded",
                count,
            )
        )
    # Values are cleaned of binary floating-point noise (86.600000000000009 -> 86.6)
    # by rounding to 12 significant figures; the dictionary's dps is used for
    # display, since rounding to it would change published values.
    con.execute(
        """
        INSERT INTO observations
        SELECT l.measure, a.area_code, a.area_name, p.period_end, l.label, 'year', NULL,
               CASE WHEN l.v IS NULL OR l.v = 0 OR isnan(l.v) THEN l.v
                    ELSE round(l.v, 11 - CAST(floor(log10(abs(l.v))) AS INTEGER)) END,
               NULL, NULL, false, NULL, 'dfe_lait',
               ? || ': Short Desc ' || l.measure || ', Years ' || l.label
               || ', LA Number ' || CAST(CAST(l.la_number AS INTEGER) AS VARCHAR),
               NULL, 'official', NULL
        FROM lait AS l
        JOIN lait_periods AS p ON p.measure = l.measure AND p.label = l.label
        JOIN areas AS a ON a.la_number = l.la_number
        """,
        [file.name],
    )
    for raw, count in con.execute(
        "SELECT raw, count(*) FROM lait WHERE v IS NULL GROUP BY raw ORDER BY 2 DESC"
    ).fetchall():
        report.append(
            (
                "info",
                str(file),
                f"suppression or missing mark {raw!r} stored as NULL",
                count,
            )
        )
    unmatched = con.execute(
        "SELECT count(*) FROM lait WHERE la_number NOT IN (SELECT la_number FROM areas "
        "WHERE la_number IS NOT NULL)"
    ).fetchall()[0][0]
    if unmatched:
        report.append(
            ("warning", str(file), "rows whose LA Number has no area", unmatched)
        )


def load_ees(
    con: duckdb.DuckDBPyConnection, data_dir: Path, report: list, found: Found
) -> None:
    """The children in need and workforce measures from the EES files."""
    # LA rows are matched by LA number: ONS codes change (Barnsley, Sheffield, North
    # Yorkshire...) while the number stays, and the areas table holds one code each.
    by_number = {
        str(n): c
        for n, c in con.execute(
            "SELECT la_number, area_code FROM areas WHERE level = 'local authority'"
        ).fetchall()
    }
    for source_id, column, metric_id, (month, day) in EES_MEASURES:
        path = found.file(source_id)
        frame = pd.read_csv(data_dir / path, dtype=str, keep_default_na=False)
        level = frame.geographic_level
        code = frame.old_la_code.map(by_number).where(
            level == "Local authority",
            frame.region_code.where(level == "Regional", ENGLAND),
        )
        unmatched = frame[code.isna()]
        if len(unmatched):
            names = ", ".join(sorted(set(unmatched.la_name)))
            report.append(
                (
                    "warning",
                    str(path),
                    f"{column}: rows not assigned to one area (joint returns: {names})",
                    len(unmatched),
                )
            )
        frame, code = frame[code.notna()], code[code.notna()]
        values = pd.to_numeric(frame[column], errors="coerce")
        for mark, count in frame[column][values.isna()].value_counts().items():
            report.append(
                (
                    "info",
                    str(path),
                    f"{column}: suppression mark {mark!r} stored as NULL",
                    int(count),
                )
            )
        out = pd.DataFrame(
            {
                "metric_id": metric_id,
                "area_code": code,
                "period_end": [dt.date(int(y), month, day) for y in frame.time_period],
                "period_label": frame.time_period,
                "value": values,
                "locator": [
                    f"{path.name}: time_period {t}, {lvl} "
                    f"{o if lvl == 'Local authority' else c}, column {column}"
                    for t, lvl, o, c in zip(
                        frame.time_period,
                        frame.geographic_level,
                        frame.old_la_code,
                        code,
                    )
                ],
            }
        )
        con.register("incoming", out)
        con.execute(
            """
            INSERT INTO observations
            SELECT i.metric_id, i.area_code, a.area_name, i.period_end, i.period_label,
                   'day', NULL, i.value, NULL, NULL, false, NULL, ?, i.locator, NULL,
                   'official', NULL
            FROM incoming AS i JOIN areas AS a USING (area_code)
            """,
            [source_id],
        )
        con.unregister("incoming")


def _ofsted_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Both sheets the build uses, parsed in one pass (calamine: about 0.03 s here,
    against 1 s with odfpy, which the tests use to read the same file independently)."""
    key = (str(path), path.stat().st_mtime_ns, path.stat().st_size)
    if _ODS_CACHE.get("key") != key:
        _ODS_CACHE.clear()
        _ODS_CACHE["key"] = key
        _ODS_CACHE["sheets"] = pd.read_excel(
            path,
            engine="calamine",
            sheet_name=list(OFSTED_SHEETS),
            header=2,
        )
    return _ODS_CACHE["sheets"]


_ODS_CACHE: dict[str, object] = {}


def load_ofsted(
    con: duckdb.DuckDBPyConnection, data_dir: Path, report: list, found: Found
) -> None:
    """ILACS judgements from the outcomes file and earlier ones from the reports."""
    release = found.chosen["ofsted_outcomes"]
    file = release.path()
    history = _ofsted_sheets(data_dir / file)[OFSTED_SHEETS[1]]
    subs = OFSTED_SUBJUDGEMENTS
    frame = pd.DataFrame(
        {
            "area_code": history["Local authority area code"],
            "area_name": history["Local authority name"],
            "framework": "ILACS (2018-)",
            "inspection_type": history["Inspection type"],
            "inspection_start": pd.to_datetime(history["Inspection date"]).dt.date,
            "date_precision": "day",
            "published": pd.to_datetime(history["Publication date"]).dt.date,
            "overall_grade": history["Overall effectiveness"],
            **{k: history[v].where(history[v].notna(), None) for k, v in subs.items()},
            "source_id": release.source_id,
            "locator": [
                f"ILACS_inspection_history, row {i + 4}" for i in range(len(history))
            ],
        }
    )
    reports = ofsted_reports(data_dir)
    # Ofsted keeps some pre-2024 codes (Barnsley, Sheffield) that DfE files have
    # replaced; such rows take the current LA's code, matched by name.
    known = con.execute(
        "SELECT area_code, area_name FROM areas WHERE level = 'local authority'"
        " ORDER BY is_current"
    ).fetchall()
    by_name = {name: code for code, name in known}
    codes = {code for code, _ in known}
    stale = ~frame.area_code.isin(codes)
    for old, name in (
        frame.loc[stale, ["area_code", "area_name"]].drop_duplicates().values
    ):
        if name in by_name:
            report.append(
                (
                    "info",
                    str(file),
                    f"{name}: Ofsted code {old} read as {by_name[name]}",
                    int((frame.area_code == old).sum()),
                )
            )
    frame.loc[stale, "area_code"] = (
        frame.loc[stale, "area_name"].map(by_name).fillna(frame.loc[stale, "area_code"])
    )
    frame = pd.concat([reports, frame], ignore_index=True)
    frame = with_inspection_ends(con, frame, data_dir)
    frame["grade_rank"] = [grade_rank(g) for g in frame.overall_grade]
    insert(con, "ofsted_judgements", frame)


def load_neighbours(
    con: duckdb.DuckDBPyConnection, data_dir: Path, report: list, found: Found
) -> None:
    """Both statistical neighbour models, as (area, neighbour, rank) pairs."""
    by_number = dict(
        con.execute(
            "SELECT la_number, area_code FROM areas WHERE la_number IS NOT NULL"
        ).fetchall()
    )
    rows = []
    latest = found.chosen["dfe_sn"]
    wide = pd.read_csv(data_dir / latest.path(), dtype=str, encoding="utf-8-sig")
    for _, r in wide.iterrows():
        for k in range(1, 11):
            rows.append(
                (latest.release, r["old_la_code"], r[f"SN_{k}"], k, r[f"SN_{k}P"])
            )
    wide21 = pd.read_csv(
        data_dir / found.file("dfe_sn_2021"),
        dtype=str,
        encoding="utf-8-sig",
        header=None,
        skiprows=1,
    )
    for _, r in wide21.dropna(subset=[0]).iterrows():
        for k in range(1, 11):
            # Columns: LA num, LA Name, LA number, GOInd, GOReg, then SNk, SNP pairs.
            rows.append(("2021", r[0], r[3 + 2 * k], k, r[4 + 2 * k]))
    out, missing = [], 0
    for model, la, neighbour, rank, closeness in rows:
        a, n = by_number.get(int(la)), by_number.get(int(float(neighbour)))
        if a is None or n is None:
            missing += 1
            continue
        out.append((a, n, rank, (closeness or "").strip() or None, model))
    if missing:
        report.append(
            (
                "warning",
                "statistical neighbour files",
                "pairs naming an LA number with no area",
                missing,
            )
        )
    insert(
        con,
        "statistical_neighbours",
        pd.DataFrame(
            out, columns=["area_code", "neighbour_code", "rank", "closeness", "model"]
        ),
    )
