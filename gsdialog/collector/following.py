"""Which phones follow the room now, and how soon a lost stream comes back.

Every phone page with JavaScript holds an event stream (`app.events`). The
streams open now, per joined phone, tell the facilitator who would see the
next step at once: a corner of the room that lost the network shows up as
"22 of 24 phones following" on the projector and the remote
(`Session.following`). The count is made at most `REPORT_EVERY` times a
second, so a thousand phones coming back after a restart cost a few counts,
not a thousand.

A phone that walks into a dead spot says nothing: no connection is closed.
Its stream's socket asks the system to probe the phone (`System.probe`:
TCP keepalive, and a limit on unacknowledged data), so that the connection
is dropped some 20 seconds after the phone went quiet; the count looks
again every `CHECK_EVERY` seconds and leaves such a stream out.

A stream that breaks is opened again by the browser after the `retry:` the
server sent it; each stream gets its own, between `RETRY_MS` and
`RETRY_MS + RETRY_JITTER_MS`, so a hall of phones that lost the laptop at
the same moment does not knock at the same moment when it is back.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Callable

from aiohttp import web

from gsdialog import system
from gsdialog.core.session import Change, Session

RETRY_MS = 1000
RETRY_JITTER_MS = 2000
REPORT_EVERY = 0.25
"""Seconds between two counts of the phones following."""
CHECK_EVERY = 5.0
"""Seconds between two looks for streams whose connection was dropped meanwhile."""


def retry_ms() -> int:
    """The wait before this stream's browser opens it again, once it broke."""
    return RETRY_MS + random.randrange(RETRY_JITTER_MS)


class Following:
    """The open event streams: per stream, its phone's device token and its request."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.open: dict[int, tuple[str, web.BaseRequest]] = {}
        self._soon: asyncio.TimerHandle | None = None
        self._check: asyncio.TimerHandle | None = None

    def opened(self, token: str | None, request: web.BaseRequest) -> Callable[[], None]:
        """A stream opened for `token` (None: a phone the session does not know);
        returns what to call when it closes."""
        if token is None:
            return lambda: None
        key = id(request)
        self.open[key] = (token, request)
        self._count_soon()
        if self._check is None:
            self._check = asyncio.get_running_loop().call_later(CHECK_EVERY, self._look_again)

        def closed() -> None:
            self.open.pop(key, None)
            self._count_soon()

        return closed

    def heard(self, change: Change) -> None:
        if change.kind in ("join", "role") and self.open:  # a following phone's group may have changed
            self._count_soon()

    def _count_soon(self) -> None:
        if self._soon is None:
            self._soon = asyncio.get_running_loop().call_later(REPORT_EVERY, self.count)

    def _look_again(self) -> None:
        self._check = None
        self.count()
        if self.open:
            self._check = asyncio.get_running_loop().call_later(CHECK_EVERY, self._look_again)

    def count(self) -> None:
        if self._soon is not None:
            self._soon.cancel()
            self._soon = None
        session = self.session
        if session.closed:
            return
        counts = {group.id: 0 for group in session.workshop.groups}
        following = set()
        for token, request in self.open.values():
            transport = request.transport
            if transport is not None and not transport.is_closing():
                following.add(token)
        for token in following:
            group = session.groups.get(token)
            if group is not None and token in session.roles:
                counts[group] += 1
        session.set_following(counts)

    def stop(self) -> None:
        for handle in (self._soon, self._check):
            if handle is not None:
                handle.cancel()
        self._soon = self._check = None


def probe(request: web.BaseRequest) -> None:
    """Have the system drop this stream's connection some 20 seconds after its
    phone went quiet (`System.probe`). Called once the stream is open: aiohttp_sse
    sets its own limit for unacknowledged data (two minutes) when it opens one."""
    transport = request.transport
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        system.current().probe(sock)


FOLLOWING = web.AppKey("following", Following)


def attach(app: web.Application, session: Session) -> None:
    """Count `app`'s event streams for `session`, for as long as it serves."""
    present = app[FOLLOWING] = Following(session)
    unsubscribe = session.subscribe(present.heard)

    async def stop(app: web.Application) -> None:
        unsubscribe()
        present.stop()

    app.on_cleanup.append(stop)
