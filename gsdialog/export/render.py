"""The harvest as a report: one self-contained HTML file, or Markdown."""

from __future__ import annotations

import html

from typing import Any

import jinja2
from markupsafe import Markup

from gsdialog.core.i18n import gap_sentence, number, t
from gsdialog.core.kinds import kind_of
from gsdialog.export.charts import choice_chart, colour, distribution, dot_plot, group_key, mark, scale_key
from gsdialog.export.escape import md_text
from gsdialog.export.report import Comparison, Cover, Harvest, StepHarvest
from gsdialog.export.sections import SECTIONS
from gsdialog.export.texts import TEXTS, date_in_words, quoted, tx, typographic
from gsdialog.core.text import simple_markdown
from gsdialog.core.workshop import Step


def environment() -> jinja2.Environment:
    """The export's templates (templates/: the report, the comparison, the run sheet), autoescaped."""
    return jinja2.Environment(loader=jinja2.PackageLoader("gsdialog.export", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def answered(step_harvest: StepHarvest) -> bool:
    """Whether anyone answered the step (`Answered`)."""
    result = step_harvest.result
    found = result if isinstance(result, list) else [result] if result is not None else []
    return any(r.answered for r in found)


def tx_html(lang: str, key: str, **values: object) -> Markup:
    """A report text with its own markup (<b>, <code>) and `values` escaped into it."""
    return Markup(TEXTS[lang][key]).format(**values)


def median_text(lang: str, value: float) -> str:
    """A median as people write it: 4, or 4,5 (never 4,0)."""
    return number(lang, value, 0 if float(value).is_integer() else 1)


def scale_ends(step: Step, lang: str, group: str) -> tuple[str, str]:
    assert step.scale is not None
    low = step.scale.low.get(lang, group) if step.scale.low else str(step.scale.min)
    high = step.scale.high.get(lang, group) if step.scale.high else str(step.scale.max)
    return low, high


def headline_means(harvest: Harvest, lang: str) -> str:
    """The headline step's means in words, when it asked one statement."""
    headline = harvest.headline()
    if headline is None or len(headline[0].step.items) != 1:
        return ""
    step, result = headline[0].step, headline[0].result[0]
    assert step.scale is not None
    groups = harvest.workshop.groups
    low, high = scale_ends(step, lang, groups[-1].id)
    means = " · ".join(f"{g.label.get(lang)} {number(lang, result.groups[g.id].mean)}"
                       for g in groups if result.groups[g.id].enough)
    return tx(lang, "headline_means", means=means, min=step.scale.min, low=low.lower(), max=step.scale.max,
              high=high.lower())


def reading_guide(harvest: Harvest, lang: str, bars: bool = True) -> list[Markup]:
    """How to read the report: only the terms it uses."""
    groups = harvest.workshop.groups
    found = [sh for sh in harvest.steps if answered(sh) and isinstance(sh.result, list)]
    if not found:
        return [tx_html(lang, "read_threshold", k=harvest.threshold)]
    first, second = (g.label.get(lang) for g in groups[:2]) if len(groups) > 1 else (groups[0].label.get(lang),) * 2
    lines = [tx_html(lang, "read_n"), tx_html(lang, "read_mean")] + ([tx_html(lang, "read_bars")] if bars else [])
    if len(groups) > 1:
        lines.append(tx_html(lang, "read_groups", first=first, second=second))
    compared = [sh for sh in found if kind_of(sh.step).compares]
    if compared:
        scale = compared[0].step.scale
        assert scale is not None
        lines += [tx_html(lang, "read_gap", first=first, second=second, example=number(lang, 1.3, sign=True),
                          example_abs=number(lang, 1.3)),
                  tx_html(lang, "read_effect"),
                  tx_html(lang, "read_blind", first=first, second=second, min=scale.min, max=scale.max,
                          points=number(lang, (scale.max - scale.min) / 3))]
    lines.append(tx_html(lang, "read_threshold", k=harvest.threshold))
    return lines


def to_html(harvest: Harvest, lang: str, cover: Cover | None = None) -> str:
    workshop = harvest.workshop
    groups = workshop.groups
    labels = [g.label.get(lang) for g in groups]
    headline = harvest.headline()
    last = groups[-1].id

    def overview_chart(step_harvest: StepHarvest) -> Markup:
        """Every statement of a step on one scale, the largest gap first."""
        step = step_harvest.step
        assert step.scale is not None
        names = {item.id: item.short.get(lang) if item.short else item.text.get(lang, last) for item in step.items}
        numbers = {item.id: n for n, item in enumerate(step.items, start=1)}
        results = sorted(step_harvest.result, key=lambda r: -(r.gap.difference if r.gap else float("-inf")))
        rows = []
        for r in results:
            means = [r.groups[g.id].mean if r.groups[g.id].enough else None for g in groups]
            written = [f"{label}: {number(lang, m)}" if m is not None else "" for label, m in zip(labels, means)]
            note = "" if r.gap is None else number(lang, r.gap.difference, sign=True) + (" ◆" if r.gap.blind_spot
                                                                                         else "")
            rows.append((f"{numbers[r.item]}. {names[r.item]}", means, written, note))
        return dot_plot(rows, step.scale.min, step.scale.max, t(lang, "gap"))

    def key(step: Step) -> Markup:
        assert step.scale is not None
        low, high = scale_ends(step, lang, last)
        return scale_key(step.scale.values, tx(lang, "scale_key", min=step.scale.min, low=low, max=step.scale.max,
                                               high=high))

    def choices(step_harvest: StepHarvest) -> Markup:
        choice = step_harvest.result
        enough = [g for g in groups if choice.groups[g.id].enough]
        total = {o.id: sum(choice.counts[g.id][o.id] / choice.groups[g.id].n for g in enough if choice.groups[g.id].n)
                 for o in step_harvest.step.options}
        options = sorted(step_harvest.step.options, key=lambda o: -total[o.id])
        rows = [(o.text.get(lang), [(choice.counts[g.id][o.id], choice.groups[g.id].n)
                                    if choice.groups[g.id].enough else None for g in groups]) for o in options]
        return choice_chart(rows, "{count} ({percent}%)")

    first = groups[0]
    sessions = harvest.sessions
    return environment().get_template("report.html").render(
        harvest=harvest, workshop=workshop, lang=lang, cover=cover or Cover(),
        t=lambda key, **values: t(lang, key, **values), tx=lambda key, **values: tx_html(lang, key, **values),
        num=lambda value, digits=1, sign=False: number(lang, value, digits, sign=sign),
        median=lambda value: median_text(lang, value),
        day=lambda s: date_in_words(lang, s.created) if s.created else s.id,
        quoted=lambda text: quoted(lang, text),
        kicker=tx(lang, "kicker") if len(sessions) == 1 else tx(lang, "kicker_many", n=len(sessions)),
        headline=headline, headline_means=headline_means(harvest, lang),
        gap_sentence=lambda pooled: gap_sentence(lang, pooled.out_of_ten, first.id, first.label.get(lang)),
        reading=reading_guide(harvest, lang), last_group=last, labels=labels,
        mark=mark, colour=colour, group_key=group_key(labels), distribution=distribution, scale_key=key,
        scale_ends=lambda step: scale_ends(step, lang, last),
        choices=choices, overview=overview_chart, markdown=lambda text: simple_markdown(typographic(lang, text)),
        typo=lambda text: typographic(lang, text),
        eye_openers=[step for step in workshop.steps if step.report and step.text is not None],
        sections=[(sh, SECTIONS[kind_of(sh.step)].template, kind_of(sh.step)) for sh in harvest.steps
                  if SECTIONS[kind_of(sh.step)].template and answered(sh)],
        unanswered=[sh.step.title.get(lang) for sh in harvest.steps
                    if SECTIONS[kind_of(sh.step)].template and not answered(sh)],
    )


def to_markdown(harvest: Harvest, lang: str, cover: Cover | None = None) -> str:
    workshop = harvest.workshop
    groups = workshop.groups
    first = groups[0]
    cover = cover or Cover()
    sessions = harvest.sessions
    kicker = tx(lang, "kicker") if len(sessions) == 1 else tx(lang, "kicker_many", n=len(sessions))
    out: list[str] = [f"*{md_text(kicker)}*", "", f"# {md_text(workshop.title.get(lang))}", "",
                      md_text(typographic(lang, workshop.description.get(lang))), ""]
    facts = [("cover_date", date_in_words(lang, sessions[0].created) if len(sessions) == 1 else ""),
             ("cover_place", cover.place), ("cover_organiser", cover.organiser),
             ("cover_facilitator", cover.facilitator),
             ("cover_participants", " · ".join(f"{harvest.participants[g.id]} {g.label.get(lang).lower()}"
                                               for g in groups))]
    out += [f"- **{tx(lang, key)}:** {md_text(value)}" for key, value in facts if value]
    if len(sessions) > 1:
        out += ["", f"| {tx(lang, 'many_sessions_date')} | " + " | ".join(md_text(g.label.get(lang)) for g in groups)
                + " |", "|---|" + "---|" * len(groups)]
        out += [f"| {md_text(date_in_words(lang, s.created) if s.created else s.id)} ({tx(lang, 'session_code', code=s.code)}) | "
                + " | ".join(str(s.participants.get(g.id, 0)) for g in groups) + " |" for s in sessions]
    out += ["", f"## {t(lang, 'report_headline')}", ""]
    headline = harvest.headline()
    if headline:
        sentence = gap_sentence(lang, headline[1].out_of_ten, first.id, first.label.get(lang))
        out.append(f"**{md_text(t(lang, 'report_headline_on', step=headline[0].step.title.get(lang)))} "
                   f"{md_text(sentence)}**")
        if headline_means(harvest, lang):
            out += ["", md_text(headline_means(harvest, lang))]
    else:
        out.append(md_text(t(lang, "report_no_headline")))
    out += ["", f"## {tx(lang, 'read_title')}", ""]
    out += ["- " + html_to_markdown(line) for line in reading_guide(harvest, lang, bars=False)]
    for step_harvest in harvest.steps:
        step = step_harvest.step
        section = SECTIONS[kind_of(step)]
        if section.markdown is not None and answered(step_harvest):
            out += ["", f"## {md_text(step.title.get(lang))}", ""]
            if step.prompt is not None:
                asked = [quoted(lang, step.prompt.get(lang, groups[-1].id))] if step.prompt.shared else [
                    f"{g.label.get(lang)}: {quoted(lang, step.prompt.get(lang, g.id))}" for g in groups]
                out += [f"{tx(lang, 'asked')}: " + md_text(" / ".join(asked)), ""]
            out += section.markdown(step, step_harvest.result, groups, lang)
    unanswered = [sh.step.title.get(lang) for sh in harvest.steps
                  if SECTIONS[kind_of(sh.step)].markdown is not None and not answered(sh)]
    if unanswered:
        out += ["", md_text(t(lang, "report_unanswered", steps=", ".join(unanswered)))]
    eye_openers = [step for step in workshop.steps if step.report and step.text is not None]
    if eye_openers:
        out += ["", f"## {t(lang, 'report_eye_openers')}"]
        for step in eye_openers:
            assert step.text is not None
            out += ["", f"### {md_text(step.title.get(lang))}", "", typographic(lang, step.text.get(lang).strip())]
    out += ["", f"## {t(lang, 'report_sources')}", ""]
    for source in workshop.sources:
        year = f" ({source.year})" if source.year else ""
        out.append(f"- **{md_text(source.title)}**, {md_text(source.by)}{year}. {md_text(typographic(lang, source.note.get(lang)))}")
    out += ["", f"## {t(lang, 'report_privacy')}", "", md_text(t(lang, "report_privacy_text", k=harvest.threshold))]
    if harvest.include_small_groups:
        out += ["", md_text(t(lang, "report_small_included", k=harvest.threshold))]
    elif harvest.left_out:
        out += ["", md_text(t(lang, "report_small_left_out", n=harvest.left_out, k=harvest.threshold))]
    out += ["", "---", "", md_text(t(lang, "report_made_with"))
            + (" " + md_text(tx(lang, "footer_code", code=sessions[0].code)) if len(sessions) == 1 else "")]
    return "\n".join(out) + "\n"


def html_to_markdown(text: Markup) -> str:
    """A reading-guide line (our own <b>, <code>; the rest escaped) as Markdown."""
    plain = str(text).replace("<b>", "\x00b").replace("</b>", "\x00/b").replace("<code>", "\x00c").replace(
        "</code>", "\x00/c")
    plain = md_text(html.unescape(plain))
    return plain.replace("\x00b", "**").replace("\x00/b", "**").replace("\x00c", "`").replace("\x00/c", "`")


def _comparison_table(comparison: Comparison, lang: str) -> tuple[str, list[str], list[list[str]]]:
    """The title, the header and the rows of a comparison, as text."""
    workshop = comparison.workshop
    labels = {g.id: g.label.get(lang) for g in workshop.groups}
    texts = {(s.id, i.id): i.text.get(lang, workshop.groups[-1].id) for s in workshop.steps for i in s.items}

    def written(value: float | None, sign: bool = False) -> str:
        return t(lang, "not_enough") if value is None else number(lang, value, sign=sign)

    head = [t(lang, "statement"), t(lang, "compare_group"),
            date_in_words(lang, comparison.before.created) if comparison.before.created else comparison.before.id,
            date_in_words(lang, comparison.after.created) if comparison.after.created else comparison.after.id,
            t(lang, "compare_change")]
    rows = [[texts[m.step, m.item], labels[m.group], written(m.before), written(m.after), written(m.change, True)]
            for m in comparison.movements]
    return f"{t(lang, 'compare_title')}: {workshop.title.get(lang)}", head, rows


def comparison_markdown(comparison: Comparison, lang: str) -> str:
    title, head, rows = _comparison_table(comparison, lang)
    lines = [f"# {md_text(title)}", "", "| " + " | ".join(head) + " |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join([md_text(row[0]), md_text(row[1]), *row[2:]]) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def comparison_html(comparison: Comparison, lang: str) -> str:
    title, head, rows = _comparison_table(comparison, lang)
    return environment().get_template("comparison.html").render(lang=lang, title=title, head=head, rows=rows)
