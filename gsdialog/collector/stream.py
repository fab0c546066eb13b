"""The phones' event stream: where the room is, now and whenever it changes
(server-sent events), with what the phone's page shows there; and the
wake-up of a thousand streams without a task each.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web
from aiohttp_sse import sse_response

from gsdialog.collector import following
from gsdialog.collector.forms import FORMS
from gsdialog.collector.pages import PAGES, own_page, stage_of, step_context
from gsdialog.collector.requests import SECURITY_HEADERS, lang_of, render_text, session_for, token_of
from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import ACCEPTS_ANSWERS, Change, Session

PING_EVERY = 15.0
"""Seconds between the event stream's keep-alive comments (aiohttp_sse's default)."""


class Wake:
    """One event stream's wake-up call: an asyncio.Event whose wait needs no task.

    A thousand phones follow the room; waiting on an asyncio.Event with a
    time limit wraps each wait in a task of its own, this waits on one future.
    """

    def __init__(self) -> None:
        self._set = False
        self._waiter: asyncio.Future[bool] | None = None

    def set(self) -> None:
        self._set = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(True)

    def clear(self) -> None:
        self._set = False

    def is_set(self) -> bool:
        return self._set

    async def wait(self, timeout: float) -> bool:
        """Until set (True), or until `timeout` seconds have passed (False)."""
        if self._set:
            return True
        loop = asyncio.get_running_loop()
        self._waiter = waiter = loop.create_future()
        timer = loop.call_later(timeout, lambda: waiter.done() or waiter.set_result(False))
        try:
            return await waiter
        finally:
            timer.cancel()
            self._waiter = None


class Followers:
    """The phones following the facilitator: one `Wake` each.

    A step change sets every one; each stream then sends the current step.
    Answers are not sent to phones, so a flood of answers costs nothing here,
    ideas included: a gathering page shows only the phone's own ideas. The
    list to vote on is fixed when voting opens (a `stage` change, one wake-up);
    a hide or merge while voting changes it (`detail="ballot"`), and wakes once.
    """

    def __init__(self) -> None:
        self.waiting: set[Wake] = set()
        self.closing = False

    def wake(self, change: Change | None = None) -> None:
        if change is None or change.kind in ("step", "results", "close", "admit", "stage") or change.detail == "ballot":
            for event in self.waiting:
                event.set()

    def shut(self) -> None:
        self.closing = True
        self.wake()


FOLLOWERS = web.AppKey("followers", Followers)


def room_of(session: Session, token: str | None = None) -> dict[str, Any]:
    """Where the room is, for this phone: what every event says. The step is not open for
    a phone that joined after its answers began (until the facilitator lets latecomers in)."""
    room = {"step": session.step.id, "open": session.step_state in ACCEPTS_ANSWERS
            and not session.door.waits(token, session.step.id), "closed": session.closed}
    if stage := stage_of(session):
        room["stage"] = stage
    return room


def phone_event(request: web.Request, session: Session, room: dict[str, Any]) -> str:
    """The event for this phone: where the room is, and what the phone's page shows there.

    `html` is what the page's <main> holds after a reload (step_main.html, or
    the message that the workshop has ended), rendered by the server with
    autoescape; `title` the page's title. live.js swaps them in, so a room
    following a step change asks for no pages. A phone without a stored answer
    gets the event rendered once per step, state, role and language; one with
    an answer to this step sees it (a summary, or the form filled in), from
    that page's skeleton (`own_page`). A phone the session does not know gets
    no content: its page is the role question, which live.js loads.
    """
    lang = lang_of(request)
    pages = request.app[PAGES]
    workshop = session.workshop
    if session.closed:
        key: tuple[object, ...] = ("event", "closed", lang)
        if key not in pages:
            pages[key] = json.dumps({**room, "title": f"{t(lang, 'phone_title')} · {workshop.title.get(lang)}",
                                     "html": render_text(request, "message_main.html", message_key="session_over",
                                                   back=False)})
        return pages[key]  # type: ignore[no-any-return]
    token = token_of(request, session)
    if token is None:
        return json.dumps(room)
    step, role, group = session.step, session.roles[token], session.groups[token]
    stored = session.answer_of(token, step.id)

    def event() -> str:
        if not room["open"] and session.step_state in ACCEPTS_ANSWERS:  # a late phone
            html = render_text(request, "step_main.html",
                               **step_context(session, step, group, role, None, False, None, lang, True))
        else:
            html = own_page(request, session, step, group, role, stored, False, "step_main.html", token)
        return json.dumps({**room, "title": f"{step.title.get(lang)} · {workshop.title.get(lang)}", "html": html})

    if stored is not None or FORMS[kind_of(step)].context is not None:
        return event()
    key = ("event", step.id, session.step_state, role, lang, room["open"])
    if key not in pages:
        pages[key] = event()
    return pages[key]  # type: ignore[no-any-return]


def shown_by(request: web.Request) -> dict[str, Any] | None:
    """What the phone's page shows, as live.js tells it (?step=…&open=…): no need to send it again."""
    step = request.query.get("step")
    if step is None:
        return None
    shown = {"step": step, "open": request.query.get("open") == "true", "closed": False}
    if request.query.get("stage"):
        shown["stage"] = request.query["stage"]
    return shown


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: where the room is, now and whenever it changes,
    with what this phone's page should show there (`phone_event`)."""
    session = session_for(request)
    followers = request.app[FOLLOWERS]
    shown = shown_by(request)
    wake = Wake()
    followers.waiting.add(wake)
    gone = request.app[following.FOLLOWING].opened(token_of(request, session), request)
    try:
        async with sse_response(request, headers=SECURITY_HEADERS, ping_interval=PING_EVERY) as stream:
            following.probe(request)  # a phone in a dead spot is let go in ~20 s, not in minutes
            sent = None  # the first event always says where the room is
            while stream.is_connected():
                # Clear before reading the state: a change while sending wakes us again.
                wake.clear()
                now = room_of(session, token_of(request, session))
                if now != sent:
                    data = json.dumps(now) if now == shown else phone_event(request, session, now)
                    try:
                        await stream.send(data, event="step", retry=following.retry_ms() if sent is None else None)
                    except ConnectionResetError:  # the phone went away while we sent
                        break
                    sent, shown = now, None
                if followers.closing:  # the server stops: the last state was sent
                    break
                # Woken by a change, or now and then to see whether the phone is still
                # there (the stream's pings find that out).
                await wake.wait(PING_EVERY)
        return stream
    finally:
        followers.waiting.discard(wake)
        gone()
