"""Server CPU per request, one kind of request at a time: gsdialog against the floor.

    python bench/request_bench.py [--requests 3000] [--rounds 3] [TREE ...]

Starts the servers of bench/room_bench.py (gsdialog without its projector,
BENCH_WITHOUT_PROJECTOR) and sends each kind of request `--requests` times,
50 at a time, each from its own phone: the join page, choosing a role, the
step page, opening the event stream, an answer, the thank-you page. Prints
the server's CPU time (from /proc) per request, the median of `--rounds`.

Each TREE is a checkout of gsdialog (default: this one); given several, they
take turns, so a noisy machine disturbs them alike. For the figures in
docs/performance.md: `git archive c6720f4 | tar -x -C /tmp/before`, then
`python bench/request_bench.py /tmp/before .`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import room_bench  # noqa: E402

AT_ONCE = 50


def cpu_s(pid: int) -> float:
    return room_bench.cpu_s(pid)


async def phase(pid: int, count: int, request: Callable[[int], Awaitable[None]]) -> float:
    """Server CPU (µs) per request."""
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(number: int) -> None:
        async with gate:
            await request(number)

    before = cpu_s(pid)
    await asyncio.gather(*(one(n) for n in range(count)))
    return (cpu_s(pid) - before) / count * 1e6


async def gsdialog(base: str, code: str, pid: int, count: int, items: list[str]) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=0)
    phones = [aiohttp.ClientSession(connector=connector, connector_owner=False,
                                    cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in range(count)]
    streams: list[aiohttp.ClientResponse] = []

    async def get(n: int, path: str = f"/{code}") -> None:
        async with phones[n].get(base + path) as response:
            await response.read()

    async def role(n: int) -> None:
        async with phones[n].post(f"{base}/{code}/role", data={"role": "parent" if n % 2 else "professional"},
                                  allow_redirects=False) as response:
            await response.read()
            assert response.status == 303

    async def stream(n: int) -> None:
        response = await phones[n].get(f"{base}/{code}/events", params={"step": "twaalf-vragen", "open": "true"})
        await response.content.readline()
        streams.append(response)

    async def answer(n: int) -> None:
        async with phones[n].post(f"{base}/{code}/answer", data={"step": "twaalf-vragen",
                                                                 **{f"item-{i}": "3" for i in items}},
                                  allow_redirects=False) as response:
            await response.read()
            assert response.status == 303

    found = {
        "join page": await phase(pid, count, get),
        "choose a role (POST)": await phase(pid, count, role),
        "step page": await phase(pid, count, get),
        "open the event stream": await phase(pid, count, stream),
        "answer (POST)": await phase(pid, count, answer),
        "thank-you page": await phase(pid, count, lambda n: get(n, f"/{code}?sent=twaalf-vragen")),
    }
    for response in streams:
        response.close()
    for phone in phones:
        await phone.close()
    await connector.close()
    return found


async def floor(base: str, pid: int, count: int, items: list[str]) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=0)
    phones = [aiohttp.ClientSession(connector=connector, connector_owner=False,
                                    cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in range(count)]

    async def get(n: int) -> None:
        async with phones[n].get(f"{base}/FLOOR") as response:
            await response.read()

    async def post(n: int, path: str, data: dict[str, str]) -> None:
        async with phones[n].post(base + path, data=data, allow_redirects=False) as response:
            await response.read()

    found = {
        "join page": await phase(pid, count, get),
        "choose a role (POST)": await phase(pid, count, lambda n: post(n, "/FLOOR/role", {"role": "parent"})),
        "step page": await phase(pid, count, get),
        "answer (POST)": await phase(pid, count, lambda n: post(n, "/FLOOR/answer", {
            "step": "twaalf-vragen", **{f"item-{i}": "3" for i in items}})),
    }
    for phone in phones:
        await phone.close()
    await connector.close()
    return found


def side(tree: Path, name: str, count: int, items: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="gsdialog-requests-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        port = room_bench.free_port()
        child = subprocess.Popen([sys.executable, str(tree / "bench" / "room_bench.py"), f"--serve-{name}",
                                  str(data), str(port), str(Path(tmp) / "stats.json")],
                                 env={**os.environ, "BENCH_WITHOUT_PROJECTOR": "1"},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base, code = f"http://127.0.0.1:{port}", "FLOOR"
            if name == "gsdialog":
                sessions, match = data / "sessions", None
                while match is None:
                    time.sleep(0.01)
                    found = list(sessions.iterdir()) if sessions.exists() else []
                    match = next((m for m in map(room_bench.CODE_RE.search, map(str, found)) if m), None)
                code = match.group(1)
            asyncio.run(room_bench.wait_ready(f"{base}/{code}", time.monotonic() + 30))
            if name == "gsdialog":
                return asyncio.run(gsdialog(base, code, child.pid, count, items))
            return asyncio.run(floor(base, child.pid, count, items))
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[HERE.parent], metavar="TREE")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from gsdialog.core.loader import builtin_path, load_workshop

    items = [item.id for item in load_workshop(builtin_path("twaalf-vragen")).step("twaalf-vragen").items]
    found: dict[tuple[str, str, str], list[float]] = {}
    for _ in range(args.rounds):
        for tree in args.trees:
            for name in ("floor", "gsdialog"):
                for request, micros in side(tree.resolve(), name, args.requests, items).items():
                    found.setdefault((name, request, str(tree)), []).append(micros)
    print(f"server CPU per request, µs: median [range] of {args.rounds} rounds, {args.requests} requests each")
    rows = dict.fromkeys((name, request) for name, request, _ in found)
    print(f"{'':10}{'':24}" + "".join(f"{str(tree)[-24:]:>26}" for tree in args.trees))
    for name, request in rows:
        cells = []
        for tree in args.trees:
            values = found.get((name, request, str(tree)))
            cells.append(f"{statistics.median(values):>8.0f} [{min(values):.0f}–{max(values):.0f}]"
                         if values else "")
        print(f"{name:10}{request:24}" + "".join(f"{cell:>26}" for cell in cells))


if __name__ == "__main__":
    main()
