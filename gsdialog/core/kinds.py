"""The kinds of step, each defined once: its keys in a workshop file and how
they are read and checked, what an answer to it may be, and how its results
are computed.

The rings (projector, phones, export) each keep one registry keyed by these
kind objects and never compare kind names; `tests/test_kinds.py` fails when a
ring has nothing for a kind defined here. A new kind is a class here, an
entry in `KINDS`, and one entry in each ring's registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from gsdialog.core import ideas
from gsdialog.core.errors import AnswerError
from gsdialog.core.results import (
    ChoiceResult,
    ScaleResult,
    WordsResult,
    choice_result,
    scale_result,
    words_result,
)
from gsdialog.core.text import clean_text
from gsdialog.core.tomllines import Path
from gsdialog.core.workshop import Item, Option, Round, Scale, Step

if TYPE_CHECKING:
    from gsdialog.core.reader import Reader

Table = Mapping[str, Any]
SHORT_LIMIT = 30
"""Characters in an item's short label: with the number, the scale and the gap it fits 100 columns."""
Answers = Callable[[str], Mapping[str, Sequence[Any]]]
"""item id -> group -> the values given, for computing results."""


class Kind:
    """What every kind has; a kind overrides what it does differently."""

    name: ClassVar[str]
    keys: ClassVar[tuple[str, ...]] = ()
    """The keys of a [[step]] table that belong to this kind."""
    needs_text: ClassVar[bool] = False
    asks: ClassVar[bool] = False
    """Phones answer it."""
    reveals: ClassVar[bool] = False
    """Its results wait for the facilitator (`r`); showing them ends the answers."""
    compares: ClassVar[bool] = False
    """Its results are a gap between the groups, with the headline finding."""
    stages: ClassVar[tuple[str, ...]] = ()
    """The stages an open step goes through before its results (the clicker's PageDown
    moves on to the next); empty: one stage."""

    def read(self, reader: Reader, table: Table, path: Path, where: str) -> dict[str, Any] | None:
        """The Step fields of this kind from its table, or None after reporting problems."""
        return {}

    def check(self, step: Step, values: Mapping[str, Any], standing: Any = None) -> dict[str, Any]:
        """The answer as it will be stored, or AnswerError naming what is wrong.
        `standing`: what the answer depends on in the session, for a kind with stages."""
        raise AnswerError("nothing_to_answer", step.id)

    def combine(self, stored: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        """A phone's stored answer after an answer event: each item given replaces the stored."""
        return {**stored, **values}

    def late(self, values: Mapping[str, Any], stage: str) -> str | None:
        """Why an answer checked earlier may not be written now the step is in `stage`."""
        return None

    def results(self, step: Step, answers: Answers, groups: Sequence[str], threshold: int,
                hidden: set[str]) -> Any:
        """Per-group results with the privacy threshold applied; None for a kind without."""
        return None

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


class Info(Kind):
    name = "info"
    needs_text = True


class Pairs(Kind):
    name = "pairs"
    keys = ("size", "round")

    def read(self, reader: Reader, table: Table, path: Path, where: str) -> dict[str, Any] | None:
        size = reader.integer(table, "size", path, where, 2, 8, 2)
        rounds_tables = reader.tables(table.get("round"), (*path, "round"), where, "round")
        if not rounds_tables:
            reader.problem(path, where, "a pairs step needs at least one [[step.round]] with minutes and text")
            return None
        rounds = []
        for index, round_table in enumerate(rounds_tables):
            round_path = (*path, "round", index)
            round_where = f"{where}, round {index + 1}"
            reader.keys(round_table, round_path, round_where, ("minutes", "text"), required=("minutes", "text"))
            minutes = round_table.get("minutes")
            if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int | float)
                                        or not 0.5 <= minutes <= 60):
                reader.problem((*round_path, "minutes"), round_where,
                               f"minutes must be a number from 0.5 to 60, not {reader.show(minutes)}")
                minutes = None
            text = reader.text(round_table.get("text"), (*round_path, "text"), round_where, "text", limit=120)
            if minutes is not None and text is not None:
                rounds.append(Round(float(minutes), text))
        if size is None or len(rounds) != len(rounds_tables):
            return None
        return {"size": size, "rounds": tuple(rounds)}


