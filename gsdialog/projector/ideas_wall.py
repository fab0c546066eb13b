"""An ideas step on the projector, through its three stages: the wall of ideas as
they come (newest first, large, never cut, a page at a time), then the vote (how
many phones voted, per group), then the ranking (each group's votes side by side).

The facilitator chooses an idea with ↑ and ↓: `x` hides it (as on the word wall);
`m` marks it, and `m` on a second idea puts the first under the second (one idea
with both texts; a phone's votes for both count once). Participant text is only
ever Rich `Text`, never markup.

Privacy: the votes per group show only when `IdeasResult.split` (every group that
voted has at least the threshold's number of voters); otherwise only the totals.
"""

from __future__ import annotations

from typing import cast

from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from gsdialog.core.errors import AnswerError
from gsdialog.core.i18n import t
from gsdialog.core.ideas import GATHERING, VOTING, Idea, IdeasResult
from gsdialog.core.session import RESULTS, Session
from gsdialog.core.workshop import Step
from gsdialog.projector.gap_picture import COLOURS, MARKS
from gsdialog.projector.live import Live
from gsdialog.projector.screens import pack, tall

SPLIT = 90
"""From this width the wall has two columns."""


def _texts(idea: Idea) -> str:
    return " / ".join(idea.texts)


class IdeasWall(Live, Static, can_focus=True):
    """The ideas step's body: the wall, the vote's count, then the ranking."""

    DEFAULT_CSS = """
    IdeasWall { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False),
                Binding("m", "merge", show=False), Binding("escape", "unmark", show=False)]

    hides = True

    def __init__(self) -> None:
        super().__init__()
        self.ideas: list[Idea] = []
        """On the wall: newest first (while gathering and voting)."""
        self.highlighted: int | None = None
        self.marked: str | None = None
        """The idea `m` was pressed on, to go under the next one chosen."""
        self.session: Session | None = None
        self.step: Step | None = None
        self.lang = "nl"
        self.stage = ""
        self.result: IdeasResult | None = None
        self.tall = True
        """Short ideas in letters three lines high: only while the wall fits on one page."""

    def on_mount(self) -> None:
        self.focus()

    # --- following the session --------------------------------------------------------------

    def show(self, session: Session, step: Step, lang: str, *, sort_by_gap: bool = False) -> None:
        self.session, self.step, self.lang = session, step, lang
        results = session.states[step.id] == RESULTS
        stage = "results" if results else session.stage(step.id)
        if stage != self.stage:
            self.page, self.highlighted, self.stage = 0, None, stage
        chosen = self.chosen
        self.ideas = list(reversed(session.wall(step.id)))
        self.result = cast(IdeasResult, session.results(step.id)) if results else None
        ids = [idea.id for idea in self.ideas]
        if chosen is not None:
            self.highlighted = ids.index(chosen.id) if chosen.id in ids else (0 if ids else None)
        if self.marked not in ids:
            self.marked = None
        self._draw()

    def paging(self, session: Session) -> bool:
        return True

    def on_resize(self) -> None:
        if self.session is not None:
            self._draw()

    # --- drawing -------------------------------------------------------------------------------

    def _columns(self) -> int:
        return 2 if (self.size.width or 100) >= SPLIT and self.stage != "results" else 1

    def _width(self) -> int:
        return max(20, (self.size.width or 100) // self._columns() - 3)

    def _room(self) -> int:
        return max(4, (self.size.height or 12) - 2)

    def _draw(self) -> None:
        if self.stage == "results" and self.result is not None:
            self.update(self._ranking(self.result))
        else:
            self.update(self._wall())

    def _head(self) -> Text:
        """The line above the wall: the count of ideas; while voting, who voted per group."""
        assert self.session is not None and self.step is not None
        line = Text()
        line.append(t(self.lang, "ideas_count", n=len(self.ideas)), style="bold reverse")
        if self.stage == VOTING:
            line.append("   " + t(self.lang, "ideas_vote_now") + " "
                        + t(self.lang, "ideas_votes_each", n=self.step.votes), style="bold")
            voters = self.session.voters(self.step.id)
            for place, group in enumerate(self.session.workshop.groups):
                line.append(f"\n{MARKS[place % len(MARKS)]} ", style=f"bold {COLOURS[place % len(COLOURS)]}")
                line.append(f"{group.label.get(self.lang)}: ", style="bold")
                line.append(f" {t(self.lang, 'ideas_voted', n=voters[group.id])} ", style="bold reverse")
        return line

    def _cell(self, idea: Idea, chosen: bool, width: int) -> Text:
        """One idea: in letters three lines high when it fits its column, else bold and
        wrapped (never cut); a merged idea's other texts under it; a blank line after."""
        style = "bold reverse" if chosen else "bold"
        marker = "» " if idea.id == self.marked else ""
        text = Text()
        letters = tall(idea.text, width) if self.tall and len(idea.text) <= 24 and not marker else None
        if letters is None:
            text.append(marker + idea.text, style=style)
        else:
            text.append("\n".join(letters), style=style)
        if idea.given > 1:  # sent by more phones in the same words
            text.append(f" ×{idea.given}", style="bold")
        for more in idea.texts[1:]:
            text.append("\n+ " + more, style="dim")
        text.append("\n")
        return text

    def _lines(self, idea: Idea, width: int) -> int:
        cell = self._cell(idea, False, width)
        return sum(max(1, -(-len(line) // width)) for line in cell.plain.split("\n"))

    def _paged(self) -> list[list[list[int]]]:
        """Pages of columns of indexes into `ideas`, newest first, as many as fit; short ideas
        in tall letters when all fit on one page so, else every idea in plain bold."""
        self.tall = True
        pages = self._fitted()
        if len(pages) > 1:
            self.tall = False
            pages = self._fitted()
        return pages

    def _spotlight(self) -> list[str] | None:
        """While gathering, the newest idea across the wall in letters three lines high (at
        most three rows, half the wall's height): what just came reads from the back row."""
        if self.stage != GATHERING or not self.ideas or self.marked == self.ideas[0].id:
            return None
        letters = tall(self.ideas[0].text, (self.size.width or 100) - 8, most=3)
        return letters if letters is not None and len(letters) + 2 <= self._room() // 2 else None

    def _fitted(self) -> list[list[list[int]]]:
        width, columns, room = self._width(), self._columns(), self._room() - 2
        spotlight = self._spotlight()
        if spotlight is not None:
            room -= len(spotlight) + 1 + len(self.ideas[0].texts)
        first = 1 if spotlight is not None else 0  # the newest stands large above the others
        return pack(((index, self._lines(self.ideas[index], width)) for index in range(first, len(self.ideas))),
                    columns, room)

    def _wall(self) -> Stack:
        pages = self._paged()
        self.pages = len(pages)
        if self.highlighted is not None:
            self.page = next((n for n, page in enumerate(pages) if any(self.highlighted in c for c in page)),
                             self.page)
        self.page = min(self.page, self.pages - 1)
        parts: list[Table | Text] = [self._head(), Text()]
        if not self.ideas:
            parts.append(Text(t(self.lang, "ideas_waiting"), style="dim"))
            return Stack(*parts)
        spotlight = self._spotlight()
        if spotlight is not None:
            newest = self.ideas[0]
            big = Text("\n".join(spotlight), style="bold reverse" if self.highlighted == 0 else "bold")
            if newest.given > 1:
                big.append(f" ×{newest.given}", style="bold")
            for more in newest.texts[1:]:
                big.append("\n+ " + more, style="dim")
            parts += [big, Text()]
        table = Table(expand=True, box=None, show_header=False, padding=(0, 2))
        stacks = []
        for column in pages[self.page]:
            table.add_column(ratio=1, vertical="top", overflow="fold")
            stacks.append(Stack(*(self._cell(self.ideas[i], i == self.highlighted, self._width()) for i in column)))
        for _ in range(self._columns() - len(stacks)):
            table.add_column(ratio=1)
            stacks.append(Stack())
        table.add_row(*stacks)
        parts.append(table)
        if self.pages > 1:
            parts.append(Text(t(self.lang, "ideas_page", n=self.page + 1, total=self.pages), style="bold"))
        return Stack(*parts)

    def _ranking(self, result: IdeasResult) -> Stack:
        """The ideas, most votes first: per group ▲ ● side by side (when shown), the total, ◆."""
        assert self.session is not None
        groups = self.session.workshop.groups
        head = Text()
        for place, group in enumerate(groups):
            stats = result.groups[group.id]
            head.append(f"{MARKS[place % len(MARKS)]} ", style=f"bold {COLOURS[place % len(COLOURS)]}")
            head.append(f"{group.label.get(self.lang)}: {t(self.lang, 'ideas_voted', n=stats.n)}", style="bold")
            if stats.n and not stats.enough:
                head.append(f" ({t(self.lang, 'not_enough')})", style="dim")
            head.append("\n")
        head.rstrip()
        foot = Text(t(self.lang, "ideas_legend_apart") if result.split else t(self.lang, "ideas_only_total"),
                    style="dim")
        width = self.size.width or 100
        figures = 6 * (len(groups) if result.split else 0) + 8
        rows = [self._rank_row(n, votes, width - figures - 8) for n, votes in enumerate(result.ideas, start=1)]
        # the groups' lines, a blank line, the table's header; then a blank line and the legend
        room = (self.size.height or 12) - len(groups) - 3 - len(foot.wrap(self.app.console, width))
        pages: list[list[int]] = [[]]
        used = 0
        for index, (_, lines) in enumerate(rows):
            if pages[-1] and used + lines > room:
                pages.append([])
                used = 0
            pages[-1].append(index)
            used += lines
        self.pages = len(pages)
        self.page = min(self.page, self.pages - 1)
        # With room to spare the most chosen idea also stands large above the table, and
        # the ideas get air between them: it reads from further away.
        first = result.ideas[0] if result.ideas and result.ideas[0].total else None
        top = tall(first.idea.text, width - 8) if first is not None and self.pages == 1 else None
        if top is not None and used + len(top) + 1 > room:
            top = None
        taken = used + (len(top) + 1 if top is not None else 0)
        spacious = self.pages == 1 and taken + len(rows) - 1 <= room
        table = Table(expand=True, box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("#", justify="right", width=3, no_wrap=True)
        table.add_column(t(self.lang, "ideas_idea"), ratio=1, overflow="fold")
        if result.split:
            for place, group in enumerate(groups):
                table.add_column(Text(MARKS[place % len(MARKS)], style=f"bold {COLOURS[place % len(COLOURS)]}"),
                                 justify="right", width=5, no_wrap=True)
        table.add_column(t(self.lang, "ideas_total"), justify="right", width=max(6, len(t(self.lang, "ideas_total"))),
                         no_wrap=True)
        table.add_column("", width=1, no_wrap=True)
        for index in pages[self.page]:
            if spacious and index != pages[self.page][0]:
                table.add_row()
            number, votes = index + 1, result.ideas[index]
            cells: list[Text | str] = [str(number), rows[index][0]]
            if result.split:
                cells += [Text(str(votes.votes[g.id]), style=f"bold {COLOURS[place % len(COLOURS)]}")
                          for place, g in enumerate(groups)]
            cells += [Text(str(votes.total), style="bold"), Text("◆" if votes.apart else "", style="bold")]
            table.add_row(*cells)
        parts: list[Table | Text] = [head, Text()]
        if top is not None and first is not None:
            parts += [Text.assemble(("\n".join(top), "bold"), (f"  {first.total}", "bold")), Text()]
        parts.append(table)
        if not result.ideas:
            parts.append(Text(t(self.lang, "report_no_answers"), style="dim"))
        tail = Text()
        if self.pages > 1:
            tail.append(t(self.lang, "ideas_page", n=self.page + 1, total=self.pages) + "   ", style="bold")
        tail.append_text(foot)
        parts += [Text(), tail]
        return Stack(*parts)

    @staticmethod
    def _rank_row(number: int, votes: object, width: int) -> tuple[Text, int]:
        idea = votes.idea  # type: ignore[attr-defined]
        text = Text(idea.text, style="bold")
        for more in idea.texts[1:]:
            text.append("\n+ " + more, style="dim")
        lines = sum(max(1, -(-len(line) // max(10, width))) for line in text.plain.split("\n"))
        return text, lines

    # --- the facilitator's keys -------------------------------------------------------------------

    def turn(self, by: int) -> bool:
        if not super().turn(by):
            return False
        self.highlighted = None
        self._draw()
        return True

    @property
    def chosen(self) -> Idea | None:
        if self.stage == "results" or self.highlighted is None or not 0 <= self.highlighted < len(self.ideas):
            return None
        return self.ideas[self.highlighted]

    def action_move(self, by: int) -> None:
        if not self.ideas or self.stage == "results":
            return
        if self.highlighted is None:
            self.highlighted = sum(len(column) for page in self._paged()[:self.page] for column in page)
        else:
            self.highlighted = max(0, min(len(self.ideas) - 1, self.highlighted + by))
        self._draw()

    async def hide_chosen(self, session: Session, lang: str) -> str | None:
        idea = self.chosen
        if idea is None:
            return None
        await session.hide_word(session.step.id, idea.id)
        return Content(t(lang, "idea_hidden", idea=_texts(idea))).plain

    async def action_merge(self) -> None:
        """`m`: mark the chosen idea; `m` on another puts the marked one under it."""
        idea, session = self.chosen, self.session
        if idea is None or session is None:
            self.app.notify(t(self.lang, "nothing_to_hide"), timeout=2)
            return
        if self.marked is None or self.marked == idea.id:
            self.marked = idea.id
            self.app.notify(t(self.lang, "ideas_merge_pick"), timeout=4)
            self._draw()
            return
        marked, self.marked = self.marked, None
        try:
            await session.merge_ideas(session.step.id, marked, idea.id)
        except AnswerError as error:
            self.app.notify(t(self.lang, "not_saved", detail=error.detail or error.reason), severity="error")
            return
        self.app.notify(Content(t(self.lang, "ideas_merged", idea=idea.text)).plain, timeout=3, markup=False)

    def action_unmark(self) -> None:
        if self.marked is not None:
            self.marked = None
            self._draw()
