"""What the clicker's PageDown does next, decided in one place.

The app asks `next_move` both to act on PageDown and to tell the facilitator
in the key bar what the next PageDown will do ("PgDn Ronde 2 starten"), so
the two never differ.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from textual.binding import BindingsMap

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import OPEN, Session
from gsdialog.projector.live import Live
from gsdialog.projector.screens import BlankScreen, ClosingScreen, RemoteScreen

if TYPE_CHECKING:  # a mixin of the app: type-checked as one
    from textual.app import App

    from gsdialog.projector.step_view import StepView

    _App = App[str]
else:
    _App = object

MORE, RESULTS_MOVE, PAGE, STAGE = "more", "results", "page", "stage"
TIMER_START, TIMER_GO_ON, TIMER_END, ROUND = "timer_start", "timer_go_on", "timer_end", "round"
STEP, CLOSING, NONE = "step", "closing", "none"


@dataclass(frozen=True)
class Move:
    """One PageDown: what it does (`what`) and, for a round, which one (1-based)."""

    what: str
    round: int = 0

    def hint(self, lang: str) -> str:
        """What the key bar tells the facilitator beside PgDn: "Ronde 2 starten"."""
        return t(lang, f"next_{self.what}", n=self.round)


class Pager(Protocol):
    """Shown a page at a time: the results, the word wall (a `Live`)."""

    page: int
    pages: int


def next_move(session: Session, *, closing: bool, more: bool, pagers: Sequence[Pager]) -> Move:
    """What PageDown does now.

    `closing`: the closing screen is up; `more`: the step goes on below the
    screen's edge; `pagers`: what turns pages now (a next page comes first).
    """
    pages_left = any(pager.page + 1 < pager.pages for pager in pagers)
    if closing:
        return Move(NONE)
    if more:
        return Move(MORE)
    step = session.step
    state = session.step_state
    stages = kind_of(step).stages
    if stages and state == OPEN and session.stage(step.id) != stages[-1]:  # ideas: the wall's pages, then the vote
        return Move(PAGE if pages_left else STAGE)
    if kind_of(step).reveals and state == OPEN and any(session.answer_counts(step.id).values()):
        return Move(RESULTS_MOVE)
    if pages_left:
        return Move(PAGE)
    if step.rounds:
        countdown = session.countdown(step.id)
        now = session.clock()
        if countdown.over(now):
            if countdown.round + 1 < len(step.rounds):
                return Move(ROUND, countdown.round + 2)
        elif countdown.running:
            return Move(TIMER_END)
        elif countdown.round or countdown.left < step.rounds[countdown.round].minutes * 60.0:
            return Move(TIMER_GO_ON)
        else:
            return Move(TIMER_START)
    if session.step_index + 1 < len(session.workshop.steps):
        return Move(STEP)
    return Move(CLOSING)


def relabel(bindings: BindingsMap, action: str, label: str) -> bool:
    """Give the key of `action` the label `label` in the key bar; whether it changed."""
    changed = False
    for keys in bindings.key_to_bindings.values():
        for n, binding in enumerate(keys):
            if binding.action == action and binding.description != label:
                keys[n] = replace(binding, description=label)
                changed = True
    return changed


class ClickerKeys(_App):
    """The projector app's clicker keys, PageDown and PageUp: mixed into `ProjectorApp`."""

    session: Session
    step_view: StepView
    lang: str
    _stale: bool

    if TYPE_CHECKING:
        async def _safely(self, command: Awaitable[object]) -> bool: ...

        def _show_step(self) -> None: ...

        async def _unblank(self) -> None: ...

        async def action_results(self) -> None: ...

    @property
    def step_index(self) -> int:
        return self.session.step_index

    async def _go_to(self, index: int) -> None:
        if await self._safely(self.session.go_to(index)):
            self._show_step()

    async def _uncovered(self) -> bool:
        """The clicker's keys first take away what covers the step (the remote's
        link, a blank screen), as a presentation's clicker does; True if they did."""
        if isinstance(self.screen, RemoteScreen):
            self.pop_screen()
            return True
        if self.session.blank or isinstance(self.screen, BlankScreen):
            await self._unblank()
            return True
        return False

    def _label_next(self) -> None:
        """The key bar's PgDn says what it does now: for the facilitator, not in the room's text."""
        if relabel(self._bindings, "next", self.next_move().hint(self.lang)):
            self.refresh_bindings()

    def next_move(self) -> Move:
        """What the clicker's PageDown does now (`next_move`)."""
        return next_move(self.session, closing=isinstance(self.screen, ClosingScreen),
                         more=self.step_view.more_below, pagers=self._pagers())

    def _pagers(self) -> list[Live]:
        """What turns pages now: the step's widgets that say so (the word wall; the results once shown)."""
        return [part for part in self.step_view.parts() if part.paging(self.session)]

    def _turn_pages(self, by: int) -> bool:
        """Turn the results or the word wall a page, when they have pages left that way."""
        return any(pager.turn(by) for pager in self._pagers())

    async def action_next(self) -> None:
        """The clicker's PageDown: the rest of a long step, a question's results (page by
        page), a pairs step's rounds, then on; after the last step the closing screen."""
        if await self._uncovered():
            return
        move = self.next_move()
        if move.what == NONE:
            pass  # the closing screen: `q` ends, as it says to the facilitator
        elif move.what == MORE:
            self.step_view.page_down()
        elif move.what == RESULTS_MOVE:
            await self.action_results()
        elif move.what == PAGE:
            self._turn_pages(1)
        elif move.what == STAGE:
            await self._safely(self.session.next_stage())
        elif move.what == STEP:
            await self._go_to(self.step_index + 1)
        elif move.what == CLOSING:
            self.push_screen(ClosingScreen(self.session, self.lang))
        else:  # the pairs timer: start, go on, stop the round, the next round
            await self._safely(self.session.toggle_timer(clicker=True))
        self._stale = True

    async def action_previous(self) -> None:
        if isinstance(self.screen, ClosingScreen):
            self.pop_screen()
            return
        if await self._uncovered() or self._turn_pages(-1) or self.step_view.page_up():
            self._stale = True
            return
        if self.step_index > 0:
            await self._go_to(self.step_index - 1)
        else:
            self.notify(t(self.lang, "first_step"), timeout=2)
