"""What the harvest holds of each kind of step: its data rows, its JSON
results, its Markdown, and the HTML template of its report section.

One registry, `SECTIONS`, keyed by the core's kind objects; the writers look a
step's section up there and never compare kind names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gsdialog.core.i18n import number, t
from gsdialog.core.ideas import IDEA_ITEM, IdeasResult, Marks
from gsdialog.core.kinds import CHOICE, EVALUATION, IDEAS, INFO, PAIRS, RATING, WORDS, Kind, kind_of
from gsdialog.core.results import ChoiceResult, GroupStats, ScaleResult, WordsResult, normalise_word
from gsdialog.core.workshop import Group, Step
from gsdialog.export.charts import mark
from gsdialog.export.escape import md_text
from gsdialog.export.sheets import Table, choice_table, ideas_table, scale_table, words_table
from gsdialog.export.texts import TEXTS, quoted

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    rows: Callable[[Row, Any, set[str]], list[Row]]
    """The CSV/JSON rows of one answer, given the row's base (session, step, item, group)."""
    data: Callable[[Any], dict[str, Any]] | None = None
    """The step's entry in the JSON `results`, from its result."""
    markdown: Callable[[Step, Any, Sequence[Group], str], list[str]] | None = None
    """The step's lines in the Markdown report."""
    template: str | None = None
    """The HTML report's section (templates/sections/…); None: the step has no section."""
    sheet: Callable[[Step, Any, Sequence[Group], str], Table] | None = None
    """The step's sheet of figures in the xlsx (sheets.py); None: the step has no sheet."""


# --- rows ---------------------------------------------------------------------------------------


def value_row(base: Row, value: Any, hidden: set[str]) -> list[Row]:
    return [{**base, "value": value}]


def option_rows(base: Row, value: Any, hidden: set[str]) -> list[Row]:
    """One row per chosen option."""
    return [{**base, "value": option} for option in value]


def word_rows(base: Row, value: Any, hidden: set[str]) -> list[Row]:
    """One row per word, the hidden ones left out."""
    return [{**base, "text": word} for word in value if normalise_word(word) not in hidden]


def idea_rows(base: Row, value: Any, hidden: set[str]) -> list[Row]:
    """A phone's ideas: one row each, its item the idea it counts as (merged ones together);
    its votes: one row per idea voted for, counted once. Hidden ideas left out."""
    marks = Marks.of(hidden)
    if base["item"] == IDEA_ITEM:
        return [{**base, "item": kept, "text": text} for ident, text in value.items()
                if (kept := marks.counts(ident)) is not None]
    counted = dict.fromkeys(kept for ident in value if (kept := marks.counts(ident)) is not None)
    return [{**base, "value": kept} for kept in counted]


# --- JSON results ---------------------------------------------------------------------------------


def _stats(stats: GroupStats) -> dict[str, Any]:
    found: dict[str, Any] = {"n": stats.n, "enough": stats.enough}
    if stats.enough:
        found.update(mean=stats.mean, median=stats.median,
                     distribution={str(k): v for k, v in (stats.distribution or {}).items()})
    return found


def scale_data(results: list[ScaleResult]) -> dict[str, Any]:
    items = {}
    for result in results:
        item: dict[str, Any] = {"groups": {g: _stats(s) for g, s in result.groups.items()}}
        if result.gap is not None:
            gap = result.gap
            item["gap"] = {"difference": gap.difference, "superiority": gap.superiority,
                           "out_of_ten": gap.out_of_ten, "cliffs_delta": gap.cliffs_delta,
                           "effect": gap.effect, "blind_spot": gap.blind_spot}
        items[result.item] = item
    return {"items": items}


def choice_data(choice: ChoiceResult) -> dict[str, Any]:
    return {"groups": {g: {"n": s.n, "enough": s.enough, "options": choice.counts[g]}
                       for g, s in choice.groups.items()}}


def words_data(words: WordsResult) -> dict[str, Any]:
    """The words as the wall shows them: a word's groups only where each reached the threshold."""
    return {"groups": {g: {"n": s.n, "enough": s.enough} for g, s in words.groups.items()},
            "words": [{"text": e.text, "count": e.total, "groups": dict(e.groups)} for e in words.entries]}


def ideas_data(result: IdeasResult) -> dict[str, Any]:
    """Per idea its texts (merged ones together) and votes: the total, and per group only
    when every group that voted has enough voters (`split`)."""
    return {"split": result.split,
            "groups": {g: {"n": s.n, "enough": s.enough} for g, s in result.groups.items()},
            "ideas": [{"id": v.idea.id, "texts": list(v.idea.texts), "given": v.idea.given, "total": v.total,
                       **({"votes": dict(v.votes), "gap": v.gap, "apart": v.apart} if result.split else {})}
                      for v in result.ideas]}


# --- Markdown -------------------------------------------------------------------------------------


