"""A phone walks into a dead spot: the facilitator sees one phone fewer following.

A phone out of the Wi-Fi's reach closes nothing; without help the laptop
would hold its connection for a quarter of an hour. Here the laptop and two
phones are network namespaces of this test's own (Linux, root), each phone on
its own cable (a veth pair); one cable is pulled, the other phone stays, and
the session's count of phones following drops by one within half a minute
(`System.probe`, collector/following.py).
"""

from __future__ import annotations

import json
import os
import queue
import threading
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent / "data" / "example.toml"

LAPTOP = """
import asyncio, json, sys
from gsdialog.collector.app import make_app
from gsdialog.collector.server import Server, bind
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import load_workshop
from gsdialog.core.session import Session

async def main():
    session = await Session.new(load_workshop(sys.argv[1]), MemoryJournal(), session_id="s", code="ACE34",
                                created="", source="", threshold=2)
    session.subscribe(lambda change: print(json.dumps(session.following), flush=True)
                      if change.kind == "following" else None)
    server = Server(make_app(session), bind("0.0.0.0", 8080))
    await server.start()
    print("ready", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""

PHONE = """
import asyncio, sys
import aiohttp

async def main():
    base = f"http://{sys.argv[1]}:8080/ACE34"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        await (await http.post(base + "/role", data={"role": "parent"})).read()
        stream = await http.get(base + "/events")
        await stream.content.readline()
        print("following", flush=True)
        while await stream.content.readline():
            pass

asyncio.run(main())
"""


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


@contextmanager
def hall() -> Iterator[tuple[str, str, str]]:
    """A laptop and two phones: (laptop, phone a, phone b) namespaces. Phone a is
    192.168.43.50 on the laptop's wlan0 (192.168.43.20), phone b 192.168.44.50 on wlan1."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("making a network namespace needs Linux, root and iproute2 (`ip`)")
    tag = uuid.uuid4().hex[:6]
    names = [f"gs-offline-{who}-{tag}" for who in ("laptop", "phone-a", "phone-b")]
    made: list[str] = []
    try:
        for name in names:
            _ip("netns", "add", name)
            made.append(name)
            _ip("-n", name, "link", "set", "lo", "up")
        laptop = names[0]
        for n, phone in enumerate(names[1:]):
            _ip("-n", laptop, "link", "add", f"wlan{n}", "type", "veth", "peer", "name", "phone0", "netns", phone)
            _ip("-n", laptop, "addr", "add", f"192.168.{43 + n}.20/24", "dev", f"wlan{n}")
            _ip("-n", laptop, "link", "set", f"wlan{n}", "up")
            _ip("-n", phone, "addr", "add", f"192.168.{43 + n}.50/24", "dev", "phone0")
            _ip("-n", phone, "link", "set", "phone0", "up")
        yield laptop, names[1], names[2]
    finally:
        for name in reversed(made):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)


def start(namespace: str, *command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(["ip", "netns", "exec", namespace, *command], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def lines_of(process: subprocess.Popen[str]) -> queue.Queue[str]:
    """What `process` prints, line by line, read by a thread of its own (to wait with a limit)."""
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found.put(line.strip())

    threading.Thread(target=read, daemon=True).start()
    return found


def test_a_phone_in_a_dead_spot_no_longer_counts_as_following() -> None:
    with hall() as (laptop, phone_a, phone_b):
        server = start(laptop, sys.executable, "-c", LAPTOP, str(EXAMPLE))
        phones: list[subprocess.Popen[str]] = []
        try:
            said = lines_of(server)
            assert said.get(timeout=30) == "ready"
            for phone, address in ((phone_a, "192.168.43.20"), (phone_b, "192.168.44.20")):
                phones.append(start(phone, sys.executable, "-c", PHONE, address))
                assert lines_of(phones[-1]).get(timeout=30) == "following"

            def counted(expected: dict[str, int], within: float) -> float:
                began, counts = time.monotonic(), None
                while counts != expected:
                    left = began + within - time.monotonic()
                    try:
                        counts = json.loads(said.get(timeout=max(0.01, left)))
                    except queue.Empty:
                        raise AssertionError(f"still {counts}, not {expected}, after {within} s") from None
                return time.monotonic() - began

            counted({"professional": 0, "other": 2}, 10)
            _ip("-n", phone_a, "link", "set", "phone0", "down")  # out of the Wi-Fi's reach
            took = counted({"professional": 0, "other": 1}, 45)
            print(f"phone a no longer counted {took:.1f} s after it went quiet")
            assert phones[1].poll() is None, "the other phone still follows"
        finally:
            for process in (*phones, server):
                process.kill()
                process.wait()
