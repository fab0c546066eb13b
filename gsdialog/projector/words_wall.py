"""The harvested words: the same words merged and counted, most given first,
over pages that PageDown turns; `x` hides the one chosen with ↑ and ↓.

An entry names its groups only when each group that gave it gave it at least
the privacy threshold's number of times (`core.results.WallEntry`, as in
every export): "×1 · Niet als professional 1" would tell the room who wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.core.results import WordsResult
from gsdialog.core.session import Session
from gsdialog.core.workshop import Step
from gsdialog.projector.gap_picture import COLOURS, MARKS
from gsdialog.projector.live import Live
from gsdialog.projector.screens import pack, tall

SPLIT = 90
"""From this width on the wall has two columns."""


@dataclass(frozen=True)
class Entry:
    key: str
    text: str
    total: int
    per_group: tuple[tuple[int, str, int], ...]
    """(group's place, label, count) for the groups shown beside the entry."""


class WordsWall(Live, Static, can_focus=True):
    """The words, large and ordered, a page at a time; participant text only ever as Text."""

    DEFAULT_CSS = """
    WordsWall { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False)]

    hides = True

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.waiting: list[str] = []
        self.highlighted: int | None = None
        self.lang = "nl"

    def on_mount(self) -> None:
        self.focus()

    def show(self, session: Session, step: Step, lang: str, *, sort_by_gap: bool = False) -> None:
        found = cast(WordsResult, session.results(step.id))
        self.lang = lang
        groups = session.workshop.groups
        place = {g.id: (n, g.label.get(lang)) for n, g in enumerate(groups)}
        chosen = self.highlighted_word
        entries = [Entry(entry.key, entry.text, entry.total,
                         tuple((*place[group], count) for group, count in entry.groups.items()))
                   for entry in found.entries]
        self.entries = entries
        self.waiting = [g.label.get(lang) for g in groups if not found.groups[g.id].enough]
        keys = [entry.key for entry in entries]
        self.highlighted = keys.index(chosen) if chosen in keys else (0 if entries and self.highlighted is not None
                                                                      else None)
        self._draw()

    def on_resize(self) -> None:
        if self.entries or self.waiting:
            self._draw()

    def _columns(self) -> int:
        return 2 if (self.size.width or 100) >= SPLIT else 1

    def _width(self) -> int:
        """A column's width in characters."""
        return max(20, (self.size.width or 100) // self._columns() - 3)

    def _lines(self, entry: Entry, width: int) -> int:
        """The lines an entry takes in a column of `width`."""
        return len(self._cell(entry, False, width).split())

    def _paged(self) -> list[list[list[Entry]]]:
        """Pages of columns of entries: as many as fit, most given first, down each column."""
        width = self._width()
        columns = self._columns()
        room = max(4, (self.size.height or 12) - 2)  # the page line and the groups still waiting
        # a blank line between entries
        return pack(((entry, self._lines(entry, width) + 1) for entry in self.entries), columns, room)

    def _draw(self) -> None:
        pages = self._paged()
        self.pages = len(pages)
        starts = [0]
        for page in pages:
            starts.append(starts[-1] + sum(map(len, page)))
        if self.highlighted is not None:  # the chosen word's page
            self.page = max(n for n in range(self.pages) if starts[n] <= self.highlighted)
        self.page = min(self.page, self.pages - 1)
        index = starts[self.page]
        table = Table(expand=True, box=None, show_header=False, padding=(0, 2))
        stacks = []
        for column in pages[self.page]:
            table.add_column(ratio=1, vertical="top")
            cells = []
            for entry in column:
                cells.append(self._cell(entry, index == self.highlighted, self._width()))
                index += 1
            stacks.append(Stack(*cells))
        for _ in range(self._columns() - len(stacks)):
            table.add_column(ratio=1)
            stacks.append(Stack())
        table.add_row(*stacks)
        parts: list[Table | Text] = [table]
        below = Text()
        if self.pages > 1:
            below.append(t(self.lang, "words_page", n=self.page + 1, total=self.pages), style="bold")
        if self.waiting:
            below.append(("   " if below else "") + f"{', '.join(self.waiting)}: {t(self.lang, 'not_enough')}",
                         style="dim")
        if below:
            parts.append(below)
        self.update(Stack(*parts))

    @staticmethod
    def _cell(entry: Entry, chosen: bool, width: int) -> Text:
        """The entry in letters three lines high where they fit the column (else plain),
        its count beside it and its groups under it; a blank line after it."""
        counts = Text(f"  ×{entry.total}", style="bold")
        letters = tall(entry.text, width - len(counts))
        text = Text()
        style = "bold reverse" if chosen else "bold"
        if letters is None:
            text.append(entry.text, style=style)
            text.append_text(counts)
        else:
            for number, line in enumerate(letters):
                text.append(line, style=style)
                if number == 1:
                    text.append(" " * (max(map(len, letters)) - len(line)))
                    text.append_text(counts)
                text.append("\n")
            text.rstrip()
        if entry.per_group:
            text.append("\n")
            for place, label, count in entry.per_group:
                text.append(f"{MARKS[place % len(MARKS)]} ", style=f"bold {COLOURS[place % len(COLOURS)]}")
                text.append(f"{label} {count}   ", style="dim")
            text.rstrip()
        text.append("\n")
        return text

    def turn(self, by: int) -> bool:
        if not super().turn(by):
            return False
        self.highlighted = None
        self._draw()
        return True

    async def hide_chosen(self, session: Session, lang: str) -> str | None:
        word = self.highlighted_word
        if word is None:
            return None
        await session.hide_word(session.step.id, word)
        return Content(t(lang, "word_hidden", word=word)).plain

    def action_move(self, by: int) -> None:
        if not self.entries:
            return
        if self.highlighted is None:
            self.highlighted = sum(len(column) for page in self._paged()[:self.page] for column in page)
        else:
            self.highlighted = max(0, min(len(self.entries) - 1, self.highlighted + by))
        self._draw()

    @property
    def highlighted_word(self) -> str | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.entries):
            return None
        return self.entries[self.highlighted].key
