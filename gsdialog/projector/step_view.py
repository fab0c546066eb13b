"""What the projector shows of one workshop step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Markdown, Static

from gsdialog.i18n import t
from gsdialog.workshop import GroupText, Step, Workshop


def _minutes(value: float) -> str:
    return f"{value:g}"


class StepView(VerticalScroll):
    """The current step: its title, and what the room does in it."""

    can_focus = False

    step: reactive[Step | None] = reactive(None, recompose=True)
    """The step on screen; set by the app."""

    def __init__(self, workshop: Workshop, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.workshop = workshop
        self.lang = lang

    def compose(self) -> ComposeResult:
        step = self.step
        if step is None:
            return
        lang = self.lang
        yield Static(Content(step.title.get(lang)), classes="step-title")
        if step.text is not None:
            yield Markdown(step.text.get(lang), classes="step-text")
        if step.prompt is not None:
            yield from self._per_group(step.prompt, "step-prompt")
        if step.kind == "pairs":
            if step.size != 2:
                yield Static(Content(t(lang, "people_per_group", size=step.size)), classes="step-line")
            for number, round_ in enumerate(step.rounds, start=1):
                label = t(lang, "round", n=number, total=len(step.rounds))
                minutes = t(lang, "minutes", minutes=_minutes(round_.minutes))
                yield Static(Content(f"{label} · {minutes}: {round_.text.get(lang)}"), classes="step-line")
        elif step.kind in ("rating", "evaluation"):
            scale = step.scale
            assert scale is not None
            if scale.low is not None and scale.high is not None:
                for group in self.workshop.groups:
                    line = t(lang, "scale_from_to", min=scale.min, max=scale.max,
                             low=scale.low.get(lang, group.id), high=scale.high.get(lang, group.id))
                    yield Static(Content(f"{group.label.get(lang)}: {line}"), classes="step-line")
            for number, item in enumerate(step.items, start=1):
                yield from self._per_group(item.text, "step-item", prefix=f"{number}. ")
        elif step.kind == "choice":
            if not step.multiple:
                rule = t(lang, "choose_one")
            elif step.max_choices:
                rule = t(lang, "choose_at_most", max=step.max_choices)
            else:
                rule = t(lang, "choose_several")
            yield Static(Content(rule), classes="step-line")
            for option in step.options:
                yield Static(Content(f"• {option.text.get(lang)}"), classes="step-item")
        elif step.kind == "words":
            yield Static(Content(t(lang, "words_limit", entries=step.entries, max_length=step.max_length)),
                         classes="step-line")

    def _per_group(self, text: GroupText, classes: str, prefix: str = "") -> ComposeResult:
        if text.shared is not None:
            yield Static(Content(prefix + text.shared.get(self.lang)), classes=classes)
            return
        lines = []
        for index, group in enumerate(self.workshop.groups):
            lead = prefix if index == 0 else " " * len(prefix)
            lines.append(f"{lead}{group.label.get(self.lang)}: {text.get(self.lang, group.id)}")
        yield Static(Content("\n".join(lines)), classes=classes)
