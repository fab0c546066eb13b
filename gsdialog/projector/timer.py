"""The countdown of a pairs step: rounds, start and pause, a clear end.

The countdown itself lives in the session (`Session.countdown`), so that a
remote can start it and a restarted projector counts on; this widget shows it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.core.plan import Countdown, mm_ss
from gsdialog.core.session import Session
from gsdialog.core.workshop import Step
from gsdialog.projector.live import Live
from gsdialog.projector.screens import big, grow


class PairsTimer(Live, Vertical):
    """A big minutes:seconds countdown, one round after the other; `t` starts and pauses."""

    DEFAULT_CSS = """
    PairsTimer { height: auto; margin-top: 1; }
    PairsTimer #clock { width: 100%; content-align: center middle; margin: 1 0; }
    PairsTimer #round { text-style: bold; width: 100%; padding: 0 2; }
    PairsTimer #hint { width: 100%; content-align: center middle; text-style: bold; }
    PairsTimer.-running #clock { color: $success; }
    PairsTimer.-done #clock { background: $error; color: $text; }
    PairsTimer.-done #round { background: $error; }
    """

    @dataclass
    class RoundOver(Live.Changed):
        """A round's time is up (PageDown now starts the next round or moves on)."""

        round_index: int
        last: bool

    def __init__(self, step: Step, lang: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.step = step
        self.lang = lang
        self.clock = clock
        self.countdown = Countdown.first(step)
        self._announced: set[int] = set()
        self._shown: tuple[object, ...] = ()
        self._ticker: Timer | None = None
        # Made here, not in compose: follow() or a resize may come first, and the tick
        # may come while the step is being taken down.
        self._round = Static(id="round")
        self._clock = Static(id="clock")
        self._hint = Static(id="hint")

    @property
    def round_index(self) -> int:
        return self.countdown.round

    @property
    def running(self) -> bool:
        return self.countdown.running and not self.done

    @property
    def done(self) -> bool:
        return self.countdown.running and self.countdown.over(self.clock())

    def compose(self) -> ComposeResult:
        yield self._round
        yield self._clock
        yield self._hint

    def on_mount(self) -> None:
        self._show()
        # Ticks only while the clock runs: a countdown waiting for `t` costs nothing.
        self._ticker = self.set_interval(0.25, self._tick, pause=not self.running)

    def show(self, session: Session, step: Step, lang: str, *, sort_by_gap: bool = False) -> None:
        self.follow(session.countdown(step.id), session.clock)

    def follow(self, countdown: Countdown, clock: Callable[[], float]) -> None:
        """Show the session's countdown for this step, on the session's clock."""
        self.clock = clock
        if countdown != self.countdown:
            self.countdown = countdown
            if self._ticker is None:
                return  # not mounted yet (a redraw while the step is recomposed): on_mount shows it
            self._show()
            if self.running:
                self._ticker.resume()

    def _tick(self) -> None:
        self._show()
        if not self.running and self._ticker is not None:  # paused, or the round is up
            self._ticker.pause()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        remaining = self.countdown.remaining(self.clock())
        done = self.done
        scale = grow(*self.app.size)
        width = self.content_size.width or self.app.size.width - 8
        shown = (self.countdown, mm_ss(remaining), done, scale, width)
        if shown == self._shown:
            return
        self._shown = shown
        # A round that is up and not the last: the room switches (A tells, B listens).
        switch = done and self.round_index + 1 < len(self.step.rounds)
        self._clock.update(big(t(self.lang, "switch") if switch else mm_ss(remaining), scale, width))
        self.set_class(self.running, "-running")
        self.set_class(done, "-done")
        self._label()
        if done and self.countdown.round not in self._announced:
            self._announced.add(self.countdown.round)
            self.app.bell()
            self.post_message(self.RoundOver(self.round_index, self.round_index + 1 >= len(self.step.rounds)))

    def _label(self) -> None:
        lang, rounds = self.lang, self.step.rounds
        current = rounds[self.round_index]
        label = f"{t(lang, 'round', n=self.round_index + 1, total=len(rounds))}: {current.text.get(lang)}"
        self._round.update(Content(label))
        # Room text only: what the keys do is on the facilitator's status line.
        last = self.round_index + 1 >= len(rounds)
        self._hint.update(Content(t(lang, "time_up_last") if self.done and last else ""))
