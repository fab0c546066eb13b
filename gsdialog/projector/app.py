"""The projector app: the facilitator walks the room through a workshop."""

from __future__ import annotations

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
from gsdialog.projector.clicker import CLOSING, MORE, NONE, PAGE, RESULTS_MOVE, STEP, Move, next_move, relabel
from gsdialog.projector.dialogs import HelpScreen, QuitScreen, RemoteAskScreen
from gsdialog.projector.join_panel import JoinPanel, mark_screen
from gsdialog.projector.qr import qr_text
from gsdialog.projector.results_view import LiveResults, show_text
from gsdialog.projector.screens import (MIN_HEIGHT, MIN_WIDTH, BlankScreen, ClosingScreen, JoinScreen,
                                         RemoteScreen, TooSmallScreen)
from gsdialog.projector.step_view import StepView
from gsdialog.projector.timer import PairsTimer
from gsdialog.projector.words_wall import WordsWall
from gsdialog.core import joining
from gsdialog.core.kinds import kind_of
from gsdialog.core.session import OPEN, RESULTS, AnswerError, Change, Session


class Addresses(Protocol):
    """Where phones join (collector/server.py JoinAddress): the chosen address, the
    others the laptop has, switching among them, and a better one appearing."""

    def current(self) -> tuple[str, bool]: ...

    def options(self) -> list[tuple[str, str, str]]: ...

    def choose(self, url: str) -> bool: ...

    def better(self) -> str | None: ...


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
    ("x", "hide_word", "hide", False, False),
    ("b,full_stop", "blank", "blank", False, False),
    ("e", "export", "export", False, False),
    ("R", "remote", "remote", False, False),
    ("question_mark", "help", "help", True, False),
    ("q", "quit_asking", "quit", True, False),
)
KEY_DISPLAY = {"next": "PgDn", "previous": "PgUp", "help": "?"}
WIDE = (150, 40)


