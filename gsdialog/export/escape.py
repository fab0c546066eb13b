"""Participant text made safe for where it goes: Markdown shows it literally,
a spreadsheet never runs it as a formula. (HTML is Jinja2's autoescape.)"""

from __future__ import annotations

import re

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


CELL_LIMIT = 32_767
"""Characters an Excel cell holds."""
_NOT_IN_A_CELL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def cell_text(text: str) -> str:
    """Text as an xlsx cell can hold it: control characters (but tab and line break), lone
    surrogates and non-characters taken out, cut to what a cell holds.

    The store already cleans participant text on the way in; this holds for
    whatever reaches the export all the same, since the file must open.
    (Whether it runs as a formula is the writer's: it writes every text as a
    string cell marked as text.)
    """
    return _NOT_IN_A_CELL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))[:CELL_LIMIT]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)")


def md_text(text: str) -> str:
    """Participant or workshop text as Markdown shows it: literally, and still readable raw."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    def escape_start(match: re.Match[str]) -> str:
        mark = match.group(2)
        return match.group(1) + (mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark)

    return _MD_LINE_START.sub(escape_start, text)
