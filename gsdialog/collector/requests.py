"""What every handler of the phones' server needs: the app's keys, the
request's language and cookies, rendering a template, the session and
phone a request is for, a posted form, and the limits and headers every
response keeps to. `views.py` (the phones' pages), `stream.py` (their event
stream) and `remote.py` (the facilitator's remote) all use these.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import jinja2
from aiohttp import web

from gsdialog.collector.pace import JoinPace, RateLimit
from gsdialog.core.i18n import translator
from gsdialog.core.languages import accepted, language
from gsdialog.core.session import Session, normalise_code

MAX_BODY = 16 * 1024
"""Bytes in one form post; a words step at its largest needs about 4 KiB."""
MAX_FIELDS = 100

# HTTP status for each refusal reason of the session.
STATUS = {
    "step_not_open": 409, "results_shown": 409, "nothing_to_answer": 409, "session_closed": 409,
    "disk_full": 503, "not_saved": 503, "joining_closed": 403, "joined_late": 409,
    "gathering_closed": 409, "voting_not_open": 409,
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

SESSION = web.AppKey("session", Session)
LANG = web.AppKey("lang", str)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
LIMIT = web.AppKey("limit", RateLimit)
PACE = web.AppKey("pace", JoinPace)
URLS = web.AppKey("urls", dict)
"""Addresses the templates ask for, found once: (route, parts) -> path (see `url_for`)."""


# --- rendering -----------------------------------------------------------------


def lang_of(request: web.Request) -> str:
    """The page's language: chosen (?lang=, then the cookie), else the browser's
    Accept-Language, else the workshop's first. A participant's page offers
    the workshop's languages; the facilitator's remote (a route with a
    secret) the facilitator's, and the projector's language first."""
    workshop = request.app[SESSION].workshop
    if "secret" in request.match_info:
        offered = workshop.facilitator
        default = request.app[LANG] if request.app[LANG] in offered else offered[0]
    else:
        offered = workshop.languages
        default = offered[0]
    chosen = request.query.get("lang") or cookie_value(request, LANG_COOKIE)
    if chosen in offered:
        return chosen
    return accepted(request.headers.get("Accept-Language", ""), offered) or default


def cookie_value(request: web.Request, name: str) -> str | None:
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
    remember_lang(request, response)
    return response


def render_text(request: web.Request, template: str, **context: Any) -> str:
    """A template rendered for this request: a whole page, or a part of one
    (what a page's <main> holds, the remote's live parts). What every page
    needs comes along; `context` may replace any of it."""
    lang = lang_of(request)
    app = request.app
    session = app[SESSION]
    in_session = normalise_code(request.match_info.get("code", "")) == session.code
    offered = session.workshop.facilitator if "secret" in request.match_info else session.workshop.languages
    values: dict[str, Any] = {
        "lang": lang,
        "dir": language(lang).direction,
        "languages": [language(code) for code in offered] if len(offered) > 1 else [],
        "t": translator(lang, session.workshop.languages[0]),
        "url": lambda name, **parts: url_for(app, name, **parts),
        "static": lambda path: url_for(app, "static", filename=path),
        "workshop": session.workshop,
        "code": session.code,
        "lang_home": url_for(app, "session", code=session.code) if in_session else "/",
    }
    values.update(context)
    return app[TEMPLATES].get_template(template).render(values)


def url_for(app: web.Application, name: str, **parts: str) -> str:
    """The path of a route, found once. For a static file aiohttp resolves the
    path and reads and hashes the whole file (its ?v= version) each time: about
    a tenth of the work of a thank-you page with twelve questions."""
    key = (name, *sorted(parts.items()))
    urls = app[URLS]
    if key not in urls:
        urls[key] = str(app.router[name].url_for(**parts))
    return urls[key]


def remember_lang(request: web.Request, response: web.StreamResponse) -> None:
    """A language chosen with ?lang= is kept in a cookie for the next pages."""
    if request.query.get("lang") in request.app[SESSION].workshop.languages:
        response.set_cookie(LANG_COOKIE, request.query["lang"], max_age=30 * 24 * 3600,
                            httponly=True, samesite="Lax")


def refusal(request: web.Request, reason: str, status: int) -> web.Response:
    return render(request, "message.html", status=status, message_key=f"error_{reason}", back=True)


# --- the session the phone asks for --------------------------------------------------


def session_for(request: web.Request) -> Session:
    session = request.app[SESSION]
    code = request.match_info["code"]
    if normalise_code(code) != session.code:
        raise web.HTTPNotFound()
    return session


def token_of(request: web.Request, session: Session) -> str | None:
    token = cookie_value(request, TOKEN_COOKIE.format(code=session.code))
    return token if token in session.roles else None


def to_session(request: web.Request, session: Session, sent: str | None = None) -> web.Response:
    """303 to the session's page (post/redirect/get); returned, not raised: making
    an aiohttp HTTPException costs eight times a plain response, and raising it
    through the middleware more."""
    location = url_for(request.app, "session", code=session.code)
    if sent is not None:
        location += "?" + urlencode({"sent": sent})
    return web.Response(status=303, headers={"Location": location})


async def read_form(request: web.Request) -> list[tuple[str, str]]:
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
