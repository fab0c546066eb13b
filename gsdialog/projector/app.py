"""The projector app: the facilitator walks the room through a workshop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from textual import events, on
from textual.app import App, ComposeResult
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from gsdialog.core.i18n import t
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import RESULTS, AnswerError, Change, Session
from gsdialog.projector.address import Addresses, JoinKeys
from gsdialog.projector.clicker import ClickerKeys
from gsdialog.projector.dialogs import HelpScreen, QuitScreen, RemoteAskScreen
from gsdialog.projector.join_panel import JoinPanel, mark_screen
from gsdialog.projector.live import Live
from gsdialog.projector.qr import qr_text
from gsdialog.projector.results_view import show_text
from gsdialog.projector.screens import (MIN_HEIGHT, MIN_WIDTH, BlankScreen, JoinScreen, RemoteScreen,
                                         TooSmallScreen)
from gsdialog.projector.status import status_line
from gsdialog.projector.step_view import StepView


class Serving(Protocol):
    """What the app needs of the phones' server: started on mount, stopped on unmount."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


# key(s), action, label key for the footer, shown in the footer, priority
KEYS = (
    ("pagedown,right,space", "next", "next", True, True),
    ("pageup,left", "previous", "previous", True, True),
    ("r", "results", "results", True, False),
    ("s", "sort", "sort", False, False),
    ("t", "timer", "timer", False, False),
    ("j", "join", "join", True, False),
    ("d", "door", "door", False, False),
    ("l", "late", "late", False, False),
    ("x", "hide", "hide", False, False),
    ("b,full_stop", "blank", "blank", False, False),
    ("e", "export", "export", False, False),
    ("R", "remote", "remote", False, False),
    ("question_mark", "help", "help", True, False),
    ("q", "quit_asking", "quit", True, False),
)
KEY_DISPLAY = {"next": "PgDn", "previous": "PgUp", "help": "?"}
WIDE = (150, 40)


