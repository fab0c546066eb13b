"""The real test: a tiny page on the join address, opened by the facilitator's phone.

The phone's first request is answered with a redirect to a second page; the
time between sending that redirect and the phone asking for the page it
points to is one round trip between phone and laptop, measured without
JavaScript (a browser and a plain HTTP client both follow it). The address
the phone reached is the laptop's end of its connection.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from gsdialog.collector.addresses import is_ip
from gsdialog.core.i18n import t

PATH = "/test"
FOLLOW_UP = 3.0  # seconds to wait for the redirect to be followed, after the first request


def _ends(request: web.Request) -> tuple[str, str]:
    """The laptop's address of this connection and the phone's."""
    transport = request.transport
    ends = []
    for name in ("sockname", "peername"):
        found = transport.get_extra_info(name) if transport else None
        address = str(found[0]) if found else "?"
        ends.append(address[7:] if address.startswith("::ffff:") else address)
    return ends[0], ends[1]


@dataclass
class Reached:
    address: str
    interface: str
    ms: int | None = None


class PhoneTest:
    """Serves PATH on a bound socket and waits for the first phone."""

    def __init__(self, sock: socket.socket, lang: str, interface_of: Callable[[str], str],
                 on_self: Callable[[], None] = lambda: None) -> None:
        self.sock, self.lang, self.interface_of, self.on_self = sock, lang, interface_of, on_self
        self.reached: Reached | None = None
        self.came = asyncio.Event()
        self.measured = asyncio.Event()
        self._redirected_at: float | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(PATH, self._first)
        app.router.add_get(PATH + "/ok", self._page)
        return app

    def _note(self, request: web.Request) -> Reached:
        if self.reached is None:
            address = _ends(request)[0]
            self.reached = Reached(address, self.interface_of(address))
            self.came.set()
        return self.reached

    def _page_of(self, said: str, more: str) -> web.Response:
        lang = self.lang
        body = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{html.escape(t(lang, 'doctor_page_title'))}</title>"
                "<style>body{font:1.25rem/1.5 system-ui,sans-serif;margin:2rem 1.25rem;max-width:32rem}"
                "h1{font-size:1.6rem}</style></head><body>"
                f"<h1>{html.escape(said)}</h1>" + (f"<p>{html.escape(more)}</p>" if more else "") + "</body></html>")
        return web.Response(text=body, content_type="text/html", headers={"Cache-Control": "no-store"})

    async def _first(self, request: web.Request) -> web.StreamResponse:
        here, there = _ends(request)
        if there == here or (is_ip(there) and ipaddress.ip_address(there).is_loopback):
            self.on_self()  # opened on the laptop itself: not a phone
            return self._page_of(t(self.lang, "doctor_page_self"), "")
        self._note(request)
        self._redirected_at = time.perf_counter()
        raise web.HTTPSeeOther(PATH + "/ok", headers={"Cache-Control": "no-store"})

    async def _page(self, request: web.Request) -> web.Response:
        reached = self._note(request)
        if reached.ms is None and self._redirected_at is not None:
            reached.ms = max(1, round((time.perf_counter() - self._redirected_at) * 1000))
        self.measured.set()
        lang = self.lang
        if reached.ms is not None:
            said = t(lang, "doctor_page_ok", address=reached.address, interface=reached.interface, ms=reached.ms)
        else:
            said = t(lang, "doctor_page_ok_plain", address=reached.address, interface=reached.interface)
        return self._page_of(said, t(lang, "doctor_page_close"))

    async def wait(self, seconds: float) -> Reached | None:
        """The phone that came within `seconds`, or None."""
        runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.SockSite(runner, self.sock).start()
            try:
                await asyncio.wait_for(self.came.wait(), seconds)
            except TimeoutError:
                return None
            try:  # the page it was sent on to: the round trip
                await asyncio.wait_for(self.measured.wait(), FOLLOW_UP)
                await asyncio.sleep(0.2)  # that page on its way before the server stops
            except TimeoutError:
                pass
            return self.reached
        finally:
            await runner.cleanup()
