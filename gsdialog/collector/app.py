"""The phones' side: an aiohttp app that serves plain HTML forms.

Every page works without JavaScript; a small script only follows the
facilitator (server-sent events) and counts characters. Forms post, the
answer is stored (and on disk) before the redirect, and the redirect leads to
a GET (post/redirect/get), so a reload never sends twice.

The app knows the session, never the projector: the projector follows the
same session through its own listener.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import parse_qsl, urlencode
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from aiohttp import web
from aiohttp_sse import sse_response

from gsdialog.core.i18n import LANGUAGES, t
from gsdialog.collector.filled import Answer, Skeleton, Slots
from gsdialog.collector.forms import FORMS, left_open
from gsdialog.collector.pace import JoinPace
from gsdialog.collector import following, resend
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import (
    ACCEPTS_ANSWERS,
    AnswerError,
    Change,
    Session,
    normalise_code,
)
from gsdialog.core.workshop import Step

MAX_BODY = 16 * 1024
"""Bytes in one form post; a words step at its largest needs about 4 KiB."""
MAX_FIELDS = 100
PING_EVERY = 15.0
"""Seconds between the event stream's keep-alive comments (aiohttp_sse's default)."""

# HTTP status for each refusal reason of the session.
STATUS = {
    "step_not_open": 409, "results_shown": 409, "nothing_to_answer": 409, "session_closed": 409,
    "disk_full": 503, "not_saved": 503, "joining_closed": 403, "joined_late": 409,
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
HTML = {"Content-Type": "text/html; charset=utf-8"}
TOKEN_COOKIE = "gsdialog-{code}"
LANG_COOKIE = "gsdialog-lang"


@dataclass
class RateLimit:
    """Posts per phone: a bucket of `burst` posts, refilled at `per_second`."""

    burst: float = 10
    per_second: float = 1.0
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        return True


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
    Answers are not sent to phones, so a flood of answers costs nothing here.
    """

    def __init__(self) -> None:
        self.waiting: set[Wake] = set()
        self.closing = False

    def wake(self, change: Change | None = None) -> None:
        if change is None or change.kind in ("step", "results", "close", "admit"):
            for event in self.waiting:
                event.set()

    def shut(self) -> None:
        self.closing = True
        self.wake()


SESSION = web.AppKey("session", Session)
LANG = web.AppKey("lang", str)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
LIMIT = web.AppKey("limit", RateLimit)
PACE = web.AppKey("pace", JoinPace)
FOLLOWERS = web.AppKey("followers", Followers)
PAGES = web.AppKey("pages", dict)
"""Pages that are the same for every phone of a role: rendered once (see `_cached`)."""
URLS = web.AppKey("urls", dict)
"""Addresses the templates ask for, found once: (route, parts) -> path (see `_url`)."""