class ProjectorApp(App[str]):
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
                 export: Callable[[], list[Path]] | None = None,
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
        self.exported: list[Path] = []
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

    @property
    def step_index(self) -> int:
        return self.session.step_index

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

    def _check_address(self) -> None:
        """Follow the laptop to another network: new address, new QR code, and say so.
        A better address that appears is offered (the join screen switches), never taken:
        phones already use this one."""
        assert self.address is not None
        url, reachable = self.address.current()
        better = self.address.better()
        if better is not None:
            self.notify(t(self.lang, "address_better", url=better), timeout=20, markup=False)
        if (url, reachable) == (self.join_url, self.reachable):
            return
        moved = url != self.join_url
        self.join_url, self.reachable = url, reachable
        for qr in self.query("#corner-qr"):
            assert isinstance(qr, Static)
            qr.update(qr_text(url))
        for panel in self.query(JoinPanel):
            panel.follow(url)
        if isinstance(self.screen, JoinScreen):
            self.pop_screen()
            self.push_screen(self._join_screen())
        if moved:
            self.notify(t(self.lang, "address_changed", url=url), timeout=15, markup=False)
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
        lang = self.lang
        joined = self.session.participant_counts()
        join = f"{t(lang, 'join_at')} {self.join_url}" if self.join_url else t(lang, "code_is", code=self.session.code)
        parts = [join] if self.reachable else [t(lang, "no_network", url=self.join_url or "")]
        following = self.session.following  # None: no phones' server counts them
        parts += [f"{group.label.get(lang)} {joined[group.id]}" if following is None else
                  t(lang, "following_group", group=group.label.get(lang), n=following.get(group.id, 0),
                    of=joined[group.id]) for group in self.workshop.groups]
        parts += joining.status(self.session.door, lang, step_id=self.session.step.id, now=self.session.clock(),
                                asking=self.session.step_state == OPEN, phones=sum(joined.values()))
        status = " · ".join(parts)
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

    async def _go_to(self, index: int) -> None:
        if await self._safely(self.session.go_to(index)):
            self._show_step()

    async def _uncovered(self) -> bool:
        """The clicker's keys first take away what covers the step (the remote's
        link, a blank screen), as a presentation's clicker does; True if they did."""
        if isinstance(self.screen, RemoteScreen):
            self.pop_screen()
            return True
        if self.session.blank or isinstance(self.screen, BlankScreen):
            await self._unblank()
            return True
        return False

    def _label_next(self) -> None:
        """The key bar's PgDn says what it does now: for the facilitator, not in the room's text."""
        if relabel(self._bindings, "next", self.next_move().hint(self.lang)):
            self.refresh_bindings()

    def next_move(self) -> Move:
        """What the clicker's PageDown does now (`clicker.next_move`)."""
        return next_move(self.session, closing=isinstance(self.screen, ClosingScreen),
                         more=self.step_view.more_below, pagers=self._pagers())

    def _pagers(self) -> list[LiveResults | WordsWall]:
        """What turns pages now: the word wall, and the results once shown."""
        return [*self.query(WordsWall), *(self.query(LiveResults) if self.session.step_state == RESULTS else [])]

    async def action_next(self) -> None:
        """The clicker's PageDown: the rest of a long step, a question's results (page by
        page), a pairs step's rounds, then on; after the last step the closing screen."""
        if await self._uncovered():
            return
        move = self.next_move()
        if move.what == NONE:
            pass  # the closing screen: `q` ends, as it says to the facilitator
        elif move.what == MORE:
            self.step_view.page_down()
        elif move.what == RESULTS_MOVE:
            await self.action_results()
        elif move.what == PAGE:
            self._turn_pages(1)
        elif move.what == STEP:
            await self._go_to(self.step_index + 1)
        elif move.what == CLOSING:
            self.push_screen(ClosingScreen(self.session, self.lang))
        else:  # the pairs timer: start, go on, stop the round, the next round
            await self._safely(self.session.toggle_timer(clicker=True))
        self._stale = True

    async def action_previous(self) -> None:
        if isinstance(self.screen, ClosingScreen):
            self.pop_screen()
            return
        if await self._uncovered() or self._turn_pages(-1) or self.step_view.page_up():
            self._stale = True
            return
        if self.step_index > 0:
            await self._go_to(self.step_index - 1)
        else:
            self.notify(t(self.lang, "first_step"), timeout=2)

    def _turn_pages(self, by: int) -> bool:
        """Turn the shown results or the word wall a page, when they have pages left that way."""
        return any(pager.turn(by) for pager in self._pagers())

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
        self.sort_by_gap = not self.sort_by_gap
        for results in self.query(LiveResults):
            results.page = 0  # the largest gaps come first

    async def action_timer(self) -> None:
        if not self.session.step.rounds:
            self.notify(t(self.lang, "not_this_step"), timeout=2)
            return
        await self._safely(self.session.toggle_timer())

    @on(StepView.Drawn)
    def _step_drawn(self) -> None:
        self._stale = True

    @on(PairsTimer.RoundOver)  # the room sees it in the timer ("Wissel om!"); no pop-up covers the address
    def _round_over(self) -> None:
        self._stale = True  # the key bar says what PageDown does now

    def action_join(self) -> None:
        if isinstance(self.screen, JoinScreen):
            self.pop_screen()
        elif self.join_url:
            self.push_screen(self._join_screen())

    def _join_screen(self) -> JoinScreen:
        options = self.address.options() if self.address is not None else []
        return JoinScreen(self.session, self.join_url or "", self.lang, options, self.hints)

    @on(JoinScreen.Switch)
    def _switch_address(self, message: JoinScreen.Switch) -> None:
        if self.address is not None and self.address.choose(message.url):
            self._check_address()

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

    async def action_hide_word(self) -> None:
        walls = self.query(WordsWall)
        if not walls:
            self.notify(t(self.lang, "not_this_step"), timeout=2)
            return
        word = walls.first().highlighted_word
        if word is None:
            self.notify(t(self.lang, "nothing_to_hide"), timeout=3)
            return
        await self.session.hide_word(self.session.step.id, word)
        self.notify(Content(t(self.lang, "word_hidden", word=word)).plain, timeout=3, markup=False)

    def action_export(self) -> None:
        if self._write_export():
            files = "\n".join(str(path) for path in self.exported)  # full paths (write_harvest: DATA/exports/)
            self.notify(t(self.lang, "exported", files=files, data=str(self.exported[0].parent.parent)),
                        timeout=12, markup=False)

    def _write_export(self) -> bool:
        if self.export is None:
            return False
        try:
            self.exported = self.export()
        except OSError as error:
            self.notify(t(self.lang, "export_failed", detail=error.strerror or str(error)), severity="error",
                        timeout=10, markup=False)
            return False
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
                self._write_export()
                self.exit("closed")
            elif answer == "pause":
                await self._safely(self.session.pause())
                self.exit("paused")

        self.push_screen(QuitScreen(self.lang), act)
