"""The anonymous data: CSV, one row per answer, and JSON (docs/export-format.md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from gsdialog.export.report import Comparison, Harvest
from gsdialog.core.kinds import kind_of
from gsdialog.export.escape import neutralise
from gsdialog.export.sections import SECTIONS

EXPORT_VERSION = 1
CSV_COLUMNS = ("session", "step", "item", "group", "value", "text")
SMALL_GROUP_COLUMN = "small_group"
"""Only with --include-small-groups: "yes" on rows of a group under the threshold in its session."""
def to_csv(harvest: Harvest) -> str:
    """One row per answer; with small groups included, a last column marks their rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    marked = harvest.include_small_groups
    writer.writerow(CSV_COLUMNS + ((SMALL_GROUP_COLUMN,) if marked else ()))
    for row in harvest.rows:
        cells = [row["session"], row["step"], row["item"], row["group"],
                 row.get("value", ""), neutralise(row["text"]) if "text" in row else ""]
        if marked:
            cells.append("yes" if row.get("small_group") else "")
        writer.writerow(cells)
    return out.getvalue()


def results(harvest: Harvest) -> dict[str, Any]:
    """Per step with results: per item and group the numbers, with the threshold applied."""
    found: dict[str, Any] = {}
    for step_harvest in harvest.steps:
        section = SECTIONS[kind_of(step_harvest.step)]
        if section.data is not None:
            found[step_harvest.step.id] = {"kind": step_harvest.step.kind, **section.data(step_harvest.result)}
    return found


def to_json(harvest: Harvest) -> str:
    workshop = harvest.workshop
    document = {
        "format": "gsdialog-harvest",
        "version": EXPORT_VERSION,
        "workshop": {
            "id": workshop.id,
            "title": dict(workshop.title.by_lang),
            "languages": list(workshop.languages),
            "groups": [{"id": g.id, "label": dict(g.label.by_lang)} for g in workshop.groups],
            "steps": [{"id": s.id, "kind": s.kind, "title": dict(s.title.by_lang)} for s in workshop.steps],
            "sources": [{"title": s.title, "by": s.by, "year": s.year, "url": s.url} for s in workshop.sources],
        },
        "session": {
            "ids": [s.id for s in harvest.sessions],
            "sessions": [{"id": s.id, "code": s.code, "date": s.created[:10], "closed": s.closed,
                          "participants": s.participants} for s in harvest.sessions],
            "participants": harvest.participants,
            "threshold": harvest.threshold,
            "small_groups_included": harvest.include_small_groups,
            "rows_left_out": harvest.left_out,
        },
        "responses": harvest.rows,
        "results": results(harvest),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def comparison_csv(comparison: Comparison) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["step", "item", "group", "before", "after", "change", "n_before", "n_after"])
    for m in comparison.movements:
        writer.writerow([m.step, m.item, m.group, "" if m.before is None else m.before,
                         "" if m.after is None else m.after, "" if m.change is None else round(m.change, 3),
                         m.n_before, m.n_after])
    return out.getvalue()


def comparison_json(comparison: Comparison) -> str:
    return json.dumps({"format": "gsdialog-comparison", "version": 1, "workshop": comparison.workshop.id,
                       "before": comparison.before.id, "after": comparison.after.id,
                       "items": [{**m.__dict__, "change": m.change} for m in comparison.movements]},
                      ensure_ascii=False, indent=2) + "\n"
