"""The join address: the one phones can reach, kept while phones use it.

The laptops are a trainer's: an always-on VPN, adapters that Docker, Hyper-V,
WSL or VirtualBox made, and the Wi-Fi or hotspot the phones are on. The same
choice is made in a real network namespace in test_addresses_netns.py.
"""

from __future__ import annotations

import pytest

from gsdialog.collector.addresses import Candidate, candidates, kind_of, route_address
from gsdialog.collector.server import JoinAddress

CODE = "KX4MP"

LINUX = [("lo", "127.0.0.1"), ("tun0", "10.8.0.2"), ("docker0", "172.17.0.1"), ("wlan0", "192.168.43.20")]
WINDOWS = [("Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter", "10.8.0.2"),
           ("vEthernet (WSL)", "172.24.160.1"), ("VirtualBox Host-Only Ethernet Adapter", "192.168.56.1"),
           ("Intel(R) Wi-Fi 6 AX201 160MHz", "192.168.43.20"), ("Loopback Pseudo-Interface 1", "127.0.0.1")]
MACOS = [("lo0", "127.0.0.1"), ("utun3", "10.8.0.2"), ("bridge100", "192.168.2.1"), ("en0", "192.168.43.20"),
         ("en5", "169.254.20.3")]


@pytest.mark.parametrize("adapters", [LINUX, WINDOWS, MACOS], ids=["linux", "windows", "macos"])
@pytest.mark.parametrize("route", ["192.168.43.20", "10.8.0.2", None], ids=["wifi-route", "vpn-route", "no-route"])
def test_the_wifi_comes_first_whatever_holds_the_route(adapters: list[tuple[str, str]], route: str | None) -> None:
    """A full-tunnel VPN holds the default route; no route at all (a hotspot
    without internet): the Wi-Fi still comes first, tunnels and bridges last."""
    found = candidates(lambda: adapters, lambda: route)
    assert found[0].address == "192.168.43.20"
    assert "127.0.0.1" not in [c.address for c in found]
    kinds = {c.address: c.kind for c in found}
    assert kinds["10.8.0.2"] == "vpn"
    assert kinds["192.168.43.20"] == ("default_route" if route == "192.168.43.20" else "lan")
    assert [c.kind for c in found] == sorted((c.kind for c in found),
                                            key=["default_route", "lan", "vpn", "virtual", "link_local"].index)


def test_an_ordinary_lan_with_the_route_beats_a_lower_number() -> None:
    """Sorting by number picked 10.x over 192.168.x; the route decides now."""
    found = candidates(lambda: [("eth1", "10.0.0.5"), ("wlan0", "192.168.1.20")], lambda: "192.168.1.20")
    assert [c.address for c in found] == ["192.168.1.20", "10.0.0.5"]


@pytest.mark.parametrize(("interface", "address", "kind"), [
    ("wg0", "10.6.0.2", "vpn"), ("ppp0", "10.64.0.1", "vpn"), ("utun4", "100.100.1.2", "vpn"),
    ("FortiClient VPN", "10.212.134.200", "vpn"), ("PANGP Virtual Ethernet Adapter", "10.1.1.1", "vpn"),
    ("virbr0", "192.168.122.1", "virtual"), ("br-5e2c1a", "172.18.0.1", "virtual"),
    ("VMware Network Adapter VMnet8", "192.168.80.1", "virtual"), ("vmnet1", "172.16.1.1", "virtual"),
    ("eth0", "169.254.3.3", "link_local"), ("Wi-Fi", "192.168.1.7", "lan"), ("en0", "10.0.0.7", "lan"),
])
def test_kinds_by_the_names_each_system_gives(interface: str, address: str, kind: str) -> None:
    assert kind_of(address, interface, route="192.0.2.99") == kind


def test_route_address_asks_the_routing_table_and_sends_nothing() -> None:
    """Loopback as the "public" address: the route to it is lo, whose address is 127.0.0.1."""
    assert route_address("127.0.0.1") == "127.0.0.1"


class Laptop:
    """Adapters that come and go, as a laptop's do in the middle of a workshop."""

    def __init__(self, *found: Candidate) -> None:
        self.found = list(found)

    def __call__(self) -> list[Candidate]:
        return list(self.found)


WIFI = Candidate("192.168.43.20", "wlan0", "default_route")
VPN = Candidate("10.8.0.2", "tun0", "vpn")
LAN = Candidate("192.168.1.20", "eth0", "lan")


def test_the_address_phones_use_is_kept_until_the_facilitator_switches() -> None:
    laptop = Laptop(VPN)  # the Wi-Fi is not up yet when the projector starts
    address = JoinAddress(CODE, host="0.0.0.0", port=8080, find=laptop)
    assert address.current() == (f"http://10.8.0.2:8080/{CODE}", True)
    laptop.found = [WIFI, VPN]
    assert address.better() == f"http://192.168.43.20:8080/{CODE}"
    assert address.better() is None, "offered once"
    assert address.current()[0] == f"http://10.8.0.2:8080/{CODE}", "phones may already use it"
    assert address.options() == [(f"http://192.168.43.20:8080/{CODE}", "wlan0", "default_route"),
                                 (f"http://10.8.0.2:8080/{CODE}", "tun0", "vpn")]
    assert address.choose(f"http://192.168.43.20:8080/{CODE}")
    assert address.current()[0] == f"http://192.168.43.20:8080/{CODE}"
    assert not address.choose("http://10.9.9.9:8080/KX4MP"), "not one of the laptop's"
    assert address.current()[0] == f"http://192.168.43.20:8080/{CODE}"


def test_a_worse_new_address_is_not_offered_and_a_gone_one_is_replaced() -> None:
    laptop = Laptop(WIFI)
    address = JoinAddress(CODE, host="0.0.0.0", port=8080, find=laptop)
    assert address.current()[0] == f"http://192.168.43.20:8080/{CODE}"
    laptop.found = [WIFI, VPN]  # the VPN connects mid-workshop
    assert address.better() is None
    assert address.current()[0] == f"http://192.168.43.20:8080/{CODE}"
    laptop.found = [LAN, VPN]  # the laptop moved to the cable: the old address is gone
    assert address.current()[0] == f"http://192.168.1.20:8080/{CODE}"
    laptop.found = []
    assert address.current() == (f"http://127.0.0.1:8080/{CODE}", False)


def test_a_given_host_or_public_url_is_never_switched() -> None:
    laptop = Laptop(WIFI, VPN)
    given = JoinAddress(CODE, host="10.8.0.2", port=8080, find=laptop)
    public = JoinAddress(CODE, host="0.0.0.0", port=8080, public_url="https://dialoog.example.org", find=laptop)
    for address in (given, public):
        before = address.current()
        assert address.options() == [] and address.better() is None
        assert not address.choose(f"http://192.168.43.20:8080/{CODE}")
        assert address.current() == before
    assert public.current() == (f"https://dialoog.example.org/{CODE}", True)