class Rating(Kind):
    """Statements rated on a scale, the same scale for both groups: the gap."""

    name = "rating"
    keys = ("scale", "item")
    asks = reveals = compares = True

    def read(self, reader: Reader, table: Table, path: Path, where: str) -> dict[str, Any] | None:
        scale = self.read_scale(reader, table, path, where)
        items = self.read_items(reader, table, path, where)
        if scale is None or items is None:
            return None
        return {"scale": scale, "items": items}

    def read_scale(self, reader: Reader, table: Table, path: Path, where: str) -> Scale | None:
        value = table.get("scale")
        scale_path = (*path, "scale")
        if value is None:
            reader.problem(path, where, "a rating step needs a [step.scale] with min, max, low and high")
            return None
        scale = reader.table(value, scale_path, where, "scale")
        if scale is None:
            return None
        reader.keys(scale, scale_path, f"{where}, scale", ("min", "max", "low", "high"),
                    required=("min", "max", "low", "high"))
        low_value = reader.integer(scale, "min", scale_path, f"{where}, scale", -10, 10)
        high_value = reader.integer(scale, "max", scale_path, f"{where}, scale", -10, 20)
        if low_value is not None and high_value is not None:
            if high_value <= low_value:
                reader.problem((*scale_path, "max"), f"{where}, scale",
                               f"max ({high_value}) must be above min ({low_value})")
                return None
            if high_value - low_value > 10:
                reader.problem((*scale_path, "max"), f"{where}, scale",
                               f"min and max are {high_value - low_value} apart; at most 10 fit on a phone")
                return None
        return self._ends(reader, scale, scale_path, where, low_value, high_value)

    @staticmethod
    def _ends(reader: Reader, scale: Table, scale_path: Path, where: str,
              low_value: int | None, high_value: int | None) -> Scale | None:
        low = reader.group_text(scale.get("low"), (*scale_path, "low"), f"{where}, scale", "low", limit=40)
        high = reader.group_text(scale.get("high"), (*scale_path, "high"), f"{where}, scale", "high", limit=40)
        if low_value is None or high_value is None:
            return None
        if ("low" in scale and low is None) or ("high" in scale and high is None):
            return None
        return Scale(low_value, high_value, low, high)

    def read_items(self, reader: Reader, table: Table, path: Path, where: str) -> tuple[Item, ...] | None:
        tables = reader.tables(table.get("item"), (*path, "item"), where, "item")
        if not tables:
            reader.problem(path, where, f"{reader.article(self.name)} {self.name} step needs at least one [[step.item]]")
            return None
        items = []
        for item_table, item_path, ident, item_where in reader.each(tables, (*path, "item"), "item", where):
            reader.keys(item_table, item_path, item_where, ("id", "text", "short"), required=("id", "text"))
            text = reader.group_text(item_table.get("text"), (*item_path, "text"), item_where, "text", limit=200)
            short = reader.text(item_table.get("short"), (*item_path, "short"), item_where, "short",
                                limit=SHORT_LIMIT, facilitator=True)
            if ident and text and ("short" not in item_table or short):
                items.append(Item(ident, text, short))
        return tuple(items) if len(items) == len(tables) else None

    def check(self, step: Step, values: Mapping[str, Any], standing: Any = None) -> dict[str, Any]:
        assert step.scale is not None
        if not values:
            raise AnswerError("missing", "no answer given")
        items = {item.id for item in step.items}
        clean: dict[str, Any] = {}
        for item, value in values.items():
            if item not in items:
                raise AnswerError("unknown_item", str(item)[:40])
            if isinstance(value, bool) or not isinstance(value, int):
                raise AnswerError("not_a_number", item)
            if value not in step.scale.values:
                raise AnswerError("out_of_range", f"{item}={value}")
            clean[item] = value
        return clean

    def results(self, step: Step, answers: Answers, groups: Sequence[str], threshold: int,
                hidden: set[str]) -> list[ScaleResult]:
        assert step.scale is not None
        return [scale_result(item.id, answers(item.id), groups, step.scale.max - step.scale.min, threshold)
                for item in step.items]


class Evaluation(Rating):
    """Marks from 0 to 10 (how was this meeting?): per group, no gap."""

    name = "evaluation"
    compares = False

    def read_scale(self, reader: Reader, table: Table, path: Path, where: str) -> Scale | None:
        value = table.get("scale")
        if value is None:
            return Scale(0, 10)
        scale_path = (*path, "scale")
        scale = reader.table(value, scale_path, where, "scale")
        if scale is None:
            return None
        reader.keys(scale, scale_path, f"{where}, scale", ("min", "max", "low", "high"))
        for key, fixed in (("min", 0), ("max", 10)):
            if key in scale and scale[key] != fixed:
                reader.problem((*scale_path, key), where,
                               f"an evaluation scale always runs from 0 to 10; {key} cannot be {reader.show(scale[key])}")
        return self._ends(reader, scale, scale_path, where, 0, 10)


class _OneList(Kind):
    """A kind whose answer is one list under its one item."""

    item: ClassVar[str]

    def _the_list(self, values: Mapping[str, Any]) -> list[Any] | tuple[Any, ...]:
        if not values:
            raise AnswerError("missing", "no answer given")
        if set(values) != {self.item}:
            raise AnswerError("unknown_item", ",".join(map(str, values))[:40])
        found = values[self.item]
        if isinstance(found, str) or not isinstance(found, list | tuple):
            raise AnswerError("missing", f"{self.name} must be a list")
        return found


