"""One live run of a workshop: the step the room is at, the phones, the answers.

Every change is an event (a small JSON-able dict). A command such as
`answer()` checks the change against the current state, hands the event to
the journal, and returns once the journal has made it durable; the journal
then calls `apply()`, which is the only place state changes. Loading a stored
session replays the same events through `apply()`, so a restarted session is
the same session.

Listeners (the projector, the phones' event streams) are called after each
applied event with a `Change`; they must not raise and must not block.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gsdialog.core.errors import AnswerError
from gsdialog.core.joining import DOOR_EVENTS, Door
from gsdialog.core.journal import Event, Journal, JournalHooks
from gsdialog.core.kinds import kind_of
from gsdialog.core.plan import Countdown, Progress, progress
from gsdialog.core.results import ChoiceResult, ScaleResult, WordsResult, normalise_word
from gsdialog.core.workshop import Step, Workshop

# Join codes: no look-alikes (0/O/Q/D, 1/I/L/T/7, 2/Z, 5/S, 8/B, 6/G, U/V).
CODE_ALPHABET = "ACEFHJKMNPRWXY349"
CODE_LENGTH = 5

PENDING, OPEN, RESULTS, CLOSED = "pending", "open", "results", "closed"
STEP_STATES = (PENDING, OPEN, RESULTS, CLOSED)
# Showing a step's results ends its answers: what the room saw never changes
# afterwards, so no late or changed answer can be read off a change on the
# screen, and no answer is given after seeing how the others answered.
ACCEPTS_ANSWERS = (OPEN,)
# What a remote may ask of whoever steers the room (see `Session.request`).
REQUESTS = ("next", "previous")


@dataclass(frozen=True)
class Change:
    """What just happened, for listeners: kind is the event's type."""

    kind: str
    step: str | None = None
    group: str | None = None
    detail: str | None = None
    reply: asyncio.Future[None] | None = field(default=None, compare=False)
    """For a request: set by whoever carried it out."""


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


