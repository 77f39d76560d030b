"""Deriving a monthly return from a SYNTHETIC CIN census extract of a county's size.

The extract is generated here, in a temporary folder, from a seeded random source:
made-up children (identifiers SYNTH000001 …) in DfE's XML layout, labelled
SYNTHETIC in the file, never real and never kept. A fresh process reads it, computes
the seven measures and writes the return, as `python -m metrics derive` does, and
reports the seconds taken and its peak memory.

`python -m bench.derive [--children N]` runs this row alone and prints it;
`python -m bench` includes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import alone_meta, markdown, row

CHILDREN = 30_000  # a county's year
LIMIT_S = 30.0
SECTION = "Derive a monthly return from a CIN census extract"
PERIOD_END = dt.date(2026, 10, 31)
MADE = "2026-11-05T09:00:00"
AREA = "E08000017"
FIRST = dt.date(2025, 4, 1)  # the earliest referral generated
SPAN = (dt.date(2026, 11, 4) - FIRST).days


def _day(rng: random.Random, after: dt.date, most: int) -> dt.date:
    return after + dt.timedelta(days=rng.randint(0, most))


def _episode(rng: random.Random) -> list[str]:
    """One CIN episode with its modules, dates in order as the census requires."""
    referral = _day(rng, FIRST, SPAN)
    lines = [
        "<CINdetails>",
        f"<CINreferralDate>{referral}</CINreferralDate>",
        "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>",
        f"<ReferralNFA>{'true' if rng.random() < 0.1 else 'false'}</ReferralNFA>",
    ]
    for _ in range(rng.choice((0, 1, 1, 2))):
        start = _day(rng, referral, 10)
        lines += [
            "<Assessments>",
            f"<AssessmentActualStartDate>{start}</AssessmentActualStartDate>",
            f"<AssessmentAuthorisationDate>{_day(rng, start, 80)}"
            "</AssessmentAuthorisationDate>",
            "<FactorsIdentifiedAtAssessment><AssessmentFactors>1C"
            "</AssessmentFactors><AssessmentFactors>3A</AssessmentFactors>"
            "</FactorsIdentifiedAtAssessment>",
            "</Assessments>",
        ]
    if rng.random() < 0.3:
        start = _day(rng, referral, 20)
        lines += [
            "<Section47>",
            f"<S47ActualStartDate>{start}</S47ActualStartDate>",
            f"<DateOfInitialCPC>{_day(rng, start, 25)}</DateOfInitialCPC>",
            "<ICPCnotRequired>false</ICPCnotRequired>",
            "</Section47>",
        ]
    if rng.random() < 0.15:
        start = _day(rng, referral, 40)
        end = _day(rng, start, 400)
        lines += [
            "<ChildProtectionPlans>",
            f"<CPPstartDate>{start}</CPPstartDate>",
            f"<CPPendDate>{end}</CPPendDate>" if end < PERIOD_END else "",
            "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>",
            f"<NumberOfPreviousCPP>{rng.choice((0, 0, 0, 1))}</NumberOfPreviousCPP>",
            f"<Reviews><CPPreviewDate>{_day(rng, start, 90)}</CPPreviewDate></Reviews>",
            "</ChildProtectionPlans>",
        ]
    return lines + ["</CINdetails>"]


def generate(path: Path, children: int = CHILDREN, seed: int = 2026) -> int:
    """Write a SYNTHETIC extract of ``children`` made-up children; its size in bytes."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<!-- SYNTHETIC benchmark extract: made-up children, not real data -->\n"
            "<Message>\n<Header>\n<CollectionDetails><Collection>CIN</Collection>"
            "<Year>2027</Year><ReferenceDate>2027-03-31</ReferenceDate>"
            "</CollectionDetails>\n<Source><SourceLevel>L</SourceLevel><LEA>371</LEA>"
            f"<DateTime>{MADE}</DateTime></Source>\n</Header>\n<Children>\n"
        )
        for n in range(1, children + 1):
            born = _day(rng, dt.date(2008, 1, 1), 6500)
            lines = [
                "<Child>",
                f"<ChildIdentifiers><LAchildID>SYNTH{n:06d}</LAchildID>"
                f"<UPNunknown>UN1</UPNunknown><PersonBirthDate>{born}"
                "</PersonBirthDate><Sex>U</Sex></ChildIdentifiers>",
                "<ChildCharacteristics><Ethnicity>NOBT</Ethnicity><Disabilities>"
                "<Disability>NONE</Disability></Disabilities></ChildCharacteristics>",
            ]
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                lines += _episode(rng)
            out.write("\n".join(lines) + "\n</Child>\n")
        out.write("</Children>\n</Message>\n")
    return path.stat().st_size