class ProjectorApp(ClickerKeys, JoinKeys, App[str]):
    """One session on the projector, steered with the keyboard or a clicker.

    The app returns "closed" when the facilitator ended the session, "paused"
    when it was left to be resumed.
    """

    # Absolute, so that subclasses elsewhere (a benchmark) find it too.
    CSS_PATH = Path(__file__).parent / "projector.tcss"
    ENABLE_COMMAND_PALETTE = False

    sort_by_gap: reactive[bool] = reactive(False, init=False)
    """Results sorted by the gap between the groups (`s`)."""

    @dataclass
    class SessionChanged(Message):
        """The session changed; sent from the session's listener."""

        change: Change

    def __init__(self, session: Session, lang: str = "nl", *, server: Serving | None = None,
                 join_url: str | None = None, clock: bool = True,
                 export: Callable[[], Callable[[], list[Path]]] | None = None,
                 address: Addresses | None = None,
                 remote: Callable[[], str] | None = None, hints: tuple[str, ...] = (),
                 notes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.session = session
        self.address = address
        """Where phones join; looked up again every few seconds (a laptop changes networks)."""
        self.reachable = True
        if address is not None:
            join_url, self.reachable = address.current()
        self.export = export
        """Takes the harvest now and gives its writing, which returns the files (in a worker thread)."""
        self.exported: list[Path] = []
        self._exporting = asyncio.Lock()
        self.remote = remote
        """Gives the link to the facilitator's remote (it holds a secret: shown only when asked)."""
        self.server = server
        self.hints = hints
        self.notes = notes
        """Keys of what the facilitator should know at the start, on this laptop's system."""
        """Keys of what to try when phones cannot open the join page, on this laptop's system."""
        self.join_url = join_url
        self.clock = clock
        self.workshop = session.workshop
        self.lang = lang
        self.title = self.workshop.title.get(lang)
        self._redraw: Timer | None = None
        self._stale = True
        # The labels depend on the language, so the bindings are made here
        # rather than in BINDINGS. A presenter clicker sends PageDown/PageUp:
        # these keys must always step, never scroll what has focus, hence
        # priority (which App.bind does not offer).
        for keys, action, label, show, priority in KEYS:
            self._bindings.bind(keys, action, t(lang, label), show=show,
                                key_display=KEY_DISPLAY.get(action), priority=priority)
        self._unsubscribe = session.subscribe(self._heard)

    @property
    def _stale(self) -> bool:
        """Whether the screen is behind the session. Setting it wakes the redraw
        timer, which sleeps while nothing changes: an idle projector draws nothing
        (a laptop on its battery, a hall waiting)."""
        return self._behind

    @_stale.setter
    def _stale(self, stale: bool) -> None:
        self._behind = stale
        if stale and self._redraw is not None:
            self._redraw.resume()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=self.clock, icon="")
        if self.join_url:
            with Vertical(id="corner"):
                yield Static(qr_text(self.join_url), id="corner-qr")
                yield Static(Content(self.session.code), id="corner-code")
        # Kept, not queried: the redraw timer may fire while the screen is being
        # taken down (when the app exits), and a query would find nothing then.
        self.step_view = StepView(self.workshop, self.lang)
        self.status = Static(id="status")
        with Horizontal(id="body"):  # the join panel beside the step, the status line under both
            yield self.step_view
            if self.join_url:
                yield JoinPanel(self.join_url, self.session.code, self.lang)  # large where the room joins
        yield self.status
        yield Footer()

    async def on_mount(self) -> None:
        self._show_step()
        self._follow_blank()
        await self._safely(self.session.resume())
        # Live numbers are redrawn at most ten times a second, however fast answers come,
        # and not at all while nothing changes (the timer pauses itself, `_stale` wakes it).
        self._redraw = self.set_interval(0.1, self._refresh_live)
        if self.address is not None:
            self.set_interval(5, self._check_address)
        if self.server is not None:
            await self.server.start()
        for note in self.notes:
            self.notify(t(self.lang, note), timeout=30, markup=False)

    async def on_unmount(self) -> None:
        self._unsubscribe()
        if self.server is not None:
            await self.server.stop()
        await self.session.journal.stop()

    def on_resize(self, event: events.Resize) -> None:
        # Room for the QR code in a corner on a large screen; the address is always at the bottom.
        self.step_view.screen.set_class(event.size.width >= WIDE[0] and event.size.height >= WIDE[1], "-wide")
        for panel in self.query(JoinPanel):
            panel.follow(panel.url)
        self._stale = True  # the status line fits the new width
        too_small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen(self.lang))
        elif not too_small and showing:
            self.pop_screen()

    # --- live numbers -------------------------------------------------------------

    def _heard(self, change: Change) -> None:
        """Called by the session for every change, answers included: only marks the
        screen stale (the redraw timer wakes), and passes on what needs action."""
        self._stale = True
        if change.kind in ("step", "not_saved", "blank", "request", "remote_used"):
            self.post_message(self.SessionChanged(change))

    @on(SessionChanged)
    async def _session_changed(self, message: SessionChanged) -> None:
        self._stale = True
        change = message.change
        if change.kind == "step":
            self._show_step()
        elif change.kind == "blank":
            self._follow_blank()
        elif change.kind == "remote_used":
            # The link has done its work once the remote is opened: off the screen with it.
            if isinstance(self.screen, RemoteScreen):
                self.pop_screen()
        elif change.kind == "request":
            # A remote asks: the same as the clicker's keys. A question left open
            # on the laptop is answered "go on": the facilitator is going on.
            if isinstance(self.screen, (QuitScreen, RemoteAskScreen)):
                self.screen.dismiss(None)
            try:
                await (self.action_next() if change.detail == "next" else self.action_previous())
            finally:
                if change.reply is not None and not change.reply.done():
                    change.reply.set_result(None)
        elif message.change.kind == "not_saved":
            detail = t(self.lang, "disk_full") if message.change.detail == "disk_full" else message.change.detail
            self.notify(t(self.lang, "not_saved", detail=detail), severity="error", timeout=10, markup=False)

    def watch_sort_by_gap(self) -> None:
        self._stale = True

    def redraw_now(self) -> None:
        """Bring every live number up to date at once (the timer does it within 0.1 s)."""
        self._stale = True
        self._refresh_live()

    def _refresh_live(self) -> None:
        if not self._stale:
            if self._redraw is not None:
                self._redraw.pause()
            return
        self._stale = False
        if not self.step_view.is_attached:
            return  # the app is being taken down
        self.step_view.refresh_live(self.session, sort_by_gap=self.sort_by_gap)
        mark_screen(self.step_view.screen, self.session, bool(self.join_url))
        self._label_next()
        status = status_line(self.session, self.lang, self.join_url, self.reachable,
                             width=self.size.width - self.status.styles.gutter.width)
        show_text(self.status, Content(status), status)
        for screen in self.screen_stack:
            if isinstance(screen, JoinScreen):
                screen.refresh_counts()

    def _show_step(self) -> None:
        self.sub_title = t(self.lang, "step_of", n=self.step_index + 1, total=len(self.workshop.steps))
        view = self.step_view
        if view.step is not self.session.step:
            view.step = self.session.step
            self.sort_by_gap = False
        self._stale = True

    # --- actions -------------------------------------------------------------------------

    async def _safely(self, command: Awaitable[object]) -> bool:
        """Run a session command; say so on screen when it could not be stored."""
        try:
            await command
        except AnswerError as error:
            self.notify(t(self.lang, "not_saved", detail=error.detail or error.reason), severity="error")
            return False
        return True

    async def action_results(self) -> None:
        if not kind_of(self.session.step).reveals:
            self.notify(t(self.lang, "not_this_step"), timeout=2)
            return
        if self.session.step_state != RESULTS:
            await self._safely(self.session.show_results())
        self._stale = True

    def action_sort(self) -> None:
        if not kind_of(self.session.step).compares:
            self.notify(t(self.lang, "not_this_step"), timeout=2)
            return
        self.sort_by_gap = not self.sort_by_gap  # the results start again at their first page

    async def action_timer(self) -> None:
        if not self.session.step.rounds:
            self.notify(t(self.lang, "not_this_step"), timeout=2)
            return
        await self._safely(self.session.toggle_timer())

    @on(StepView.Drawn)
    def _step_drawn(self) -> None:
        self._stale = True

    @on(Live.Changed)  # e.g. a round is over: the room sees it in the timer, no pop-up covers the address
    def _part_changed(self) -> None:
        self._stale = True  # the key bar says what PageDown does now

    async def action_door(self) -> None:
        """Close joining once the room is in (phones that joined stay), or open it again."""
        if await self._safely(self.session.set_joining(not self.session.door.open)):
            self.notify(t(self.lang, "door_now_open" if self.session.door.open else "door_now_closed"), timeout=6)
            self._stale = True

    async def action_late(self) -> None:
        """Let the phones that came in after this question's first answer answer it too."""
        waiting = self.session.door.waiting(self.session.step.id)
        if await self._safely(self.session.admit_late()):
            self.notify(t(self.lang, "late_admitted", n=waiting) if waiting else t(self.lang, "nobody_waiting"))

    async def action_hide(self) -> None:
        """`x`: hide the entry chosen with ↑ and ↓ in the step's widget that hides (the word wall)."""
        parts = [part for part in self.step_view.parts() if part.hides]
        if not parts:
            self.notify(t(self.lang, "not_this_step"), timeout=2)
            return
        try:
            said = await parts[0].hide_chosen(self.session, self.lang)
        except AnswerError as error:
            self.notify(t(self.lang, "not_saved", detail=error.detail or error.reason), severity="error")
            return
        self.notify(said or t(self.lang, "nothing_to_hide"), timeout=3, markup=False)
        self._stale = True

    def action_export(self) -> None:
        """The harvest as it is now, taken here on the event loop; written by a worker in a
        thread, so that the phones' server and the keys go on meanwhile (a workbook of 500
        phones takes a second); the notification comes when the files are there."""
        if self.export is not None:
            self.run_worker(self._write_export(self.export(), say=True), group="export")

    async def _write_export(self, write: Callable[[], list[Path]], *, say: bool = False) -> bool:
        async with self._exporting:  # one at a time, in the order they were taken
            try:
                self.exported = await asyncio.to_thread(write)
            except OSError as error:
                self.notify(t(self.lang, "export_failed", detail=error.strerror or str(error)), severity="error",
                            timeout=10, markup=False)
                return False
        if say:
            files = "\n".join(str(path) for path in self.exported)  # full paths (harvest_writer: DATA/exports/)
            self.notify(t(self.lang, "exported", files=files, data=str(self.exported[0].parent.parent)),
                        timeout=12, markup=False)
        return True

    async def action_blank(self) -> None:
        if not await self._safely(self.session.set_blank(True)):
            self.push_screen(BlankScreen())  # not stored, but the room still needs a dark screen

    @on(BlankScreen.Back)
    async def _unblank(self) -> None:
        if not self.session.blank or not await self._safely(self.session.set_blank(False)):
            self._follow_blank(force_off=True)

    def _follow_blank(self, force_off: bool = False) -> None:
        """Show or take away the blank screen, as the session says."""
        showing = isinstance(self.screen, BlankScreen)
        if self.session.blank and not force_off and not showing:
            if isinstance(self.screen, RemoteScreen):  # never uncover the link later
                self.pop_screen()
            self.push_screen(BlankScreen())
        elif (force_off or not self.session.blank) and showing:
            self.pop_screen()

    def action_remote(self) -> None:
        """Show the remote's link, after asking: whoever sees it can steer the workshop."""
        if self.remote is None:
            self.notify(t(self.lang, "no_remote"), timeout=4)
            return
        remote = self.remote

        def answered(show: bool | None) -> None:
            if show:
                self.push_screen(RemoteScreen(remote(), self.lang))

        self.push_screen(RemoteAskScreen(self.lang), answered)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_quit_asking(self) -> None:
        async def act(answer: str | None) -> None:
            if answer == "end":
                await self.session.close()
                if self.export is not None:
                    await self._write_export(self.export())
                self.exit("closed")
            elif answer == "pause":
                await self._safely(self.session.pause())
                self.exit("paused")

        self.push_screen(QuitScreen(self.lang), act)
