"""The facilitator's remote: a page on their own phone, behind a secret link.

It shows the current step, its notes, the next step and the time against the
plan, and has buttons for previous, next, results, the pairs timer and a
blank screen. Like the phones' pages it works without JavaScript (forms,
post/redirect/get) and follows the session live with a script.

What it does goes through the session: results, timer and blank are session
commands; next and previous are requests that the projector carries out as
its own clicker keys (`Session.request`). This module never calls the
projector.

Security: the link is /CODE/remote/SECRET. What protects it is the secret
itself: 192 bits (`store/remote.py`), which nobody guesses, however many
tries. It is read from its file for every request and compared in constant
time, so a new secret ends the old link at once, and an open event stream
on the old secret ends within a second (it looks at the file that often).
Without it every path is a 404 that changes nothing, whatever cookie comes
along. Wrong guesses share one rate limit, but it is checked after the
secret, so it does not slow guessing down: it only keeps a flood of wrong
guesses from costing the server pages. Every action is a POST that carries
a token derived from the secret; a browser's cross-site request is refused
(Sec-Fetch-Site, or, from a browser that sends no Sec-Fetch-Site, an Origin
that is not this server).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp_sse import EventSourceResponse, sse_response

from gsdialog.collector.requests import (LIMIT, SECURITY_HEADERS, STATUS, lang_of, read_form, render, render_text,
                                         session_for)
from gsdialog.collector.stream import FOLLOWERS
from gsdialog.core.errors import AnswerError
from gsdialog.core.kinds import kind_of
from gsdialog.core.plan import mm_ss
from gsdialog.core.session import ACCEPTS_ANSWERS, RESULTS, Change, Session
from gsdialog.core.text import simple_markdown

ACTIONS = ("next", "previous", "results", "timer", "blank", "new_link", "door", "admit")
PARTS = ("status", "controls", "about")
"""The page's live parts, each a template `remote_<part>.html`, swapped on its own by remote.js."""
NO_STORE = {"Cache-Control": "no-store"}
MISSES = "remote: wrong secret"
"""The rate limit's key for guesses at the link, from anyone."""
REFRESH_SECONDS = 20
"""The live page is sent again this often at the least: the minutes move on
(every second while a pairs timer runs)."""
SETTLE_SECONDS = 0.5
"""Changes within this time share one update: a flood of answers costs the remote little."""
SECRET_CHECK_SECONDS = 0.4
"""An open stream looks at the secret's file this often: a new link (from this server or from
`gsdialog remote --new` in another process) ends the old link's stream within a second."""


class Secrets(Protocol):
    """Where the remote's secret is kept (`gsdialog.store.remote.RemoteSecret`)."""

    def read(self) -> str | None: ...

    def new(self) -> str: ...


SECRETS = web.AppKey("remote_secrets", Secrets)
ORIGINS = web.AppKey("remote_origins", frozenset)
"""Where the remote's own pages come from besides the request's Host: the --public-url."""


