"""What doctor prints: lines marked ✓, ✗ or ?, each with what to do.

Doctor runs in whatever the facilitator has: a terminal, a pipe, a Windows
console whose output takes only cp1252. What the output cannot encode is
drawn in plain ASCII instead ([ok], [x], "##" for a QR module), never an
error.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.text import Text

OK, BAD, UNKNOWN, INFO = "ok", "bad", "unknown", "info"
SYMBOLS = {OK: "✓", BAD: "✗", UNKNOWN: "?", INFO: "·"}
PLAIN = {OK: "[ok]", BAD: "[x]", UNKNOWN: "[?]", INFO: "-"}
REPLACE = {"→": "->", "…": "...", "×": "x", "·": "-"}


@dataclass(frozen=True)
class Finding:
    """One checked thing: its status, what was found, and what to do."""

    status: str
    text: str
    todo: str = ""

    @property
    def blocks(self) -> bool:
        return self.status == BAD


class Output:
    """Lines to a stream that may be a terminal, a pipe or a narrow code page."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name  # StringIO: any text
        self.fancy = self.can("✓✗·→…×")
        self.tty = _is_tty(stream)

    def can(self, text: str) -> bool:
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def symbol(self, status: str) -> str:
        return (SYMBOLS if self.fancy else PLAIN)[status]

    def safe(self, text: str) -> str:
        """`text` as this output can write it."""
        if self.can(text):
            return text
        for wide, narrow in REPLACE.items():
            text = text.replace(wide, narrow)
        return text.encode(self.encoding, errors="replace").decode(self.encoding)

    def line(self, text: str = "") -> None:
        self.stream.write(self.safe(text) + "\n")
        self.stream.flush()

    def heading(self, text: str) -> None:
        self.line()
        self.line(text)

    def finding(self, found: Finding) -> None:
        self.line(f"{self.symbol(found.status)} {found.text}")
        if found.todo:
            self.line(f"  {'→' if self.fancy else '->'} {found.todo}")

    def drawing(self, text: Text) -> None:
        """Block characters (big digits, a QR code), in colour on a terminal."""
        if self.tty:
            Console(file=self.stream, highlight=False, soft_wrap=True).print(text)
        else:
            self.line(text.plain)
        self.stream.flush()


def _is_tty(stream: TextIO) -> bool:
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False
