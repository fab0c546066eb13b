"""A session's state, and the one way it changes: `apply()` one durable event.

`State` holds where the room is, the phones and the answers; `apply()` is
the only place they change, whether an event was just written or is
replayed from the journal, and `dump_state()`/`restore_state()` write and
read it as a snapshot. `refusal()` says whether an event may still be
written against it; the reading methods (counts, time, results) only read
it. The commands that check, journal and so change it are `Session`'s
(session.py), which is a `State`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gsdialog.core.ideas import IDEA_ITEM, VOTES_ITEM, VOTING, Idea, IdeasResult, Marks, Standing, merge_mark, wall
from gsdialog.core.joining import DOOR_EVENTS, Door
from gsdialog.core.journal import Event
from gsdialog.core.kinds import kind_of
from gsdialog.core.plan import Countdown, Progress, progress
from gsdialog.core.results import ChoiceResult, ScaleResult, WordsResult
from gsdialog.core.workshop import Step, Workshop

PENDING, OPEN, RESULTS, CLOSED = "pending", "open", "results", "closed"
STEP_STATES = (PENDING, OPEN, RESULTS, CLOSED)
# Showing a step's results ends its answers: what the room saw never changes
# afterwards, so no late or changed answer can be read off a change on the
# screen, and no answer is given after seeing how the others answered.
ACCEPTS_ANSWERS = (OPEN,)


@dataclass(frozen=True)
class Change:
    """What just happened, for listeners: kind is the event's type."""

    kind: str
    step: str | None = None
    group: str | None = None
    detail: str | None = None
    reply: asyncio.Future[None] | None = field(default=None, compare=False)
    """For a request: set by whoever carried it out."""


class State:
    """One run of a workshop as it stands; changed only by `apply()`."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
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
        """step id -> normalised words (ideas: idea ids, and merges) the facilitator hid."""
        self.stages: dict[str, str] = {}
        """step id -> the stage it has moved on to, for a kind with stages (ideas: voting)."""
        self.arrived: dict[str, dict[str, int]] = {}
        """step id -> idea id -> its number in order of arrival (the wall shows the newest)."""
        self._walls: dict[str, list[Idea]] = {}
        """step id -> `wall()`, until an idea or a mark on it changes."""
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

    # --- following ----------------------------------------------------------------

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

    # --- whether an event may be written ---------------------------------------

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
        stage = next((e["stage"] for e in reversed(moves) if e["type"] == "stage" and e["step"] == current),
                     self.stage(current))
        return kind_of(self.workshop.steps[index]).late(event["values"], stage)

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
    # --- applying events ---------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Change the state by one durable event; the only place state changes."""
        kind = event["type"]
        step: str | None = None
        group: str | None = None
        detail: str | None = None
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
            combine = kind_of(self.workshop.step(step)).combine
            self.answers[step][token] = combine(self.answers[step].get(token, {}), event["values"])
            if IDEA_ITEM in event["values"]:
                self._walls.pop(step, None)
            for ident in event["values"].get(IDEA_ITEM, ()):
                arrived = self.arrived.setdefault(step, {})
                arrived.setdefault(ident, len(arrived))
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
        elif kind == "hide" or kind == "merge":
            step = event["step"]
            self.hidden[step].add(event["word"] if kind == "hide" else merge_mark(event["idea"], event["into"]))
            detail = "ballot" if self.stages.get(step) == VOTING else None  # the phones' lists change
            self._walls.pop(step, None)
        elif kind == "stage":
            step = event["step"]
            self.stages[step] = event["stage"]
        elif kind == "close":
            self.participants = self.participant_counts()
            self._forget_phones()
            self.closed = True
        else:
            raise ValueError(f"unknown event type {kind!r}")
        change = Change(kind, step, group, detail)
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
        self._walls = {}
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
                "door": self.door.dump(), "stages": self.stages, "arrived": self.arrived}
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
        self._walls = {}
        self.door.restore(meta.get("door"), list(self.roles))  # older snapshots have none
        self.stages = dict(meta.get("stages", {}))
        self.arrived = {step: dict(order) for step, order in meta.get("arrived", {}).items()}

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

    def stage(self, step_id: str) -> str:
        """The stage of a step of a kind with stages (ideas: gathering, voting); else ""."""
        stages = kind_of(self.workshop.step(step_id)).stages
        return self.stages.get(step_id, stages[0]) if stages else ""

    def wall(self, step_id: str) -> list[Idea]:
        """The ideas of an ideas step as shown: oldest first, hidden ones left out, merged ones together."""
        if step_id not in self._walls:
            phones = (values.get(IDEA_ITEM, {}) for values in self.answers[step_id].values())
            self._walls[step_id] = wall(phones, Marks.of(self.hidden[step_id]), self.arrived.get(step_id))
        return self._walls[step_id]

    def standing(self, token: str, step_id: str) -> Standing | None:
        """What a phone's answer to a step with stages is checked against (core/ideas.py)."""
        if not kind_of(self.workshop.step(step_id)).stages:
            return None
        own = (self.answer_of(token, step_id) or {}).get(IDEA_ITEM, {})
        stage = self.stage(step_id)
        ballot = frozenset(idea.id for idea in self.wall(step_id)) if stage == VOTING else frozenset()
        present = (ident for values in self.answers[step_id].values() for ident in values.get(IDEA_ITEM, {}))
        return Standing(stage, own, ballot, Marks.of(self.hidden[step_id]).among(present),
                        frozenset(self.arrived.get(step_id, {})))

    def voters(self, step_id: str) -> dict[str, int]:
        """How many phones voted on an ideas step, per group."""
        counts = {group.id: 0 for group in self.workshop.groups}
        for token, values in self.answers[step_id].items():
            if VOTES_ITEM in values:
                counts[self.answer_groups[step_id][token]] += 1
        return counts

    def results(self, step_id: str) -> list[ScaleResult] | ChoiceResult | WordsResult | IdeasResult | None:
        """Per-group results of a step, with the privacy threshold applied."""
        step = self.workshop.step(step_id)
        groups = [group.id for group in self.workshop.groups]
        return kind_of(step).results(step, lambda item: self._by_group(step.id, item), groups, self.threshold,
                                     self.hidden[step.id])
