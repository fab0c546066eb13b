"""The harvest as a report: one self-contained HTML file, or Markdown."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from gsdialog.export.charts import bars, diverging, legend, overview
from gsdialog.core.kinds import kind_of
from gsdialog.export.escape import md_text
from gsdialog.export.report import Comparison, Harvest, StepHarvest
from gsdialog.export.sections import SECTIONS
from gsdialog.core.i18n import gap_sentence, t
from gsdialog.core.text import simple_markdown
from gsdialog.core.workshop import Step


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("gsdialog.export", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def answered(step_harvest: StepHarvest) -> bool:
    """Whether anyone answered the step (its results count answers in `groups`)."""
    result = step_harvest.result
    found = result if isinstance(result, list) else [result] if result is not None else []
    return any(stats.n for r in found for stats in r.groups.values())


def to_html(harvest: Harvest, lang: str) -> str:
    workshop = harvest.workshop
    groups = workshop.groups
    headline = harvest.headline()

    def chart(step: Step, result: Any) -> Markup:
        assert step.scale is not None
        rows = [(g.label.get(lang), result.groups[g.id]) for g in groups]
        low = step.scale.low.get(lang, groups[-1].id) if step.scale.low else str(step.scale.min)
        high = step.scale.high.get(lang, groups[-1].id) if step.scale.high else str(step.scale.max)
        return diverging(rows, step.scale.values, low, high, t(lang, "not_enough"))

    def overview_chart(step_harvest: StepHarvest) -> Markup:
        """Every statement of a step on one axis, the largest gap first."""
        step = step_harvest.step
        assert step.scale is not None
        labels = {item.id: item.short.get(lang) if item.short else item.text.get(lang, groups[-1].id)
                  for item in step.items}
        numbers = {item.id: n for n, item in enumerate(step.items, start=1)}
        results = sorted(step_harvest.result, key=lambda r: -(r.gap.difference if r.gap else float("-inf")))
        rows = [(f"{numbers[r.item]}. {labels[r.item]}",
                 [r.groups[g.id].mean if r.groups[g.id].enough else None for g in groups],
                 "" if r.gap is None else f"{r.gap.difference:+.1f}" + (" ◆" if r.gap.blind_spot else ""))
                for r in results]
        return overview(rows, step.scale.min, step.scale.max, [g.label.get(lang) for g in groups])

    def choice_bars(step_harvest: StepHarvest, group: str) -> Markup:
        choice = step_harvest.result
        n = choice.groups[group].n
        rows = [(o.text.get(lang)[:28], choice.counts[group][o.id] / n * 100 if n else 0,
                 f"{choice.counts[group][o.id]} ({round(choice.counts[group][o.id] / n * 100) if n else 0}%)")
                for o in step_harvest.step.options]
        return bars(rows, 100)

    first = groups[0]
    return _environment().get_template("report.html").render(
        harvest=harvest, workshop=workshop, lang=lang,
        t=lambda key, **values: t(lang, key, **values),
        headline=headline,
        gap_sentence=lambda pooled: gap_sentence(lang, pooled.out_of_ten, first.id, first.label.get(lang)),
        first_group_label=first.label.get(lang).lower() if first.id != "professional" else
        ("de professional" if lang == "nl" else "the professional"),
        last_group=groups[-1].id,
        diverging=chart, legend=legend, choice_bars=choice_bars, overview=overview_chart, markdown=simple_markdown,
        eye_openers=[step for step in workshop.steps if step.report and step.text is not None],
        sections=[(sh, SECTIONS[kind_of(sh.step)].template, kind_of(sh.step)) for sh in harvest.steps
                  if SECTIONS[kind_of(sh.step)].template and answered(sh)],
        unanswered=[sh.step.title.get(lang) for sh in harvest.steps
                    if SECTIONS[kind_of(sh.step)].template and not answered(sh)],
    )


def to_markdown(harvest: Harvest, lang: str) -> str:
    workshop = harvest.workshop
    groups = workshop.groups
    first = groups[0]
    out: list[str] = [f"# {md_text(t(lang, 'report_title'))}: {md_text(workshop.title.get(lang))}", "",
                      md_text(workshop.description.get(lang)), ""]
    header = f"| {t(lang, 'report_date')} | {t(lang, 'report_code')} | " + " | ".join(
        md_text(g.label.get(lang)) for g in groups) + " |"
    out += [header, "|" + "---|" * (2 + len(groups))]
    for s in harvest.sessions:
        out.append(f"| {s.created[:10]} | {s.code} | " + " | ".join(str(s.participants.get(g.id, 0))
                                                                 for g in groups) + " |")
    out += ["", f"## {t(lang, 'report_headline')}", ""]
    headline = harvest.headline()
    if headline:
        sentence = gap_sentence(lang, headline[1].out_of_ten, first.id, first.label.get(lang))
        out.append(f"**{md_text(t(lang, 'report_headline_on', step=headline[0].step.title.get(lang)))} "
                   f"{md_text(sentence)}**")
    else:
        out.append(md_text(t(lang, "report_no_headline")))
    for step_harvest in harvest.steps:
        step = step_harvest.step
        section = SECTIONS[kind_of(step)]
        if section.markdown is not None:
            out += ["", f"## {md_text(step.title.get(lang))}", ""]
            out += section.markdown(step, step_harvest.result, groups, lang)
    eye_openers = [step for step in workshop.steps if step.report and step.text is not None]
    if eye_openers:
        out += ["", f"## {t(lang, 'report_eye_openers')}"]
        for step in eye_openers:
            assert step.text is not None
            out += ["", f"### {md_text(step.title.get(lang))}", "", step.text.get(lang).strip()]
    out += ["", f"## {t(lang, 'report_sources')}", ""]
    for source in workshop.sources:
        year = f" ({source.year})" if source.year else ""
        out.append(f"- **{md_text(source.title)}**, {md_text(source.by)}{year}. {md_text(source.note.get(lang))}")
    out += ["", f"## {t(lang, 'report_privacy')}", "", md_text(t(lang, "report_privacy_text", k=harvest.threshold))]
    if harvest.include_small_groups:
        out += ["", md_text(t(lang, "report_small_included", k=harvest.threshold))]
    elif harvest.left_out:
        out += ["", md_text(t(lang, "report_small_left_out", n=harvest.left_out, k=harvest.threshold))]
    return "\n".join(out) + "\n"


def _comparison_table(comparison: Comparison, lang: str) -> tuple[str, list[str], list[list[str]]]:
    """The title, the header and the rows of a comparison, as text."""
    workshop = comparison.workshop
    labels = {g.id: g.label.get(lang) for g in workshop.groups}
    texts = {(s.id, i.id): i.text.get(lang, workshop.groups[-1].id) for s in workshop.steps for i in s.items}

    def number(value: float | None, sign: bool = False) -> str:
        if value is None:
            return t(lang, "not_enough")
        return f"{value:+.1f}" if sign else f"{value:.1f}"

    head = [t(lang, "statement"), t(lang, "compare_group"),
            comparison.before.created[:10] or comparison.before.id,
            comparison.after.created[:10] or comparison.after.id, t(lang, "compare_change")]
    rows = [[texts[m.step, m.item], labels[m.group], number(m.before), number(m.after), number(m.change, True)]
            for m in comparison.movements]
    return f"{t(lang, 'compare_title')}: {workshop.title.get(lang)}", head, rows


def comparison_markdown(comparison: Comparison, lang: str) -> str:
    title, head, rows = _comparison_table(comparison, lang)
    lines = [f"# {md_text(title)}", "", "| " + " | ".join(head) + " |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join([md_text(row[0]), md_text(row[1]), *row[2:]]) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def comparison_html(comparison: Comparison, lang: str) -> str:
    title, head, rows = _comparison_table(comparison, lang)
    return _environment().get_template("comparison.html").render(lang=lang, title=title, head=head, rows=rows)
