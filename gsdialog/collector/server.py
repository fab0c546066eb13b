"""Serving the phones from inside the projector's event loop.

The CLI binds the socket before any screen appears, so a taken port is a
plain message; the app starts serving on it when it mounts and stops when it
unmounts (aiohttp's AppRunner with a SockSite).
"""

from __future__ import annotations

import gc
import ipaddress
import socket

from collections.abc import Callable

from aiohttp import web

from gsdialog import system
from gsdialog.collector.addresses import Candidate, candidates, is_ip


class Server:
    """The phones' web app on a bound socket; no access log (it would hold IPs)."""

    def __init__(self, app: web.Application, sock: socket.socket) -> None:
        self.app = app
        self.sock = sock
        self.runner: web.AppRunner | None = None

    async def start(self) -> None:
        self.runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await self.runner.setup()
        await web.SockSite(self.runner, self.sock).start()
        # A room joining at once makes many objects; the garbage collector's
        # full passes over all of them stalled every phone for ~100 ms (see
        # bench/room_bench.py). Everything made so far (modules, templates, the
        # workshop, the screen) lives as long as the process, so it is frozen
        # out of those passes, and they come less often.
        gc.freeze()
        gc.set_threshold(10_000, 50, 100)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


def raise_open_files_limit(wanted: int = 8192) -> None:
    """Each phone following the steps keeps a connection open; a room of a
    thousand needs more than the usual limit of 1,024 open files."""
    try:
        import resource
    except ImportError:  # Windows has no such limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def bind(host: str, port: int) -> socket.socket:
    """A listening socket of ours alone; OSError (say, EADDRINUSE) when it cannot be had."""
    return system.current().bind(host, port)


def lan_addresses() -> list[str]:
    """This laptop's IPv4 addresses that phones might open, best first (see addresses.py)."""
    return [candidate.address for candidate in candidates()]


WILDCARDS = ("0.0.0.0", "::", "")


class JoinAddress:
    """The address phones open, for a server on `host`.

    Serving on every interface, the best of the laptop's addresses is chosen
    once and then kept: the QR code on the wall must not move under the phones
    that scanned it. It changes only when the facilitator chooses another
    (`choose`, from the join screen) or when it is gone from the laptop (the
    laptop moved to another network). A better one that appears later (the
    hotspot came up after the VPN) is offered, not taken (`better`).
    """

    def __init__(self, code: str, *, host: str, port: int, public_url: str | None = None,
                 find: Callable[[], list[Candidate]] = candidates) -> None:
        self.code, self.host, self.port, self.public_url = code, host, port, public_url
        self.find = find
        self.chosen: Candidate | None = None
        self._offered: set[str] = set()

    @property
    def everywhere(self) -> bool:
        return self.host in WILDCARDS and not self.public_url

    def _url(self, host: str) -> str:
        return join_url(self.code, host=host, port=self.port, public_url=self.public_url)

    def current(self) -> tuple[str, bool]:
        """The join address, and whether phones on a network can reach it."""
        if self.public_url:
            return self._url(self.host), True
        if self.everywhere:
            found = self.find()
            if self.chosen is None or self.chosen.address not in {c.address for c in found}:
                self.chosen = found[0] if found else None
                self._offered = {c.address for c in found}
            if self.chosen is None:
                return self._url("127.0.0.1"), False
            return self._url(self.chosen.address), True
        if is_ip(self.host):
            return self._url(self.host), not ipaddress.ip_address(self.host).is_loopback
        # "localhost" and its subdomains always mean this machine (RFC 6761); another
        # name is trusted to be one the phones can look up.
        name = self.host.lower().rstrip(".")
        return self._url(self.host), not (name == "localhost" or name.endswith(".localhost"))

    def options(self) -> list[tuple[str, str, str]]:
        """Every address the join address can be switched to, best first: (url,
        adapter, kind as in addresses.KINDS). Empty when the host was given."""
        if not self.everywhere:
            return []
        return [(self._url(c.address), c.interface, c.kind) for c in self.find()]

    def choose(self, url: str) -> bool:
        """Send phones to `url`, one of `options()`; False when it is not (any more)."""
        for candidate in self.find() if self.everywhere else []:
            if self._url(candidate.address) == url:
                self.chosen = candidate
                return True
        return False

    def better(self) -> str | None:
        """The url of an address that appeared since the last look and ranks above
        the one phones use, once; None when there is none."""
        if not self.everywhere or self.chosen is None:
            return None
        found = self.find()
        new = [c for c in found if c.address not in self._offered]
        self._offered |= {c.address for c in found}
        ranks = {c.address: i for i, c in enumerate(found)}
        mine = ranks.get(self.chosen.address, len(found))
        for candidate in new:
            if ranks[candidate.address] < mine:
                return self._url(candidate.address)
        return None


def join_url(code: str, *, host: str, port: int, public_url: str | None = None) -> str:
    """The address phones open: PUBLIC_URL/CODE, or http://ADDRESS:PORT/CODE."""
    if public_url:
        return f"{public_url.rstrip('/')}/{code}"
    if host in WILDCARDS:
        addresses = lan_addresses()
        host = addresses[0] if addresses else "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/{code}" if port != 80 else f"http://{host}/{code}"
