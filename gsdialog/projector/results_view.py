"""Results on the projector: counts while answers come in, then the gap as a picture.

Groups are told apart by their marks (▲ ●), labels and places, never by
colour alone. Below the privacy threshold a group's cell says so and shows nothing
else: `Session.results()` has no numbers for it to show.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from gsdialog.core.i18n import gap_sentence, number, t
from gsdialog.core.results import ChoiceResult, ScaleResult, pooled_superiority
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import RESULTS, Session
from gsdialog.core.workshop import Group, Step
from gsdialog.projector.gap_picture import COLOURS, MARKS, Axis, Track
from gsdialog.projector.live import Live
from gsdialog.projector.screens import big, grow


DIGITS = re.compile(r"[0-9]")


def show_text(widget: Static, content: VisualType, plain: str) -> None:
    """Show `content` (reading `plain`) in `widget`: nothing when it shows that already,
    and no layout of the screen when only digits changed, so its size cannot have.

    A flood of answers changes only counts; laying the whole screen out again
    ten times a second cost more than drawing what changed.
    """
    before: str | None = getattr(widget, "shown_plain", None)
    if plain == before:
        return
    widget.shown_plain = plain  # type: ignore[attr-defined]
    widget.update(content, layout=before is None or DIGITS.sub("0", plain) != DIGITS.sub("0", before))


def distribution_bars(distribution: dict[int, int], values: range, n: int, colour: str, width: int,
                      height: int = 1) -> Text:
    """Per scale point `height` lines: the point, a bar as long as its share of `width`, the count."""
    lines = Text()
    for value in values:
        count = distribution.get(value, 0)
        bar = round(count / n * width) if n else 0
        for line in range(height):
            lines.append(f"{value:>2} " if line == 0 else "   ", style="bold")
            lines.append("█" * bar + ("▏" if count and not bar else ""), style=colour)
            if line == 0:
                lines.append(f" {count}" if count else " ·", style="dim" if not count else "")
            lines.append("\n")
    return lines


class LiveResults(Live, Static):
    """Answer counts per group; after `r`, the results themselves (`draw`), over pages
    when they do not fit (PageDown turns them before moving on).

    One subclass per way of drawing results, chosen in `views.BODIES` with the kind:
    a kind's results are drawn by the subclass its body yields, never told apart here.
    """

    shown_plain: str | None = None
    """The counts as last shown (`show_text`); None while the results are shown."""
    _sorted = False

    def show(self, session: Session, step: Step, lang: str, *, sort_by_gap: bool = False) -> None:
        groups = session.workshop.groups
        if session.states[step.id] != RESULTS:
            counts = session.answer_counts(step.id)
            line = Text(t(lang, "answers_so_far") + "  ", style="bold")
            for index, group in enumerate(groups):
                if index:
                    line.append("   ·   ")
                line.append(f"{group.label.get(lang)}: ", style="bold")
                line.append(str(counts[group.id]), style="bold reverse")
            show_text(self, line, line.plain)
            return
        if sort_by_gap != self._sorted:
            self._sorted = sort_by_gap
            self.page = 0  # sorted anew: the largest gaps come first
        self.shown_plain = None
        self.update(self.draw(session.results(step.id), session, step, lang, sort_by_gap))

    def draw(self, found: object, session: Session, step: Step, lang: str, sort_by_gap: bool) -> VisualType:
        """The results of `step` (`found`: what `Session.results` gives for its kind)."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to draw results")

    def paging(self, session: Session) -> bool:
        return session.step_state == RESULTS

    def _top(self) -> int:
        """Where this widget starts once the step's question is hidden for the results
        (that happens in the same redraw, so the layout does not show it yet)."""
        above = self.parent.children[:self.parent.children.index(self)] if self.parent else []
        bottoms = [w.region.bottom + w.styles.margin.bottom for w in above
                   if not w.has_class("before-results") and w.region.height and not w.styles.is_docked]
        return max(bottoms, default=self.region.y if self.region.height else 8) + self.styles.margin.top