def make_app(session: Session, *, lang: str = "nl", rate: RateLimit | None = None,
             pace: JoinPace | None = None) -> web.Application:
    """The phones' web app for one session; `pace` limits how fast new phones join."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_errors_and_headers])
    app[SESSION] = session
    app[LANG] = lang
    app[LIMIT] = rate or RateLimit()
    app[PACE] = pace or JoinPace()
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.PackageLoader("gsdialog.collector", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    app[PAGES] = {}
    app[URLS] = {}
    followers = app[FOLLOWERS] = Followers()
    unsubscribe = session.subscribe(followers.wake)

    async def stop_following(app: web.Application) -> None:
        unsubscribe()
        followers.shut()

    app.on_shutdown.append(stop_following)
    resend.attach(app, session)
    following.attach(app, session)
    app.router.add_get("/", index, name="index")
    app.router.add_static("/static", _static_folder(), name="static", append_version=True)
    app.router.add_get("/{code}", page, name="session")
    app.router.add_get("/{code}/role", role_page, name="role")
    app.router.add_post("/{code}/role", choose_role)
    app.router.add_post("/{code}/answer", answer, name="answer")
    app.router.add_get("/{code}/events", events, name="events")
    return app


def _static_folder() -> Any:
    from importlib.resources import files

    return files("gsdialog.collector") / "static"


# --- rendering -----------------------------------------------------------------


def _lang(request: web.Request) -> str:
    chosen = request.query.get("lang") or _cookie(request, LANG_COOKIE)
    return chosen if chosen in LANGUAGES else request.app[LANG]


def _cookie(request: web.Request, name: str) -> str | None:
    """One cookie's value, the last of that name, as `request.cookies` gives it.

    Only our two cookies are ever read, and their values are plain (a
    URL-safe token, a language code), so the header is split here instead:
    aiohttp parses every cookie into Morsels, a tenth of the work of serving
    a cached page.
    """
    found = None
    for part in request.headers.get("Cookie", "").split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip() == name:
            found = value.strip()
    return found


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    response = web.Response(text=render_text(request, template, **context), content_type="text/html", status=status)
    _remember_lang(request, response)
    return response


def render_text(request: web.Request, template: str, **context: Any) -> str:
    """A template rendered for this request: a whole page, or a part of one
    (what a page's <main> holds, the remote's live parts). What every page
    needs comes along; `context` may replace any of it."""
    lang = _lang(request)
    app = request.app
    session = app[SESSION]
    in_session = normalise_code(request.match_info.get("code", "")) == session.code
    values: dict[str, Any] = {
        "lang": lang,
        "t": lambda key, **values: t(lang, key, **values),
        "url": lambda name, **parts: _url(app, name, **parts),
        "static": lambda path: _url(app, "static", filename=path),
        "workshop": session.workshop,
        "code": session.code,
        "lang_home": _url(app, "session", code=session.code) if in_session else "/",
    }
    values.update(context)
    return app[TEMPLATES].get_template(template).render(values)


def _url(app: web.Application, name: str, **parts: str) -> str:
    """The path of a route, found once. For a static file aiohttp resolves the
    path and reads and hashes the whole file (its ?v= version) each time: about
    a tenth of the work of a thank-you page with twelve questions."""
    key = (name, *sorted(parts.items()))
    urls = app[URLS]
    if key not in urls:
        urls[key] = str(app.router[name].url_for(**parts))
    return urls[key]


def _remember_lang(request: web.Request, response: web.StreamResponse) -> None:
    """A language chosen with ?lang= is kept in a cookie for the next pages."""
    if request.query.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, request.query["lang"], max_age=30 * 24 * 3600,
                            httponly=True, samesite="Lax")


def refusal(request: web.Request, reason: str, status: int) -> web.Response:
    return render(request, "message.html", status=status, message_key=f"error_{reason}", back=True)


@web.middleware
async def _errors_and_headers(request: web.Request,
                              handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                              ) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = refusal(request, "too_large", 413)
    except web.HTTPNotFound:
        response = render(request, "code.html", status=404, unknown=True, typed="")
    except web.HTTPMethodNotAllowed as error:
        response = web.Response(status=error.status, text=error.text, headers=error.headers)
    except UnicodeDecodeError:
        response = refusal(request, "bad_encoding", 400)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# --- the session the phone asks for --------------------------------------------------


def _session_for(request: web.Request) -> Session:
    session = request.app[SESSION]
    code = request.match_info["code"]
    if normalise_code(code) != session.code:
        raise web.HTTPNotFound()
    return session


def _token(request: web.Request, session: Session) -> str | None:
    token = _cookie(request, TOKEN_COOKIE.format(code=session.code))
    return token if token in session.roles else None


def _to_session(request: web.Request, session: Session, sent: str | None = None) -> web.Response:
    """303 to the session's page (post/redirect/get); returned, not raised: making
    an aiohttp HTTPException costs eight times a plain response, and raising it
    through the middleware more."""
    location = _url(request.app, "session", code=session.code)
    if sent is not None:
        location += "?" + urlencode({"sent": sent})
    return web.Response(status=303, headers={"Location": location})


async def _form(request: web.Request) -> list[tuple[str, str]]:
    """The posted fields in order, duplicates kept.

    Our forms post application/x-www-form-urlencoded; anything else carries
    no fields. Invalid UTF-8, raw or percent-encoded, raises
    UnicodeDecodeError; more fields than any form of ours has, 413.
    """
    body = await request.read()
    if request.content_type != "application/x-www-form-urlencoded":
        return []
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                         max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise
    except ValueError:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(body)) from None


# --- handlers ------------------------------------------------------------------------


async def index(request: web.Request) -> web.StreamResponse:
    typed = request.query.get("code", "")
    if typed:
        session = request.app[SESSION]
        if normalise_code(typed) == session.code:
            return _to_session(request, session)
        return render(request, "code.html", status=404, unknown=True, typed=typed[:12])
    return render(request, "code.html", unknown=False, typed="")


async def page(request: web.Request) -> web.StreamResponse:
    session = _session_for(request)
    if request.match_info["code"] != session.code or "lang" in request.query:
        # One address per session, in capitals; the language lives in a cookie.
        response = _to_session(request, session)
        _remember_lang(request, response)
        return response
    if session.closed:
        return render(request, "message.html", message_key="session_over", back=False)
    token = _token(request, session)
    if token is None:
        return _door_closed(request) if not session.door.open else _role_form(request, session, None)
    return _step_page(request, session, token)


def _door_closed(request: web.Request) -> web.Response:
    """What a new phone sees while joining is closed (core/joining.py)."""
    return _cached(request, ("door closed",), lambda: render(
        request, "message.html", status=403, message_key="joining_closed", back=False))


def _cached(request: web.Request, key: tuple[object, ...], make: Callable[[], web.Response]) -> web.Response:
    """A page that depends only on `key` (and the language), rendered once.

    When a step opens, hundreds of phones ask for the same form at once;
    rendering it once per role and language keeps the server free for the
    answers.
    """
    if "lang" in request.query:
        return make()  # it sets the language cookie
    pages = request.app[PAGES]
    full_key = (*key, _lang(request))
    if full_key not in pages:
        response = make()
        assert isinstance(response.body, bytes)
        pages[full_key] = (response.status, response.body)
    status, body = pages[full_key]
    return web.Response(body=body, status=status, headers=HTML)


def _role_form(request: web.Request, session: Session, token: str | None, status: int = 200,
               error: str | None = None) -> web.Response:
    current = session.roles.get(token) if token else None
    return _cached(request, ("role", current, error, status), lambda: render(
        request, "role.html", status=status, roles=session.workshop.roles, current=current, error=error))


def _step_page(request: web.Request, session: Session, token: str, status: int = 200,
               error: str | None = None) -> web.Response:
    step = session.step
    group = session.groups[token]
    stored = session.answer_of(token, step.id)
    sent = request.query.get("sent") == step.id and stored is not None
    role = session.roles[token]
    late = session.step_state in ACCEPTS_ANSWERS and session.door.waits(token, step.id)
    if stored is None and error is None:
        return _cached(request, ("step", step.id, session.step_state, role, late),
                       lambda: _render_step(request, session, step, group, role, None, False, None, status, late))
    if error is None and "lang" not in request.query:
        return web.Response(text=_own_page(request, session, step, group, role, stored, sent, "step.html"),
                            headers=HTML, status=status)
    return _render_step(request, session, step, group, role, stored, sent, error, status, late)


def _own_page(request: web.Request, session: Session, step: Step, group: str, role: str,
              stored: dict[str, Any] | None, sent: bool, template: str) -> str:
    """`template` (step.html, step_main.html) with this phone's answer in it: its
    skeleton, rendered once per step, state, role, language and shape, filled in
    (filled.py)."""
    lang = _lang(request)
    summary = FORMS[kind_of(step)].summary(step, stored, lang, group) if stored else []
    left = left_open(step, stored)
    key = ("own", template, step.id, session.step_state, role, lang, sent, bool(stored), bool(summary), left)
    pages = request.app[PAGES]
    if key not in pages:
        slots = Slots(bool(stored))
        context = _step_context(session, step, group, role, None, sent, None, lang)
        context.update(answer=slots, summary=slots.summary() if summary else [], left=left)
        pages[key] = Skeleton.of(render_text(request, template, **context), slots)
    skeleton = pages[key]
    if skeleton is None:  # the workshop's own text holds a marker: render it for this phone
        return render_text(request, template, **_step_context(session, step, group, role, stored, sent, None, lang))
    return skeleton.fill(Answer(stored), summary)  # type: ignore[no-any-return]


def _render_step(request: web.Request, session: Session, step: Step, group: str, role: str,
                 stored: dict[str, Any] | None, sent: bool, error: str | None, status: int,
                 late: bool = False) -> web.Response:
    return render(request, "step.html", status=status,
                  **_step_context(session, step, group, role, stored, sent, error, _lang(request), late))


def _step_context(session: Session, step: Step, group: str, role: str, stored: dict[str, Any] | None,
                  sent: bool, error: str | None, lang: str, late: bool = False) -> dict[str, Any]:
    """What step.html and step_main.html need for one phone; a `late` one (joined after
    the step's answers began: core/joining.py) is told to wait for the next step instead of a form."""
    return dict(
        step=step, group=group, state=session.step_state, late=late,
        open=session.step_state in ACCEPTS_ANSWERS and not late,
        role=session.workshop.role(role), answer=Answer(stored), sent=sent, error=error,
        kind=kind_of(step), form=FORMS[kind_of(step)].template,
        summary=FORMS[kind_of(step)].summary(step, stored, lang, group) if stored else [],
        left=left_open(step, stored),
    )


async def role_page(request: web.Request) -> web.StreamResponse:
    session = _session_for(request)
    if session.closed:
        return render(request, "message.html", message_key="session_over", back=False)
    token = _token(request, session)
    if token is None and not session.door.open:
        return _door_closed(request)
    return _role_form(request, session, token)


async def choose_role(request: web.Request) -> web.StreamResponse:
    session = _session_for(request)
    fields = await _form(request)
    roles = [value for key, value in fields if key == "role"]
    token = _token(request, session)
    if len(roles) != 1 or any(key != "role" for key, _ in fields):
        return _role_form(request, session, token, status=400, error="error_unknown_role")
    try:
        if token is None:
            session.door.check_join()
            paced = request.app[PACE].refusal(request)
            if paced is not None:
                session.join_refused()
                response = refusal(request, paced, 429)
                response.headers["Retry-After"] = "60"
                return response
            token = await session.join(roles[0])
        else:
            if not request.app[LIMIT].allow(token):
                return refusal(request, "rate", 429)
            await session.set_role(token, roles[0])
    except AnswerError as error:
        if error.reason == "unknown_role":
            return _role_form(request, session, token, status=400, error="error_unknown_role")
        return refusal(request, error.reason, STATUS.get(error.reason, 400))
    response = _to_session(request, session)
    response.set_cookie(TOKEN_COOKIE.format(code=session.code), token, max_age=24 * 3600,
                        httponly=True, samesite="Lax", path="/")
    return response


async def answer(request: web.Request) -> web.StreamResponse:
    session = _session_for(request)
    token = _token(request, session)
    if token is None:
        return _to_session(request, session)
    if not request.app[LIMIT].allow(token):
        return refusal(request, "rate", 429)
    key, fields = resend.take_key(await _form(request))
    if key is not None and (done := resend.sent_before(request.app, session, token, key, fields)) is not None:
        return _to_session(request, session, sent=done)  # stored before: the same 303, nothing written
    try:
        step_id, values = parse_answer(session, fields)
        await session.answer(token, step_id, values)
        resend.acknowledged(request.app, token, key, step_id)
    except AnswerError as error:
        status = STATUS.get(error.reason, 400)
        if status == 400:
            return _step_page(request, session, token, status=400, error=f"error_{error.reason}")
        return refusal(request, error.reason, status)
    return _to_session(request, session, sent=step_id)


def parse_answer(session: Session, fields: list[tuple[str, str]]) -> tuple[str, dict[str, Any]]:
    """The step and values of a posted form, or AnswerError saying what is wrong."""
    steps = [value for key, value in fields if key == "step"]
    if len(steps) != 1:
        raise AnswerError("missing", "step")
    step_id = steps[0]
    if step_id != session.step.id:
        raise AnswerError("step_not_open", step_id[:40])
    step = session.step
    parse = FORMS[kind_of(step)].parse
    if parse is None:
        raise AnswerError("nothing_to_answer", step_id)
    return step_id, parse(step, [(key, value) for key, value in fields if key != "step"])


def _room(session: Session, token: str | None = None) -> dict[str, Any]:
    """Where the room is, for this phone: what every event says. The step is not open for
    a phone that joined after its answers began (until the facilitator lets latecomers in)."""
    return {"step": session.step.id, "open": session.step_state in ACCEPTS_ANSWERS
            and not session.door.waits(token, session.step.id), "closed": session.closed}


def _phone_event(request: web.Request, session: Session, room: dict[str, Any]) -> str:
    """The event for this phone: where the room is, and what the phone's page shows there.

    `html` is what the page's <main> holds after a reload (step_main.html, or
    the message that the workshop has ended), rendered by the server with
    autoescape; `title` the page's title. live.js swaps them in, so a room
    following a step change asks for no pages. A phone without a stored answer
    gets the event rendered once per step, state, role and language; one with
    an answer to this step sees it (a summary, or the form filled in), from
    that page's skeleton (`_own_page`). A phone the session does not know gets
    no content: its page is the role question, which live.js loads.
    """
    lang = _lang(request)
    pages = request.app[PAGES]
    workshop = session.workshop
    if session.closed:
        key: tuple[object, ...] = ("event", "closed", lang)
        if key not in pages:
            pages[key] = json.dumps({**room, "title": f"{t(lang, 'phone_title')} · {workshop.title.get(lang)}",
                                     "html": render_text(request, "message_main.html", message_key="session_over",
                                                   back=False)})
        return pages[key]  # type: ignore[no-any-return]
    token = _token(request, session)
    if token is None:
        return json.dumps(room)
    step, role, group = session.step, session.roles[token], session.groups[token]
    stored = session.answer_of(token, step.id)

    def event() -> str:
        if not room["open"] and session.step_state in ACCEPTS_ANSWERS:  # a late phone
            html = render_text(request, "step_main.html",
                               **_step_context(session, step, group, role, None, False, None, lang, True))
        else:
            html = _own_page(request, session, step, group, role, stored, False, "step_main.html")
        return json.dumps({**room, "title": f"{step.title.get(lang)} · {workshop.title.get(lang)}", "html": html})

    if stored is not None:
        return event()
    key = ("event", step.id, session.step_state, role, lang, room["open"])
    if key not in pages:
        pages[key] = event()
    return pages[key]  # type: ignore[no-any-return]


def _shown(request: web.Request) -> dict[str, Any] | None:
    """What the phone's page shows, as live.js tells it (?step=…&open=…): no need to send it again."""
    step = request.query.get("step")
    return None if step is None else {"step": step, "open": request.query.get("open") == "true", "closed": False}


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: where the room is, now and whenever it changes,
    with what this phone's page should show there (`_phone_event`)."""
    session = _session_for(request)
    followers = request.app[FOLLOWERS]
    shown = _shown(request)
    wake = Wake()
    followers.waiting.add(wake)
    gone = request.app[following.FOLLOWING].opened(_token(request, session), request)
    try:
        async with sse_response(request, headers=SECURITY_HEADERS, ping_interval=PING_EVERY) as stream:
            following.probe(request)  # a phone in a dead spot is let go in ~20 s, not in minutes
            sent = None  # the first event always says where the room is
            while stream.is_connected():
                # Clear before reading the state: a change while sending wakes us again.
                wake.clear()
                now = _room(session, _token(request, session))
                if now != sent:
                    data = json.dumps(now) if now == shown else _phone_event(request, session, now)
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
