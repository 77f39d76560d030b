"""A reader's own table (views.groups) as a page of the board pack, in every format."""

from __future__ import annotations

import pandas as pd

from metrics.formatting import fmt
from reports.content import Block, PackPage, Table
from views.groups import OwnTable


def own_table_page(own: OwnTable) -> PackPage:
    """A reader's own table (views.groups): a block a measure, each LA's latest
    figure, change and rank in the group; an LA without a figure says so."""
    table = own.table
    blocks = [
        Block(
            own.title,
            (
                "Rank 1 is the best (the highest value where a measure has no "
                "better direction); the focus LA is marked.",
            ),
            source=f"Source: {own.source}.",
        )
    ]
    for (label, period, previous), note in zip(own.measures, own.notes):
        values = table[f"{label}: {period}"]
        changes = table[f"{label}: change on {previous}"]
        ranks = table[f"{label}: rank in group"]
        rows = tuple(
            (
                name + (" (focus)" if focus else ""),
                "no figure" if pd.isna(v) else fmt(v),
                "" if pd.isna(c) else f"{c:+,.1f}",
                "" if pd.isna(r) else str(int(r)),
            )
            for name, focus, v, c, r in zip(
                table["local authority"], table.focus, values, changes, ranks
            )
        )
        header = ("Local authority", period, f"Change on {previous}", "Rank in group")
        blocks.append(Block(label, (note + ".",), Table(header, rows)))
    return PackPage("Your own table", blocks=blocks, front=True)
