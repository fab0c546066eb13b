"""Serving the phones from inside the projector's event loop.

The CLI binds the socket before any screen appears, so a taken port is a
plain message; the app starts serving on it when it mounts and stops when it
unmounts (aiohttp's AppRunner with a SockSite).
"""

from __future__ import annotations

import gc
import ipaddress
import socket

import ifaddr
from aiohttp import web


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
    """A listening socket; OSError (say, EADDRINUSE) when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(512)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that phones on the same network can reach.

    Private ranges (a venue's Wi-Fi, a phone's hotspot) first; never loopback
    or link-local.
    """
    found: list[ipaddress.IPv4Address] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):
                continue
            address = ipaddress.IPv4Address(ip.ip)
            if address.is_loopback or address.is_link_local or address.is_unspecified:
                continue
            found.append(address)
    found.sort(key=lambda a: (not a.is_private, a))
    return [str(a) for a in dict.fromkeys(found)]


class JoinAddress:
    """The address phones open, looked up again when asked: a laptop can move
    to another network (or lose it) in the middle of a workshop."""

    def __init__(self, code: str, *, host: str, port: int, public_url: str | None = None) -> None:
        self.code, self.host, self.port, self.public_url = code, host, port, public_url

    def current(self) -> tuple[str, bool]:
        """The join address, and whether phones on a network can reach it."""
        url = join_url(self.code, host=self.host, port=self.port, public_url=self.public_url)
        if self.public_url:
            return url, True
        if self.host in ("0.0.0.0", "::", ""):
            return url, bool(lan_addresses())
        if _is_ip(self.host):
            return url, not ipaddress.ip_address(self.host).is_loopback
        # "localhost" and its subdomains always mean this machine (RFC 6761); another
        # name is trusted to be one the phones can look up.
        name = self.host.lower().rstrip(".")
        return url, not (name == "localhost" or name.endswith(".localhost"))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def join_url(code: str, *, host: str, port: int, public_url: str | None = None) -> str:
    """The address phones open: PUBLIC_URL/CODE, or http://ADDRESS:PORT/CODE."""
    if public_url:
        return f"{public_url.rstrip('/')}/{code}"
    if host in ("0.0.0.0", "::", ""):
        addresses = lan_addresses()
        host = addresses[0] if addresses else "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/{code}" if port != 80 else f"http://{host}/{code}"
