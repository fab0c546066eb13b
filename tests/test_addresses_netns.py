"""The join address in a real network namespace with a VPN, a bridge and the Wi-Fi
(tests/netns.py): the QR code points where phones are, not at the VPN."""

from __future__ import annotations

import json
import sys

import pytest

from tests.netns import laptop_with_vpn

SHOW = """
import json
from gsdialog.collector.addresses import candidates, route_address
from gsdialog.collector.server import JoinAddress
address = JoinAddress("KX4MP", host="0.0.0.0", port=8080)
print(json.dumps({"route": route_address(), "join": address.current(), "options": address.options(),
                  "kinds": {c.address: c.kind for c in candidates()}}))
"""


@pytest.mark.parametrize("full_tunnel", [False, True], ids=["wifi-route", "vpn-holds-the-route"])
def test_phones_are_sent_to_the_wifi_not_the_vpn_or_the_bridge(full_tunnel: bool) -> None:
    with laptop_with_vpn(full_tunnel=full_tunnel) as laptop:
        done = laptop.run(sys.executable, "-c", SHOW, timeout=30)
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout)
    assert seen["route"] == ("10.8.0.2" if full_tunnel else "192.168.43.20")
    assert seen["join"] == ["http://192.168.43.20:8080/KX4MP", True]
    assert [url for url, _, _ in seen["options"]] == [
        "http://192.168.43.20:8080/KX4MP", "http://10.8.0.2:8080/KX4MP", "http://172.17.0.1:8080/KX4MP"]
    assert seen["options"][1][1:] == ["tun0", "vpn"] and seen["options"][2][1:] == ["docker0", "virtual"]
    assert seen["kinds"] == {"192.168.43.20": "lan" if full_tunnel else "default_route",
                             "10.8.0.2": "vpn", "172.17.0.1": "virtual"}
