"""The join address as a QR code made of half-block characters.

Two rows of modules share one line of text: "▀" is a dark module above a
light one, "▄" the other way round. The colours are explicit, dark ink on
light paper, whatever the terminal's theme: on a dark terminal an uncoloured
code comes out inverted and phones fail to read it.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from rich.style import Style
from rich.text import Text

QUIET_ZONE = 4
# Exact colours: named ANSI colours are re-coloured by terminal themes
# (Textual's "white" is a light grey).
INK_ON_PAPER = Style(color="#000000", bgcolor="#ffffff")

_CELLS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_modules(data: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The code's modules, dark = True, with the quiet zone around them."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_text(data: str, border: int = QUIET_ZONE, scale: int = 1) -> Text:
    """The QR code of `data` as lines of half blocks, black on white; with `scale` 2
    twice as large (a module two full blocks wide and one line high)."""
    modules = qr_modules(data, border)
    if scale > 1:
        lines = ["".join(("█" if dark else " ") * scale for dark in row) for row in modules]
        return Text("\n".join(lines), style=INK_ON_PAPER, no_wrap=True, overflow="crop")
    if len(modules) % 2:
        modules.append([False] * len(modules[0]))
    lines = ["".join(_CELLS[top, bottom] for top, bottom in zip(modules[y], modules[y + 1], strict=True))
             for y in range(0, len(modules), 2)]
    return Text("\n".join(lines), style=INK_ON_PAPER, no_wrap=True, overflow="crop")


def qr_size(data: str, border: int = QUIET_ZONE) -> tuple[int, int]:
    """Columns and lines the code takes on screen."""
    width = len(qr_modules(data, border))
    return width, (width + 1) // 2
