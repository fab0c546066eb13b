"""The facilitator's run sheet: a checklist for before the session, the keys,
and every step with its planned time and clock time, what PageDown and the
other keys do there, what the room sees (the rounds of a pairs step too), what
the phones ask (each group's wording), and the facilitator's notes.

Made from the workshop alone, before any session: print it and take it along.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.plan import planned_minutes
from gsdialog.core.text import simple_markdown
from gsdialog.core.workshop import Step, Workshop
from gsdialog.export.escape import md_text
from gsdialog.export.render import environment, html_to_markdown, tx_html
from gsdialog.export.texts import quoted, tx, typographic


@dataclass(frozen=True)
class Ask:
    """One line of what the phones ask; `wordings` when the groups read it differently."""

    text: str
    wordings: list[tuple[str, str]] = field(default_factory=list)
    """(group label, that group's wording)."""


@dataclass(frozen=True)
class Planned:
    number: int
    step: Step
    minutes: float
    starts: datetime | None
    asks: list[Ask]
    keys: list[Markup]
    """What PageDown does here, then the other keys that matter here."""
    room: Markup | None
    """What the room sees besides the step's own text."""
    question: bool = False
    """The phones answer here (else they only show the prompt)."""


CHECKLIST = ("before_hotspot", "before_doctor", "before_start", "before_remote", "before_phone", "before_clicker")
KEYS = (("PgDn · → · Space", "keys_next"), ("PgUp · ←", "keys_previous"), ("r", "keys_results"),
        ("t", "keys_timer"), ("j", "keys_join"), ("d", "keys_door"), ("l", "keys_latecomers"), ("x", "keys_hide"),
        ("b", "keys_blank"), ("?", "keys_help"), ("q", "keys_quit"))


def plan(workshop: Workshop, lang: str, start: datetime | None) -> list[Planned]:
    found, clock = [], start
    last = len(workshop.steps)
    for number, step in enumerate(workshop.steps, start=1):
        minutes = planned_minutes(step)
        found.append(Planned(number, step, minutes, clock, _asks(step, workshop, lang),
                             _keys(step, lang, number, last), _room(step, lang), kind_of(step).asks))
        if clock is not None:
            clock += timedelta(minutes=minutes)
    return found


def _keys(step: Step, lang: str, number: int, last: int) -> list[Markup]:
    """PageDown at this step in the words of the projector's help (`pagedown_<kind>`), and
    the keys worth knowing here."""
    kind = kind_of(step)
    if step.rounds:
        others = ["key_timer_here"]
    elif kind.stages:  # ideas: gathering, voting, then the ranking
        others = ["key_hide_idea_here", "key_merge_here"]
    elif kind.reveals:
        others = ["key_results_here"] + (["key_sort_here"] if kind.compares and len(step.items) > 1 else [])
    elif kind.asks:
        others = ["key_hide_here"]
    else:
        others = []
    if number == 1:
        others.insert(0, "key_join_here")
    lines = [Markup("<b>PageDown</b>: {}.").format(pagedown(lang, step))]
    if number == last:
        lines.append(escape(t(lang, "pagedown_last")))
    return lines + [tx_html(lang, key) for key in others]


def pagedown(lang: str, step: Step) -> str:
    """What PageDown does at `step`: the same words as the projector's help for its kind."""
    return t(lang, f"pagedown_{kind_of(step).name}")


def _room(step: Step, lang: str) -> Markup | None:
    kind = kind_of(step)
    if step.rounds:
        return tx_html(lang, "room_pairs")
    if kind.stages:
        return tx_html(lang, "room_stages")
    if kind.reveals:
        return tx_html(lang, "room_question")
    if kind.asks:
        return tx_html(lang, "room_words")
    return None


def _asks(step: Step, workshop: Workshop, lang: str) -> list[Ask]:
    """What the phones show: the prompt (each group's), and for a question what it asks."""
    last = workshop.groups[-1].id
    labels = [(g.id, g.label.get(lang)) for g in workshop.groups]
    lines: list[Ask] = []
    if step.prompt is not None:
        lines.append(Ask(step.prompt.get(lang, last)) if step.prompt.shared else
                     Ask("", [(label, step.prompt.get(lang, group)) for group, label in labels]))
    if not kind_of(step).asks:
        return lines
    if step.scale is not None:
        for n, item in enumerate(step.items, start=1):
            if item.text.shared:
                lines.append(Ask(f"{n}. {item.text.get(lang, last)}"))
            else:
                title = f"{n}. {item.short.get(lang)}" if item.short else f"{n}."
                lines.append(Ask(title, [(label, item.text.get(lang, group)) for group, label in labels]))
        lines.append(Ask(t(lang, "guide_scale", min=step.scale.min, max=step.scale.max)))
    lines += [Ask(option.text.get(lang)) for option in step.options]
    if step.scale is None and not step.options:  # a few words, several times
        lines.append(Ask(t(lang, "guide_words", entries=step.entries, max_length=step.max_length)))
    return lines


THRESHOLD_LINES = 6


def threshold_note(workshop: Workshop, lang: str) -> tuple[str, list[str]]:
    """What the privacy threshold protects against and what it cannot, for the facilitator."""
    k = workshop.threshold
    return (t(lang, "guide_threshold_title", k=k),
            [t(lang, f"guide_threshold_{n}", k=k) for n in range(1, THRESHOLD_LINES + 1)])


def _clock(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%H:%M}"


def to_html(workshop: Workshop, lang: str, start: datetime | None = None) -> str:
    steps = plan(workshop, lang, start)
    total = sum(p.minutes for p in steps)
    return environment().get_template("guide.html").render(
        workshop=workshop, lang=lang, steps=steps, total=math.ceil(total), clock=_clock,
        end=_clock(start + timedelta(minutes=total)) if start else "",
        t=lambda key, **values: t(lang, key, **values), tx=lambda key, **values: tx_html(lang, key, **values),
        markdown=lambda text: simple_markdown(typographic(lang, text)), quoted=lambda text: quoted(lang, text),
        checklist=[tx_html(lang, key, workshop=workshop.id) for key in CHECKLIST],
        keys=[(key, tx(lang, what)) for key, what in KEYS],
        threshold=threshold_note(workshop, lang),
    )


def to_markdown(workshop: Workshop, lang: str, start: datetime | None = None) -> str:
    steps = plan(workshop, lang, start)
    total = sum(p.minutes for p in steps)
    out = [f"*{md_text(t(lang, 'guide_title'))}*", "", f"# {md_text(workshop.title.get(lang))}", "",
           md_text(t(lang, "guide_total", total=math.ceil(total), planned=workshop.minutes)), "",
           f"## {tx(lang, 'before_title')}", ""]
    out += [f"- [ ] {html_to_markdown(tx_html(lang, key, workshop=workshop.id))}" for key in CHECKLIST]
    out += ["", f"## {tx(lang, 'keys_title')}", ""]
    out += [f"- `{key}`: {md_text(tx(lang, what))}" for key, what in KEYS]
    title, lines = threshold_note(workshop, lang)
    out += ["", f"**{md_text(title)}**", "", *(f"- {md_text(line)}" for line in lines)]
    for p in steps:
        when = f"{_clock(p.starts)} · " if p.starts else ""
        out += ["", f"## {p.number}. {md_text(p.step.title.get(lang))}", "",
                f"*{when}{md_text(t(lang, 'guide_minutes', minutes=f'{p.minutes:g}'))}*", ""]
        out += [f"- {html_to_markdown(line)}" for line in p.keys] + [""]
        if p.step.notes is not None:
            out += [f"**{md_text(t(lang, 'guide_notes'))}**", "", typographic(lang, p.step.notes.get(lang).strip()), ""]
        if p.step.text is not None or p.room is not None or p.step.rounds:
            out += [f"**{md_text(t(lang, 'guide_room_sees'))}**", ""]
            if p.step.text is not None:
                out += [typographic(lang, p.step.text.get(lang).strip()), ""]
            if p.room is not None:
                out += [html_to_markdown(p.room), ""]
            for n, round_ in enumerate(p.step.rounds, start=1):
                out.append(f"{n}. *{md_text(tx(lang, 'round_line', n=n, minutes=f'{round_.minutes:g}'))}*: "
                           f"{md_text(round_.text.get(lang))}")
            if p.step.rounds:
                out.append("")
        if p.asks and not p.question:
            said = [quoted(lang, p.asks[0].text)] if p.asks[0].text else [f"{label}: {quoted(lang, w)}" for label, w in p.asks[0].wordings]
            out += [f"**{md_text(tx(lang, 'phones_say'))}:** " + md_text(" · ".join(said)), ""]
        elif p.asks:
            out += [f"**{md_text(t(lang, 'guide_phones_ask'))}**", ""]
            for ask in p.asks:
                if ask.text:
                    out.append(f"- {md_text(ask.text)}")
                indent = "  " if ask.text else ""
                out += [f"{indent}- {md_text(label)}: {md_text(quoted(lang, wording))}" for label, wording in ask.wordings]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
