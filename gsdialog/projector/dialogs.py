"""The projector's dialogs: confirm quitting, confirm showing the remote, and the list of keys."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from gsdialog.core.i18n import t
from gsdialog.core.kinds import KINDS


class QuitScreen(ModalScreen[str | None]):
    """Asks before the workshop ends: a stray `q` must not end it.

    Dismisses with "end" (close the session for good), "pause" (leave it to
    be resumed) or None (go on).
    """

    DEFAULT_CSS = """
    QuitScreen { align: center middle; }
    QuitScreen > Grid {
        grid-size: 3; grid-gutter: 1 2; grid-rows: auto 3;
        width: 90; height: auto; padding: 1 2;
        border: thick $error; background: $surface;
    }
    QuitScreen #question { column-span: 3; width: 100%; content-align: center middle; text-style: bold; }
    QuitScreen Button { width: 100%; }
    """
    # The contract: `y` or Enter confirms, whichever button has focus.
    BINDINGS = [
        Binding("y,enter", "answer('end')", "Yes", show=False, priority=True),
        Binding("p", "answer('pause')", "Pause", show=False, priority=True),
        Binding("n,escape", "answer(None)", "No", show=False, priority=True),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Grid():
            yield Static(Content(t(self.lang, "quit_question")), id="question")
            yield Button(t(self.lang, "quit_yes"), variant="error", id="end")
            yield Button(t(self.lang, "quit_pause"), variant="warning", id="pause")
            yield Button(t(self.lang, "quit_no"), variant="primary", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "no" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


class RemoteAskScreen(ModalScreen[bool]):
    """Asks before the remote's link goes on the projector: whoever sees it
    can steer the workshop. No is the default (Enter, Escape, any other key)."""

    DEFAULT_CSS = """
    RemoteAskScreen { align: center middle; }
    RemoteAskScreen > Vertical {
        width: 90; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    RemoteAskScreen Static { width: 100%; margin-bottom: 1; }
    RemoteAskScreen #question { text-style: bold; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(t(self.lang, "remote_question")), id="question")
            yield Static(Content(t(self.lang, "remote_warning")))
            yield Static(Content(t(self.lang, "remote_choices")))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(event.character == "y")


class HelpScreen(ModalScreen[None]):
    """Every key, in the workshop's language; any key closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 98; height: auto; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    HelpScreen .title { text-style: bold; }
    HelpScreen .kinds { margin: 0; }
    HelpScreen .close { color: $text-muted; }
    HelpScreen .key { height: auto; }
    HelpScreen .keys { width: 19; }
    HelpScreen .does { width: 1fr; }
    """

    KEYS = (
        ("PageDown, →, Space", "key_next"),
        ("PageUp, ←", "key_previous"),
        ("r", "key_results"),
        ("s", "key_sort"),
        ("t", "key_timer"),
        ("j", "key_join"),
        ("d", "key_door"),
        ("l", "key_late"),
        ("↑ ↓, x", "key_hide"),
        ("m", "key_merge"),
        ("b, .", "key_blank"),
        ("e", "key_export"),
        ("R (Shift+r)", "key_remote"),
        ("?", "key_help"),
        ("q", "key_quit"),
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(t(self.lang, "keys_title")), classes="title")
            for keys, description in self.KEYS:
                with Horizontal(classes="key"):
                    yield Static(Content(keys), classes="keys")
                    yield Static(Content(t(self.lang, description)), classes="does")
            # What PageDown does at each kind of step, word for word as in the README.
            yield Static(Content(t(self.lang, "key_next_per_kind")), classes="title kinds")
            for kind in KINDS:
                with Horizontal(classes="key"):
                    yield Static(Content(t(self.lang, f"step_kind_{kind}")), classes="keys")
                    yield Static(Content(t(self.lang, f"pagedown_{kind}")), classes="does")
            yield Static(Content(f"{t(self.lang, 'pagedown_more')} {t(self.lang, 'pagedown_last')}"))
            yield Static(Content(t(self.lang, "keys_close")), classes="close")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(None)