class Session:
    """One run of a workshop. Create with `Session.new()` or from stored events."""

    def __init__(self, workshop: Workshop, journal: Journal) -> None:
        self.workshop = workshop
        self.journal = journal
        journal.attach(JournalHooks(durable=self.apply, refusal=self.refusal, problem=self.notify_problem,
                                    state=self.dump_state))
        self.id = ""
        self.code = ""
        self.created = ""
        self.source = ""
        """The workshop file's text as it was when the session started."""
        self.threshold = workshop.threshold
        self.step_index = 0
        self.states: dict[str, str] = {step.id: PENDING for step in workshop.steps}
        self.roles: dict[str, str] = {}
        """device token -> role id, while the session is open."""
        self.groups: dict[str, str] = {}
        """device token -> group id; after closing, anonymous keys -> group id."""
        self.answers: dict[str, dict[str, dict[str, Any]]] = {step.id: {} for step in workshop.steps}
        """step id -> device token -> item -> value."""
        self.answer_groups: dict[str, dict[str, str]] = {step.id: {} for step in workshop.steps}
        """step id -> device token -> the group the answer counts for.

        The phone's group when it answered: a later change of role moves only
        the answer to the step still open, so results the room has seen never
        shift with one person's role (which would show that person's answers)."""
        self.hidden: dict[str, set[str]] = {step.id: set() for step in workshop.steps}
        """step id -> normalised words the facilitator hid."""
        self.closed = False
        self.participants: dict[str, int] | None = None
        """Per group, fixed when the session closes."""
        self.blank = False
        """The projector shows nothing, so the room looks at each other."""
        self.countdowns: dict[str, Countdown] = {}
        """step id -> its pairs timer, once started."""
        self.spent: dict[str, float] = {}
        """step id -> seconds spent on it, but for the current visit."""
        self.since: float | None = None
        """When the current visit of the current step began; None while paused."""
        self.door = Door()
        """Joining open or closed, and whose answers each step takes (joining.py)."""
        self.clock: Callable[[], float] = time.time
        self.following: dict[str, int] | None = None
        """Per group, the joined phones whose page follows the room now; None
        while no phones' server counts them (`set_following`)."""
        self._listeners: list[Callable[[Change], None]] = []
        self._group_of_role = {role.id: role.group for role in workshop.roles}

    # --- creating and following ---------------------------------------------

    @classmethod
    async def new(cls, workshop: Workshop, journal: Journal, *, session_id: str, code: str,
                  created: str, source: str, threshold: int | None = None) -> Session:
        session = cls(workshop, journal)
        await journal.append(create_event(workshop, session_id=session_id, code=code, created=created,
                                          source=source, threshold=threshold))
        await session.go_to(0)
        return session

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call `listener` after every change; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @property
    def step(self) -> Step:
        return self.workshop.steps[self.step_index]

    @property
    def step_state(self) -> str:
        return self.states[self.step.id]

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
        clean = self.check_values(step, values)
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

    async def close(self) -> None:
        """End the session: no more answers; the store forgets the device tokens."""
        if not self.closed:
            try:
                await self.journal.append({"type": "close"})
            except AnswerError as error:
                if error.reason != "session_closed":  # closed by a close just before: done
                    raise

    def refusal(self, event: Event, moves: list[Event] = (), joined: set[str] = frozenset()) -> str | None:  # type: ignore[assignment]
        """Why `event` may no longer be written, or None when it may.

        The state it meets is the state now plus `moves` (the step and close
        events ahead of it in the same write) and the phones in `joined`
        (joins ahead of it). Kept cheap: in a flood of answers both are empty.
        """
        kind = event["type"]
        if kind == "create":
            return None
        if self.closed or any(e["type"] == "close" for e in moves):
            return "session_closed"
        if kind != "answer":
            return None
        index, states = self.step_index, self.states
        if moves:
            states = dict(states)
        for e in moves:
            if e["type"] == "step":
                index = self._move(states, index, e["index"])
        current = self.workshop.steps[index].id
        if event["step"] != current:
            return "step_not_open"
        if states[current] not in ACCEPTS_ANSWERS:
            return "results_shown" if states[current] == RESULTS else "step_not_open"
        if event["token"] not in self.roles and event["token"] not in joined:
            return "unknown_phone"
        return None

    def _move(self, states: dict[str, str], index: int, to: int) -> int:
        """Go from step `index` to step `to` in `states`: the one left closes, the one
        reached opens (or stays showing results). Returns `to`."""
        before = self.workshop.steps[index].id
        if states[before] in ACCEPTS_ANSWERS and to != index:
            states[before] = CLOSED
        reached = self.workshop.steps[to].id
        if states[reached] != RESULTS:
            states[reached] = OPEN
        return to

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
    def check_values(step: Step, values: Mapping[str, Any]) -> dict[str, Any]:
        """The values as they will be stored, or AnswerError naming what is wrong."""
        return kind_of(step).check(step, values)

    # --- applying events ---------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Change the state by one durable event; the only place state changes."""
        kind = event["type"]
        step: str | None = None
        group: str | None = None
        if kind == "create":
            self.id, self.code, self.created = event["id"], event["code"], event["created"]
            self.source, self.threshold = event["source"], event["threshold"]
        elif kind == "join" or kind == "role":
            token, role = event["token"], event["role"]
            if kind == "join":
                self.door.joined(token)
            self.roles[token] = role
            group = self.groups[token] = self._group_of_role[role]
            current = self.step.id
            if self.states[current] in ACCEPTS_ANSWERS and token in self.answer_groups[current]:
                self.answer_groups[current][token] = group
        elif kind == "answer":
            step, token = event["step"], event["token"]
            self.answers[step].setdefault(token, {}).update(event["values"])
            self.door.answered(step)
            group = self.answer_groups[step][token] = self.groups[token]
        elif kind == "step":
            left = self.step.id
            self.step_index = self._move(self.states, self.step_index, event["index"])
            step = self.step.id
            if "at" in event:  # journals of version 0.1 kept no times
                self._count_time(left, event["at"])
                self.since = event["at"]
        elif kind == "timer":
            step = event["step"]
            self.countdowns[step] = Countdown(event["round"], event["left"], event["since"])
        elif kind == "blank":
            self.blank = event["on"]
        elif kind == "pause":
            self._count_time(self.step.id, event["at"])
            self.since = None
        elif kind == "resume":
            # After a crash no pause was written: the time until now counts, as
            # the room most likely went on talking.
            if self.since is None:
                self.since = event["at"]
        elif kind == "results":
            step = event["step"]
            self.states[step] = RESULTS
        elif kind in DOOR_EVENTS:
            step = self.door.apply(event)
        elif kind == "hide":
            step = event["step"]
            self.hidden[step].add(event["word"])
        elif kind == "close":
            self.participants = self.participant_counts()
            self._forget_phones()
            self.closed = True
        else:
            raise ValueError(f"unknown event type {kind!r}")
        change = Change(kind, step, group)
        for listener in list(self._listeners):
            listener(change)

    def _count_time(self, step_id: str, until: float) -> None:
        if self.since is not None:
            self.spent[step_id] = self.spent.get(step_id, 0.0) + max(0.0, until - self.since)

    def _forget_phones(self) -> None:
        """Cut every answer loose from its phone, and from the phone's other answers.

        Each answer gets a key of its own, given in sorted order, so neither
        a key nor the order of answers says who answered or when.
        """
        rows = self.answer_rows()
        self.roles = {}
        self.groups = {}
        self.door.forget()
        self.answers = {step.id: {} for step in self.workshop.steps}
        self.answer_groups = {step.id: {} for step in self.workshop.steps}
        for number, (step, item, group, value) in enumerate(rows):
            key = f"a{number}"
            self.answer_groups[step][key] = group
            self.answers[step][key] = {item: value}

    def dump_state(self) -> dict[str, list[dict[str, Any]]]:
        """The whole state as tables of plain documents, for a snapshot.

        Once the session is closed, answers carry their group and no key at
        all, and there are no phones.
        """
        meta = {"id": self.id, "code": self.code, "created": self.created, "workshop": self.workshop.id,
                "source": self.source,
                "threshold": self.threshold, "step_index": self.step_index, "closed": self.closed,
                "participants": self.participants, "blank": self.blank, "spent": self.spent, "since": self.since,
                "timers": {step: countdown.event_fields() for step, countdown in self.countdowns.items()},
                "door": self.door.dump()}
        if self.closed:
            answers = [{"step": step, "item": item, "group": group, "value": value}
                       for step, item, group, value in self.answer_rows()]
        else:
            answers = [{"step": step, "token": token, "group": self.answer_groups[step][token],
                        "item": item, "value": value}
                       for step, by_token in self.answers.items()
                       for token, values in by_token.items()
                       for item, value in values.items()]
        return {
            "meta": [meta],
            "steps": [{"step": step, "state": state} for step, state in self.states.items()],
            "phones": [{"token": token, "role": role} for token, role in self.roles.items()],
            "answers": answers,
            "hidden": [{"step": step, "word": word} for step, words in self.hidden.items() for word in sorted(words)],
        }

    def restore_state(self, tables: Mapping[str, list[Mapping[str, Any]]]) -> None:
        """Take over a state written by `dump_state()`."""
        meta = tables["meta"][0]
        self.id, self.code, self.created = meta["id"], meta["code"], meta["created"]
        self.source = meta["source"]
        self.threshold, self.step_index = meta["threshold"], meta["step_index"]
        self.closed, self.participants = meta["closed"], meta["participants"]
        # Snapshots of version 0.1 kept no blank screen, timers or times.
        self.blank = meta.get("blank", False)
        self.spent, self.since = dict(meta.get("spent", {})), meta.get("since")
        self.countdowns = {step: Countdown(**fields) for step, fields in meta.get("timers", {}).items()}
        for doc in tables["steps"]:
            self.states[doc["step"]] = doc["state"]
        for doc in tables["phones"]:
            self.roles[doc["token"]] = doc["role"]
            self.groups[doc["token"]] = self._group_of_role[doc["role"]]
        for number, doc in enumerate(tables["answers"]):
            key = doc.get("token") or f"a{number}"
            # Snapshots of version 0.1 kept no group per answer: the phone's then.
            self.answer_groups[doc["step"]][key] = doc.get("group") or self.groups[key]
            self.answers[doc["step"]].setdefault(key, {})[doc["item"]] = doc["value"]
        for doc in tables["hidden"]:
            self.hidden[doc["step"]].add(doc["word"])
        self.door.restore(meta.get("door"), list(self.roles))  # older snapshots have none

    def answer_rows(self) -> list[tuple[str, str, str, Any]]:
        """Every answer as (step, item, group, value), without phones, in a fixed order."""
        return sorted(
            ((step, item, self.answer_groups[step][key], value)
             for step, by_key in self.answers.items()
             for key, values in by_key.items()
             for item, value in values.items()),
            key=lambda row: (row[0], row[1], row[2], repr(row[3])),
        )

    # --- reading -------------------------------------------------------------------

    def participant_counts(self) -> dict[str, int]:
        """How many phones joined, per group."""
        if self.participants is not None:
            return dict(self.participants)
        counts = {group.id: 0 for group in self.workshop.groups}
        for group in self.groups.values():
            counts[group] += 1
        return counts

    def answer_counts(self, step_id: str) -> dict[str, int]:
        """How many phones answered this step, per group."""
        counts = {group.id: 0 for group in self.workshop.groups}
        for group in self.answer_groups[step_id].values():
            counts[group] += 1
        return counts

    def countdown(self, step_id: str) -> Countdown:
        """The step's pairs timer, as it stands (not started: the first round, full)."""
        return self.countdowns.get(step_id) or Countdown.first(self.workshop.step(step_id))

    def progress(self, now: float | None = None) -> Progress:
        """Time on the current step and against the workshop's plan."""
        return progress(self.workshop, self.step_index, self.spent, self.since,
                        self.clock() if now is None else now)

    def answer_of(self, token: str, step_id: str) -> dict[str, Any] | None:
        return self.answers.get(step_id, {}).get(token)

    def _by_group(self, step_id: str, item: str) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {group.id: [] for group in self.workshop.groups}
        groups = self.answer_groups[step_id]
        for token, values in self.answers[step_id].items():
            if item in values:
                found[groups[token]].append(values[item])
        return found

    def results(self, step_id: str) -> list[ScaleResult] | ChoiceResult | WordsResult | None:
        """Per-group results of a step, with the privacy threshold applied."""
        step = self.workshop.step(step_id)
        groups = [group.id for group in self.workshop.groups]
        return kind_of(step).results(step, lambda item: self._by_group(step.id, item), groups, self.threshold,
                                     self.hidden[step.id])
