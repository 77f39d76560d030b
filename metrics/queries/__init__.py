"""Parameterised read-only queries returning DataFrames: the only SQL the app uses.

``Database`` owns the connection; its methods are grouped by topic in this package.
"""

from __future__ import annotations

from metrics.queries.connection import Connection
from metrics.queries.groups import STATISTICS, Group, GroupQueries
from metrics.queries.loads import LoadQueries
from metrics.queries.observations import (
    HEADLINE_METRICS,
    RAG_TOLERANCE,
    ObservationQueries,
    rag,
)
from metrics.queries.ofsted import OfstedQueries
from metrics.queries.plan import PlanQueries
from metrics.queries.ranking import RankingQueries
from metrics.queries.since import SinceQueries

__all__ = [
    "Database",
    "Group",
    "HEADLINE_METRICS",
    "RAG_TOLERANCE",
    "STATISTICS",
    "rag",
]


class Database(
    Connection,
    ObservationQueries,
    GroupQueries,
    OfstedQueries,
    RankingQueries,
    LoadQueries,
    PlanQueries,
    SinceQueries,
):
    """A read-only view of the built database: one connection, a cursor per query."""
