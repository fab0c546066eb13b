"""The anonymous data: CSV, one row per answer, and JSON (docs/export-format.md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from gsdialog.export.report import Harvest
from gsdialog.core.results import GroupStats

EXPORT_VERSION = 1
CSV_COLUMNS = ("session", "step", "item", "group", "value", "text")
SMALL_GROUP_COLUMN = "small_group"
"""Only with --include-small-groups: "yes" on rows of a group under the threshold in its session."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


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


def _stats(stats: GroupStats) -> dict[str, Any]:
    found: dict[str, Any] = {"n": stats.n, "enough": stats.enough}
    if stats.enough:
        found.update(mean=stats.mean, median=stats.median,
                     distribution={str(k): v for k, v in (stats.distribution or {}).items()})
    return found


def results(harvest: Harvest) -> dict[str, Any]:
    """Per step: per item and group the numbers, with the threshold applied."""
    found: dict[str, Any] = {}
    for step_harvest in harvest.steps:
        step = step_harvest.step
        if step.kind in ("info", "pairs"):
            continue
        entry: dict[str, Any] = {"kind": step.kind}
        if step_harvest.scale:
            items = {}
            for result in step_harvest.scale:
                item: dict[str, Any] = {"groups": {g: _stats(s) for g, s in result.groups.items()}}
                if result.gap is not None:
                    gap = result.gap
                    item["gap"] = {"difference": gap.difference, "superiority": gap.superiority,
                                   "out_of_ten": gap.out_of_ten, "cliffs_delta": gap.cliffs_delta,
                                   "effect": gap.effect, "blind_spot": gap.blind_spot}
                items[result.item] = item
            entry["items"] = items
        if step_harvest.choice is not None:
            choice = step_harvest.choice
            entry["groups"] = {g: {"n": s.n, "enough": s.enough, "options": choice.counts[g]}
                               for g, s in choice.groups.items()}
        if step_harvest.words is not None:
            words = step_harvest.words
            entry["groups"] = {g: {"n": s.n, "enough": s.enough,
                                   "words": [{"text": w.text, "count": w.count} for w in words.words[g]]}
                               for g, s in words.groups.items()}
        found[step.id] = entry
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
