"""Charts as inline SVG: diverging stacked bars for ratings, plain bars otherwise.

The palette is ColorBrewer's PuOr, readable with the common kinds of colour
blindness; every bar also carries its group's name, so colour is never the
only cue. Labels are escaped here; the result is safe to put in a page.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from gsdialog.core.results import GroupStats

PALETTES = {
    2: ["#e66101", "#5e3c99"],
    3: ["#e66101", "#d9d9d9", "#5e3c99"],
    4: ["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
    5: ["#e66101", "#fdb863", "#d9d9d9", "#b2abd2", "#5e3c99"],
    6: ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"],
    7: ["#b35806", "#f1a340", "#fee0b6", "#d9d9d9", "#d8daeb", "#998ec3", "#542788"],
}
LABEL_WIDTH, BAR_WIDTH, ROW, GAP = 190, 420, 22, 6


def _palette(points: int) -> list[str]:
    return PALETTES.get(points) or [PALETTES[5][min(4, i * 5 // points)] for i in range(points)]


def diverging(rows: list[tuple[str, GroupStats]], values: range, low: str, high: str,
              not_enough: str) -> Markup:
    """One bar per group: answers below the middle to the left, above it to the right."""
    points = len(values)
    colours = _palette(points)
    middle = LABEL_WIDTH + BAR_WIDTH / 2
    height = len(rows) * (ROW + GAP) + 22
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 10} {height}" '
             f'width="100%" role="img" class="chart">']
    for index, (label, stats) in enumerate(rows):
        y = index * (ROW + GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW * 0.7}" text-anchor="end">{escape(label)}</text>')
        if not stats.enough or not stats.distribution:
            parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + ROW * 0.7}" class="muted">'
                         f'{escape(not_enough)} (n={stats.n})</text>')
            continue
        shares = [stats.distribution.get(v, 0) / stats.n for v in values]
        below = sum(shares[: points // 2]) + (shares[points // 2] / 2 if points % 2 else 0)
        x = middle - below * BAR_WIDTH / 2
        for value, share, colour in zip(values, shares, colours, strict=True):
            width = share * BAR_WIDTH / 2
            if width > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW}" fill="{colour}">'
                             f'<title>{value}: {round(share * 100)}%</title></rect>')
            x += width
    axis_y = len(rows) * (ROW + GAP)
    parts.append(f'<line x1="{middle}" y1="0" x2="{middle}" y2="{axis_y}" stroke="#333" stroke-width="1"/>')
    parts.append(f'<text x="{LABEL_WIDTH}" y="{axis_y + 14}" class="muted">← {escape(low)}</text>')
    parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH}" y="{axis_y + 14}" text-anchor="end" class="muted">'
                 f'{escape(high)} →</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(values: range) -> Markup:
    colours = _palette(len(values))
    boxes = "".join(f'<span class="key"><span class="swatch" style="background:{c}"></span>{v}</span>'
                    for v, c in zip(values, colours, strict=True))
    return Markup(f'<p class="legend">{boxes}</p>')


def bars(rows: list[tuple[str, float | None, str]], maximum: float) -> Markup:
    """Horizontal bars: (label, value or None, text beside the bar)."""
    height = len(rows) * (ROW + GAP)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 90} {height}" '
             f'width="100%" role="img" class="chart">']
    for index, (label, value, note) in enumerate(rows):
        y = index * (ROW + GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW * 0.7}" text-anchor="end">{escape(label)}</text>')
        if value is not None and maximum > 0:
            width = value / maximum * BAR_WIDTH
            fill = "#5e3c99" if index % 2 == 0 else "#e66101"
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{ROW}" fill="{fill}"/>')
            parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + ROW * 0.7}">{escape(note)}</text>')
        else:
            parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + ROW * 0.7}" class="muted">{escape(note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


GROUP_COLOURS = ("#e66101", "#5e3c99")
"""The dark ends of PuOr: the first group orange (▲), the second purple (●)."""


def overview(rows: list[tuple[str, list[float | None], str]], low: int, high: int,
             groups: list[str]) -> Markup:
    """All statements of a step on one axis: per statement each group's mean as
    a mark (▲ for the first group, ● for the second), joined by a line as long as
    the gap; `rows` are (label, means per group, text at the right end)."""
    width = BAR_WIDTH - 40
    label_width = 300  # a short label, or a statement's first words, fits
    step = width / (high - low) if high > low else 0

    def x(value: float) -> float:
        return label_width + (value - low) * step

    top = 30
    height = top + len(rows) * ROW + 36
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_width + BAR_WIDTH + 60} {height}" '
             f'width="100%" role="img" class="chart overview">']
    for value in range(low, high + 1):
        parts.append(f'<line x1="{x(value):.1f}" y1="{top - 6}" x2="{x(value):.1f}" y2="{top + len(rows) * ROW}" '
                     f'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{x(value):.1f}" y="{top - 10}" text-anchor="middle" class="muted">{value}</text>')
    for index, (label, means, note) in enumerate(rows):
        y = top + index * ROW + ROW / 2
        parts.append(f'<text x="{label_width - 8}" y="{y + 4}" text-anchor="end">{escape(label)}</text>')
        known = [m for m in means if m is not None]
        if len(known) == 2:
            parts.append(f'<line x1="{x(min(known)):.1f}" y1="{y}" x2="{x(max(known)):.1f}" y2="{y}" '
                         f'stroke="#333" stroke-width="3"/>')
        for group, mean in enumerate(means[:2]):
            if mean is None:
                continue
            cx, colour = x(mean), GROUP_COLOURS[group]
            title = f"<title>{escape(groups[group])}: {mean:.1f}</title>"
            if group == 0:
                parts.append(f'<polygon points="{cx - 7:.1f},{y + 6} {cx + 7:.1f},{y + 6} {cx:.1f},{y - 7}" '
                             f'fill="{colour}">{title}</polygon>')
            else:
                parts.append(f'<circle cx="{cx:.1f}" cy="{y}" r="6" fill="{colour}">{title}</circle>')
        parts.append(f'<text x="{label_width + width + 12}" y="{y + 4}" class="gap">{escape(note)}</text>')
    key_y = top + len(rows) * ROW + 24
    parts.append(f'<polygon points="{label_width - 7},{key_y + 2} {label_width + 7},{key_y + 2} '
                 f'{label_width},{key_y - 11}" fill="{GROUP_COLOURS[0]}"/>'
                 f'<text x="{label_width + 12}" y="{key_y}">{escape(groups[0])}</text>')
    second = label_width + width / 2
    parts.append(f'<circle cx="{second}" cy="{key_y - 4}" r="6" fill="{GROUP_COLOURS[1]}"/>'
                 f'<text x="{second + 12}" y="{key_y}">{escape(groups[1])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
