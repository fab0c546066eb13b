"""The journal port: where a session's events are made durable.

A session hands each event to its journal and waits; the journal makes it
durable and then calls the session back. What a journal may ask of the
session is all in `JournalHooks`, four plain callables handed over once by
`Journal.attach()`: a journal knows no session object.

The store's `SessionFolder` is the journal on disk; `MemoryJournal` keeps
nothing, for tests and rehearsals. Both are wired the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from gsdialog.core.errors import AnswerError

Event = dict[str, Any]
"""One change of a session: a small JSON-able dict with a "type"; the journal adds "seq"."""


@dataclass(frozen=True)
class JournalHooks:
    """What a journal may ask of its session."""

    durable: Callable[[Event], None]
    """The event is durable, with its "seq": change the state by it (`Session.apply`)."""
    refusal: Callable[[Event, list[Event], set[str]], str | None]
    """Why the event may no longer be written, or None (`Session.refusal`): asked again
    when its turn comes, with the step and close events and the joined phones ahead of it
    in the same write."""
    problem: Callable[[str], None]
    """A change could not be made durable; the reason (`Session.notify_problem`)."""
    state: Callable[[], dict[str, list[dict[str, Any]]]]
    """The whole state as tables, for a snapshot (`Session.dump_state`). Its "meta" table
    holds id, workshop, code, created, closed and participants."""


class Journal(Protocol):
    """Where events are made durable, in order, each passed to `hooks.durable`."""

    def attach(self, hooks: JournalHooks) -> None:
        """Take the session's hooks; called once, by the session, before any append."""

    async def append(self, event: Event) -> None:
        """Return once the event is durable and `hooks.durable` has seen it;
        AnswerError when it is refused or cannot be written."""

    async def stop(self) -> None:
        """Finish writing what was appended."""


class MemoryJournal:
    """A journal that keeps nothing: for tests and rehearsals without a disk."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.hooks: JournalHooks | None = None
        self.refusal: Callable[[Event, list[Event], set[str]], str | None] | None = None
        """The check each event meets: the session's `hooks.refusal`, unless a test puts another here."""

    def attach(self, hooks: JournalHooks) -> None:
        self.hooks = hooks
        self.refusal = hooks.refusal

    async def append(self, event: Event) -> None:
        assert self.hooks is not None, "attach() first"
        reason = self.refusal(event, [], set()) if self.refusal else None
        if reason is not None:
            raise AnswerError(reason, "the session moved on first")
        event = {**event, "seq": len(self.events) + 1}
        self.events.append(event)
        self.hooks.durable(event)

    async def stop(self) -> None:
        pass
