"""Which phones follow the room now, and how soon a lost stream comes back.

Every phone page with JavaScript holds an event stream (`app.events`). The
streams open now, per joined phone, tell the facilitator who would see the
next step at once: a corner of the room that lost the network shows up as
"22 of 24 phones following" on the projector and the remote
(`Session.following`). The count is made at most `REPORT_EVERY` times a
second, so a thousand phones coming back after a restart cost a few counts,
not a thousand.

A stream that breaks is opened again by the browser after the `retry:` the
server sent it; each stream gets its own, between `RETRY_MS` and
`RETRY_MS + RETRY_JITTER_MS`, so a hall of phones that lost the laptop at
the same moment does not knock at the same moment when it is back.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable

from aiohttp import web

from gsdialog.core.session import Change, Session

RETRY_MS = 1000
RETRY_JITTER_MS = 2000
REPORT_EVERY = 0.25
"""Seconds between two counts of the phones following."""


def retry_ms() -> int:
    """The wait before this stream's browser opens it again, once it broke."""
    return RETRY_MS + random.randrange(RETRY_JITTER_MS)


class Following:
    """The device tokens of the open event streams, with how many each has open."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.open: Counter[str] = Counter()
        self._soon: asyncio.TimerHandle | None = None

    def opened(self, token: str | None) -> Callable[[], None]:
        """A stream opened for `token` (None: a phone the session does not know);
        returns what to call when it closes."""
        if token is None:
            return lambda: None
        self.open[token] += 1
        self._count_soon()

        def closed() -> None:
            self.open[token] -= 1
            if self.open[token] <= 0:
                del self.open[token]
            self._count_soon()

        return closed

    def heard(self, change: Change) -> None:
        if change.kind in ("join", "role") and self.open:  # a following phone's group may have changed
            self._count_soon()

    def _count_soon(self) -> None:
        if self._soon is None:
            self._soon = asyncio.get_running_loop().call_later(REPORT_EVERY, self.count)

    def count(self) -> None:
        self._soon = None
        session = self.session
        if session.closed:
            return
        counts = {group.id: 0 for group in session.workshop.groups}
        for token in self.open:
            group = session.groups.get(token)
            if group is not None and token in session.roles:
                counts[group] += 1
        session.set_following(counts)

    def stop(self) -> None:
        if self._soon is not None:
            self._soon.cancel()
            self._soon = None


FOLLOWING = web.AppKey("following", Following)


def attach(app: web.Application, session: Session) -> None:
    """Count `app`'s event streams for `session`, for as long as it serves."""
    present = app[FOLLOWING] = Following(session)
    unsubscribe = session.subscribe(present.heard)

    async def stop(app: web.Application) -> None:
        unsubscribe()
        present.stop()

    app.on_cleanup.append(stop)
