"""The phones' side: an aiohttp app that serves plain HTML forms.

Every page works without JavaScript; a small script only follows the
facilitator (server-sent events) and counts characters. Forms post, the
answer is stored (and on disk) before the redirect, and the redirect leads to
a GET (post/redirect/get), so a reload never sends twice.

The app knows the session, never the projector: the projector follows the
same session through its own listener.

This module is the factory and the routes; the rest is split as aiohttp's
demos do: requests.py (what every handler needs: keys, language, rendering,
the session and phone of a request, a posted form), middlewares.py,
views.py (the handlers), pages.py (pages rendered once), stream.py (the
event stream and its wake-up), pace.py (how fast phones may join and post).
"""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from gsdialog.collector import following, resend
from gsdialog.collector.middlewares import errors_and_headers
from gsdialog.collector.pace import JoinPace, RateLimit
from gsdialog.collector.pages import PAGES
from gsdialog.collector.requests import LANG, LIMIT, MAX_BODY, PACE, SESSION, TEMPLATES, URLS
from gsdialog.collector.stream import FOLLOWERS, Followers, events
from gsdialog.collector.views import answer, choose_role, index, page, role_page
from gsdialog.core.session import Session


def make_app(session: Session, *, lang: str = "nl", rate: RateLimit | None = None,
             pace: JoinPace | None = None) -> web.Application:
    """The phones' web app for one session; `pace` limits how fast new phones join."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[errors_and_headers])
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
