"""The area a page, a chart or a pack is about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """A local authority (or region, or England) by ONS code and name."""

    code: str
    name: str