class Choice(_OneList):
    """Options to choose from: one, or several up to a maximum."""

    name = "choice"
    keys = ("multiple", "max", "option")
    asks = reveals = True
    item = "choice"
    """The one item a choice answer is stored under: the chosen option ids."""

    def read(self, reader: Reader, table: Table, path: Path, where: str) -> dict[str, Any] | None:
        multiple = table.get("multiple", False)
        if not isinstance(multiple, bool):
            reader.problem((*path, "multiple"), where, f"multiple must be true or false, not {reader.show(multiple)}")
            return None
        tables = reader.tables(table.get("option"), (*path, "option"), where, "option")
        if len(tables) < 2:
            reader.problem(path, where, f"a choice step needs at least two [[step.option]]s; found {len(tables)}")
            return None
        max_choices = reader.integer(table, "max", path, where, 1, len(tables))
        if "max" in table and not multiple:
            reader.problem((*path, "max"), where, "max only applies with multiple = true")
            return None
        options = []
        for option_table, option_path, ident, option_where in reader.each(tables, (*path, "option"), "option", where):
            reader.keys(option_table, option_path, option_where, ("id", "text"), required=("id", "text"))
            text = reader.text(option_table.get("text"), (*option_path, "text"), option_where, "text", limit=120)
            if ident and text:
                options.append(Option(ident, text))
        if len(options) != len(tables) or ("max" in table and max_choices is None):
            return None
        return {"multiple": multiple, "max_choices": max_choices, "options": tuple(options)}

    def check(self, step: Step, values: Mapping[str, Any], standing: Any = None) -> dict[str, Any]:
        chosen = self._the_list(values)
        options = [option.id for option in step.options]
        if not chosen:
            raise AnswerError("missing", "nothing chosen")
        if any(option not in options for option in chosen):
            raise AnswerError("unknown_item", "option")
        if len(set(chosen)) != len(chosen):
            raise AnswerError("duplicate", "an option chosen twice")
        if not step.multiple and len(chosen) > 1:
            raise AnswerError("too_many", f"{len(chosen)} options, one allowed")
        if step.max_choices is not None and len(chosen) > step.max_choices:
            raise AnswerError("too_many", f"{len(chosen)} options, {step.max_choices} allowed")
        return {self.item: [option for option in options if option in chosen]}

    def results(self, step: Step, answers: Answers, groups: Sequence[str], threshold: int,
                hidden: set[str]) -> ChoiceResult:
        return choice_result(answers(self.item), groups, [option.id for option in step.options], threshold)


class Words(_OneList):
    """A few words or a short sentence, several times: the word wall, live."""

    name = "words"
    keys = ("entries", "max_length")
    asks = True
    item = "words"
    """The one item a words answer is stored under: the texts given."""

    def read(self, reader: Reader, table: Table, path: Path, where: str) -> dict[str, Any] | None:
        entries = reader.integer(table, "entries", path, where, 1, 10, 3)
        max_length = reader.integer(table, "max_length", path, where, 1, 200, 40)
        if entries is None or max_length is None:
            return None
        return {"entries": entries, "max_length": max_length}

    def check(self, step: Step, values: Mapping[str, Any], standing: Any = None) -> dict[str, Any]:
        given = self._the_list(values)
        if any(not isinstance(word, str) for word in given):
            raise AnswerError("missing", "words must be text")
        words = [w for w in (clean_text(word, step.max_length) for word in given) if w]
        if not words:
            raise AnswerError("missing", "no words")
        if len(words) > step.entries:
            raise AnswerError("too_many", f"{len(words)} entries, {step.entries} allowed")
        return {self.item: words}

    def results(self, step: Step, answers: Answers, groups: Sequence[str], threshold: int,
                hidden: set[str]) -> WordsResult:
        return words_result(answers(self.item), groups, threshold, hidden)


class Ideas(Kind):
    """Short ideas, gathered live; then each phone gives a few votes; then the ranking
    with the votes per group (core/ideas.py)."""

    name = "ideas"
    keys = ("votes", "longest")
    asks = reveals = True
    stages = ideas.STAGES

    def read(self, reader: Reader, table: Table, path: Path, where: str) -> dict[str, Any] | None:
        votes = reader.integer(table, "votes", path, where, 1, 10, 3)
        longest = reader.integer(table, "longest", path, where, 20, 500, 140)
        if votes is None or longest is None:
            return None
        return {"votes": votes, "longest": longest}

    def check(self, step: Step, values: Mapping[str, Any], standing: Any = None) -> dict[str, Any]:
        return ideas.check(values, standing, step.longest, step.votes)

    def combine(self, stored: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        return ideas.combine(stored, values)

    def late(self, values: Mapping[str, Any], stage: str) -> str | None:
        return ideas.late(values, stage)

    def results(self, step: Step, answers: Answers, groups: Sequence[str], threshold: int,
                hidden: set[str]) -> ideas.IdeasResult:
        return ideas.ideas_result(answers(ideas.IDEA_ITEM), answers(ideas.VOTES_ITEM), groups, threshold, hidden)


INFO, PAIRS, RATING, CHOICE, WORDS, EVALUATION = Info(), Pairs(), Rating(), Choice(), Words(), Evaluation()
IDEAS = Ideas()
KINDS: dict[str, Kind] = {kind.name: kind for kind in (INFO, PAIRS, RATING, CHOICE, WORDS, EVALUATION, IDEAS)}
"""Every kind, by the name a workshop file gives it."""
CHOICE_ITEM, WORDS_ITEM = CHOICE.item, WORDS.item


def kind_of(step: Step) -> Kind:
    return KINDS[step.kind]
