"""Time in a workshop: the plan, a pairs step's countdown, and how far the room is behind.

All times are wall-clock seconds (`time.time()`): they are written in the
journal, and a session restarted after a crash must count on from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from gsdialog.core.workshop import Step, Workshop


def planned_minutes(step: Step) -> float:
    """The step's own minutes, or else the sum of its pairs rounds, or else none."""
    if step.minutes is not None:
        return float(step.minutes)
    return float(sum(round_.minutes for round_ in step.rounds))


def mm_ss(seconds: float) -> str:
    """Seconds left as a countdown shows them, 04:00; a started second counts whole."""
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class Countdown:
    """A pairs step's timer: which round, the seconds left when it was last
    started or paused, and since when it runs (None: paused)."""

    round: int
    left: float
    since: float | None = None

    @classmethod
    def first(cls, step: Step) -> Countdown:
        return cls(0, step.rounds[0].minutes * 60.0 if step.rounds else 0.0)

    @property
    def running(self) -> bool:
        return self.since is not None

    def remaining(self, now: float) -> float:
        if self.since is None:
            return self.left
        return max(0.0, self.left - (now - self.since))

    def over(self, now: float) -> bool:
        """The round's time is up."""
        return self.remaining(now) <= 0

    def toggled(self, step: Step, now: float) -> Countdown | None:
        """What the start/pause key makes of it: start, pause, or after a round
        is up the next round, started. None after the last round."""
        if self.over(now):
            if self.round + 1 >= len(step.rounds):
                return None
            return Countdown(self.round + 1, step.rounds[self.round + 1].minutes * 60.0, now)
        if self.running:
            return Countdown(self.round, self.remaining(now))
        return Countdown(self.round, self.left, now)

    def clicked(self, step: Step, now: float) -> Countdown | None:
        """What the clicker's PageDown makes of it: start (or go on after a pause),
        end a running round now (the room sees the time is up and switches), and
        after a round is up the next round, started. None after the last round:
        then PageDown moves on to the next step."""
        if self.running and not self.over(now):
            return Countdown(self.round, 0.0, now)
        return self.toggled(step, now)

    def event_fields(self) -> dict[str, object]:
        return {"round": self.round, "left": self.left, "since": self.since}


@dataclass(frozen=True)
class Progress:
    """Where the room is against the plan, in minutes."""

    step_number: int
    spent: float
    """On the current step, all visits together."""
    planned: float
    """The current step's planned minutes."""
    behind: float
    """How much later than planned the room will finish this step; negative: ahead."""


def progress(workshop: Workshop, step_index: int, spent: dict[str, float], since: float | None,
             now: float) -> Progress:
    """`spent`: seconds spent per step before the current visit; `since`: when
    the current visit began (None while the session is paused).

    Behind = all time spent so far, plus what the plan still gives the current
    step, minus the plan up to the end of the current step. A step skipped
    gives its time back; a step visited again costs its time again.
    """
    step = workshop.steps[step_index]
    running = 0.0 if since is None else max(0.0, now - since)
    on_step = (spent.get(step.id, 0.0) + running) / 60
    elapsed = (sum(spent.values()) + running) / 60
    planned = planned_minutes(step)
    through = sum(planned_minutes(s) for s in workshop.steps[:step_index + 1])
    behind = elapsed + max(0.0, planned - on_step) - through
    return Progress(step_index + 1, on_step, planned, behind)
