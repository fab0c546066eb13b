"""Full-screen views: joining (`j`), a blank screen (`b`), the remote's link (`R`), and a window too small."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import pyfiglet

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.projector.qr import qr_size, qr_text
from gsdialog.core.session import Session

MIN_WIDTH, MIN_HEIGHT = 80, 24
UNLIKELY = ("vpn", "virtual", "link_local")
"""Kinds of address (collector/addresses.py) that phones seldom reach: said beside them."""


LARGE = (150, 40)
"""From this many columns and lines on, large things are drawn twice as large."""


def grow(width: int, height: int) -> int:
    """How many times larger the large things are drawn on a screen of this size."""
    return 2 if width >= LARGE[0] and height >= LARGE[1] else 1


def big(text: str, scale: int = 1, width: int | None = None) -> str:
    """Text in large block letters (five lines; `scale` times as high and wide),
    its words over more lines where one line would be wider than `width`, and
    at its own size where even one word would be wider at `scale`."""
    if scale > 1 and width is not None and any(_big_width(word, scale) > width for word in text.split()):
        return big(text, 1, width)
    if width is not None and " " in text and _big_width(text, scale) > width:
        rows: list[str] = []
        for word in text.split():
            if rows and _big_width(f"{rows[-1]} {word}", scale) <= width:
                rows[-1] = f"{rows[-1]} {word}"
            else:
                rows.append(word)
        return "\n\n".join(big(row, scale) for row in rows)
    lines = pyfiglet.figlet_format(text, font="ansi_regular", width=1000).rstrip("\n ").split("\n")
    if scale > 1:
        lines = ["".join(char * scale for char in line) for line in lines for _ in range(scale)]
    return "\n".join(lines)


_TALL = pyfiglet.Figlet(font="future", width=1000)


def tall(text: str, width: int, most: int = 2) -> list[str] | None:
    """Text in letters three lines high (for the word wall), its words over at most `most`
    rows of them to fit `width`; None when it does not fit (then it stays plain)."""
    if not text.strip() or any(ord(char) not in _TALL.Font.chars for char in text if char != " "):
        return None  # a letter the font lacks would be left out: the words stay plain

    def letters(row: str) -> list[str]:
        return _TALL.renderText(row).rstrip("\n").split("\n")[:3]

    rows: list[str] = []
    for word in text.split():
        if rows and max(map(len, letters(f"{rows[-1]} {word}"))) <= width:
            rows[-1] = f"{rows[-1]} {word}"
        else:
            rows.append(word)
    drawn = [line.rstrip() for row in rows for line in letters(row)]
    if not rows or len(rows) > most or max(map(len, drawn)) > width:
        return None
    return drawn


T = TypeVar("T")


def pack(sized: Iterable[tuple[T, int]], columns: int, room: int) -> list[list[list[T]]]:
    """Items with the lines each takes, down columns of `room` lines, `columns` to a page
    (the word wall's and the idea wall's pages)."""
    pages: list[list[list[T]]] = [[[]]]
    used = 0
    for item, lines in sized:
        if pages[-1][-1] and used + lines > room:
            if len(pages[-1]) == columns:
                pages.append([])
            pages[-1].append([])
            used = 0
        pages[-1][-1].append(item)
        used += lines
    return pages


def _big_width(text: str, scale: int) -> int:
    return max(map(len, big(text, scale).split("\n")))


class LinkScreen(ModalScreen[None]):
    """A link as a QR code, with lines beside it (`beside`)."""

    DEFAULT_CSS = """
    LinkScreen { align: center middle; background: $background; }
    LinkScreen > Horizontal { width: 100%; height: auto; align-horizontal: center; }
    LinkScreen #qr { width: auto; height: auto; margin: 0 3 0 1; }
    LinkScreen Vertical { width: 1fr; max-width: 70; height: auto; }
    LinkScreen Vertical Static { width: 100%; }
    LinkScreen .line { margin-bottom: 1; }
    LinkScreen #address { text-style: bold; }
    """

    def __init__(self, url: str, lang: str) -> None:
        super().__init__()
        self.url = url
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Horizontal():
            width, height = self.app.size  # twice as large where the screen has room for it
            yield Static(qr_text(self.url, scale=grow(width, height) if height - 6 >= qr_size(self.url)[0] else 1),
                         id="qr")
            with Vertical():
                yield from self.beside()

    def beside(self) -> ComposeResult:
        yield Static(Content(self.url), id="address", classes="line")


class JoinScreen(LinkScreen):
    """The QR code, the address and the code in large letters, with live counts;
    the laptop's other addresses, and `a` to send phones to the next of them."""

    DEFAULT_CSS = """
    JoinScreen #code { text-style: bold; color: $text; margin-bottom: 1; }
    JoinScreen #others, JoinScreen #hints { color: $text-muted; }
    """
    BINDINGS = [("j,escape", "dismiss", ""), ("a", "other_address", ""), ("d", "app.door", "")]

    @dataclass
    class Switch(Message):
        """The facilitator chose another of the laptop's addresses for the phones."""

        url: str

    def __init__(self, session: Session, url: str, lang: str,
                 options: list[tuple[str, str, str]] | None = None, hints: tuple[str, ...] = ()) -> None:
        super().__init__(url, lang)
        self.session = session
        self.hints = hints
        self.options = options or []
        # Made here, not in compose: the app may refresh the counts between the
        # push of this screen and its compose (a loaded laptop).
        self._counts = Static(id="counts", classes="line")
        """(url, adapter, kind) for every address the laptop has, best first."""

    def action_other_address(self) -> None:
        urls = [url for url, _, _ in self.options]
        if len(urls) > 1:
            at = urls.index(self.url) if self.url in urls else -1
            self.post_message(self.Switch(urls[(at + 1) % len(urls)]))

    def beside(self) -> ComposeResult:
        yield Static(Content(t(self.lang, "scan_or_type")), classes="line")
        yield Static(Content(self.url), id="address", classes="line")
        yield Static(Content(t(self.lang, "code_label_big")), classes="line")
        # Twice as large where it fits beside the QR code (the column is at most 70 wide).
        scale = grow(*self.app.size) if _big_width(self.session.code, 2) <= 70 else 1
        yield Static(Content(big(self.session.code, scale)), id="code")
        yield self._counts
        if self.hints:
            hints = [t(self.lang, "hint_title")] + [t(self.lang, key) for key in self.hints]
            yield Static(Content("\n".join(hints)), id="hints", classes="line")
        others = [f"{url}  ·  {adapter}" + (f" ({t(self.lang, 'kind_' + kind)})" if kind in UNLIKELY else "")
                  for url, adapter, kind in self.options if url != self.url]
        if others:
            yield Static(Content("\n".join([t(self.lang, "other_addresses")] + others)), id="others", classes="line")
        yield Static(Content(t(self.lang, "join_close_switch" if others else "join_close")), classes="line")

    def on_mount(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        joined = self.session.participant_counts()
        line = "   ·   ".join(f"{g.label.get(self.lang)}: {joined[g.id]}" for g in self.session.workshop.groups)
        door = t(self.lang, "join_door_open" if self.session.door.open else "join_door_closed")
        self._counts.update(Content(f"{t(self.lang, 'joined')} {line}\n{door}"))


class BlankScreen(ModalScreen[None]):
    """Nothing on the projector, so the room looks at each other; any key comes back.

    Blank is the session's state (a remote can set it): a key asks the app to
    end it, and the app takes this screen away when the session says so.
    """

    DEFAULT_CSS = "BlankScreen { background: black; }"

    class Back(Message):
        """A key was pressed: the facilitator wants the screen back."""

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.post_message(self.Back())


class RemoteScreen(LinkScreen):
    """The remote's link and QR code, for the facilitator's phone; any key closes it."""

    def beside(self) -> ComposeResult:
        yield Static(Content(t(self.lang, "remote_scan")), classes="line")
        yield Static(Content(self.url), id="address", classes="line")
        yield Static(Content(t(self.lang, "remote_then_new")), classes="line")
        yield Static(Content(t(self.lang, "keys_close")), classes="line")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(None)


class ClosingScreen(Screen[None]):
    """After the last step (PageDown): thanks to the room. PageUp goes back, `q` ends."""

    DEFAULT_CSS = """
    ClosingScreen { align: center middle; }
    ClosingScreen Static { width: 100%; content-align: center middle; margin-bottom: 1; }
    ClosingScreen #closing-title { text-style: bold; }
    ClosingScreen #closing-thanks { text-style: bold; color: $text; }
    ClosingScreen #closing-hint { dock: bottom; color: $text-muted; margin: 0; }
    """

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__()
        self.session = session
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        joined = sum(self.session.participant_counts().values())
        yield Static(Content(self.session.workshop.title.get(lang)), id="closing-title")
        yield Static(Content(big(t(lang, "closing_thanks"), grow(*self.app.size))), id="closing-thanks")
        yield Static(Content(t(lang, "closing_joined", n=joined)), id="closing-joined")
        yield Static(Content(t(lang, "closing_hint")), id="closing-hint")


class TooSmallScreen(Screen[None]):
    """Shown instead of a broken layout while the window is too small."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: 100%; content-align: center middle; text-style: bold; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(Content(t(self.lang, "too_small", width=MIN_WIDTH, height=MIN_HEIGHT)))
