"""Where phones join, on the projector: the join screen (`j`) and following the
laptop to another network (a new address gives a new QR code, said to the facilitator)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual.widgets import Static

from gsdialog.core.i18n import t
from gsdialog.core.session import Session
from gsdialog.projector.join_panel import JoinPanel
from gsdialog.projector.qr import qr_text
from gsdialog.projector.screens import JoinScreen

if TYPE_CHECKING:  # a mixin of the app: type-checked as one
    from textual.app import App

    _App = App[str]
else:
    _App = object


class Addresses(Protocol):
    """Where phones join (collector/server.py JoinAddress): the chosen address, the
    others the laptop has, switching among them, and a better one appearing."""

    def current(self) -> tuple[str, bool]: ...

    def options(self) -> list[tuple[str, str, str]]: ...

    def choose(self, url: str) -> bool: ...

    def better(self) -> str | None: ...


class JoinKeys(_App):
    """The projector app's part that keeps the join address: mixed into `ProjectorApp`."""

    address: Addresses | None
    join_url: str | None
    reachable: bool
    session: Session
    hints: tuple[str, ...]
    lang: str
    _stale: bool

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
        for qr in self.query("#corner-qr").results(Static):
            qr.update(qr_text(url))
        for panel in self.query(JoinPanel):
            panel.follow(url)
        if isinstance(self.screen, JoinScreen):
            self.pop_screen()
            self.push_screen(self._join_screen())
        if moved:
            self.notify(t(self.lang, "address_changed", url=url), timeout=15, markup=False)
        self._stale = True

    def action_join(self) -> None:
        if isinstance(self.screen, JoinScreen):
            self.pop_screen()
        elif self.join_url:
            self.push_screen(self._join_screen())

    def _join_screen(self) -> JoinScreen:
        options = self.address.options() if self.address is not None else []
        return JoinScreen(self.session, self.join_url or "", self.lang, options, self.hints)

    def on_join_screen_switch(self, message: JoinScreen.Switch) -> None:
        """`a` on the join screen: the phones go to the next address."""
        if self.address is not None and self.address.choose(message.url):
            self._check_address()