def scale_markdown(step: Step, results: list[ScaleResult], groups: Sequence[Group], lang: str) -> list[str]:
    """One row per statement: per group the mean, the median and n; the gap when the step compares.
    A statement worded per group shows each group's wording."""
    compares = kind_of(step).compares
    columns = " | ".join(f"{md_text(g.label.get(lang))}: {TEXTS[lang]['mean_short']} · {TEXTS[lang]['median']}"
                         for g in groups)
    gap = f" | {t(lang, 'gap')}" if compares else ""
    out = [f"| # | {t(lang, 'statement')} | {columns}{gap} |",
           "|---|---|" + "---|" * len(groups) + ("---|" if gap else "")]
    for index, (item, result) in enumerate(zip(step.items, results, strict=True), start=1):
        cells = []
        for g in groups:
            stats = result.groups[g.id]
            if stats.enough and stats.mean is not None and stats.median is not None:
                median = number(lang, stats.median, 0 if stats.median.is_integer() else 1)
                cells.append(f"{number(lang, stats.mean)} · {median} (n = {stats.n})")
            else:
                cells.append(f"{md_text(t(lang, 'not_enough'))} (n = {stats.n})")
        gap_cell = ""
        if compares:
            gap_cell = " | –" if result.gap is None else (
                f" | {number(lang, result.gap.difference, sign=True)}, {t(lang, 'effect_' + result.gap.effect)}"
                + (" ◆" if result.gap.blind_spot else ""))
        text = md_text(item.text.get(lang, groups[-1].id)) if item.text.shared else " / ".join(
            f"{md_text(g.label.get(lang))}: {md_text(quoted(lang, item.text.get(lang, g.id)))}" for g in groups)
        out.append(f"| {index} | {text} | " + " | ".join(cells) + gap_cell + " |")
    if compares:
        out += ["", md_text(t(lang, "legend_blind_spot"))]
    return out


def choice_markdown(step: Step, choice: ChoiceResult, groups: Sequence[Group], lang: str) -> list[str]:
    out = [f"| {t(lang, 'option')} | " + " | ".join(
        f"{md_text(g.label.get(lang))} (n = {choice.groups[g.id].n})" for g in groups) + " |",
        "|---|" + "---|" * len(groups)]
    for option in step.options:
        cells = [_chose(choice.counts[g.id][option.id], choice.groups[g.id].n) if choice.groups[g.id].enough
                 else md_text(t(lang, "not_enough")) for g in groups]
        out.append(f"| {md_text(option.text.get(lang))} | " + " | ".join(cells) + " |")
    return out


def _chose(count: int, n: int) -> str:
    return f"{count} ({round(count / n * 100) if n else 0}%)"


def words_markdown(step: Step, words: WordsResult, groups: Sequence[Group], lang: str) -> list[str]:
    out = [" · ".join(f"{mark(n)} **{md_text(g.label.get(lang))}** ("
                      + (t(lang, "report_answers", n=words.groups[g.id].n) if words.groups[g.id].enough
                         else f"{t(lang, 'report_answers', n=words.groups[g.id].n)}, {t(lang, 'not_enough')}")
                      + ")" for n, g in enumerate(groups)), ""]
    if not words.entries:
        return out + [md_text(t(lang, "report_no_answers")), ""]
    for entry in words.entries:
        named = " · ".join(f"{mark(n)} {entry.groups[g.id]}" for n, g in enumerate(groups) if g.id in entry.groups)
        out.append(f"- {md_text(entry.text)}" + (f" ×{entry.total}" if entry.total > 1 else "")
                   + (f" ({named})" if named else ""))
    return out + ["", md_text(t(lang, "words_groups_rule", k=words.threshold)), ""]


def ideas_markdown(step: Step, result: IdeasResult, groups: Sequence[Group], lang: str) -> list[str]:
    """One row per idea, most votes first: the votes per group (when shown) and the total."""
    heads = [f"{md_text(g.label.get(lang))} (n = {result.groups[g.id].n})" for g in groups] if result.split else []
    out = [f"| # | {t(lang, 'ideas_idea')} | " + "".join(f"{h} | " for h in heads) + f"{t(lang, 'ideas_total')} |",
           "|---|---|" + "---|" * (len(heads) + 1)]
    for index, votes in enumerate(result.ideas, start=1):
        text = " / ".join(md_text(text) for text in votes.idea.texts) + (" ◆" if votes.apart else "")
        cells = "".join(f"{votes.votes[g.id]} | " for g in groups) if result.split else ""
        out.append(f"| {index} | {text} | {cells}{votes.total} |")
    if not result.ideas:
        out.append(f"| – | {md_text(t(lang, 'report_no_answers'))} |" + " |" * (len(heads) + 1))
    out.append("")
    out.append(md_text(t(lang, "ideas_legend_apart") if result.split else t(lang, "ideas_only_total")))
    return out


SCALE = Section(value_row, scale_data, scale_markdown, "sections/scale.html", scale_table)
SECTIONS: dict[Kind, Section] = {
    INFO: Section(value_row),
    PAIRS: Section(value_row),
    RATING: SCALE,
    EVALUATION: SCALE,
    CHOICE: Section(option_rows, choice_data, choice_markdown, "sections/choice.html", choice_table),
    WORDS: Section(word_rows, words_data, words_markdown, "sections/words.html", words_table),
    IDEAS: Section(idea_rows, ideas_data, ideas_markdown, "sections/ideas.html", ideas_table),
}
