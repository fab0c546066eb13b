"""The harvest as a report: one self-contained HTML file, or Markdown."""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import Markup, escape

from gsdialog.export.charts import bars, diverging, legend
from gsdialog.export.report import Harvest, StepHarvest
from gsdialog.core.i18n import gap_sentence, t
from gsdialog.core.workshop import Step


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("gsdialog.export", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def simple_markdown(text: str) -> Markup:
    """The little Markdown that workshop texts use (paragraphs, lists, bold), as HTML.

    Workshop texts are the author's, not participants'; they are escaped
    all the same before the few marks are turned into tags.
    """
    html: list[str] = []
    in_list: str | None = None
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines():
            bullet = re.match(r"^\s*(?:[-*]|(\d+)\.)\s+(.*)$", line)
            content = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(bullet.group(2) if bullet else line)))
            if bullet:
                kind = "ol" if bullet.group(1) else "ul"
                if in_list != kind:
                    if in_list:
                        html.append(f"</{in_list}>")
                    html.append(f"<{kind}>")
                    in_list = kind
                html.append(f"<li>{content}</li>")
            else:
                if in_list:
                    html.append(f"</{in_list}>")
                    in_list = None
                html.append(f"<p>{content}</p>")
        if in_list:
            html.append(f"</{in_list}>")
            in_list = None
    return Markup("\n".join(html))


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

    def choice_bars(step_harvest: StepHarvest, group: str) -> Markup:
        choice = step_harvest.choice
        assert choice is not None
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
        gap_sentence=lambda share: gap_sentence(lang, int(share * 10 + 0.5), first.id, first.label.get(lang)),
        first_group_label=first.label.get(lang).lower() if first.id != "professional" else
        ("de professional" if lang == "nl" else "the professional"),
        last_group=groups[-1].id,
        diverging=chart, legend=legend, choice_bars=choice_bars, markdown=simple_markdown,
        eye_openers=[step for step in workshop.steps if step.report and step.text is not None],
    )


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)")


def md_text(text: str) -> str:
    """Participant or workshop text as Markdown shows it: literally, and still readable raw."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    def escape_start(match: re.Match[str]) -> str:
        mark = match.group(2)
        return match.group(1) + (mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark)

    return _MD_LINE_START.sub(escape_start, text)


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
        sentence = gap_sentence(lang, int(headline[1] * 10 + 0.5), first.id, first.label.get(lang))
        out.append(f"**{md_text(t(lang, 'report_headline_on', step=headline[0].step.title.get(lang)))} "
                   f"{md_text(sentence)}**")
    else:
        out.append(md_text(t(lang, "report_no_headline")))
    for step_harvest in harvest.steps:
        step = step_harvest.step
        if step.kind in ("info", "pairs"):
            continue
        out += ["", f"## {md_text(step.title.get(lang))}", ""]
        if step_harvest.scale:
            columns = " | ".join(f"{md_text(g.label.get(lang))}" for g in groups)
            gap = f" | {t(lang, 'gap')}" if step.kind == "rating" else ""
            out += [f"| # | {t(lang, 'statement')} | {columns}{gap} |", "|---|---|" + "---|" * len(groups)
                    + ("---|" if gap else "")]
            for number, (item, result) in enumerate(zip(step.items, step_harvest.scale, strict=True), start=1):
                cells = []
                for g in groups:
                    stats = result.groups[g.id]
                    cells.append(f"{stats.mean:.1f} (n={stats.n})" if stats.enough and stats.mean is not None
                                 else f"{md_text(t(lang, 'not_enough'))} (n={stats.n})")
                gap_cell = ""
                if step.kind == "rating":
                    gap_cell = " | –" if result.gap is None else (
                        f" | {result.gap.difference:+.1f}" + (" ◆" if result.gap.blind_spot else ""))
                out.append(f"| {number} | {md_text(item.text.get(lang, groups[-1].id))} | "
                           + " | ".join(cells) + gap_cell + " |")
            if step.kind == "rating":
                out += ["", md_text(t(lang, "legend_blind_spot"))]
        if step_harvest.choice is not None:
            choice = step_harvest.choice
            out += [f"| {t(lang, 'option')} | " + " | ".join(
                f"{md_text(g.label.get(lang))} (n={choice.groups[g.id].n})" for g in groups) + " |",
                "|---|" + "---|" * len(groups)]
            for option in step.options:
                cells = [str(choice.counts[g.id][option.id]) if choice.groups[g.id].enough
                         else md_text(t(lang, "not_enough")) for g in groups]
                out.append(f"| {md_text(option.text.get(lang))} | " + " | ".join(cells) + " |")
        if step_harvest.words is not None:
            words = step_harvest.words
            for g in groups:
                stats = words.groups[g.id]
                out += [f"**{md_text(g.label.get(lang))}** ({t(lang, 'report_answers', n=stats.n)})", ""]
                if not stats.enough:
                    out += [md_text(t(lang, "not_enough")), ""]
                    continue
                out += [f"- {md_text(w.text)}" + (f" ({w.count})" if w.count > 1 else "") for w in words.words[g.id]]
                out.append("")
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
