"""An answer sent again: acknowledged once, never counted twice.

With JavaScript a phone posts its answer by script (static/send.js), with a
key of its own for that answer (the field `key`), keeps it until the server
has acknowledged it, and sends it again when it heard nothing back: the
network dropped, the laptop restarted. The first post may have been stored
all the same, its 303 lost on the way. A post again with a key this server
acknowledged gets that same 303 (`/{code}?sent=STEP`) and changes nothing;
so does a post that is what the phone's stored answer already says (a
restart forgot the keys, or the same answer came twice). Anything else is an
answer like any other: stored when its step is open, refused when not (the
results are on the screen: not counted).

The keys live in memory only, per phone, the last `KEEP` of each, and are
forgotten when the session closes, as the phones are. Without JavaScript a
form posts no key, and nothing here applies.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from aiohttp import web

from gsdialog.collector.forms import FORMS
from gsdialog.core.errors import AnswerError
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import Change, Session

KEY_FIELD = "key"
KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
KEEP = 32
"""Keys remembered per phone: a phone sends one answer at a time."""


class Sent:
    """Per device token, the keys of its acknowledged answers: key -> step id."""

    def __init__(self) -> None:
        self.keys: dict[str, OrderedDict[str, str]] = {}

    def step_of(self, token: str, key: str) -> str | None:
        return self.keys.get(token, {}).get(key)

    def remember(self, token: str, key: str, step_id: str) -> None:
        keys = self.keys.setdefault(token, OrderedDict())
        keys[key] = step_id
        while len(keys) > KEEP:
            keys.popitem(last=False)

    def heard(self, change: Change) -> None:
        if change.kind == "close":  # the phones are forgotten: their keys too
            self.keys.clear()


SENT = web.AppKey("sent", Sent)


def attach(app: web.Application, session: Session) -> None:
    """Give `app` its memory of acknowledged keys, for as long as it serves."""
    sent = app[SENT] = Sent()
    unsubscribe = session.subscribe(sent.heard)

    async def stop(app: web.Application) -> None:
        unsubscribe()

    app.on_shutdown.append(stop)


def take_key(fields: list[tuple[str, str]]) -> tuple[str | None, list[tuple[str, str]]]:
    """The post's key (None without one, or when it is not a key we make) and the other fields."""
    keys = [value for name, value in fields if name == KEY_FIELD]
    rest = [(name, value) for name, value in fields if name != KEY_FIELD]
    key = keys[0] if len(keys) == 1 and KEY_RE.fullmatch(keys[0]) else None
    return key, rest


def sent_before(app: web.Application, session: Session, token: str, key: str,
                fields: list[tuple[str, str]]) -> str | None:
    """The step of this answer when it needs no storing: its key was
    acknowledged before, or the phone's stored answer already says it."""
    known = app[SENT].step_of(token, key)
    if known is not None:
        return known
    steps = [value for name, value in fields if name == "step"]
    if len(steps) != 1:
        return None
    stored = session.answer_of(token, steps[0])
    if stored is None:
        return None
    step = session.workshop.step(steps[0])  # it has an answer: it is a step of the workshop
    parse = FORMS[kind_of(step)].parse
    if parse is None:
        return None
    try:
        values: dict[str, Any] = session.check_values(step, parse(step, [f for f in fields if f[0] != "step"]),
                                                      session.standing(token, step.id))
    except AnswerError:
        return None
    if all(kind_of(step).combine(stored, values).get(item) == stored.get(item) for item in values):
        app[SENT].remember(token, key, step.id)
        return step.id
    return None


def acknowledged(app: web.Application, token: str, key: str | None, step_id: str) -> None:
    """The answer with `key` is stored and its 303 on the way."""
    if key is not None:
        app[SENT].remember(token, key, step_id)
