"""What the projector shows of one workshop step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Markdown, Static

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import RESULTS, Session
from gsdialog.core.workshop import GroupText, Step, Workshop
from gsdialog.projector.live import Live
from gsdialog.projector.views import BODIES


class StepView(Vertical):
    """The current step: its title, what the room does, and its live answers."""

    can_focus = False

    step: reactive[Step | None] = reactive(None, recompose=True)
    """The step on screen; set by the app."""

    class Drawn(Message):
        """A new step's widgets are mounted: its live part can be drawn now."""

    async def recompose(self) -> None:
        # Setting `step` only schedules this; a redraw in between finds the old
        # widgets or none, so the new ones ask for one of their own.
        await super().recompose()
        self.post_message(self.Drawn())

    def __init__(self, workshop: Workshop, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.workshop = workshop
        self.lang = lang
        self._composed_for: Step | None = None
        """The step the widgets inside were made for: until `step`'s recompose, the one before."""

    def compose(self) -> ComposeResult:
        step = self.step
        self._composed_for = step
        if step is None:
            return
        lang = self.lang
        # Shown while the step goes on below the screen's edge; PageDown shows the rest.
        self._more = Static(Content(t(lang, "more_below")), id="more")
        self._more.display = False
        yield self._more
        yield Static(Content(step.title.get(lang)), classes="step-title")
        if step.text is not None:
            yield Markdown(step.text.get(lang), classes="step-text")
        # A prompt per group speaks to a phone ("you chose a role"): on a step
        # that asks nothing it is the phones' text, not the room's.
        if step.prompt is not None and (kind_of(step).asks or step.prompt.shared is not None):
            yield from self._per_group(step.prompt, "step-prompt before-results")
        yield from BODIES[kind_of(step)](step, self.workshop, lang)

    @property
    def more_below(self) -> bool:
        """The room sees "▼ meer": the step goes on below the screen's edge."""
        more = getattr(self, "_more", None)
        return more is not None and bool(more.display)

    def _overflows(self) -> bool:
        # The bar itself takes a line: a step that fits without it does not keep it.
        return self.max_scroll_y - self.scroll_y >= (2 if self.more_below else 1)

    def page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + max(1, self.scrollable_content_region.height - 2), animate=False,
                       force=True, immediate=True)
        self.show_more()

    def page_up(self) -> bool:
        """Back up a screen of a long step; False when it is at its top."""
        if self.scroll_y < 1:
            return False
        self.scroll_to(y=max(0, self.scroll_y - max(1, self.scrollable_content_region.height - 2)),
                       animate=False, force=True, immediate=True)
        self.show_more()
        return True

    def show_more(self) -> None:
        """Show "▼ more" while the step goes on below the edge (after a scroll or a redraw)."""
        more = getattr(self, "_more", None)

        def show(confirmed: bool = False) -> None:
            if more is None or not more.is_attached or more.display == self._overflows():
                return
            if not confirmed:  # the same a moment later: the layout has settled, no flicker
                self.set_timer(0.15, lambda: show(True))
                return
            more.display = not more.display
            self.post_message(self.Drawn())  # the key bar says what PageDown does now

        self.set_timer(0.15, show)

    def _per_group(self, text: GroupText, classes: str) -> ComposeResult:
        if text.shared is not None:
            yield Static(Content(text.shared.get(self.lang)), classes=classes)
            return
        lines = [f"{group.label.get(self.lang)}: {text.get(self.lang, group.id)}" for group in self.workshop.groups]
        yield Static(Content("\n".join(lines)), classes=classes)

    def refresh_live(self, session: Session, *, sort_by_gap: bool = False) -> None:
        """Bring counts and results up to date (the app calls this at most ten times a second)."""
        step = self.step
        if step is None or step.id != session.step.id or self._composed_for is not step:
            return  # the new step's widgets are not there yet: `Drawn` asks for a redraw
        results = session.states[step.id] == RESULTS
        if results and not self.has_class("-results"):
            self.scroll_home(animate=False, force=True, immediate=True)  # the results start at the top
        self.set_class(results, "-results")
        self.show_more()
        for part in self.parts():
            part.show(session, step, self.lang, sort_by_gap=sort_by_gap)

    def parts(self) -> list[Live]:
        """The widgets of the step's body that follow the session (`live.Live`), in screen order:
        how every kind's widgets are found, whatever they are."""
        return [widget for widget in self.query("*") if isinstance(widget, Live)]
