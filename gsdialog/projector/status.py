"""The facilitator's status line under the step: where phones join, who joined
and follows per group, and what the door says (joining closed, latecomers, alerts)."""

from __future__ import annotations

from gsdialog.core import joining
from gsdialog.core.i18n import t
from gsdialog.core.session import OPEN, Session


def status_line(session: Session, lang: str, join_url: str | None, reachable: bool) -> str:
    """The status line's text, its parts joined by " · "."""
    joined = session.participant_counts()
    join = f"{t(lang, 'join_at')} {join_url}" if join_url else t(lang, "code_is", code=session.code)
    parts = [join] if reachable else [t(lang, "no_network", url=join_url or "")]
    following = session.following  # None: no phones' server counts them
    parts += [f"{group.label.get(lang)} {joined[group.id]}" if following is None else
              t(lang, "following_group", group=group.label.get(lang), n=following.get(group.id, 0),
                of=joined[group.id]) for group in session.workshop.groups]
    parts += joining.status(session.door, lang, step_id=session.step.id, now=session.clock(),
                            asking=session.step_state == OPEN, phones=sum(joined.values()))
    return " · ".join(parts)
