"""Build the dashboard's DuckDB database from the files in data/ (and only those)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import DATA_DIR, default_db_path
from metrics.grades import GRADE_RANK, grade_rank
from metrics.periods import PeriodLabelError, period_end

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
BUILD_CODE = [
    SCHEMA_SQL,
    Path(__file__),
    Path(__file__).with_name("periods.py"),
    Path(__file__).with_name("grades.py"),
    Path(__file__).with_name("returns.py"),  # monthly returns are replayed on build
    Path(__file__).with_name("imports.py"),
]
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
RAW = Path("raw")
CURATED = Path("curated")
IMPORTS = Path("imports")  # accepted monthly returns: archive/ and log.csv
LAIT_FILE = RAW / "dfe" / "lait_bds_long.parquet"
LAIT_DICTIONARY = RAW / "dfe" / "lait_data_dictionary.csv"
LAIT_CODES = RAW / "dfe" / "lait_la_code_list.xlsx"
CIN_FILE = RAW / "dfe" / "b1_children_in_need_2013_to_2025.csv"
CSWW_FILE = RAW / "dfe" / "csww_indicators_2017_to_2025.csv"
SN_2025_FILE = RAW / "dfe" / "sn_model_2025_wide.csv"
SN_2021_FILE = RAW / "dfe" / "New_Statistical_Neighbour_Groupings_April_2021.csv"
OFSTED_FILE = RAW / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"

ENGLAND = "E92000001"
# LAIT names its regions by name only; these are their ONS codes.
LAIT_REGION_NAMES = {
    "london (inner)": "E13000001",
    "london (outer)": "E13000002",
}
# EES columns loaded as metrics: file, column, metric_id, month and day of period end.
EES_MEASURES = [
    (CIN_FILE, "At31_episodes", "cin_at_31_march", (3, 31)),
    (CIN_FILE, "awaiting_assessment", "cin_awaiting_assessment", (3, 31)),
    (CSWW_FILE, "caseload_fte", "sw_caseload_fte", (9, 30)),
    (CSWW_FILE, "agency_rate_fte", "sw_agency_rate_fte", (9, 30)),
    (CSWW_FILE, "turnover_rate_fte", "sw_turnover_rate_fte", (9, 30)),
    (CSWW_FILE, "vacancy_rate_fte", "sw_vacancy_rate_fte", (9, 30)),
]
EES_SOURCE = {CIN_FILE: "dfe_cin_b1", CSWW_FILE: "dfe_csww"}
POLARITY = {"High": "higher", "Low": "lower"}

Progress = Callable[[float, str], None]


class DataError(ValueError):
    """A data file that cannot be loaded; the message names file, row and column."""

    def __init__(
        self, file: str | Path, row: int | None, column: str | None, problem: str
    ):
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")
        self.file, self.row, self.column, self.problem = str(file), row, column, problem


@dataclass
class BuildResult:
    """What a build did: where, how long, and anything it had to report."""

    db_path: Path
    seconds: float
    rebuilt: bool
    report: list[tuple[str, str, str, int]] = field(default_factory=list)


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Return every input file of the build, in a stable order."""
    files = [
        p
        for sub in (RAW, CURATED, IMPORTS)
        for p in sorted((data_dir / sub).rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]
    return files


def data_hash(data_dir: Path = DATA_DIR) -> str:
    """Return one SHA-256 over the names and contents of all input files."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    # The build code is an input too: a change to how data are read must rebuild.
    for code in BUILD_CODE:
        digest.update(code.read_bytes())
    return digest.hexdigest()


def stored_hash(db_path: Path) -> str | None:
    """Return the data hash recorded in a built database, or None."""
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            rows = con.execute(
                "SELECT value FROM build_info WHERE key = 'data_hash'"
            ).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def needs_build(db_path: Path | None = None, data_dir: Path = DATA_DIR) -> bool:
    """Say whether the database is missing or older than the data files."""
    db_path = Path(db_path or default_db_path())
    return stored_hash(db_path) != data_hash(data_dir)


@contextlib.contextmanager
def _build_lock(db_path: Path) -> Iterator[None]:
    lock_path = db_path.with_name(db_path.name + ".lock")
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_database(
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the database if it is missing or its data changed; else do nothing."""
    db_path = Path(db_path or default_db_path())
    start = time.perf_counter()
    if not needs_build(db_path, data_dir):
        return BuildResult(db_path, time.perf_counter() - start, rebuilt=False)
    with _build_lock(db_path):
        # Another process may have built it while this one waited for the lock.
        if not needs_build(db_path, data_dir):
            return BuildResult(db_path, time.perf_counter() - start, rebuilt=False)
        return build(db_path, data_dir, progress)


def build(
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the database into a new file and swap it in only when complete."""
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    tmp = db_path.with_name(f"{db_path.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    say = progress or (lambda fraction, message: None)
    report: list[tuple[str, str, str, int]] = []
    try:
        with duckdb.connect(str(tmp)) as con:
            con.execute(SCHEMA_SQL.read_text())
            steps: list[tuple[str, Callable[[], None]]] = [
                ("sources and grade scale", lambda: _load_reference(con, data_dir)),
                ("areas", lambda: _load_areas(con, data_dir)),
                ("metrics", lambda: _load_metrics(con, data_dir)),
                ("report figures", lambda: _load_document_figures(con, data_dir)),
                ("LAIT observations", lambda: _load_lait(con, data_dir, report)),
                (
                    "children in need and workforce",
                    lambda: _load_ees(con, data_dir, report),
                ),
                ("Ofsted judgements", lambda: _load_ofsted(con, data_dir, report)),
                ("milestones and targets", lambda: _load_milestones(con, data_dir)),
                (
                    "statistical neighbours",
                    lambda: _load_neighbours(con, data_dir, report),
                ),
                ("monthly returns", lambda: _load_imports(con, data_dir, report)),
            ]
            for i, (name, step) in enumerate(steps):
                say(i / len(steps), f"Loading {name}")
                step()
            con.executemany("INSERT INTO build_report VALUES (?, ?, ?, ?)", report)
            seconds = time.perf_counter() - start
            con.executemany(
                "INSERT INTO build_info VALUES (?, ?)",
                [
                    ("data_hash", data_hash(data_dir)),
                    ("built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                    ("build_seconds", f"{seconds:.2f}"),
                ],
            )
            con.execute("CHECKPOINT")
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    say(1.0, "Database ready")
    return BuildResult(db_path, time.perf_counter() - start, True, report)


# --- curated CSV reading -------------------------------------------------------

Spec = dict[str, tuple[str, bool]]  # column -> (kind, required)


def _records(path: Path, name: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each record with the file line it starts on; blank lines skipped."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise DataError(name, None, None, "the file is empty")
            records, line = [], reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if any(cell.strip() for cell in record):
                    records.append((start, record))
    except UnicodeDecodeError as exc:
        raise DataError(
            name, None, None, f"cannot be read as UTF-8 text ({exc})"
        ) from exc
    except csv.Error as exc:
        raise DataError(name, None, None, f"is not valid CSV ({exc})") from exc
    return [h.strip() for h in header], records


def read_curated(
    path: Path, spec: Spec, data_dir: Path = DATA_DIR, key: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Read a hand-curated CSV, checking each cell; raise DataError on the first fault."""
    name = path.relative_to(data_dir) if path.is_relative_to(data_dir) else path
    header, records = _records(path, name)
    missing = [c for c in spec if c not in header]
    if missing:
        raise DataError(name, 1, missing[0], "column is missing from the header")
    extra = [c for c in header if c not in spec]
    if extra:
        raise DataError(name, 1, extra[0], "column is not part of this file's format")
    position = {c: header.index(c) for c in spec}
    out: dict[str, list[object]] = {c: [] for c in spec}
    seen: dict[tuple[object, ...], int] = {}
    for line, record in records:
        if len(record) != len(header):
            raise DataError(
                name,
                line,
                None,
                f"has {len(record)} fields where the header has {len(header)}; "
                "check for a stray comma or an unquoted comma in a value",
            )
        for column, (kind, required) in spec.items():
            text = record[position[column]].strip()
            if not text:
                if required:
                    raise DataError(name, line, column, "a value is required")
                out[column].append(None)
            else:
                out[column].append(_convert(text, kind, name, line, column))
        if key:
            values = tuple(out[c][-1] for c in key)
            if values in seen:
                raise DataError(
                    name,
                    line,
                    key[0],
                    f"repeats the key {values!r} already given on row {seen[values]}",
                )
            seen[values] = line
    return pd.DataFrame(out, columns=list(spec))


def _convert(text: str, kind: str, name: Path, row: int, column: str) -> object:
    try:
        if kind == "str":
            return text
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return text.lower() == "true"
    except ValueError as exc:
        raise DataError(
            name, row, column, f"{text!r} is not a valid {kind} ({exc})"
        ) from exc
    raise AssertionError(f"unknown kind {kind}")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    # Table names come from this module only; column names may come from a file's
    # header, so both must be plain identifiers; values travel as a registered frame.
    for name in (table, *frame.columns):
        if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
            raise ValueError(f"not a plain column or table name: {name!r}")
    con.register("incoming", frame)
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    con.unregister("incoming")


# --- steps ---------------------------------------------------------------------


def _load_reference(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    sources = read_curated(
        data_dir / CURATED / "sources.csv",
        {
            "source_id": ("str", True),
            "title": ("str", True),
            "publisher": ("str", True),
            "published": ("date", False),
            "published_precision": ("str", False),
            "kind": ("str", True),
            "licence": ("str", True),
            "reference": ("str", False),
        },
        data_dir,
        key=("source_id",),
    )
    _insert(con, "sources", sources)
    con.executemany(
        "INSERT INTO grade_scale VALUES (?, ?)",
        [(grade.capitalize(), rank) for grade, rank in GRADE_RANK.items()],
    )


def _load_areas(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    ees = pd.concat(
        [
            pd.read_csv(data_dir / f, dtype=str)[
                [
                    "time_period",
                    "geographic_level",
                    "region_code",
                    "region_name",
                    "old_la_code",
                    "new_la_code",
                    "la_name",
                ]
            ]
            for f in (CIN_FILE, CSWW_FILE)
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
    latest = _ofsted_sheets(data_dir / OFSTED_FILE)["Inspections_as_at_31_March"]
    current = set(latest["Local authority area code"]) | set(
        latest["Local authority name"]
    )
    codes = pd.read_excel(data_dir / LAIT_CODES, engine="calamine")
    rows = []
    for number, name in zip(codes["LA Number"], codes["LA Name"]):
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
                )
            )
        elif name == "England":
            rows.append((ENGLAND, int(number), "England", "national", None, None, True))
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
        ],
    )
    _insert(con, "areas", frame)


def _excel_serial(text: str) -> dt.date | None:
    try:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    except (TypeError, ValueError):
        return None


def _load_metrics(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    curated = read_curated(
        data_dir / CURATED / "metrics.csv",
        {
            "metric_id": ("str", True),
            "label": ("str", True),
            "unit": ("str", True),
            "polarity": ("str", True),
            "definition": ("str", True),
            "source_id": ("str", True),
            "topic": ("str", True),
            "dps": ("float", False),
        },
        data_dir,
        key=("metric_id",),
    )
    curated["quartiles_apply"] = True
    _insert(con, "metrics", curated)
    lait = pd.read_csv(data_dir / LAIT_DICTIONARY, dtype=str, keep_default_na=False)
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
        }
    )
    _insert(con, "metrics", frame)
    con.execute(
        "UPDATE sources SET published = (SELECT max(last_updated) FROM metrics "
        "WHERE source_id = 'dfe_lait'), published_precision = 'day' "
        "WHERE source_id = 'dfe_lait'"
    )


def _load_document_figures(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    path = data_dir / CURATED / "document_figures.csv"
    figures = read_curated(
        path,
        {
            "figure_id": ("str", True),
            "metric_id": ("str", True),
            "area_code": ("str", True),
            "area_name": ("str", True),
            "period_end": ("date", True),
            "date_precision": ("str", True),
            "date_rule": ("str", True),
            "period_label": ("str", True),
            "service_area": ("str", False),
            "value": ("float", False),
            "value_low": ("float", False),
            "value_high": ("float", False),
            "approximate": ("bool", True),
            "qualifier": ("str", False),
            "source_id": ("str", True),
            "locator": ("str", True),
            "note": ("str", False),
        },
        data_dir,
        key=("figure_id",),
    )
    known = {r[0] for r in con.execute("SELECT metric_id FROM metrics").fetchall()}
    for i, (metric, value, low, high) in enumerate(
        zip(figures.metric_id, figures.value, figures.value_low, figures.value_high)
    ):
        if metric not in known:
            raise DataError(
                path.relative_to(data_dir),
                i + 2,
                "metric_id",
                f"unknown metric {metric!r}; add it to curated/metrics.csv",
            )
        if value is None and (low is None or high is None):
            raise DataError(
                path.relative_to(data_dir),
                i + 2,
                "value",
                "give a value, or both value_low and value_high for a range",
            )
    figures = figures.drop(columns=["figure_id", "date_rule"])
    _insert(con, "observations", figures)


def _lait_periods(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    pairs = con.execute(
        """
        SELECT DISTINCT l."Short Desc" AS measure, l.Years AS label, m.year_type
        FROM read_parquet(?) AS l JOIN metrics AS m ON m.metric_id = l."Short Desc"
        """,
        [str(data_dir / LAIT_FILE)],
    ).fetchall()
    rows = []
    for measure, label, year_type in pairs:
        try:
            rows.append((measure, label, period_end(label, year_type)))
        except PeriodLabelError as exc:
            count = con.execute(
                'SELECT count(*) FROM read_parquet(?) WHERE "Short Desc" = ? AND Years = ?',
                [str(data_dir / LAIT_FILE), measure, label],
            ).fetchall()[0][0]
            report.append(
                ("warning", str(LAIT_FILE), f"{measure}: {exc}; rows not loaded", count)
            )
    con.execute(
        "CREATE TEMP TABLE lait_periods (measure VARCHAR, label VARCHAR, period_end DATE)"
    )
    _insert(
        con,
        "lait_periods",
        pd.DataFrame(rows, columns=["measure", "label", "period_end"]),
    )


def _load_lait(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    _lait_periods(con, data_dir, report)
    path = str(data_dir / LAIT_FILE)
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
                str(LAIT_FILE),
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
               'lait_bds_long.parquet: Short Desc ' || l.measure || ', Years ' || l.label
               || ', LA Number ' || CAST(CAST(l.la_number AS INTEGER) AS VARCHAR),
               NULL
        FROM lait AS l
        JOIN lait_periods AS p ON p.measure = l.measure AND p.label = l.label
        JOIN areas AS a ON a.la_number = l.la_number
        """
    )
    for raw, count in con.execute(
        "SELECT raw, count(*) FROM lait WHERE v IS NULL GROUP BY raw ORDER BY 2 DESC"
    ).fetchall():
        report.append(
            (
                "info",
                str(LAIT_FILE),
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
            ("warning", str(LAIT_FILE), "rows whose LA Number has no area", unmatched)
        )


def _load_ees(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    # LA rows are matched by LA number: ONS codes change (Barnsley, Sheffield, North
    # Yorkshire...) while the number stays, and the areas table holds one code each.
    by_number = {
        str(n): c
        for n, c in con.execute(
            "SELECT la_number, area_code FROM areas WHERE level = 'local authority'"
        ).fetchall()
    }
    for path, column, metric_id, (month, day) in EES_MEASURES:
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
                   'day', NULL, i.value, NULL, NULL, false, NULL, ?, i.locator, NULL
            FROM incoming AS i JOIN areas AS a USING (area_code)
            """,
            [EES_SOURCE[path]],
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
            sheet_name=["Inspections_as_at_31_March", "ILACS_inspection_history"],
            header=2,
        )
    return _ODS_CACHE["sheets"]


_ODS_CACHE: dict[str, object] = {}


def _load_ofsted(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    history = _ofsted_sheets(data_dir / OFSTED_FILE)["ILACS_inspection_history"]
    subs = {
        "leadership": "The impact of leaders on social work practice with children and families",
        "help_and_protection": "The experiences and progress of children who need help and protection",
        "children_in_care": "The experiences and progress of children in care",
        "care_leavers": "The experiences and progress of care leavers",
    }
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
            "source_id": "ofsted_outcomes_2025",
            "locator": [
                f"ILACS_inspection_history, row {i + 4}" for i in range(len(history))
            ],
        }
    )
    reports = read_curated(
        data_dir / CURATED / "ofsted_reports.csv",
        {
            c: (
                "date"
                if c in ("inspection_start", "inspection_end", "published")
                else "str",
                c
                in (
                    "area_code",
                    "area_name",
                    "framework",
                    "inspection_start",
                    "date_precision",
                    "overall_grade",
                    "source_id",
                    "locator",
                ),
            )
            for c in [
                "area_code",
                "area_name",
                "framework",
                "inspection_type",
                "inspection_start",
                "inspection_end",
                "date_precision",
                "published",
                "overall_grade",
                "help_and_protection",
                "children_in_care",
                "care_leavers",
                "leadership",
                "adoption",
                "source_id",
                "locator",
            ]
        },
        data_dir,
    )
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
                    str(OFSTED_FILE),
                    f"{name}: Ofsted code {old} read as {by_name[name]}",
                    int((frame.area_code == old).sum()),
                )
            )
    frame.loc[stale, "area_code"] = (
        frame.loc[stale, "area_name"].map(by_name).fillna(frame.loc[stale, "area_code"])
    )
    frame = pd.concat([reports, frame], ignore_index=True)
    frame["grade_rank"] = [grade_rank(g) for g in frame.overall_grade]
    _insert(con, "ofsted_judgements", frame)