class ScaleResults(LiveResults):
    """A rating's or an evaluation's results: the gap as a picture, or one statement large."""

    def draw(self, found: object, session: Session, step: Step, lang: str, sort_by_gap: bool) -> Stack:
        results = cast(list[ScaleResult], found)
        groups = session.workshop.groups
        assert step.scale is not None
        if len(results) == 1 and kind_of(step).compares:
            return self._one_statement(results[0], session, step, lang)
        labels = {item.id: item.short.get(lang) if item.short else item.text.get(lang, groups[-1].id)
                  for item in step.items}
        numbers = {item.id: n for n, item in enumerate(step.items, start=1)}
        if sort_by_gap:
            results = sorted(results, key=lambda r: -(r.gap.difference if r.gap else float("-inf")))
        show_gap = kind_of(step).compares
        legend = self._legend(results, session, step, lang, sort_by_gap)
        headline = self._headline(results, session, lang) if show_gap else Text()
        shown, spare = self._paged(results, labels, all(item.short for item in step.items), legend, lang,
                                   headline)
        # With room to spare the statements get air between them: it reads from further away.
        spacious = spare >= len(shown) - 1
        table = Table(expand=True, box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("#", justify="right", width=2, no_wrap=True)
        if all(item.short for item in step.items):
            table.add_column(t(lang, "statement"), no_wrap=True,
                             width=max(len(label) for label in [*labels.values(), t(lang, "statement")]))
        else:  # the whole statement, wrapped: never cut
            table.add_column(t(lang, "statement"), ratio=2, overflow="fold")
        table.add_column(Axis(step.scale.min, step.scale.max), ratio=3, no_wrap=True)
        if show_gap:
            table.add_column(t(lang, "gap"), no_wrap=True, justify="right", width=max(7, len(t(lang, "gap"))))
        else:  # no gap to show (an evaluation): the figures themselves
            table.add_column(t(lang, "mean_column"), no_wrap=True, justify="right", width=6 * len(groups) + 2)
        for result in shown:
            means = [result.groups[g.id].mean if result.groups[g.id].enough else None for g in groups]
            cells: list[Text | str | Track] = [str(numbers[result.item]), Text(labels[result.item]),
                                               Track(means, step.scale.min, step.scale.max, t(lang, "not_enough"))]
            if show_gap:
                cells.append(self._gap(result, lang))
            else:
                cells.append(self._means(result, groups, lang))
            if spacious and table.row_count:
                table.add_row()
            table.add_row(*cells)
        parts: list[Text | Table] = []
        if show_gap:
            parts.append(headline)
        parts += [table, legend]
        return Stack(*parts)

    def _paged(self, results: list[ScaleResult], labels: dict[str, str], short: bool, legend: Text,
               lang: str, headline: Text) -> tuple[list[ScaleResult], int]:
        """The statements on the current page (as many as fit under this widget's top), and
        the lines left over when they all fit on one."""
        width = self.size.width or 100
        label_width = max(10, (width - 20) * 2 // 5)
        lines = {r.item: 1 if short else -(-len(labels[r.item]) // label_width) for r in results}
        legend_lines = sum(max(1, -(-len(line) // max(1, width - 2))) for line in legend.plain.split("\n"))
        top = self._top()
        # Under the widget: the headline and the table's header above the rows, the legend
        # and the page line below them, then the status line and the key bar.
        # A headline longer than a line (it is two sentences) gives up the blank line under it.
        wrapped = max(0, -(-len(headline.plain.strip()) // max(1, width - 4)) - 1)
        if wrapped:
            headline.rstrip()
        room = max(3, self.screen.size.height - top - 3 - 3 - legend_lines - 1 - max(0, wrapped - 1))
        pages: list[list[ScaleResult]] = [[]]
        used = 0
        for result in results:
            if pages[-1] and used + lines[result.item] > room:
                pages.append([])
                used = 0
            pages[-1].append(result)
            used += lines[result.item]
        self.pages = len(pages)
        self.page = min(self.page, self.pages - 1)
        if self.pages > 1:
            legend.append("\n" + t(lang, "results_page", n=self.page + 1, total=self.pages), style="bold")
            return pages[self.page], 0
        return pages[0], room - used

    @staticmethod
    def _legend(results: list[ScaleResult], session: Session, step: Step, lang: str, sort_by_gap: bool) -> Text:
        """Which mark is which group, what each group was asked, and how to read the picture."""
        assert step.scale is not None
        legend = Text()
        for mark, colour, group in zip(MARKS, COLOURS, session.workshop.groups, strict=False):
            n = max((r.groups[group.id].n for r in results), default=0)
            legend.append(f"\n{mark} ", style=f"bold {colour}")
            legend.append(f"{group.label.get(lang)} (n={n})", style="bold")
            if step.prompt is not None and step.prompt.shared is None:
                legend.append(f": {step.prompt.get(lang, group.id)}")
        if step.prompt is not None and step.prompt.shared is not None:  # the same for both: once
            legend.append("\n" + step.prompt.shared.get(lang))
        notes = []
        if kind_of(step).compares:
            notes.append(t(lang, "legend_blind_spot"))
        if sort_by_gap:
            notes.append(t(lang, "sorted_by_gap"))
        if notes:
            legend.append("\n" + "  ".join(notes), style="dim")
        return legend

    def _one_statement(self, result: ScaleResult, session: Session, step: Step, lang: str) -> Stack:
        """The headline moment: both groups' averages in large digits, their
        distributions wide enough to read from the back, the finding in one sentence."""
        assert step.scale is not None
        groups = session.workshop.groups
        columns = Table(expand=True, box=None, padding=(0, 2), show_header=False)
        # The bars grow with the screen: a column's width less the point and the count.
        bar_width = max(12, (self.size.width or 100) // len(groups) - 14)
        for _ in groups:
            columns.add_column(ratio=1, vertical="top")
        cells = []
        for mark, colour, group in zip(MARKS, COLOURS, groups, strict=False):
            stats = result.groups[group.id]
            cell: list[Text] = [Text(f"{mark} {group.label.get(lang)}  (n={stats.n})", style="bold")]
            if stats.enough and stats.mean is not None and stats.distribution is not None:
                scale = grow(*self.app.size)
                cell.append(Text(big(number(lang, stats.mean), scale) + "\n", style=f"bold {colour}"))
                # Two lines a point on a large screen, when the scale is short enough for it.
                height = scale if len(step.scale.values) <= 7 else 1
                cell.append(distribution_bars(dict(stats.distribution), step.scale.values, stats.n, colour,
                                              bar_width, height))
            else:
                cell.append(Text("\n" + t(lang, "not_enough"), style="dim italic"))
            cells.append(Stack(*cell))
        columns.add_row(*cells)
        statements = Text()
        for mark, group in zip(MARKS, groups, strict=False):
            statements.append(f"{mark} {group.label.get(lang)}: ", style="bold")
            statements.append(step.items[0].text.get(lang, group.id) + "\n")
        parts: list[Text | Table] = [self._headline([result], session, lang), columns, statements]
        if result.gap is not None:
            gap = Text(f"{t(lang, 'gap')} {number(lang, result.gap.difference, sign=True)}", style="bold")
            if result.gap.blind_spot:
                gap.append("   " + t(lang, "legend_blind_spot"))
            parts.append(gap)
        return Stack(*parts)

    @staticmethod
    def _means(result: ScaleResult, groups: Sequence[Group], lang: str) -> Text:
        """Each group's average after its mark: "▲ 8,2 ● 7,9"; a dash below the threshold."""
        text = Text()
        for mark, colour, group in zip(MARKS, COLOURS, groups, strict=False):
            stats = result.groups[group.id]
            shown = number(lang, stats.mean) if stats.enough and stats.mean is not None else "–"
            text.append(f" {mark}", style=f"bold {colour}")
            text.append(f"{shown:>5}", style="bold")
        return text

    @staticmethod
    def _gap(result: ScaleResult, lang: str) -> Text:
        if result.gap is None:
            return Text("–", style="dim")
        text = Text(number(lang, result.gap.difference, sign=True), style="bold")
        if result.gap.blind_spot:
            text.append(" ◆", style="bold")
        return text

    @staticmethod
    def _headline(results: list[ScaleResult], session: Session, lang: str) -> Text:
        pooled = pooled_superiority(results)
        if pooled is None:
            return Text(t(lang, "not_enough_to_compare") + "\n", style="bold")
        first = session.workshop.groups[0]
        return Text(gap_sentence(lang, pooled.out_of_ten, first.id, first.label.get(lang)) + "\n", style="bold")



class ChoiceResults(LiveResults):
    """A choice's results: per option, per group a bar as long as the share of that
    group's phones that chose it."""

    def draw(self, found: object, session: Session, step: Step, lang: str, sort_by_gap: bool) -> Table:
        result = cast(ChoiceResult, found)
        groups = session.workshop.groups
        # The bars take what the options leave: wider screens, longer bars.
        bar_width = max(10, ((self.size.width or 100) // 2) // len(groups) - 6)
        table = Table(expand=True, box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column(t(lang, "option"), ratio=1, overflow="fold")
        for mark, colour, group in zip(MARKS, COLOURS, groups, strict=False):
            n = result.groups[group.id].n
            table.add_column(Text.assemble((f"{mark} ", colour), f"{group.label.get(lang)} (n={n})"),
                             width=bar_width + 4, overflow="fold")
        # With room to spare the options get air between them, as the statements do.
        option_width = max(10, (self.size.width or 100) - len(groups) * (bar_width + 6) - 2)
        lines = sum(-(-len(option.text.get(lang)) // option_width) for option in step.options)
        room = self.screen.size.height - self._top() - 3 - 2  # the header; the status line and key bar
        spacious = room >= lines + len(step.options) - 1
        for option in step.options:
            if spacious and table.row_count:
                table.add_row()
            cells: list[Text] = [Text(option.text.get(lang))]
            for colour, group in zip(COLOURS, groups, strict=False):
                stats = result.groups[group.id]
                if not stats.enough:
                    cells.append(Text(t(lang, "not_enough"), style="dim italic"))
                    continue
                count = result.counts[group.id][option.id]
                filled = round(count / stats.n * bar_width) if stats.n else 0
                cells.append(Text.assemble((f"{count:>3} ", "bold"), ("█" * filled, colour),
                                           ("·" * (bar_width - filled), "dim")))
            table.add_row(*cells)
        return table
