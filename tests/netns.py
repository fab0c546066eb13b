"""A facilitator's laptop in a network namespace of the test's own (Linux, root).

The laptop has an always-on VPN (`tun0` 10.8.0.2), a bridge that Docker,
Hyper-V, WSL or VirtualBox made (`docker0` 172.17.0.1), and the Wi-Fi the
phones are on (`wlan0` 192.168.43.20, the default route). `wlan0` is one end
of a veth pair; the other end is a phone in a second namespace (192.168.43.50).
Only these two namespaces are ever a target.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


def skip_without_namespaces() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("network namespaces are Linux's; the address choice is tested with made-up adapters elsewhere")
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("making a network namespace needs root and iproute2 (`ip`)")


@dataclass(frozen=True)
class Laptop:
    name: str
    phone: str

    def run(self, *command: str, where: str | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
        """Run `command` inside the laptop (or the phone's) namespace."""
        return subprocess.run(["ip", "netns", "exec", where or self.name, *command],
                              capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]

    def popen(self, *command: str, where: str | None = None, **kwargs: object) -> subprocess.Popen[str]:
        return subprocess.Popen(["ip", "netns", "exec", where or self.name, *command],
                                text=True, **kwargs)  # type: ignore[call-overload]


@contextmanager
def laptop_with_vpn(full_tunnel: bool = False) -> Iterator[Laptop]:
    """The namespaces above; with `full_tunnel` the VPN holds the default route."""
    skip_without_namespaces()
    tag = uuid.uuid4().hex[:6]
    laptop, phone = f"gs-laptop-{tag}", f"gs-phone-{tag}"
    _ip("netns", "add", laptop)
    try:
        _ip("netns", "add", phone)
        for ns in (laptop, phone):
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", laptop, "tuntap", "add", "dev", "tun0", "mode", "tun")
        _ip("-n", laptop, "addr", "add", "10.8.0.2/24", "dev", "tun0")
        _ip("-n", laptop, "link", "set", "tun0", "up")
        _ip("-n", laptop, "link", "add", "docker0", "type", "bridge")
        _ip("-n", laptop, "addr", "add", "172.17.0.1/16", "dev", "docker0")
        _ip("-n", laptop, "link", "set", "docker0", "up")
        _ip("-n", laptop, "link", "add", "wlan0", "type", "veth", "peer", "name", "phone0", "netns", phone)
        _ip("-n", laptop, "addr", "add", "192.168.43.20/24", "dev", "wlan0")
        _ip("-n", laptop, "link", "set", "wlan0", "up")
        _ip("-n", phone, "addr", "add", "192.168.43.50/24", "dev", "phone0")
        _ip("-n", phone, "link", "set", "phone0", "up")
        if full_tunnel:
            _ip("-n", laptop, "route", "add", "default", "dev", "tun0")
        else:
            _ip("-n", laptop, "route", "add", "default", "via", "192.168.43.1", "dev", "wlan0")
        yield Laptop(laptop, phone)
    finally:
        subprocess.run(["ip", "netns", "del", phone], capture_output=True, timeout=10)
        subprocess.run(["ip", "netns", "del", laptop], capture_output=True, timeout=10)
