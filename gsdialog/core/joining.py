"""Who may join a session, and whose answers count: the door of the room.

The privacy threshold promises that a group's numbers show only from K
answers on. That promise is only as good as the count of people behind it:
one person with three private browser tabs is three phones. The `Door` keeps
the count honest in three ways:

- The facilitator can close joining once the room is in (a `joining`
  event): new phones are refused, phones that joined keep working.
- A step takes answers only from the phones that were in when its answers
  began (its first answer). A phone that came in later waits for the next
  step, unless the facilitator lets the late ones in (an `admit` event).
  Extra tabs made once someone has answered never count for that step, and
  going back to a step does not let them in either.
- The facilitator sees it when the number of phones jumps: more joins in a
  minute than the room had before, or more phones than expected. This is
  kept in memory only (times, never addresses) and is not journalled.

Join numbers: every join gets the next number (1, 2, …), in journal order,
so a replay gives the same numbers. A step's mark is the number of joins
when its first answer came (or when the late ones were let in); a phone with
a higher number waits. Why the first answer and not the opening: fake phones
made between the opening and the first answer could as well have been made
before the opening, so this protects as much, and the people who come in
just as the question appears can still answer it. Snapshots keep numbers and marks in their meta table; phones of an
older snapshot have no number and count everywhere.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from gsdialog.core.errors import AnswerError

DOOR_EVENTS = ("joining", "admit")
JUMP_WINDOW = 60.0
"""Seconds over which joins are counted to see a jump."""
JUMP_MIN = 5
"""A jump needs at least this many joins in the window, and this many phones before it:
a room filling up at the start is not a jump."""
JUMP_SHOWN = 300.0
"""Seconds the facilitator sees a jump after it happened."""


class Door:
    """Joining open or closed, each phone's join number, each step's mark."""

    def __init__(self) -> None:
        self.open = True
        self.joins = 0
        """How many phones joined, ever, in this session."""
        self.number: dict[str, int] = {}
        """device token -> its join number (1, 2, …)."""
        self.marks: dict[str, int] = {}
        """step id -> the joins when its first answer came (or the late ones were let in)."""
        self.expect: int | None = None
        """How many phones the facilitator expects (`--expect`); not journalled."""
        self.latecomers_answer = False
        """Phones that join during a question may answer it at once (`--latecomers-answer`:
        a room where people come and go); a choice for this run, not journalled."""
        self.jump: tuple[int, float] | None = None
        """The largest number of joins within a minute lately, and when it was seen."""
        self.refusals: tuple[int, float] | None = None
        """Joins refused for coming too fast (collector/pace.py) lately, and when the last was."""
        self._arrivals: deque[float] = deque()

    # --- applying events (Session.apply) -------------------------------------------

    def joined(self, token: str) -> None:
        self.joins += 1
        self.number[token] = self.joins

    def answered(self, step_id: str) -> None:
        """An answer to the step: from its first on, phones that join wait for the next step."""
        if step_id not in self.marks:
            self.marks[step_id] = self.joins

    def apply(self, event: dict[str, Any]) -> str | None:
        """A `joining` or `admit` event; returns the step it concerns, if any."""
        if event["type"] == "joining":
            self.open = bool(event["open"])
            return None
        self.marks[event["step"]] = self.joins
        return str(event["step"])

    def forget(self) -> None:
        """The session closed: no tokens any more."""
        self.number = {}

    # --- checks (Session's commands) ---------------------------------------------------

    def check_join(self) -> None:
        if not self.open:
            raise AnswerError("joining_closed")

    def check_answer(self, token: str, step_id: str) -> None:
        if self.waits(token, step_id):
            raise AnswerError("joined_late", step_id)

    # --- reading -------------------------------------------------------------------------

    def waits(self, token: str | None, step_id: str) -> bool:
        """Whether the phone joined after the step's answers began, and so may not answer it."""
        mark = self.marks.get(step_id)
        return (token is not None and mark is not None and not self.latecomers_answer
                and self.number.get(token, 0) > mark)

    def waiting(self, step_id: str) -> int:
        """How many phones wait for the next step (joined after this one's answers began)."""
        mark = self.marks.get(step_id)
        return 0 if mark is None or self.latecomers_answer else max(0, self.joins - mark)

    def arrived(self, now: float) -> None:
        """A phone joined just now (a live join, not a replay): watch for a jump."""
        arrivals = self._arrivals
        arrivals.append(now)
        while arrivals and arrivals[0] <= now - JUMP_WINDOW:
            arrivals.popleft()
        recent = len(arrivals)
        before = self.joins - recent
        if recent >= JUMP_MIN and before >= JUMP_MIN and recent > before:
            shown = self.jump[0] if self.jump is not None and now - self.jump[1] < JUMP_SHOWN else 0
            self.jump = (max(recent, shown), now)

    def refused(self, now: float) -> None:
        """A new phone was refused for joining too fast (in memory, like `arrived`)."""
        recent = self.refusals is not None and now - self.refusals[1] < JUMP_SHOWN
        self.refusals = ((self.refusals[0] if recent else 0) + 1, now)  # type: ignore[index]

    def alerts(self, now: float, phones: int) -> list[tuple[str, dict[str, int]]]:
        """What the facilitator should notice about joining: (i18n key, values)."""
        found: list[tuple[str, dict[str, int]]] = []
        if self.jump is not None and now - self.jump[1] < JUMP_SHOWN:
            found.append(("door_jump", {"n": self.jump[0]}))
        if self.refusals is not None and now - self.refusals[1] < JUMP_SHOWN:
            found.append(("door_refused", {"n": self.refusals[0]}))
        if self.expect is not None and phones > self.expect:
            found.append(("door_expected", {"n": phones, "expect": self.expect}))
        return found

    # --- snapshots -------------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        return {"open": self.open, "joins": self.joins, "number": dict(self.number), "marks": dict(self.marks)}

    def restore(self, data: dict[str, Any] | None, tokens: list[str]) -> None:
        """Take over `dump()`; a snapshot of an older version has none (then every
        phone counts everywhere and joining is open)."""
        if data is None:
            self.joins = len(tokens)
            return
        self.open = bool(data["open"])
        self.joins = int(data["joins"])
        self.number = {token: int(n) for token, n in data["number"].items()}
        self.marks = {step: int(n) for step, n in data["marks"].items()}


def status(door: Door, *, step_id: str, asking: bool, now: float, phones: int) -> list[tuple[str, dict[str, int]]]:
    """What the facilitator should know about joining, for the projector's status line,
    as (i18n key, values): open or closed, phones waiting for the next question, the
    alerts. The waiting and the alerts have a shorter `<key>_short` for a narrow screen."""
    parts: list[tuple[str, dict[str, int]]] = [("door_open" if door.open else "door_closed", {})]
    waiting = door.waiting(step_id) if asking else 0
    if waiting:
        parts.append(("door_waiting", {"n": waiting}))
    return parts + door.alerts(now, phones)
