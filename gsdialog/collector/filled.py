"""A phone's own page without rendering it for that phone.

A step page with the phone's stored answer (the thank-you page, the form
filled in, the summary once the results are shown) differs from phone to
phone only where the answer goes. Rendering it with Jinja2 for every phone
cost as much as everything else a phone asks of the server together. So it
is rendered once per step, state, role, language and shape with `Slots` in
place of the answer, which leaves a marker where each piece of an answer
goes, and each phone's page is that skeleton with its pieces put in, escaped
as Jinja2's autoescape escapes them (`Skeleton.fill`).

The templates ask for the answer only through `Answer`'s methods, and show a
summary only as `<li>{{ line }}</li>` items; tests/test_collector.py renders
every kind both ways and compares.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

CHECKED = " checked"
MARK = "\x00"
"""Around a slot's number in a skeleton; never in a template or a workshop's text (checked)."""


class Answer:
    """A phone's stored answer (item -> value), as the form templates ask for it."""

    def __init__(self, stored: Mapping[str, Any] | None = None) -> None:
        self.stored = stored or {}

    def __bool__(self) -> bool:
        return bool(self.stored)

    def checked(self, item: str, value: Any) -> str:
        """` checked` on the radio button of the value given for `item`."""
        return CHECKED if self.stored.get(item) == value else ""

    def chosen(self, item: str, option: str) -> str:
        """` checked` on each option in the list given for `item`."""
        return CHECKED if option in self.stored.get(item, ()) else ""

    def value(self, item: str, default: Any = "") -> Any:
        return self.stored.get(item, default)

    def entry(self, item: str, n: int) -> Any:
        """The `n`th of the entries given for `item`, or nothing."""
        given = self.stored.get(item, ())
        return given[n] if n < len(given) else ""


class Slots(Answer):
    """Stands in for every phone's answer: each piece asked for becomes a numbered slot."""

    def __init__(self, given: bool) -> None:
        super().__init__()
        self.given = given
        self.pieces: list[tuple[str, tuple[Any, ...]]] = []

    def __bool__(self) -> bool:
        return self.given

    def _slot(self, method: str, *args: Any) -> Markup:
        self.pieces.append((method, args))
        return Markup(f"{MARK}{len(self.pieces) - 1}{MARK}")

    def checked(self, item: str, value: Any) -> str:
        return self._slot("checked", item, value)

    def chosen(self, item: str, option: str) -> str:
        return self._slot("chosen", item, option)

    def value(self, item: str, default: Any = "") -> Any:
        return self._slot("value", item, default)

    def entry(self, item: str, n: int) -> Any:
        return self._slot("entry", item, n)

    def summary(self) -> SummarySlot:
        return SummarySlot(self._slot("summary"))


@dataclass(frozen=True)
class SummarySlot(Sequence[Markup]):
    """Stands in for the summary's lines: one item whose slot takes all of them."""

    mark: Markup

    def __len__(self) -> int:
        return 1

    def __getitem__(self, index: int) -> Markup:  # type: ignore[override]
        if index != 0:
            raise IndexError(index)
        return self.mark

    def __iter__(self) -> Iterator[Markup]:
        yield self.mark


@dataclass(frozen=True)
class Skeleton:
    """A page rendered with `Slots`: its text between the slots, and what each slot holds."""

    texts: list[str]
    pieces: list[tuple[str, tuple[Any, ...]]]

    @classmethod
    def of(cls, rendered: str, slots: Slots) -> Skeleton | None:
        """The skeleton of a page rendered with `slots`; None when the page's own text
        holds a marker (then it is rendered for each phone, as before)."""
        parts = rendered.split(MARK)
        if len(parts) != 2 * len(slots.pieces) + 1:
            return None
        if any(parts[n] != str(n // 2) for n in range(1, len(parts), 2)):
            return None
        return cls(parts[0::2], slots.pieces)

    def fill(self, answer: Answer, summary: Sequence[str]) -> str:
        out = [self.texts[0]]
        for (method, args), text in zip(self.pieces, self.texts[1:]):
            if method == "summary":
                # The template has <li>{{ line }}</li>: one slot inside one item holds them all.
                out.append("</li><li>".join(str(escape(line)) for line in summary))
            else:
                out.append(str(escape(getattr(answer, method)(*args))))
            out.append(text)
        return "".join(out)
