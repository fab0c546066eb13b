"""Joining at a human pace: how fast new phones may join, from one address and in all;
and `RateLimit`, how fast one phone that joined may post.

A room fills up at the pace of people taking out their phones; a script
joins a thousand in a second. Two token buckets tell them apart: one per
network address (a few joins a minute: a person who lost a tab joins again,
a script making fake phones does not get far) and one for everyone (a burst
far above a hall filling up). A phone refused gets a plain message and may
try again a minute later.

Addresses live in memory only, in the buckets, and never reach a log, a
file or the session: the privacy rule. A bucket is dropped once it is full
again, so the memory does not grow with every address ever seen.

Which address: the connection's peer. Behind a reverse proxy or tunnel
every phone comes from the proxy; with `trust_proxy` (`gsdialog run
--trust-proxy`) the last address in X-Forwarded-For (the one the proxy
added) counts instead. It is never taken without being told to trust it: a
phone could write any address there. Loopback (this laptop: a rehearsal with
`gsdialog simulate`, or an untrusted proxy on the same machine) has no limit
per address, only the one for everyone.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field

from aiohttp import web

PER_ADDRESS = 5
"""Joins a minute from one network address, by default (`--join-limit`)."""
TOTAL_BURST = 500
"""Joins at once from all addresses together; then `TOTAL_PER_SECOND`."""
TOTAL_PER_SECOND = 10.0
KEEP_BUCKETS = 4096
"""Above this many addresses, buckets that are full again are dropped."""


@dataclass
class Bucket:
    """`burst` tokens, refilled at `per_second`; one per key."""

    burst: float
    per_second: float
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str, now: float) -> bool:
        tokens, last = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        if len(self.buckets) > KEEP_BUCKETS:
            self._drop_full(now)
        return True

    def _drop_full(self, now: float) -> None:
        full = [key for key, (tokens, last) in self.buckets.items()
                if tokens + (now - last) * self.per_second >= self.burst]
        for key in full:
            del self.buckets[key]


class JoinPace:
    """Whether a new phone may join now; the reason (an i18n key's tail) when not."""

    def __init__(self, per_address: int = PER_ADDRESS, *, trust_proxy: bool = False,
                 total_burst: int = TOTAL_BURST, total_per_second: float = TOTAL_PER_SECOND) -> None:
        self.per_address = per_address
        self.trust_proxy = trust_proxy
        self._addresses = Bucket(per_address, per_address / 60.0)
        self._total = Bucket(total_burst, total_per_second)

    def address(self, request: web.Request) -> str:
        """The phone's network address, as far as it can be known."""
        if self.trust_proxy:
            forwarded = request.headers.getall("X-Forwarded-For", [])
            if forwarded:
                last = forwarded[-1].split(",")[-1].strip()
                if last:
                    return last
        return request.remote or ""

    def refusal(self, request: web.Request, now: float | None = None) -> str | None:
        """None when the phone may join now (and count it), else "join_pace" (this
        address joined too often) or "join_busy" (too many joins from everyone)."""
        now = time.monotonic() if now is None else now
        address = self.address(request)
        if (self.per_address > 0 and not _is_loopback(address) and not self._from_this_laptop(request, address)
                and not self._addresses.allow(address, now)):
            return "join_pace"
        if not self._total.allow("", now):
            return "join_busy"
        return None


    def _from_this_laptop(self, request: web.Request, address: str) -> bool:
        """A request from the laptop itself, to its own network address: the
        facilitator rehearsing with `gsdialog simulate` on the join address.
        No phone in the room has the laptop's address."""
        if self.trust_proxy or request.transport is None:
            return False
        sockname = request.transport.get_extra_info("sockname")
        return bool(sockname) and sockname[0] == address


def _is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


@dataclass
class RateLimit(Bucket):
    """Posts per phone: a bucket of `burst` posts, refilled at `per_second`."""

    burst: float = 10
    per_second: float = 1.0

    def allow(self, key: str, now: float | None = None) -> bool:
        return super().allow(key, time.monotonic() if now is None else now)
