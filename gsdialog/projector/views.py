"""What the projector shows under a step's title and text, for each kind of
step: the widgets of its body.

One registry, `BODIES`, keyed by the core's kind objects; `StepView` looks a
step's body up there and never compares kind names. A body widget that follows
the session is a `live.Live` (shown, paged and hidden through that alone), so
a new kind is one entry here and no edit in step_view.py, results_view.py or app.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.core.kinds import CHOICE, EVALUATION, IDEAS, INFO, PAIRS, RATING, WORDS, Kind
from gsdialog.core.workshop import Step, Workshop
from gsdialog.projector.ideas_wall import IdeasWall
from gsdialog.projector.results_view import ChoiceResults, ScaleResults
from gsdialog.projector.timer import PairsTimer
from gsdialog.projector.words_wall import WordsWall

Body = Callable[[Step, Workshop, str], Iterator[Widget]]


def nothing(step: Step, workshop: Workshop, lang: str) -> Iterator[Widget]:
    return iter(())


def pairs(step: Step, workshop: Workshop, lang: str) -> Iterator[Widget]:
    if step.size != 2:
        yield Static(Content(t(lang, "people_per_group", size=step.size)), classes="step-line")
    yield PairsTimer(step, lang)


def scale(step: Step, workshop: Workshop, lang: str) -> Iterator[Widget]:
    """Answer counts, then results; until then the statements and the scale's ends."""
    yield ScaleResults(classes="live")
    assert step.scale is not None
    if step.scale.low is not None and step.scale.high is not None:
        for group in workshop.groups:
            line = t(lang, "scale_from_to", min=step.scale.min, max=step.scale.max,
                     low=step.scale.low.get(lang, group.id), high=step.scale.high.get(lang, group.id))
            yield Static(Content(f"{group.label.get(lang)}: {line}"), classes="step-line before-results")
    last = workshop.groups[-1].id
    items = [f"{n}. {item.text.get(lang, last)}" for n, item in enumerate(step.items, start=1)]
    yield Static(Content("\n".join(items)), classes="step-items before-results")


def choice(step: Step, workshop: Workshop, lang: str) -> Iterator[Widget]:
    """Answer counts, then results; until then the options and how many to choose."""
    yield ChoiceResults(classes="live")
    if not step.multiple:
        rule = t(lang, "choose_one")
    elif step.max_choices:
        rule = t(lang, "choose_at_most", max=step.max_choices)
    else:
        rule = t(lang, "choose_several")
    lines = [rule] + [f"• {option.text.get(lang)}" for option in step.options]
    yield Static(Content("\n".join(lines)), classes="step-items before-results")


def words(step: Step, workshop: Workshop, lang: str) -> Iterator[Widget]:
    yield Static(Content(t(lang, "words_limit", entries=step.entries, max_length=step.max_length)),
                 classes="step-line")
    yield WordsWall()


def ideas(step: Step, workshop: Workshop, lang: str) -> Iterator[Widget]:
    """The wall as ideas come, the vote's count per group, then the ranking (ideas_wall.py)."""
    yield IdeasWall()


BODIES: dict[Kind, Body] = {
    INFO: nothing,
    PAIRS: pairs,
    RATING: scale,
    EVALUATION: scale,
    CHOICE: choice,
    WORDS: words,
    IDEAS: ideas,
}
