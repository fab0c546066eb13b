"""What a phone shows and sends for each kind of step: its form (a template in
templates/forms/), how the posted fields become an answer, and how a stored
answer reads back to the participant.

One registry, `FORMS`, keyed by the core's kind objects; the app looks a
step's form up there and never compares kind names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gsdialog.core.errors import AnswerError
from gsdialog.core.ideas import IDEA_ITEM, NEW, VOTES_ITEM, VOTING, order_for
from gsdialog.core.kinds import CHOICE, EVALUATION, IDEAS, INFO, PAIRS, RATING, WORDS, Kind
from gsdialog.core.workshop import Step

if TYPE_CHECKING:
    from gsdialog.core.state import State

Fields = list[tuple[str, str]]


@dataclass(frozen=True)
class PhoneForm:
    template: str
    """Under templates/: the form's fields (or, for a step without answers, what the phone shows)."""
    parse: Callable[[Step, Fields], dict[str, Any]] | None = None
    """The posted fields (without `step`) as the values the kind checks; AnswerError when malformed."""
    summary: Callable[[Step, dict[str, Any], str, str], list[str]] = lambda step, stored, lang, group: []
    """A stored answer as lines the participant recognises."""
    context: Callable[[State, Step, str], dict[str, Any]] | None = None
    """What the form shows besides the phone's own answer, from the session (the ideas to
    vote on, in this phone's order). A form with a context is rendered for each phone and
    makes its own <form>s (templates/step_main.html)."""


def parse_scale(step: Step, fields: Fields) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in fields:
        if not key.startswith("item-"):
            raise AnswerError("unknown_item", key[:40])
        item = key[len("item-"):]
        if item in values:
            raise AnswerError("duplicate", item[:40])
        if value.strip() == "":
            continue  # an item left open
        try:
            values[item] = int(value.strip())
        except ValueError:
            raise AnswerError("not_a_number", item[:40]) from None
    return values


def parse_choice(step: Step, fields: Fields) -> dict[str, Any]:
    if any(key != "option" for key, _ in fields):
        raise AnswerError("unknown_item", ",".join(key for key, _ in fields)[:40])
    return {CHOICE.item: [value for _, value in fields]}


def parse_words(step: Step, fields: Fields) -> dict[str, Any]:
    if any(key != "word" for key, _ in fields):
        raise AnswerError("unknown_item", ",".join(key for key, _ in fields)[:40])
    if len(fields) > step.entries:
        raise AnswerError("too_many", str(len(fields)))
    return {WORDS.item: [value for _, value in fields]}


def parse_ideas(step: Step, fields: Fields) -> dict[str, Any]:
    """One idea (new; `id` given: changed; `withdraw`: withdrawn), or the votes (`ballot`)."""
    names = [key for key, _ in fields]
    given = dict(fields)
    if "ballot" in names:
        if any(key not in ("ballot", "vote") for key in names) or names.count("ballot") != 1:
            raise AnswerError("unknown_item", ",".join(names)[:40])
        return {VOTES_ITEM: [value for key, value in fields if key == "vote"]}
    if len(set(names)) != len(names):
        raise AnswerError("duplicate", ",".join(names)[:40])
    if set(names) == {"withdraw"}:
        return {IDEA_ITEM: {given["withdraw"]: None}}
    if set(names) in ({"idea"}, {"idea", "id"}):
        return {IDEA_ITEM: {given.get("id", NEW): given["idea"]}}
    raise AnswerError("unknown_item", ",".join(names)[:40])


def ideas_summary(step: Step, stored: dict[str, Any], lang: str, group: str) -> list[str]:
    """Nothing: the page lists the phone's own ideas, or its votes checked, itself."""
    return []


def ideas_context(session: State, step: Step, token: str) -> dict[str, Any]:
    """The phone's own ideas while gathering; while voting, every idea shown in this phone's
    own order (fixed: no idea comes in while voting) and the ones it voted for."""
    stored = session.answer_of(token, step.id) or {}
    own = stored.get(IDEA_ITEM, {})
    order = session.arrived.get(step.id, {})
    stage = session.stage(step.id)
    return {"stage": stage, "voting": stage == VOTING,
            "own": sorted(own.items(), key=lambda pair: order.get(pair[0], 0)),
            "ballot": order_for(token, session.wall(step.id)) if stage == VOTING else [],
            "chosen": set(stored.get(VOTES_ITEM, ()))}


def scale_summary(step: Step, stored: dict[str, Any], lang: str, group: str) -> list[str]:
    return [f"{stored[item.id]} — {item.text.get(lang, group)}" for item in step.items if item.id in stored]


def choice_summary(step: Step, stored: dict[str, Any], lang: str, group: str) -> list[str]:
    return [o.text.get(lang) for o in step.options if o.id in stored.get(CHOICE.item, [])]


def words_summary(step: Step, stored: dict[str, Any], lang: str, group: str) -> list[str]:
    return list(stored.get(WORDS.item, []))


FORMS: dict[Kind, PhoneForm] = {
    INFO: PhoneForm("forms/info.html"),
    PAIRS: PhoneForm("forms/pairs.html"),
    RATING: PhoneForm("forms/rating.html", parse_scale, scale_summary),
    EVALUATION: PhoneForm("forms/evaluation.html", parse_scale, scale_summary),
    CHOICE: PhoneForm("forms/choice.html", parse_choice, choice_summary),
    WORDS: PhoneForm("forms/words.html", parse_words, words_summary),
    IDEAS: PhoneForm("forms/ideas.html", parse_ideas, ideas_summary, ideas_context),
}


def left_open(step: Step, stored: Mapping[str, Any] | None) -> int:
    """Statements of a sent page still without an answer: the phone says how many."""
    return sum(item.id not in stored for item in step.items) if stored and step.items else 0
