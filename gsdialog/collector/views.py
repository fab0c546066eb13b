"""The phones' pages and forms: the handlers of make_app's routes (but the event stream, stream.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gsdialog.collector import resend
from gsdialog.collector.forms import FORMS
from gsdialog.collector.pages import door_closed, role_form, step_page
from gsdialog.collector.requests import (LIMIT, PACE, SESSION, STATUS, TOKEN_COOKIE, read_form, refusal, remember_lang,
                                         render, session_for, to_session, token_of)
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import AnswerError, Session, normalise_code


async def index(request: web.Request) -> web.StreamResponse:
    typed = request.query.get("code", "")
    if typed:
        session = request.app[SESSION]
        if normalise_code(typed) == session.code:
            return to_session(request, session)
        return render(request, "code.html", status=404, unknown=True, typed=typed[:12])
    return render(request, "code.html", unknown=False, typed="")


async def page(request: web.Request) -> web.StreamResponse:
    session = session_for(request)
    if request.match_info["code"] != session.code or "lang" in request.query:
        # One address per session, in capitals; the language lives in a cookie.
        response = to_session(request, session)
        remember_lang(request, response)
        return response
    if session.closed:
        return render(request, "message.html", message_key="session_over", back=False)
    token = token_of(request, session)
    if token is None:
        return door_closed(request) if not session.door.open else role_form(request, session, None)
    return step_page(request, session, token)


async def role_page(request: web.Request) -> web.StreamResponse:
    session = session_for(request)
    if session.closed:
        return render(request, "message.html", message_key="session_over", back=False)
    token = token_of(request, session)
    if token is None and not session.door.open:
        return door_closed(request)
    return role_form(request, session, token)


async def choose_role(request: web.Request) -> web.StreamResponse:
    session = session_for(request)
    fields = await read_form(request)
    roles = [value for key, value in fields if key == "role"]
    token = token_of(request, session)
    if len(roles) != 1 or any(key != "role" for key, _ in fields):
        return role_form(request, session, token, status=400, error="error_unknown_role")
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
            return role_form(request, session, token, status=400, error="error_unknown_role")
        return refusal(request, error.reason, STATUS.get(error.reason, 400))
    response = to_session(request, session)
    response.set_cookie(TOKEN_COOKIE.format(code=session.code), token, max_age=24 * 3600,
                        httponly=True, samesite="Lax", path="/")
    return response


async def answer(request: web.Request) -> web.StreamResponse:
    session = session_for(request)
    token = token_of(request, session)
    if token is None:
        return to_session(request, session)
    if not request.app[LIMIT].allow(token):
        return refusal(request, "rate", 429)
    key, fields = resend.take_key(await read_form(request))
    if key is not None and (done := resend.sent_before(request.app, session, token, key, fields)) is not None:
        return to_session(request, session, sent=done)  # stored before: the same 303, nothing written
    try:
        step_id, values = parse_answer(session, fields)
        await session.answer(token, step_id, values)
        resend.acknowledged(request.app, token, key, step_id)
    except AnswerError as error:
        status = STATUS.get(error.reason, 400)
        if status == 400:
            return step_page(request, session, token, status=400, error=f"error_{error.reason}")
        return refusal(request, error.reason, status)
    return to_session(request, session, sent=step_id)


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
