"""The facilitator's run sheet: every step with its planned time and clock
time, what the room sees, what the phones ask, and the facilitator's notes.

Made from the workshop alone, before any session: print it and take it along.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.workshop import Step, Workshop
from gsdialog.export.escape import md_text
from gsdialog.core.plan import planned_minutes
from gsdialog.core.text import simple_markdown
from gsdialog.export.render import _environment


@dataclass(frozen=True)
class Planned:
    number: int
    step: Step
    minutes: float
    starts: datetime | None
    asks: list[str]
    """What the phones ask, one line per statement or option."""


def plan(workshop: Workshop, lang: str, start: datetime | None) -> list[Planned]:
    found, clock = [], start
    for number, step in enumerate(workshop.steps, start=1):
        minutes = planned_minutes(step)
        found.append(Planned(number, step, minutes, clock, _asks(step, workshop, lang)))
        if clock is not None:
            clock += timedelta(minutes=minutes)
    return found


def _asks(step: Step, workshop: Workshop, lang: str) -> list[str]:
    if not kind_of(step).asks:
        return []
    last = workshop.groups[-1].id
    lines = []
    if step.prompt is not None:
        lines += [f"{g.label.get(lang)}: {step.prompt.get(lang, g.id)}" for g in workshop.groups]
    if step.scale is not None:
        lines += [f"{n}. {item.text.get(lang, last)}" for n, item in enumerate(step.items, start=1)]
        lines.append(t(lang, "guide_scale", min=step.scale.min, max=step.scale.max))
    lines += [f"• {option.text.get(lang)}" for option in step.options]
    if step.scale is None and not step.options:  # a few words, several times
        lines.append(t(lang, "guide_words", entries=step.entries, max_length=step.max_length))
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
    return _environment().get_template("guide.html").render(
        workshop=workshop, lang=lang, steps=steps, total=math.ceil(total), clock=_clock,
        end=_clock(start + timedelta(minutes=total)) if start else "",
        t=lambda key, **values: t(lang, key, **values), markdown=simple_markdown, Markup=Markup,
        threshold=threshold_note(workshop, lang),
    )


def to_markdown(workshop: Workshop, lang: str, start: datetime | None = None) -> str:
    steps = plan(workshop, lang, start)
    total = sum(p.minutes for p in steps)
    out = [f"# {md_text(t(lang, 'guide_title'))}: {md_text(workshop.title.get(lang))}", "",
           md_text(t(lang, "guide_total", total=math.ceil(total), planned=workshop.minutes)), ""]
    title, lines = threshold_note(workshop, lang)
    out += [f"**{md_text(title)}**", "", *(f"- {md_text(line)}" for line in lines), ""]
    for p in steps:
        when = f"{_clock(p.starts)} · " if p.starts else ""
        out += [f"## {p.number}. {md_text(p.step.title.get(lang))}", "",
                f"*{when}{md_text(t(lang, 'guide_minutes', minutes=f'{p.minutes:g}'))}*", ""]
        if p.step.text is not None:
            out += [f"**{md_text(t(lang, 'guide_room_sees'))}**", "", p.step.text.get(lang).strip(), ""]
        if p.asks:
            out += [f"**{md_text(t(lang, 'guide_phones_ask'))}**", ""]
            out += [f"- {md_text(line)}" for line in p.asks] + [""]
        if p.step.notes is not None:
            out += [f"**{md_text(t(lang, 'guide_notes'))}**", "", p.step.notes.get(lang).strip(), ""]
    return "\n".join(out).rstrip() + "\n"
