"""The report's charts: HTML that wraps and scales with the page, SVG only for bars.

Every word in a chart is HTML text, so a label wraps instead of being cut,
and keeps its size on a phone instead of shrinking with a drawing. Colours:
each group has one colour everywhere (the projector's: the first group
orange ▲, the second purple ●), and every bar also carries the group's mark
or name, so colour is never the only cue. The values of a scale are shades of
one blue, light for low and dark for high, so no scale colour is ever read as a
group. Text is escaped here; the result is safe to put in a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from gsdialog.core.results import GroupStats

GROUP_COLOURS = ("#e66101", "#5e3c99")
"""The dark ends of ColorBrewer's PuOr (the projector shows their light ends on black)."""
MARKS = ("▲", "●")
LIGHT, DARK = (0xC6, 0xDB, 0xEF), (0x08, 0x30, 0x6B)
"""The lightest and darkest blue of ColorBrewer's Blues: the lowest and the highest value."""


def scale_colours(points: int) -> list[str]:
    """One shade per value, evenly from light to dark: 11 values, 11 shades."""
    if points == 1:
        return ["#4292c6"]
    return ["#" + "".join(f"{round(a + (b - a) * i / (points - 1)):02x}" for a, b in zip(LIGHT, DARK, strict=True))
            for i in range(points)]


def _ink(colour: str) -> str:
    """Black or white, whichever reads on `colour`."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#111" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#fff"


def mark(group: int) -> str:
    return MARKS[group] if group < len(MARKS) else "■"


def colour(group: int) -> str:
    return GROUP_COLOURS[group] if group < len(GROUP_COLOURS) else "#555"


def distribution(stats: GroupStats, values: range) -> Markup:
    """One group's answers as a bar: below the middle of the scale to the left,
    above it to the right, each value a shade; a line marks the middle."""
    assert stats.distribution is not None and stats.n
    points = len(values)
    shares = [stats.distribution.get(v, 0) / stats.n for v in values]
    below = sum(shares[: points // 2]) + (shares[points // 2] / 2 if points % 2 else 0)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="dist" viewBox="0 0 200 10" '
             'preserveAspectRatio="none" role="img" focusable="false">',
             '<rect width="200" height="10" fill="#f2f2f2"/>']
    x = 100 - below * 100
    for value, share, shade in zip(values, shares, scale_colours(points), strict=True):
        if share > 0:
            parts.append(f'<rect x="{x:.2f}" y="0" width="{share * 100:.2f}" height="10" fill="{shade}">'
                         f'<title>{value}: {round(share * 100)}%</title></rect>')
        x += share * 100
    parts.append('<line x1="100" y1="0" x2="100" y2="10" stroke="#222" stroke-width="1.5" '
                 'vector-effect="non-scaling-stroke"/></svg>')
    return Markup("".join(parts))


def scale_key(values: range, ends: str) -> Markup:
    """The shades of a scale in one row, each with its value, and what the ends mean."""
    cells = "".join(f'<span class="cell" style="background:{c};color:{_ink(c)}">{v}</span>'
                    for v, c in zip(values, scale_colours(len(values)), strict=True))
    return Markup(f'<p class="scale-key"><span class="cells">{cells}</span> <span class="ends">{escape(ends)}</span></p>')


def group_key(labels: Sequence[str]) -> Markup:
    """Which mark and colour is which group."""
    return Markup('<p class="group-key">' + " ".join(
        f'<span class="key"><span class="mark" style="color:{colour(i)}">{mark(i)}</span> {escape(label)}</span>'
        for i, label in enumerate(labels)) + "</p>")


def dot_plot(rows: Sequence[tuple[str, Sequence[float | None], Sequence[str], str]], low: int, high: int,
             head: str) -> Markup:
    """Every statement of a step on one scale: per group its mean as a mark, a
    line as long as the gap between them, the gap at the right. `rows` are
    (label, mean per group, each mean as written, text at the right)."""
    span = high - low or 1

    def at(value: float) -> str:
        return f"{(value - low) / span * 100:.2f}%"

    grid = "".join(f'<span class="grid" style="left:{at(v)}"></span>' for v in range(low, high + 1))
    ticks = "".join(f'<span class="tick" style="left:{at(v)}">{v}</span>' for v in range(low, high + 1))
    out = [f'<div class="dots"><div class="dot-row dot-axis"><span class="dot-label"></span>'
           f'<span class="track">{ticks}</span><span class="dot-gap">{escape(head)}</span></div>']
    for label, means, written, note in rows:
        known = [m for m in means if m is not None]
        line = ""
        if len(known) >= 2:
            line = (f'<span class="link" style="left:{at(min(known))};'
                    f'width:{(max(known) - min(known)) / span * 100:.2f}%"></span>')
        marks = "".join(f'<span class="mark" style="left:{at(m)};color:{colour(i)}" title="{escape(w)}">'
                        f'{mark(i)}</span>' for i, (m, w) in enumerate(zip(means, written, strict=True))
                        if m is not None)
        out.append(f'<div class="dot-row"><span class="dot-label">{escape(label)}</span>'
                   f'<span class="track">{grid}{line}{marks}</span><span class="dot-gap">{escape(note)}</span></div>')
    out.append("</div>")
    return Markup("".join(out))


def choice_chart(rows: Sequence[tuple[str, Sequence[tuple[int, int] | None]]], figure: str) -> Markup:
    """Per option its full text, and under it per group a bar as long as the
    share of that group's phones that chose it, in the group's colour. `rows`
    are (option, per group (count, phones) or None below the threshold);
    `figure` formats a count, e.g. "{count} ({percent}%)"."""
    out = ['<div class="choices">']
    for label, counts in rows:
        out.append(f'<div class="choice"><div class="choice-label">{escape(label)}</div><div class="choice-bars">')
        for group, found in enumerate(counts):
            if found is None:
                continue
            count, n = found
            share = count / n if n else 0
            out.append(f'<div class="choice-bar"><span class="mark" style="color:{colour(group)}">{mark(group)}</span>'
                       f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" viewBox="0 0 100 10" '
                       f'preserveAspectRatio="none" role="img" focusable="false">'
                       f'<rect width="100" height="10" fill="#f2f2f2"/>'
                       f'<rect width="{share * 100:.2f}" height="10" fill="{colour(group)}"/></svg>'
                       f'<span class="figure">{escape(figure.format(count=count, percent=round(share * 100)))}'
                       f'</span></div>')
        out.append("</div></div>")
    out.append("</div>")
    return Markup("".join(out))
