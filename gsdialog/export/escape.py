"""Participant text made safe for where it goes: Markdown shows it literally,
a spreadsheet never runs it as a formula. (HTML is Jinja2's autoescape.)"""

from __future__ import annotations

import re

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


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
