"""The join address beside the steps where the room joins: the QR code large,
the code under it (the address itself stands once, on the status line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.content import Content
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import RESULTS, Session
from gsdialog.projector.qr import qr_size, qr_text
from gsdialog.projector.screens import grow


def joining(session: Session) -> bool:
    """Whether the room still joins: every step before the first that asks the phones
    something, and that step until its first answer. There the QR code stands large,
    except beside a pairs timer: the clock is what the room reads then."""
    steps = session.workshop.steps
    if session.step.rounds:
        return False
    first = next((n for n, step in enumerate(steps) if kind_of(step).asks), len(steps) - 1)
    if session.step_index == first:
        return session.step_state != RESULTS and not any(session.answer_counts(session.step.id).values())
    return session.step_index < first


def mark_screen(screen: Screen[object], session: Session, has_url: bool) -> None:
    """`-joining`: the join panel stands beside the step; `-key`: a result or a pairs
    timer is on screen, and the corner's QR code steps aside (it never outweighs them)."""
    screen.set_class(has_url and joining(session), "-joining")
    screen.set_class(session.step_state == RESULTS or bool(session.step.rounds), "-key")


class JoinPanel(Vertical):
    """Docked beside the step (`Screen.-joining`); twice as large where the screen has room."""

    def __init__(self, url: str, code: str, lang: str) -> None:
        super().__init__(id="join-panel")
        self.url = url
        self.code = code
        self.lang = lang
        self._scale = 0

    def compose(self) -> ComposeResult:
        self._qr = Static(id="join-qr")
        yield self._qr
        yield Static(Content(t(self.lang, "code_is", code=self.code)), id="join-code")

    def on_mount(self) -> None:
        self.follow(self.url)

    def follow(self, url: str) -> None:
        """Show `url` (a new network gives a new address) at the size the screen allows."""
        width, height = self.app.size
        scale = grow(width, height) if height - 8 >= qr_size(url)[0] else 1
        if (url, scale) == (self.url, self._scale):
            return
        self.url, self._scale = url, scale
        self.styles.width = qr_size(url)[0] * scale
        self._qr.update(qr_text(url, scale=scale))
