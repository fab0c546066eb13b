"""What a widget of a step's body does to follow the room: one interface for every kind.

`views.BODIES` gives each kind the widgets under its step's text. Those that
follow the session are also a `Live`: `StepView` finds them by that alone and
brings them up to date, and the app asks them (never their type) whether
PageDown turns their pages and what `x` hides. A new kind's widget overrides
what it needs here; step_view.py and app.py stay as they are. Keys of its own
(↑ ↓ on the word wall) are the widget's `BINDINGS`, active while it has focus.
"""

from __future__ import annotations

from typing import ClassVar

from textual.message import Message

from gsdialog.core.session import Session
from gsdialog.core.workshop import Step


class Live:
    """A mixin for a body widget that follows the session: `class Wall(Live, Static)`.

    It is not a widget itself, so the widget keeps its own CSS type
    (`Static`, `Vertical`) for the stylesheet and for `query`.
    """

    page: int = 0
    pages: int = 1
    """Shown a page at a time: PageDown turns the pages before it moves on."""

    hides: ClassVar[bool] = False
    """Whether `x` hides something here (the entry chosen with ↑ and ↓)."""

    class Changed(Message):
        """What PageDown does next may have changed (a round's time is up): the
        app relabels the key bar. Post it, or a subclass of it."""

    def show(self, session: Session, step: Step, lang: str, *, sort_by_gap: bool = False) -> None:
        """Bring the widget up to date: the app calls this at most ten times a second,
        and only when something changed."""

    def paging(self, session: Session) -> bool:
        """Whether PageDown turns this widget's pages now (the results only once shown)."""
        return True

    def turn(self, by: int) -> bool:
        """Show the next (1) or previous (-1) page; False when there is none."""
        if not 0 <= self.page + by < self.pages:
            return False
        self.page += by
        return True

    async def hide_chosen(self, session: Session, lang: str) -> str | None:
        """Hide the chosen entry (a session command; it may raise `AnswerError`).
        Returns what the facilitator is told, or None when nothing is chosen."""
        return None
