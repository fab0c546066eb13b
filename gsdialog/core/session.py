"""One live run of a workshop: the step the room is at, the phones, the answers.

Every change is an event (a small JSON-able dict). A command such as
`answer()` checks the change against the current state, hands the event to
the journal, and returns once the journal has made it durable; the journal
then calls `apply()`, which is the only place state changes. Loading a stored
session replays the same events through `apply()`, so a restarted session is
the same session.

Listeners (the projector, the phones' event streams) are called after each
applied event with a `Change`; they must not raise and must not block.

This module holds the commands; the state they change, `apply()`, the
snapshot and what is read from the state (counts, time, results) are
state.py's `State`, which `Session` is.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from typing import Any

from gsdialog.core.errors import AnswerError
from gsdialog.core.journal import Event, Journal, JournalHooks
from gsdialog.core.kinds import kind_of
from gsdialog.core.results import normalise_word
from gsdialog.core.state import ACCEPTS_ANSWERS, CLOSED, OPEN, PENDING, RESULTS, STEP_STATES, Change, State
from gsdialog.core.workshop import Step, Workshop

__all__ = ["ACCEPTS_ANSWERS", "CLOSED", "CODE_ALPHABET", "OPEN", "PENDING", "RESULTS", "STEP_STATES", "AnswerError",
           "Change", "Session", "create_event", "new_code", "normalise_code"]
"""What the rings import from here; the step states and `Change` live in state.py."""

# Join codes: no look-alikes (0/O/Q/D, 1/I/L/T/7, 2/Z, 5/S, 8/B, 6/G, U/V).
CODE_ALPHABET = "ACEFHJKMNPRWXY349"
CODE_LENGTH = 5
# What a remote may ask of whoever steers the room (see `Session.request`).
REQUESTS = ("next", "previous")


def new_code(taken: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def create_event(workshop: Workshop, *, session_id: str, code: str, created: str, source: str,
                 threshold: int | None = None) -> Event:
    """The first event of every session."""
    return {"type": "create", "id": session_id, "code": code, "created": created, "workshop": workshop.id,
            "source": source, "threshold": threshold or workshop.threshold}


def normalise_code(text: str) -> str:
    return text.strip().upper()


class Session(State):
    """One run of a workshop. Create with `Session.new()` or from stored events."""

    def __init__(self, workshop: Workshop, journal: Journal) -> None:
        super().__init__(workshop)
        self.journal = journal
        journal.attach(JournalHooks(durable=self.apply, refusal=self.refusal, problem=self.notify_problem,
                                    state=self.dump_state))

    # --- creating ----------------------------------------------------------------

    @classmethod
    async def new(cls, workshop: Workshop, journal: Journal, *, session_id: str, code: str,
                  created: str, source: str, threshold: int | None = None) -> Session:
        session = cls(workshop, journal)
        await journal.append(create_event(workshop, session_id=session_id, code=code, created=created,
                                          source=source, threshold=threshold))
        await session.go_to(0)
        return session
    # --- commands: check, then journal, then apply -----------------------------

    async def join(self, role: str) -> str:
        """A new phone in the room; returns its device token."""
        self._check_open_session()
        self._check_role(role)
        self.door.check_join()
        token = secrets.token_urlsafe(18)
        await self.journal.append({"type": "join", "token": token, "role": role})
        self.door.arrived(self.clock())
        return token

    async def set_role(self, token: str, role: str) -> None:
        """Change a phone's role: from now on, and for the step still open, it
        answers for the new group; answers to earlier steps keep their group."""
        self._check_open_session()
        self._check_phone(token)
        self._check_role(role)
        if self.roles[token] != role:
            await self.journal.append({"type": "role", "token": token, "role": role})

    async def answer(self, token: str, step_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Store a phone's answer to the current step, replacing an earlier one per item.

        `values` maps item id to the value, as the step's kind checks it
        (`Kind.check`). Returns the values as stored (text cleaned).
        """
        self._check_open_session()
        self._check_phone(token)
        step = self._answerable_step(step_id)
        self.door.check_answer(token, step.id)
        clean = self.check_values(step, values, self.standing(token, step.id))
        await self.journal.append({"type": "answer", "token": token, "step": step.id, "values": clean})
        return clean

    async def go_to(self, index: int) -> None:
        """Move the room to step `index`: it opens for answers, the one before closes."""
        self._check_open_session()
        if not 0 <= index < len(self.workshop.steps):
            raise AnswerError("unknown_step", f"step number {index + 1}")
        await self.journal.append({"type": "step", "index": index, "at": self.clock()})

    async def show_results(self) -> None:
        self._check_open_session()
        if self.step_state != RESULTS:
            await self.journal.append({"type": "results", "step": self.step.id})

    async def set_joining(self, open: bool) -> None:
        """Let new phones join, or not; phones that joined keep working."""
        self._check_open_session()
        if open != self.door.open:
            await self.journal.append({"type": "joining", "open": open})

    async def admit_late(self) -> int:
        """Let the phones that joined after the current step's answers began answer it; how many."""
        self._check_open_session()
        waiting = self.door.waiting(self.step.id)
        if waiting:
            await self.journal.append({"type": "admit", "step": self.step.id})
        return waiting

    async def toggle_timer(self, *, clicker: bool = False) -> None:
        """The pairs timer's start/pause: start, pause, or after a round is up,
        start the next. Nothing after the last round. The clicker's PageDown
        ends a running round instead of pausing it (`Countdown.clicked`)."""
        self._check_open_session()
        step = self.step
        if not step.rounds:
            raise AnswerError("no_timer", step.id)
        now = self.clock()
        countdown = self.countdown(step.id)
        toggled = countdown.clicked(step, now) if clicker else countdown.toggled(step, now)
        if toggled is not None:
            await self.journal.append({"type": "timer", "step": step.id, **toggled.event_fields()})

    async def set_blank(self, on: bool) -> None:
        self._check_open_session()
        if on != self.blank:
            await self.journal.append({"type": "blank", "on": on})

    async def pause(self) -> None:
        """The facilitator stops for now: the time until `resume()` is not counted."""
        if not self.closed and self.since is not None:
            await self.journal.append({"type": "pause", "at": self.clock()})

    async def resume(self) -> None:
        if not self.closed and self.since is None:
            await self.journal.append({"type": "resume", "at": self.clock()})

    async def request(self, action: str, timeout: float = 2.0) -> bool:
        """Ask whoever steers the room to do `action` as its own key would; True
        once it did, False when nobody did within `timeout` seconds.

        Next and previous are requests, not commands: on a question, next first
        shows the results and then turns their pages, and how many pages there
        are depends on the projector's screen. What the projector then does is
        a command like any other, journalled. A request itself changes nothing.
        """
        self._check_open_session()
        if action not in REQUESTS:
            raise AnswerError("unknown_request", action[:20])
        reply: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        for listener in list(self._listeners):
            listener(Change("request", detail=action, reply=reply))
        try:
            await asyncio.wait_for(reply, timeout)
        except TimeoutError:
            return False
        return True

    def remote_used(self) -> None:
        """The facilitator's remote was opened or used: whoever shows its link
        (the projector) can take it away. Changes nothing; not journalled."""
        for listener in list(self._listeners):
            listener(Change("remote_used"))

    def join_refused(self) -> None:
        """A new phone was refused for joining too fast: the facilitator sees it. Not journalled."""
        self.door.refused(self.clock())
        for listener in list(self._listeners):
            listener(Change("join_refused"))

    def set_following(self, counts: dict[str, int]) -> None:
        """How many joined phones follow the room now, per group, as the phones'
        server counts their open event streams. News, not history: not journalled."""
        if counts != self.following:
            self.following = counts
            for listener in list(self._listeners):
                listener(Change("following"))

    async def hide_word(self, step_id: str, word: str) -> None:
        self._check_open_session()
        key = normalise_word(word)
        if step_id in self.hidden and key not in self.hidden[step_id]:
            await self.journal.append({"type": "hide", "step": step_id, "word": key})

    async def next_stage(self) -> bool:
        """Move the open step on to its next stage (ideas: gathering -> voting); False when it has none."""
        self._check_open_session()
        stages = kind_of(self.step).stages
        now = self.stage(self.step.id)
        if self.step_state != OPEN or not stages or now == stages[-1]:
            return False
        await self.journal.append({"type": "stage", "step": self.step.id, "stage": stages[stages.index(now) + 1]})
        return True

    async def merge_ideas(self, step_id: str, idea: str, into: str) -> None:
        """Put idea `idea` under idea `into`: one idea on the wall with both texts, votes counted once."""
        self._check_open_session()
        shown = {found.id for found in self.wall(step_id)} if step_id in self.hidden else set()
        if idea == into or idea not in shown or into not in shown:
            raise AnswerError("unknown_idea", f"{idea}>{into}"[:40])
        await self.journal.append({"type": "merge", "step": step_id, "idea": idea, "into": into})

    async def close(self) -> None:
        """End the session: no more answers; the store forgets the device tokens."""
        if not self.closed:
            try:
                await self.journal.append({"type": "close"})
            except AnswerError as error:
                if error.reason != "session_closed":  # closed by a close just before: done
                    raise
    def notify_problem(self, reason: str) -> None:
        """Tell listeners that a change could not be stored (a full disk, say)."""
        for listener in list(self._listeners):
            listener(Change("not_saved", detail=reason))

    # --- checks ----------------------------------------------------------------

    def _check_open_session(self) -> None:
        if self.closed:
            raise AnswerError("session_closed")

    def _check_role(self, role: str) -> None:
        if role not in self._group_of_role:
            raise AnswerError("unknown_role", str(role)[:40])

    def _check_phone(self, token: str) -> None:
        if token not in self.roles:
            raise AnswerError("unknown_phone")

    def _answerable_step(self, step_id: str) -> Step:
        if step_id != self.step.id:
            raise AnswerError("step_not_open", str(step_id)[:40])
        if self.step_state == RESULTS:
            raise AnswerError("results_shown", step_id)
        if self.step_state not in ACCEPTS_ANSWERS:
            raise AnswerError("step_not_open", step_id)
        if not kind_of(self.step).asks:
            raise AnswerError("nothing_to_answer", step_id)
        return self.step

    @staticmethod
    def check_values(step: Step, values: Mapping[str, Any], standing: Any = None) -> dict[str, Any]:
        """The values as they will be stored, or AnswerError naming what is wrong; `standing`:
        what they depend on in the session, for a kind with stages (`State.standing`)."""
        return kind_of(step).check(step, values, standing)