def worker(extract: str, out: str) -> dict:
    """Derive the return from ``extract`` as the command does; seconds and memory."""
    import psutil

    from bench.memory import peak_mb
    from metrics.derive.cli import check_window, write_return
    from metrics.derive.extract import Extract
    from metrics.derive.measures import Window, tally

    before = psutil.Process().memory_info().rss
    start, cpu = time.perf_counter(), time.process_time()
    opened = Extract(Path(extract))
    window = Window.ending(PERIOD_END)
    check_window(opened.header, window)
    figures = tally(opened.children(), window)
    write_return(Path(out), figures, window, opened.header, AREA)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "peak_mb": peak_mb(),
        "before_mb": before / 2**20,
        "figures": {f.measure.metric_id: f.value for f in figures},
    }


def measure(root: Path, tmp: Path, children: int = CHILDREN) -> dict:
    """Generate the extract, then derive from it in a fresh process run in ``root``."""
    extract = tmp / "synthetic-cin-extract.xml"
    size = generate(extract, children)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.derive", "--worker", str(extract)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    extract.unlink()
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
    return {"children": children, "bytes": size, **json.loads(proc.stdout)}


def rows(raw: dict) -> list[dict]:
    """Seconds (against the target, for a county's 30,000 children) and peak memory."""
    if "error" in raw:
        return [row(SECTION, "read, measure, write", None, "s", error=raw["error"])]
    item = f"{raw['children']:,} SYNTHETIC children ({raw['bytes'] / 2**20:.0f} MB)"
    return [
        row(
            SECTION,
            f"{item}: read, seven measures, return written",
            raw["seconds"],
            "s",
            limit=LIMIT_S if raw["children"] >= CHILDREN else None,
            note=f"CPU {raw['cpu_s']:.1f} s; streamed, in a fresh process",
        ),
        row(
            SECTION,
            f"{item}: peak memory (RSS of the process)",
            raw["peak_mb"],
            "MB",
            note=f"{raw['peak_mb'] - raw['before_mb']:.0f} MB above the process "
            "before reading",
        ),
    ]


def bench_derive(root: Path, tmp: Path, children: int) -> tuple[dict, list[dict]]:
    """The raw figures and rows, an ERROR row if the derivation failed."""
    try:
        raw = measure(root, tmp, children)
    except Exception as exc:  # noqa: BLE001 (the rest of the benchmark goes on)
        raw = {"error": str(exc)[:300]}
    return raw, rows(raw)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.derive``: this row alone (or, with --worker, one run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.derive")
    parser.add_argument("--children", type=int, default=CHILDREN)
    parser.add_argument("--worker", metavar="EXTRACT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(worker(args.worker, str(Path(tmp) / "return.csv"))))
        return 0
    load = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-derive-") as tmp:
        raw, found = bench_derive(Path.cwd(), Path(tmp), args.children)
    meta = alone_meta(load, started, f"children={args.children}")
    print(markdown(found, meta))
    return 1 if "error" in raw else 0


if __name__ == "__main__":
    sys.exit(main())
