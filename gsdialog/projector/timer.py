"""The countdown of a pairs step: rounds, start and pause, a clear end."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.projector.screens import big
from gsdialog.core.workshop import Step


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class PairsTimer(Vertical):
    """A big minutes:seconds countdown, one round after the other; `t` starts and pauses."""

    DEFAULT_CSS = """
    PairsTimer { height: auto; margin-top: 1; }
    PairsTimer #clock { width: 100%; content-align: center middle; margin: 1 0; }
    PairsTimer #round { text-style: bold; width: 100%; padding: 0 2; }
    PairsTimer #hint { color: $text-muted; width: 100%; content-align: center middle; }
    PairsTimer.-running #clock { color: $success; }
    PairsTimer.-done #clock { background: $error; color: $text; }
    PairsTimer.-done #round { background: $error; }
    """

    round_index: reactive[int] = reactive(0, init=False)
    """Which round is on (0-based)."""
    running: reactive[bool] = reactive(False, init=False)
    """Whether the clock is counting down."""

    @dataclass
    class RoundOver(Message):
        """A round's time is up."""

        round_index: int
        last: bool

    def __init__(self, step: Step, lang: str) -> None:
        super().__init__()
        self.step = step
        self.lang = lang
        self.remaining = step.rounds[0].minutes * 60 if step.rounds else 0.0
        self._deadline = 0.0
        self.done = False
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        # Kept, not queried: the tick may come while the step is being taken down.
        self._round = Static(id="round")
        self._clock = Static(big(clock(self.remaining)), id="clock")
        self._hint = Static(id="hint")
        yield self._round
        yield self._clock
        yield self._hint

    def on_mount(self) -> None:
        self._label()
        # Ticks only while the clock runs: a countdown waiting for `t` costs nothing.
        self._ticker = self.set_interval(0.2, self._tick, pause=not self.running)

    def toggle(self) -> None:
        """Start, pause, or go on to the next round after one ended."""
        if self.done:
            if self.round_index + 1 >= len(self.step.rounds):
                return
            self.done = False
            self.remove_class("-done")
            self.round_index += 1
            self.remaining = self.step.rounds[self.round_index].minutes * 60
        self.running = not self.running
        if self.running:
            self._deadline = time.monotonic() + self.remaining
        if self._ticker is not None and self.running:
            self._ticker.resume()
        self.set_class(self.running, "-running")
        self._label()
        self._show_clock()

    def _show_clock(self) -> None:
        self._clock.update(big(clock(self.remaining)))

    def _tick(self) -> None:
        if not self.running:
            if self._ticker is not None:
                self._ticker.pause()
            return
        self.remaining = max(0.0, self._deadline - time.monotonic())
        self._show_clock()
        if self.remaining <= 0:
            self.running = False
            self.done = True
            self.remove_class("-running")
            self.add_class("-done")
            self.app.bell()
            self._label()
            self.post_message(self.RoundOver(self.round_index, self.round_index + 1 >= len(self.step.rounds)))

    def _label(self) -> None:
        lang, rounds = self.lang, self.step.rounds
        current = rounds[self.round_index]
        label = f"{t(lang, 'round', n=self.round_index + 1, total=len(rounds))}: {current.text.get(lang)}"
        self._round.update(Content(label))
        if self.done:
            last = self.round_index + 1 >= len(rounds)
            hint = t(lang, "time_up_last") if last else t(lang, "time_up_next", n=self.round_index + 2)
        else:
            hint = t(lang, "timer_pause") if self.running else t(lang, "timer_start")
        self._hint.update(Content(hint))