def _load_milestones(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    milestones = read_curated(
        data_dir / CURATED / "milestones.csv",
        {
            "milestone_date": ("date", True),
            "date_precision": ("str", True),
            "date_rule": ("str", True),
            "kind": ("str", True),
            "label": ("str", True),
            "source_id": ("str", True),
            "locator": ("str", True),
        },
        data_dir,
    )
    _insert(con, "milestones", milestones)
    targets = read_curated(
        data_dir / CURATED / "targets.csv",
        {
            "target_id": ("str", True),
            "area_code": ("str", True),
            "grade": ("str", True),
            "deadline": ("date", True),
            "deadline_precision": ("str", True),
            "deadline_rule": ("str", True),
            "set_on": ("date", True),
            "source_id": ("str", True),
            "locator": ("str", True),
        },
        data_dir,
        key=("target_id",),
    )
    _insert(con, "targets", targets)


def _load_neighbours(
    con: duckdb.DuckDBPyConnection, data_dir: Path, report: list
) -> None:
    by_number = dict(
        con.execute(
            "SELECT la_number, area_code FROM areas WHERE la_number IS NOT NULL"
        ).fetchall()
    )
    rows = []
    wide25 = pd.read_csv(data_dir / SN_2025_FILE, dtype=str, encoding="utf-8-sig")
    for _, r in wide25.iterrows():
        for k in range(1, 11):
            rows.append(("2025", r["old_la_code"], r[f"SN_{k}"], k, r[f"SN_{k}P"]))
    wide21 = pd.read_csv(
        data_dir / SN_2021_FILE,
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
    _insert(
        con,
        "statistical_neighbours",
        pd.DataFrame(
            out, columns=["area_code", "neighbour_code", "rank", "closeness", "model"]
        ),
    )


def _load_imports(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    # Imported here: metrics.imports uses this module (DataError, the lock, build).
    from metrics.imports import replay

    replay(con, data_dir, report)
