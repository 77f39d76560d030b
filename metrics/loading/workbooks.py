"""What reading an .xlsx file needs beyond openpyxl: how large its parts unpack to
(read from the zip's directory, before anything is unpacked), a cell as the text a
CSV would hold, and which date cell of a row openpyxl cannot read. The checks and
messages are metrics.loading.files'."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.etree import ElementTree

# How Excel writes a character XML cannot hold: _xHHHH_ (_x005F_ for "_").
EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def oversized(content: bytes, parts: int, part: int, total: int) -> str:
    """What makes a workbook unpack too large ("" if nothing): more than ``parts``
    parts, one over ``part`` bytes or all over ``total`` bytes (zipfile.BadZipFile
    when it is no zip)."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        found = z.infolist()
    if len(found) > parts:
        return f"it holds {len(found):,} parts"
    for item in found:
        if item.file_size > part:
            return f"{item.filename} unpacks to {item.file_size:,} bytes"
    unpacked = sum(item.file_size for item in found)
    return f"its parts unpack to {unpacked:,} bytes" if unpacked > total else ""


def cell_text(value: object) -> str:
    """A cell as the text a CSV would hold (dates as YYYY-MM-DD), characters Excel
    escaped as they are shown."""
    if value is None:
        return ""
    if isinstance(value, str):
        return EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def bad_date_cell(content: bytes, part: str, row: int) -> tuple[str, str] | None:
    """(column letters, text) of the first date cell in a sheet row that is not a
    date Python can hold (such as 99999-12-31): what openpyxl fails on."""
    from openpyxl.utils.datetime import from_ISO8601

    with zipfile.ZipFile(io.BytesIO(content)) as z, z.open(part) as handle:
        for _, element in ElementTree.iterparse(handle):
            if not element.tag.endswith("}c"):
                continue
            ref = element.get("r") or ""
            letters = ref.rstrip("0123456789")
            if ref[len(letters) :] == str(row) and element.get("t") == "d":
                text = "".join(element.itertext()).strip()
                try:
                    from_ISO8601(text)
                except (ValueError, OverflowError):
                    return letters, text
            element.clear()
    return None
