"""Which of the laptop's addresses phones can reach, best first.

A facilitator's laptop has several: the Wi-Fi or hotspot the phones are on,
often an always-on VPN (tun0, utun3, wg0, "Cisco AnyConnect"), and virtual
adapters that Docker, Hyper-V, WSL, VirtualBox or VMware made. Sorting the
private addresses by number picks the VPN as often as not, and no phone can
open that. So the interface that holds the default route comes first (the
address a UDP socket "connected" to a public address gets: nothing is sent),
unless that interface is itself a tunnel (a full-tunnel VPN holds the default
route); tunnels, virtual bridges and link-local addresses come last.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ifaddr

KINDS = ("default_route", "lan", "vpn", "virtual", "link_local")
"""Kinds of address, best first; `Candidate.kind` is one of these."""

VPN = re.compile(r"^(tun|tap|utun|wg|ppp|ipsec|gpd|tailscale|zt|nordlynx)\d*|vpn|anyconnect|fortinet|forticlient|"
                 r"globalprotect|pangp|wireguard|openvpn|juniper|pulse secure|zscaler|wintun|tailscale|zerotier",
                 re.IGNORECASE)
"""Tunnels and VPN adapters, by the names Linux, macOS and Windows give them."""

VIRTUAL = re.compile(r"^(docker|br-|virbr|veth|vmnet|vboxnet|bridge\d|lxc|lxd|cni|flannel|podman|awdl|llw|anpi)|"
                     r"vethernet|virtualbox|vmware|hyper-v|wsl|host-only|loopback",
                     re.IGNORECASE)
"""Adapters that lead to virtual machines and containers on this laptop, not to a room."""

PROBE = "192.0.2.1"
"""A documentation address (RFC 5737): only the route to it is looked up, no packet is sent."""


def is_ip(text: str) -> bool:
    """Whether `text` is an IP address (a host name is not)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Candidate:
    """One IPv4 address of this laptop, what kind it is, and on which adapter."""

    address: str
    interface: str
    kind: str


def route_address(probe: str = PROBE) -> str | None:
    """The address this laptop sends from on its default route; None without one.

    Connecting a UDP socket only picks a route and a source address: nothing
    leaves the laptop.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.connect((probe, 9))
        address = sock.getsockname()[0]
    except OSError:
        return None
    finally:
        sock.close()
    return None if address in ("0.0.0.0", "") else address


def _adapters() -> Iterable[tuple[str, str]]:
    """(adapter name, IPv4 address) for every address of this laptop."""
    for adapter in ifaddr.get_adapters():
        name = adapter.nice_name or adapter.name
        if isinstance(adapter.name, str) and adapter.name != name:
            name = f"{name} {adapter.name}" if not _is_guid(adapter.name) else name
        for ip in adapter.ips:
            if isinstance(ip.ip, str):
                yield name, ip.ip


def _is_guid(name: str) -> bool:
    return bool(re.fullmatch(r"\{?[0-9a-fA-F-]{36}\}?", name))


def kind_of(address: str, interface: str, route: str | None) -> str:
    """What kind of address this is (see KINDS)."""
    ip = ipaddress.IPv4Address(address)
    if ip.is_link_local:
        return "link_local"
    if VPN.search(interface):
        return "vpn"
    if VIRTUAL.search(interface):
        return "virtual"
    return "default_route" if address == route else "lan"


def candidates(adapters: Callable[[], Iterable[tuple[str, str]]] = _adapters,
               route: Callable[[], str | None] = route_address) -> list[Candidate]:
    """Every address phones might open, best first: the default route's, then
    other private and public ones, then tunnels, virtual adapters, link-local.
    Never loopback."""
    default = route()
    found: dict[str, Candidate] = {}
    for interface, address in adapters():
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            continue
        if ip.is_loopback or ip.is_unspecified or address in found:
            continue
        found[address] = Candidate(address, interface, kind_of(address, interface, default))

    def rank(candidate: Candidate) -> tuple[int, bool, ipaddress.IPv4Address]:
        ip = ipaddress.IPv4Address(candidate.address)
        return KINDS.index(candidate.kind), not ip.is_private, ip

    return sorted(found.values(), key=rank)
