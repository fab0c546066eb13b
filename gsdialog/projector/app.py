"""The projector app: the facilitator walks the room through a workshop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Footer, Header, Static
from textual.content import Content

from gsdialog.i18n import t
from gsdialog.projector.dialogs import HelpScreen, QuitScreen
from gsdialog.projector.step_view import StepView
from gsdialog.session import AnswerError, Change, Session


class Serving(Protocol):
    """What the app needs of the phones' server: started on mount, stopped on unmount."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class ProjectorApp(App[str]):
    """One session on the projector, steered with the keyboard or a clicker.

    The app returns "closed" when the facilitator ended the session, "paused"
    when it was left to be resumed.
    """

    CSS_PATH = "projector.tcss"
    ENABLE_COMMAND_PALETTE = False

    @dataclass
    class SessionChanged(Message):
        """The session changed; sent from the session's listener."""

        change: Change

    def __init__(self, session: Session, lang: str = "nl", *, server: Serving | None = None,
                 join_url: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.server = server
        self.join_url = join_url
        self._counts_stale = True
        self.workshop = session.workshop
        self.lang = lang
        self.title = self.workshop.title.get(lang)
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
        self._unsubscribe = session.subscribe(lambda change: self.post_message(self.SessionChanged(change)))

    @property
    def step_index(self) -> int:
        return self.session.step_index

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True, icon="")
        yield StepView(self.workshop, self.lang)
        yield Static(id="status")
        yield Footer()

    async def on_mount(self) -> None:
        self._show_step()
        # Counts are redrawn at most ten times a second, however fast answers come.
        self.set_interval(0.1, self._refresh_counts)
        if self.server is not None:
            await self.server.start()

    async def on_unmount(self) -> None:
        self._unsubscribe()
        if self.server is not None:
            await self.server.stop()
        await self.session.journal.stop()

    def _refresh_counts(self) -> None:
        if not self._counts_stale:
            return
        self._counts_stale = False
        lang = self.lang
        joined = self.session.participant_counts()
        parts = [f"{t(lang, 'join_at')} {self.join_url}"] if self.join_url else []
        parts.append(t(lang, "code_is", code=self.session.code))
        parts += [f"{group.label.get(lang)}: {joined[group.id]}" for group in self.workshop.groups]
        if self.session.step.kind not in ("info", "pairs"):
            answered = sum(self.session.answer_counts(self.session.step.id).values())
            parts.append(t(lang, "answers_count", n=answered))
        self.query_one("#status", Static).update(Content("  ·  ".join(parts)))

    @on(SessionChanged)
    def _session_changed(self, message: SessionChanged) -> None:
        self._counts_stale = True
        if message.change.kind == "step":
            self._show_step()
        elif message.change.kind == "not_saved":
            self.notify(t(self.lang, "not_saved", detail=message.change.detail), severity="error", timeout=10)

    def _show_step(self) -> None:
        self.sub_title = t(self.lang, "step_of", n=self.step_index + 1, total=len(self.workshop.steps))
        view = self.query_one(StepView)
        if view.step is not self.session.step:
            view.step = self.session.step
            view.scroll_home(animate=False)

    async def _go_to(self, index: int) -> None:
        try:
            await self.session.go_to(index)
        except AnswerError as error:
            self.notify(t(self.lang, "not_saved", detail=error.detail or error.reason), severity="error")
            return
        self._show_step()

    async def action_next(self) -> None:
        if self.step_index + 1 < len(self.workshop.steps):
            await self._go_to(self.step_index + 1)
        else:
            self.notify(t(self.lang, "last_step"), timeout=2)

    async def action_previous(self) -> None:
        if self.step_index > 0:
            await self._go_to(self.step_index - 1)
        else:
            self.notify(t(self.lang, "first_step"), timeout=2)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_quit_asking(self) -> None:
        async def act(answer: str | None) -> None:
            if answer == "end":
                await self.session.close()
                self.exit("closed")
            elif answer == "pause":
                self.exit("paused")

        self.push_screen(QuitScreen(self.lang), act)
