"""What the projector shows of one workshop step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Markdown, Static

from gsdialog.core.i18n import t
from gsdialog.projector.results_view import LiveResults
from gsdialog.projector.timer import PairsTimer
from gsdialog.projector.words_wall import WordsWall
from gsdialog.core.session import RESULTS, Session
from gsdialog.core.workshop import GroupText, Step, Workshop


class StepView(Vertical):
    """The current step: its title, what the room does, and its live answers."""

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
            yield from self._per_group(step.prompt, "step-prompt before-results")
        if step.kind == "pairs":
            if step.size != 2:
                yield Static(Content(t(lang, "people_per_group", size=step.size)), classes="step-line")
            yield PairsTimer(step, lang)
        elif step.kind in ("rating", "evaluation", "choice"):
            yield LiveResults(classes="live")
            yield from self._what_is_asked(step)
        elif step.kind == "words":
            yield Static(Content(t(lang, "words_limit", entries=step.entries, max_length=step.max_length)),
                         classes="step-line")
            yield WordsWall()

    def _what_is_asked(self, step: Step) -> ComposeResult:
        lang = self.lang
        if step.kind == "choice":
            if not step.multiple:
                rule = t(lang, "choose_one")
            elif step.max_choices:
                rule = t(lang, "choose_at_most", max=step.max_choices)
            else:
                rule = t(lang, "choose_several")
            lines = [rule] + [f"• {option.text.get(lang)}" for option in step.options]
            yield Static(Content("\n".join(lines)), classes="step-items before-results")
            return
        scale = step.scale
        assert scale is not None
        if scale.low is not None and scale.high is not None:
            for group in self.workshop.groups:
                line = t(lang, "scale_from_to", min=scale.min, max=scale.max,
                         low=scale.low.get(lang, group.id), high=scale.high.get(lang, group.id))
                yield Static(Content(f"{group.label.get(lang)}: {line}"), classes="step-line before-results")
        last = self.workshop.groups[-1].id
        items = [f"{n}. {item.text.get(lang, last)}" for n, item in enumerate(step.items, start=1)]
        yield Static(Content("\n".join(items)), classes="step-items before-results")

    def _per_group(self, text: GroupText, classes: str) -> ComposeResult:
        if text.shared is not None:
            yield Static(Content(text.shared.get(self.lang)), classes=classes)
            return
        lines = [f"{group.label.get(self.lang)}: {text.get(self.lang, group.id)}" for group in self.workshop.groups]
        yield Static(Content("\n".join(lines)), classes=classes)

    def refresh_live(self, session: Session, *, sort_by_gap: bool = False) -> None:
        """Bring counts and results up to date (the app calls this at most ten times a second)."""
        step = self.step
        if step is None or step.id != session.step.id:
            return
        self.set_class(session.states[step.id] == RESULTS, "-results")
        for results in self.query(LiveResults):
            results.show(session, step, self.lang, sort_by_gap=sort_by_gap)
        for wall in self.query(WordsWall):
            wall.show(session, step, self.lang)