class NoStoreEventSource(EventSourceResponse):
    """An event stream that says `Cache-Control: no-store`: aiohttp-sse sets
    `no-cache` over whatever headers it is given, the secret's stream must not
    be stored by anything on the way."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.headers["Cache-Control"] = "no-store"


def add_remote(app: web.Application, secrets: Secrets, *, public_url: str | None = None) -> None:
    """Give the phones' app (`make_app`) the remote's pages."""
    app[SECRETS] = secrets
    app[ORIGINS] = frozenset({urlsplit(public_url).netloc.lower()} if public_url else ())
    app.router.add_get("/{code}/remote/{secret}", remote_page, name="remote")
    app.router.add_post("/{code}/remote/{secret}", remote_action)
    app.router.add_get("/{code}/remote/{secret}/events", remote_events, name="remote_events")


def remote_url(join_url: str, secret: str) -> str:
    """The remote's link, beside the phones' join address."""
    return f"{join_url.rstrip('/')}/remote/{secret}"


def form_token(secret: str) -> str:
    """The token every remote form carries: made from the secret, so a new secret ends old forms too."""
    return hmac.new(secret.encode(), b"gsdialog remote form", hashlib.sha256).hexdigest()


def _checked(request: web.Request) -> tuple[Session, str] | web.Response:
    """The session and the secret; or, changing nothing, a 404 that says the link
    does not work (429 after many wrong guesses, from anyone)."""
    session = session_for(request)
    secret = request.app[SECRETS].read()
    given = request.match_info["secret"]
    if secret is not None and hmac.compare_digest(given.encode(), secret.encode()):
        return session, secret
    if not request.app[LIMIT].allow(MISSES):
        return web.Response(status=429, text="Too many tries.", headers=NO_STORE)
    response = render(request, "message.html", status=404, message_key="remote_link_ended", back=False)
    response.headers.update(NO_STORE)
    return response


def _remote_url(request: web.Request, session: Session, secret: str, **query: str) -> str:
    url = request.app.router["remote"].url_for(code=session.code, secret=secret)
    return str(url.with_query(query) if query else url)


def _context(request: web.Request, session: Session, secret: str) -> dict[str, Any]:
    lang = lang_of(request)
    step, workshop = session.step, session.workshop
    index = session.step_index
    following = workshop.steps[index + 1] if index + 1 < len(workshop.steps) else None
    progress = session.progress()
    countdown = session.countdown(step.id) if step.rounds else None
    now = session.clock()
    return {
        "step": step, "kind": kind_of(step), "state": session.step_state, "following": following,
        "open": session.step_state in ACCEPTS_ANSWERS, "results_shown": session.step_state == RESULTS,
        "total": len(workshop.steps), "progress": progress,
        "behind": round(progress.behind), "spent": int(progress.spent), "planned": round(progress.planned),
        "countdown": countdown, "timer_left": mm_ss(countdown.remaining(now)) if countdown else "",
        "timer_over": bool(countdown and countdown.running and countdown.over(now)),
        "last_round": bool(countdown and countdown.round + 1 >= len(step.rounds)),
        "blank": session.blank, "closed": session.closed, "door_open": session.door.open,
        "waiting": session.door.waiting(step.id) if session.step_state in ACCEPTS_ANSWERS else 0,
        "joined": session.participant_counts(), "live": session.following,
        "answered": session.answer_counts(step.id) if kind_of(step).asks else None,
        "notes": simple_markdown(step.notes.get(lang)) if step.notes is not None else None,
        "token": form_token(secret),
        "action": _remote_url(request, session, secret),
        "events": str(request.app.router["remote_events"].url_for(code=session.code, secret=secret)),
        "lang_home": _remote_url(request, session, secret),
        "ended": False,
    }


def _page(request: web.Request, session: Session, secret: str, *, status: int = 200,
          message: str | None = None) -> web.Response:
    response = render(request, "remote.html", status=status, message=message, new=request.query.get("new") == "1",
                      **_context(request, session, secret))
    response.headers.update(NO_STORE)
    return response


async def remote_page(request: web.Request) -> web.StreamResponse:
    checked = _checked(request)
    if isinstance(checked, web.Response):
        return checked
    session, secret = checked
    session.remote_used()
    return _page(request, session, secret)


async def remote_action(request: web.Request) -> web.StreamResponse:
    checked = _checked(request)
    if isinstance(checked, web.Response):
        return checked
    session, secret = checked
    fields = dict(await read_form(request))
    if not _same_site(request) or \
            not hmac.compare_digest(fields.get("token", "").encode(), form_token(secret).encode()):
        return _page(request, session, secret, status=403, message="error_forbidden")
    if not request.app[LIMIT].allow("remote"):
        return _page(request, session, secret, status=429, message="error_rate")
    action = fields.get("do", "")
    if action not in ACTIONS:
        return _page(request, session, secret, status=400, message="not_this_step")
    session.remote_used()
    try:
        if action == "new_link":
            return _see_other(_remote_url(request, session, request.app[SECRETS].new(), new="1"))
        if action in ("next", "previous"):
            if not await session.request(action):
                return _page(request, session, secret, status=503, message="remote_no_projector")
        elif action == "results":
            if not kind_of(session.step).reveals:
                return _page(request, session, secret, status=409, message="not_this_step")
            await session.show_results()
        elif action == "timer":
            await session.toggle_timer()
        elif action == "blank":
            await session.set_blank(not session.blank)
        elif action == "door":
            await session.set_joining(not session.door.open)
        elif action == "admit":
            await session.admit_late()
    except AnswerError as error:
        key = "not_this_step" if error.reason == "no_timer" else f"error_{error.reason}"
        return _page(request, session, secret, status=STATUS.get(error.reason, 409), message=key)
    return _see_other(_remote_url(request, session, secret))


def _same_site(request: web.Request) -> bool:
    """Whether a POST comes from the remote's own page: a browser says so with
    Sec-Fetch-Site; one too old for that sends Origin, which must be this
    server (its Host, or the --public-url). A request without either is no
    browser's cross-site form (curl, say), and still needs the secret and the token."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    netloc = urlsplit(origin).netloc.lower()
    return bool(netloc) and (netloc == request.host.lower() or netloc in request.app.get(ORIGINS, ()))


