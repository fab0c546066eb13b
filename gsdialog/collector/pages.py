"""The phones' pages, rendered once where they can be: a page that is the same
for every phone of a role once per step, state, role and language
(`cached`), a page with a phone's own answer from a skeleton rendered once
and filled in (`own_page`, filled.py). The handlers (views.py) and the
event stream (stream.py) both show a phone its page through these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from gsdialog.collector.filled import Answer, Skeleton, Slots
from gsdialog.collector.forms import FORMS, left_open
from gsdialog.collector.requests import HTML, lang_of, render, render_text
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import ACCEPTS_ANSWERS, Session
from gsdialog.core.workshop import Step

PAGES = web.AppKey("pages", dict)
"""Pages that are the same for every phone of a role: rendered once (see `cached`)."""


def door_closed(request: web.Request) -> web.Response:
    """What a new phone sees while joining is closed (core/joining.py)."""
    return cached(request, ("door closed",), lambda: render(
        request, "message.html", status=403, message_key="joining_closed", back=False))


def cached(request: web.Request, key: tuple[object, ...], make: Callable[[], web.Response]) -> web.Response:
    """A page that depends only on `key` (and the language), rendered once.

    When a step opens, hundreds of phones ask for the same form at once;
    rendering it once per role and language keeps the server free for the
    answers.
    """
    if "lang" in request.query:
        return make()  # it sets the language cookie
    pages = request.app[PAGES]
    full_key = (*key, lang_of(request))
    if full_key not in pages:
        response = make()
        assert isinstance(response.body, bytes)
        pages[full_key] = (response.status, response.body)
    status, body = pages[full_key]
    return web.Response(body=body, status=status, headers=HTML)


def role_form(request: web.Request, session: Session, token: str | None, status: int = 200,
              error: str | None = None) -> web.Response:
    current = session.roles.get(token) if token else None
    return cached(request, ("role", current, error, status), lambda: render(
        request, "role.html", status=status, roles=session.workshop.roles, current=current, error=error))


def step_page(request: web.Request, session: Session, token: str, status: int = 200,
              error: str | None = None) -> web.Response:
    step = session.step
    group = session.groups[token]
    stored = session.answer_of(token, step.id)
    sent = request.query.get("sent") == step.id and stored is not None
    role = session.roles[token]
    late = session.step_state in ACCEPTS_ANSWERS and session.door.waits(token, step.id)
    if FORMS[kind_of(step)].context is not None:  # shows more than the phone's answer: its own page
        return render_step(request, session, step, group, role, stored, sent, error, status, late, token)
    if stored is None and error is None:
        return cached(request, ("step", step.id, session.step_state, role, late),
                       lambda: render_step(request, session, step, group, role, None, False, None, status, late))
    if error is None and "lang" not in request.query:
        return web.Response(text=own_page(request, session, step, group, role, stored, sent, "step.html"),
                            headers=HTML, status=status)
    return render_step(request, session, step, group, role, stored, sent, error, status, late)


def own_page(request: web.Request, session: Session, step: Step, group: str, role: str,
             stored: dict[str, Any] | None, sent: bool, template: str, token: str = "") -> str:
    """`template` (step.html, step_main.html) with this phone's answer in it: its
    skeleton, rendered once per step, state, role, language and shape, filled in
    (filled.py)."""
    lang = lang_of(request)
    if FORMS[kind_of(step)].context is not None:  # more than the phone's answer: rendered for it
        return render_text(request, template,
                           **step_context(session, step, group, role, stored, sent, None, lang, False, token))
    summary = FORMS[kind_of(step)].summary(step, stored, lang, group) if stored else []
    left = left_open(step, stored)
    key = ("own", template, step.id, session.step_state, role, lang, sent, bool(stored), bool(summary), left)
    pages = request.app[PAGES]
    if key not in pages:
        slots = Slots(bool(stored))
        context = step_context(session, step, group, role, None, sent, None, lang)
        context.update(answer=slots, summary=slots.summary() if summary else [], left=left)
        pages[key] = Skeleton.of(render_text(request, template, **context), slots)
    skeleton = pages[key]
    if skeleton is None:  # the workshop's own text holds a marker: render it for this phone
        return render_text(request, template, **step_context(session, step, group, role, stored, sent, None, lang))
    return skeleton.fill(Answer(stored), summary)  # type: ignore[no-any-return]


def render_step(request: web.Request, session: Session, step: Step, group: str, role: str,
                stored: dict[str, Any] | None, sent: bool, error: str | None, status: int,
                late: bool = False, token: str = "") -> web.Response:
    return render(request, "step.html", status=status,
                  **step_context(session, step, group, role, stored, sent, error, lang_of(request), late, token))


def stage_of(session: Session) -> str:
    """The current step's stage, for a kind with stages, with a number that grows with each
    mark on its ideas (a hide or merge while voting changes the list a phone votes on)."""
    stage = session.stage(session.step.id) if not session.closed else ""
    if stage and stage == kind_of(session.step).stages[-1]:
        return f"{stage}.{len(session.hidden[session.step.id])}"
    return stage


def step_context(session: Session, step: Step, group: str, role: str, stored: dict[str, Any] | None,
                 sent: bool, error: str | None, lang: str, late: bool = False, token: str = "") -> dict[str, Any]:
    """What step.html and step_main.html need for one phone; a `late` one (joined after
    the step's answers began: core/joining.py) is told to wait for the next step instead of a form.
    A form with a context (the ideas to vote on) adds it, for this phone (`token`)."""
    form = FORMS[kind_of(step)]
    extra = form.context(session, step, token) if form.context is not None else {}
    return dict(extra, stage=session.stage(step.id), room_stage=stage_of(session),
        step=step, group=group, state=session.step_state, late=late,
        open=session.step_state in ACCEPTS_ANSWERS and not late,
        role=session.workshop.role(role), answer=Answer(stored), sent=sent, error=error,
        kind=kind_of(step), form=FORMS[kind_of(step)].template,
        summary=FORMS[kind_of(step)].summary(step, stored, lang, group) if stored else [],
        left=left_open(step, stored),
    )
