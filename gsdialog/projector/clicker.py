"""What the clicker's PageDown does next, decided in one place.

The app asks `next_move` both to act on PageDown and to tell the facilitator
in the key bar what the next PageDown will do ("PgDn Ronde 2 starten"), so
the two never differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from textual.binding import BindingsMap

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import OPEN, Session

MORE, RESULTS_MOVE, PAGE = "more", "results", "page"
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
    """Shown a page at a time: the results, the word wall."""

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