def _see_other(location: str) -> web.Response:
    """Post/redirect/get; returned, so the middleware adds the security headers."""
    return web.Response(status=303, headers={"Location": location, **NO_STORE})


async def remote_events(request: web.Request) -> web.StreamResponse:
    """The remote's live parts (`PARTS`) again whenever the session changed (at
    most twice a second), and now and then for the clock (`_next_refresh`).
    A new link ends the stream, after saying so; so does the server's end,
    after the last state."""
    checked = _checked(request)
    if isinstance(checked, web.Response):
        return checked
    session, secret = checked
    followers = request.app[FOLLOWERS]
    changed = asyncio.Event()
    stop_listening: Callable[[], None] = session.subscribe(lambda change: _wake(changed, change))
    followers.waiting.add(changed)  # the server stopping wakes it too
    secrets = request.app[SECRETS]
    try:
        async with sse_response(request, headers=SECURITY_HEADERS, response_cls=NoStoreEventSource) as stream:
            sent: dict[str, str] = {}
            while stream.is_connected():
                changed.clear()
                ended = secrets.read() != secret
                context = {**_context(request, session, secret), "ended": ended}
                parts = {part: render_text(request, f"remote_{part}.html", **context) for part in PARTS}
                if parts != sent:
                    try:
                        await stream.send(json.dumps({**parts, "ended": ended}), event="state")
                    except ConnectionResetError:
                        break
                    sent = parts
                if ended or session.closed or followers.closing:
                    break
                if await _wait(changed, _next_refresh(session), lambda: secrets.read() != secret) \
                        and not session.closed:
                    await asyncio.sleep(SETTLE_SECONDS)
        return stream
    finally:
        stop_listening()
        followers.waiting.discard(changed)


async def _wait(changed: asyncio.Event, seconds: float, ended: Callable[[], bool]) -> bool:
    """Until the session changed (True), `seconds` passed or the link `ended` (False);
    the link is looked at every `SECRET_CHECK_SECONDS`."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    while (left := until - loop.time()) > 0:
        try:
            await asyncio.wait_for(changed.wait(), min(left, SECRET_CHECK_SECONDS))
            return True
        except TimeoutError:
            if ended():
                return False
    return False


def _next_refresh(session: Session) -> float:
    """Seconds until the page must be sent again though nothing changed: the
    pairs timer's seconds while it runs, else the minutes against the plan."""
    step = session.step
    if step.rounds:
        countdown = session.countdown(step.id)
        if countdown.running and not countdown.over(session.clock()):
            return 1.0
    return REFRESH_SECONDS


def _wake(changed: asyncio.Event, change: Change) -> None:
    if change.kind not in ("request", "remote_used"):  # neither changes what the remote shows
        changed.set()
