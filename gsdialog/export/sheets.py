"""The harvest as plain tables, one per question, for the spreadsheet.

A `Table` is columns and rows of plain values, with no spreadsheet library in
sight: `workbook.py` writes it. Each kind's table builder is its `sheet` in
`sections.SECTIONS`. The figures are the harvest's, so the privacy threshold
holds here as in the report: a group under it has its count and a note, no
mean, no median, no distribution, no choices and no words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from gsdialog.core.i18n import t
from gsdialog.core.ideas import IdeasResult
from gsdialog.core.kinds import kind_of
from gsdialog.core.results import ChoiceResult, ScaleResult, WordsResult
from gsdialog.core.workshop import Group, Step

Style = Literal["text", "long", "participant", "count", "decimal", "signed", "percent"]
"""text: a short word; long: wraps; participant: participant text (always text, cleaned);
count, decimal (4.3), signed (+1.9), percent: numbers, shown as the reader's region writes them."""

Value = str | int | float | None


class Note(str):
    """A remark in a cell where a figure would be ("not enough answers yet"): shown muted."""


@dataclass(frozen=True)
class Column:
    header: str
    style: Style = "text"
    width: float | None = None
    """In characters; None: as wide as what it holds (within bounds for its style)."""


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Value]] = field(default_factory=list)
    keep: int = 0
    """How many columns on the left stay in view when scrolling right (with the header row)."""
    notes: list[str] = field(default_factory=list)
    """Sentences under the table."""


def scale_table(step: Step, results: list[ScaleResult], groups: Sequence[Group], lang: str) -> Table:
    """Per statement a row per group: n, mean, median, how often each value; the gap on the first group's row."""
    assert step.scale is not None
    compares = kind_of(step).compares
    columns = [Column("#", "count"), Column(t(lang, "statement"), "long"), Column(t(lang, "compare_group")),
               Column("n", "count"), Column(_capital(t(lang, "report_mean")), "decimal"),
               Column(t(lang, "xlsx_median"), "decimal")]
    columns += [Column(t(lang, "xlsx_distribution", value=value), "count") for value in step.scale.values]
    if compares:
        columns += [Column(t(lang, "gap"), "signed"),
                    Column(t(lang, "xlsx_pairs", first=groups[0].label.get(lang)), "count", width=18),
                    Column(t(lang, "xlsx_effect"), width=18), Column(_capital(t(lang, "blind_spot")))]
    table = Table(columns, keep=2)
    for number, (item, result) in enumerate(zip(step.items, results, strict=True), start=1):
        statement = item.text.get(lang, groups[-1].id)
        for first, g in zip([True] + [False] * len(groups), groups, strict=False):
            stats = result.groups[g.id]
            row: list[Value] = [number, statement, g.label.get(lang), stats.n]
            if stats.enough and stats.distribution is not None:
                row += [stats.mean, stats.median, *(stats.distribution.get(v, 0) for v in step.scale.values)]
            else:
                row += [Note(t(lang, "not_enough")), None, *(None for _ in step.scale.values)]
            if compares:
                gap = result.gap if first else None
                row += [None] * 4 if gap is None else [
                    gap.difference, gap.out_of_ten, t(lang, f"effect_{gap.effect}"),
                    "◆ " + t(lang, "blind_spot") if gap.blind_spot else ""]
            table.rows.append(row)
    return table


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def choice_table(step: Step, choice: ChoiceResult, groups: Sequence[Group], lang: str) -> Table:
    """One row per option: per group how many chose it and which share of the group that is; then n."""
    columns = [Column(t(lang, "option"), "long")]
    for g in groups:
        columns += [Column(g.label.get(lang), "count"), Column(f"{g.label.get(lang)}: %", "percent")]
    table = Table(columns, keep=1)
    for option in step.options:
        row: list[Value] = [option.text.get(lang)]
        for g in groups:
            stats = choice.groups[g.id]
            if not stats.enough:
                row += [Note(t(lang, "not_enough")), None]
                continue
            count = choice.counts[g.id][option.id]
            row += [count, count / stats.n if stats.n else None]
        table.rows.append(row)
    people: list[Value] = [t(lang, "xlsx_people")]
    for g in groups:
        people += [choice.groups[g.id].n, None]
    table.rows.append(people)
    return table


def words_table(step: Step, words: WordsResult, groups: Sequence[Group], lang: str) -> Table:
    """The words, most given first, with how often, and per group how often where each group
    that gave the word reached the threshold (blank otherwise); a group under it gives none."""
    table = Table([Column(t(lang, "xlsx_word"), "participant"), Column(t(lang, "xlsx_count"), "count")]
                  + [Column(f"{g.label.get(lang)} (n = {words.groups[g.id].n})", "count") for g in groups], keep=1)
    if not words.entries:
        table.rows.append([Note(t(lang, "report_no_answers")), None] + [None for _ in groups])
    for entry in words.entries:
        table.rows.append([entry.text, entry.total] + [entry.groups.get(g.id) for g in groups])
    table.notes += [f"{g.label.get(lang)}: {t(lang, 'not_enough')}" for g in groups if not words.groups[g.id].enough]
    table.notes.append(t(lang, "words_groups_rule", k=words.threshold))
    return table


def ideas_table(step: Step, result: IdeasResult, groups: Sequence[Group], lang: str) -> Table:
    """Per idea (merged ones in one cell) its votes per group, when every group that voted has
    enough voters, and its total; most votes first; hidden ideas left out."""
    per_group = [Column(f"{g.label.get(lang)} (n = {result.groups[g.id].n})", "count") for g in groups]
    table = Table([Column(t(lang, "ideas_idea"), "participant"), *(per_group if result.split else []),
                   Column(t(lang, "ideas_total"), "count"), Column(t(lang, "ideas_apart"))], keep=1)
    for votes in result.ideas:
        counts: list[Value] = [votes.votes[g.id] for g in groups] if result.split else []
        table.rows.append([" / ".join(votes.idea.texts), *counts, votes.total, "◆" if votes.apart else ""])
    table.notes.append(t(lang, "ideas_legend_apart") if result.split else t(lang, "ideas_only_total"))
    return table
