"""What the load page says of each kind of file: its purpose, its columns, and the
rule each measure's values follow."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.plan_rules import BY_POLARITY
from metrics.queries import Database
from metrics.return_rules import VALUE_KINDS, load_rules


@dataclass(frozen=True)
class LoadKind:
    """One kind of file the page loads."""

    kind: str  # as the import log says it
    label: str  # what the page calls it
    unit: str  # what its rows are
    purpose: str
    columns: str  # its columns in words; may name {area}


RETURN = LoadKind(
    "monthly return",
    "Monthly return",
    "figures",
    "The performance team's monthly figures: any measure of the data dictionary (the "
    "2013 report's assessment and caseload counts, or today's measures such as "
    "Continue_Assess_Comp, ReReferral or sw_caseload_fte). They are local management "
    "information and are shown as such beside the official statistics; the note of a "
    "figure is its commentary.",
    "One row per figure with the columns `period_end` (the last day of the month, "
    "YYYY-MM-DD), `metric_id`, `service_area` (blank for the whole service), "
    "`value` (a number only) and `note` (optional plain text, the commentary). An "
    "`area_code` column may name the local authority; where it is absent or blank, "
    "the row is for {area}.",
)
TARGETS = LoadKind(
    "targets",
    "Targets file (improvement plan)",
    "checkpoints",
    "The improvement plan's targets: one row per checkpoint; several rows of one "
    "measure make its trajectory. A changed target for the same measure and due "
    "date is kept as a revision and shown wherever the target appears.",
    "Columns `metric_id`, `due` (a month end, YYYY-MM-DD), `target` (a number in the "
    "measure's unit), `direction` (`at least` or `at most`; blank follows the "
    "measure's polarity and is required where it has none) and `note`. An "
    "`area_code` column may name the local authority; where it is absent or blank, "
    "the row is for {area}.",
)
KINDS = (RETURN, TARGETS)
NO_CHILD_DATA = (
    "No other columns are accepted: a file must never contain details of individual "
    "children (names, dates of birth or identifiers)."
)


def rules_table(db: Database, kind: str, data_dir) -> pd.DataFrame:
    """Every measure a file of this kind may name and the rule its values follow."""
    measures = db.df(
        "SELECT metric_id, label, value_kind, polarity FROM metrics ORDER BY metric_id"
    )
    if kind == TARGETS.kind:
        return pd.DataFrame(
            {
                "metric_id": measures.metric_id,
                "measure": measures.label,
                "target": [VALUE_KINDS[k] for k in measures.value_kind],
                "direction when blank": [
                    BY_POLARITY.get(p, "required: no better direction")
                    for p in measures.polarity
                ],
            }
        )
    rules = load_rules(data_dir, dict(zip(measures.metric_id, measures.value_kind)))
    return rules.table().merge(
        measures[["metric_id", "label"]].rename(columns={"label": "measure"}),
        on="metric_id",
    )[["metric_id", "measure", "value", "service_area", "may not exceed"]]
