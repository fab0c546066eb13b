"""What a phone shows and sends for each kind of step: its form (a template in
templates/forms/), how the posted fields become an answer, and how a stored
answer reads back to the participant.

One registry, `FORMS`, keyed by the core's kind objects; the app looks a
step's form up there and never compares kind names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gsdialog.core.errors import AnswerError
from gsdialog.core.kinds import CHOICE, EVALUATION, INFO, PAIRS, RATING, WORDS, Kind
from gsdialog.core.workshop import Step

Fields = list[tuple[str, str]]


@dataclass(frozen=True)
class PhoneForm:
    template: str
    """Under templates/: the form's fields (or, for a step without answers, what the phone shows)."""
    parse: Callable[[Step, Fields], dict[str, Any]] | None = None
    """The posted fields (without `step`) as the values the kind checks; AnswerError when malformed."""
    summary: Callable[[Step, dict[str, Any], str, str], list[str]] = lambda step, stored, lang, group: []
    """A stored answer as lines the participant recognises."""


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
}


def left_open(step: Step, stored: Mapping[str, Any] | None) -> int:
    """Statements of a sent page still without an answer: the phone says how many."""
    return sum(item.id not in stored for item in step.items) if stored and step.items else 0
