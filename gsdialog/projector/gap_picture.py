"""The gap as a picture: both groups' averages on one shared scale, a marker
per group joined by a bar whose length is the gap.

Rich renderables that draw to whatever width their column gets, so the
picture uses the screen: wider screens, longer scales.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

MARKS = ("▲", "●")
"""Each group's sign beside its name and numbers: told apart by shape as well as place."""
COLOURS = ("#fdb863", "#b2abd2")
"""And by colour: the light ends of ColorBrewer's PuOr, apart for colour-blind eyes, legible on black."""


def _place(value: float, low: int, high: int, width: int) -> int:
    # Whole steps between the points, so the ticks stand evenly apart (0 to 10 on 52
    # columns had gaps of 5 and 6); the picture keeps the same places on every line.
    step = (width - 1) // (high - low) if high > low else 0
    return round((value - low) * step) if high > low else 0


@dataclass
class Axis:
    """The scale's points at their places, over the tracks."""

    low: int
    high: int

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(2 * (self.high - self.low) + 1, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        cells = [" "] * width
        for value in range(self.low, self.high + 1):
            label = str(value)
            x = min(_place(value, self.low, self.high, width), width - len(label))
            cells[x:x + len(label)] = list(label)
        yield Text("".join(cells), style="bold")


@dataclass
class Track:
    """One statement: the groups' averages as markers on the scale, joined by a bar."""

    means: Sequence[float | None]
    """Per group, in the workshop's order; None below the threshold."""
    low: int
    high: int
    missing: str = ""
    """What stands in for a group without enough answers."""

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(2 * (self.high - self.low) + 1, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        places = [None if mean is None else _place(mean, self.low, self.high, width) for mean in self.means]
        text = Text("·" * width, style="dim")
        known = [x for x in places if x is not None]
        if len(known) == 2:
            left, right = sorted(known)
            if right - left > 1:
                text = Text.assemble(text[:left + 1], ("━" * (right - left - 1), "bold"), text[right:])
        taken: set[int] = set()
        for x, mark, colour in zip(places, MARKS, COLOURS, strict=False):
            if x is None:
                continue
            while x in taken and x + 1 < width:  # equal averages: side by side
                x += 1
            taken.add(x)
            text = Text.assemble(text[:x], (mark, f"bold {colour}"), text[x + 1:])
        if not known and self.missing:
            text = Text(self.missing, style="dim italic")
        yield text
