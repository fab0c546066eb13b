"""The projector app: the facilitator walks the room through a workshop."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Footer, Header

from gsdialog.i18n import t
from gsdialog.projector.dialogs import HelpScreen, QuitScreen
from gsdialog.projector.step_view import StepView
from gsdialog.workshop import Workshop


class ProjectorApp(App[None]):
    """One workshop on the projector, steered with the keyboard or a clicker."""

    CSS_PATH = "projector.tcss"
    ENABLE_COMMAND_PALETTE = False

    step_index: reactive[int] = reactive(0, init=False)
    """Which step of the workshop is on screen."""

    def __init__(self, workshop: Workshop, lang: str = "nl") -> None:
        super().__init__()
        self.workshop = workshop
        self.lang = lang
        self.title = workshop.title.get(lang)
        labels = {key: t(lang, key) for key in ("next", "previous", "help", "quit")}
        # The labels depend on the language, so the bindings are made here
        # rather than in BINDINGS. A presenter clicker sends PageDown/PageUp:
        # these keys must always step, never scroll what has focus, hence
        # priority (which App.bind does not offer).
        bind = self._bindings.bind
        bind("pagedown,right,space", "next", labels["next"], key_display="PgDn", priority=True)
        bind("pageup,left", "previous", labels["previous"], key_display="PgUp", priority=True)
        bind("question_mark", "help", labels["help"], key_display="?")
        bind("q", "quit_asking", labels["quit"])

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True, icon="")
        yield StepView(self.workshop, self.lang)
        yield Footer()

    def on_mount(self) -> None:
        self._show_step()

    def watch_step_index(self) -> None:
        self._show_step()

    def _show_step(self) -> None:
        self.sub_title = t(self.lang, "step_of", n=self.step_index + 1, total=len(self.workshop.steps))
        view = self.query_one(StepView)
        view.step = self.workshop.steps[self.step_index]
        view.scroll_home(animate=False)

    def action_next(self) -> None:
        if self.step_index + 1 < len(self.workshop.steps):
            self.step_index += 1
        else:
            self.notify(t(self.lang, "last_step"), timeout=2)

    def action_previous(self) -> None:
        if self.step_index > 0:
            self.step_index -= 1
        else:
            self.notify(t(self.lang, "first_step"), timeout=2)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_quit_asking(self) -> None:
        def quit_if_confirmed(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(QuitScreen(self.lang), quit_if_confirmed)
