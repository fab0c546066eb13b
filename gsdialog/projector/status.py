"""The facilitator's status line under the step: where phones join, who joined
and follows per group, and what the door says (joining closed, latecomers, alerts).

It stays one line: on a narrow screen its parts take their shorter forms and
the least needed give way (`SHORTENING`, then `DROPPING`) until it fits. The join
address and each group's count stay to the end; the stylesheet cuts what still
does not fit with "…" rather than wrapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.cells import cell_len

from gsdialog.core import joining
from gsdialog.core.i18n import t
from gsdialog.core.session import OPEN, Session

SEPARATOR = " · "
LABEL_KEPT = 12
"""A group's label is cut to this many characters (with "…") before the next part gives way."""
SHORTEST_LABEL = 6
"""And to no fewer than this, when nothing else is left to give way."""


@dataclass(frozen=True)
class Part:
    """One part of the line: its text now and its shorter form; `what` says which it is."""

    what: str
    """join, group, door_open, door_closed, waiting, alert"""
    text: str
    short: str
    label: str = ""
    """A group's label, cut last."""

    def shortened(self) -> Part:
        return replace(self, text=self.short)


Fitting = Callable[[list[Part]], list[Part]]
"""One way the line gives way: the parts, to the parts left."""


def parts(session: Session, lang: str, join_url: str | None, reachable: bool) -> list[Part]:
    """The status line's parts, each at its full length."""
    joined = session.participant_counts()
    if not reachable:
        found = [Part("join", t(lang, "no_network", url=join_url or ""), t(lang, "no_network_short", url=join_url or ""))]
    elif join_url:
        found = [Part("join", f"{t(lang, 'join_at')} {join_url}", join_url)]
    else:
        code = t(lang, "code_is", code=session.code)
        found = [Part("join", code, code)]
    following = session.following  # None: no phones' server counts them
    for group in session.workshop.groups:
        label = group.label.get(lang)
        if following is None:
            text = f"{label} {joined[group.id]}"
            found.append(Part("group", text, text, label))
        else:
            values = {"n": following.get(group.id, 0), "of": joined[group.id]}
            found.append(Part("group", t(lang, "following_group", group=label, **values),
                              t(lang, "following_group_short", group=label, **values), label))
    for key, values in joining.status(session.door, step_id=session.step.id, now=session.clock(),
                                      asking=session.step_state == OPEN, phones=sum(joined.values())):
        what = key if key in ("door_open", "door_closed") else "waiting" if key == "door_waiting" else "alert"
        short = t(lang, f"{key}_short", **values) if what in ("waiting", "alert") else t(lang, key)
        found.append(Part(what, t(lang, key, **values), short))
    return found


def line(found: list[Part]) -> str:
    return SEPARATOR.join(part.text for part in found)


def _drop(what: str, keep: int = 0) -> Fitting:
    """Leave out the parts that are `what`, all but the first `keep` of them."""
    def step(found: list[Part]) -> list[Part]:
        seen = [n for n, part in enumerate(found) if part.what == what][keep:]
        return [part for n, part in enumerate(found) if n not in seen]
    return step


def _shorten(*whats: str) -> Fitting:
    def step(found: list[Part]) -> list[Part]:
        return [part.shortened() if part.what in whats else part for part in found]
    return step


SHORTENING: tuple[Fitting, ...] = (
    _drop("door_open"),  # joining is open: the usual state
    _shorten("group"),  # "Professionals 12/12"
    _shorten("waiting", "alert"),  # "⚠ +25/min"
    _shorten("join"),  # the address alone
)
DROPPING: tuple[Fitting, ...] = (
    _drop("alert", keep=1),
    _drop("waiting"),
    _drop("door_closed"),
    _drop("alert"),
)
"""What gives way, in turn, while the line is wider than the screen: first the shorter
forms; then parts are left out, and before each the group labels may be cut to
`LABEL_KEPT` characters."""


def _cut_labels(found: list[Part], width: int, shortest: int) -> list[Part]:
    """Cut the longest group label a character at a time ("Niet als prof…"), down to
    `shortest` characters, until the line fits."""
    found = list(found)
    while cell_len(line(found)) > width:
        longest, n = max(((len(part.label), n) for n, part in enumerate(found) if part.what == "group"),
                         default=(0, -1))
        if longest <= shortest:
            break
        part = found[n]
        label = part.label[:longest - 2].rstrip() + "…"
        found[n] = replace(part, text=part.text.replace(part.label, label, 1), label=label)
    return found


def fit(found: list[Part], width: int) -> list[Part]:
    """The parts that fit `width` (see `SHORTENING` and `DROPPING`); at the end the labels
    are cut down to `SHORTEST_LABEL`."""
    for step in SHORTENING:
        if cell_len(line(found)) <= width:
            return found
        found = step(found)
    for step in (None, *DROPPING):
        if step is not None:
            found = step(found)
        cut = _cut_labels(found, width, LABEL_KEPT)
        if cell_len(line(cut)) <= width:
            return cut
    return _cut_labels(found, width, SHORTEST_LABEL)


def status_line(session: Session, lang: str, join_url: str | None, reachable: bool,
                width: int | None = None) -> str:
    """The status line's text, fitted to `width` columns (None: everything at full length)."""
    found = parts(session, lang, join_url, reachable)
    return line(found if width is None else fit(found, width))
