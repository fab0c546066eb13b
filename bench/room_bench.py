"""A big hall joins at once: gsdialog against a bare aiohttp floor, in one run.

    python bench/room_bench.py [--phones 1000] [--concurrent 100]

Each side runs as its own server process on loopback; this process is the
room. Every phone joins, chooses a role (half professional), opens the
rating step and answers the twelve questions in one post, `--concurrent` at
a time. For gsdialog, 1,000 phones also keep the event stream open
throughout, and the projector runs headless at 100x30 in the server process,
recording when it redraws.

The floor: a minimal aiohttp handler that appends one fsynced line per post.

Prints answers/s and p99 acknowledge time for both and their ratios; the
time from an answer's acknowledgement to the projector's redraw (p95);
memory of the server with the open event streams; time from start to a
working join page; and whether the export holds every acknowledged answer.
Targets: throughput >= 0.5x the floor, p99 <= 2x the floor, redraw p95 <=
250 ms, memory <= 200 MB, join-ready <= 1.5 s, no errors, nothing lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

CODE_RE = re.compile(r"sessions/\d{8}-\d{6}-([A-Z0-9]+)$")
WARM_UP = 20


# --- the servers (run as child processes) ---------------------------------------------------


def serve_gsdialog(data: Path, port: int, stats: Path) -> None:
    """`gsdialog run` on the built-in twaalf-vragen, headless, with its redraws timed."""
    from gsdialog.collector.app import make_app
    from gsdialog.collector.server import Server, bind, raise_open_files_limit
    from gsdialog.projector.app import ProjectorApp
    from gsdialog.sessions import create
    from gsdialog.store import Store
    from gsdialog.core.loader import builtin_path, load_workshop

    raise_open_files_limit()
    path = builtin_path("twaalf-vragen")
    session, _ = create(Store(data), load_workshop(path), path.read_text(encoding="utf-8"))
    answered: list[float] = []
    redrawn: list[float] = []

    class TimedApp(ProjectorApp):
        def _refresh_live(self) -> None:
            stale = self._stale
            super()._refresh_live()
            if stale:
                redrawn.append(time.monotonic())

    session.subscribe(lambda change: answered.append(time.monotonic()) if change.kind == "answer" else None)
    server = Server(make_app(session), bind("127.0.0.1", port))
    app = TimedApp(session, server=server, clock=False)

    async def main() -> None:
        await session.go_to(1)  # the twelve questions, open for answers
        loop = asyncio.get_running_loop()
        if os.environ.get("BENCH_WITHOUT_PROJECTOR"):  # to see what the projector costs
            await server.start()
            done = asyncio.Event()
            loop.add_signal_handler(signal.SIGTERM, done.set)
            await done.wait()
            await server.stop()
            await session.journal.stop()
            return
        loop.add_signal_handler(signal.SIGTERM, lambda: app.exit("paused"))
        await app.run_async(headless=True, size=(100, 30))

    asyncio.run(main())
    delays = []
    for moment in answered:
        later = next((r for r in redrawn if r >= moment), None)
        if later is not None:
            delays.append(later - moment)
    stats.write_text(json.dumps({"answers": len(answered), "redraws": len(redrawn), "delays": delays}))


def serve_floor(data: Path, port: int) -> None:
    """The least a server must do: a page, a cookie, one fsynced line per answer."""
    from aiohttp import web

    fd = os.open(data / "floor.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    page = ('<html><body data-step="twaalf-vragen"><form method="post"><input name="role" value="parent">'
            '</form></body></html>')

    async def get(request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    async def role(request: web.Request) -> web.Response:
        await request.post()
        response = web.HTTPSeeOther("/FLOOR")
        response.set_cookie("phone", os.urandom(12).hex())
        raise response

    async def answer(request: web.Request) -> web.Response:
        form = await request.post()
        os.write(fd, json.dumps({"phone": request.cookies.get("phone"), **dict(form)}).encode() + b"\n")
        os.fsync(fd)
        raise web.HTTPSeeOther("/FLOOR")

    app = web.Application()
    app.router.add_get("/FLOOR", get)
    app.router.add_post("/FLOOR/role", role)
    app.router.add_post("/FLOOR/answer", answer)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


# --- the room ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_ready(url: str, deadline: float) -> float:
    began = time.monotonic()
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return time.monotonic() - began
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.01)
    raise RuntimeError(f"{url} did not answer in time")


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def room(base: str, code: str, phones: int, concurrent: int, items: list[str], streams: int,
               pid: int, first: int = 0) -> dict[str, object]:
    """Every phone joins and answers; returns throughput, latencies, errors, memory."""
    connector = aiohttp.TCPConnector(limit=0)
    errors: dict[str, int] = {}
    latencies: list[float] = []
    acknowledged: list[tuple[str, dict[str, str]]] = []
    followers = []
    listen = aiohttp.ClientSession(connector=connector, connector_owner=False,
                                   timeout=aiohttp.ClientTimeout(total=None))
    for _ in range(streams):
        response = await listen.get(f"{base}/{code}/events")
        await response.content.readline()
        followers.append(response)
    memory = rss_mb(pid)

    gate = asyncio.Semaphore(concurrent)

    async def phone(number: int) -> None:
        professional = number % 2 == 0
        values = {f"item-{item}": str(4 + (number + i) % 2 if professional else 1 + (number + i) % 3)
                  for i, item in enumerate(items)}
        async with gate, aiohttp.ClientSession(connector=connector, connector_owner=False,
                                               cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            try:
                async with http.get(f"{base}/{code}") as response:
                    await response.read()
                async with http.post(f"{base}/{code}/role",
                                     data={"role": "professional" if professional else "parent"},
                                     allow_redirects=False) as response:
                    await response.read()
                    if response.status != 303:
                        errors[f"role {response.status}"] = errors.get(f"role {response.status}", 0) + 1
                        return
                async with http.get(f"{base}/{code}") as response:
                    await response.read()
                began = time.perf_counter()
                async with http.post(f"{base}/{code}/answer", data={"step": "twaalf-vragen", **values},
                                     allow_redirects=False) as response:
                    await response.read()
                    if response.status == 303:
                        latencies.append(time.perf_counter() - began)
                        acknowledged.append((str(number), values))
                    else:
                        errors[f"answer {response.status}"] = errors.get(f"answer {response.status}", 0) + 1
            except aiohttp.ClientError as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(phone(n) for n in range(first, first + phones)))
    took = time.perf_counter() - began
    peak = max(memory, rss_mb(pid))
    for response in followers:
        response.close()
    await listen.close()
    await connector.close()
    ordered = sorted(latencies)
    return {
        "per_s": len(latencies) / took,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000 if ordered else float("nan"),
        "errors": errors,
        "acknowledged": acknowledged,
        "memory_mb": peak,
    }


def run_side(name: str, args: argparse.Namespace, items: list[str], folder: Path) -> dict[str, object]:
    port = free_port()
    data = folder / name
    data.mkdir()
    stats = folder / f"{name}-stats.json"
    mode = "--serve-gsdialog" if name == "gsdialog" else "--serve-floor"
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, __file__, mode, str(data), str(port), str(stats)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        code = "FLOOR"
        if name == "gsdialog":
            sessions = data / "sessions"
            while not (sessions.exists() and any(sessions.iterdir())):
                if time.monotonic() - started > 30:
                    raise RuntimeError("gsdialog did not start")
                time.sleep(0.005)
            match = CODE_RE.search(str(next(sessions.iterdir())))
            assert match is not None
            code = match.group(1)
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(f"{base}/{code}", started + 30))
        ready = time.monotonic() - started
        # The same few phones warm both servers up (first requests compile templates,
        # start threads); they are not measured, but their answers must be exported too.
        warm = asyncio.run(room(base, code, WARM_UP, WARM_UP, items, 0, child.pid, first=args.phones))
        result = asyncio.run(room(base, code, args.phones, args.concurrent, items,
                                  args.phones if name == "gsdialog" else 0, child.pid))
        result["ready_s"] = ready
        result["warm_up"] = warm["acknowledged"]
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            _, err = child.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            _, err = child.communicate()
    if name == "gsdialog":
        found = json.loads(stats.read_text())
        delays = sorted(found["delays"])
        result["redraw_p95_ms"] = delays[int(len(delays) * 0.95) - 1] * 1000 if delays else float("nan")
        result["redraws"] = found["redraws"]
        exported = subprocess.run([sys.executable, "-m", "gsdialog", "export", "--data", str(data), "--format",
                                   "json", "--include-small-groups"], capture_output=True, text=True, check=True)
        responses = json.loads(exported.stdout)["responses"]
        expected = (len(result["acknowledged"]) + len(result["warm_up"])) * len(items)  # type: ignore[arg-type]
        result["exported"] = len([r for r in responses if r["step"] == "twaalf-vragen"])
        result["lost"] = expected - result["exported"]
    elif err.strip():
        print(err.decode()[-2000:], file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--concurrent", type=int, default=100)
    args = parser.parse_args()
    from gsdialog.core.loader import builtin_path, load_workshop

    items = [item.id for item in load_workshop(builtin_path("twaalf-vragen")).step("twaalf-vragen").items]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"{args.phones} phones (half professional), {args.concurrent} at a time, each answering "
          f"{len(items)} questions in one post; loopback")
    with tempfile.TemporaryDirectory(prefix="gsdialog-room-") as tmp:
        floor = run_side("floor", args, items, Path(tmp))
        ours = run_side("gsdialog", args, items, Path(tmp))
    print(f"{'':10}{'answers/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, side in (("floor", floor), ("gsdialog", ours)):
        errors = sum(side["errors"].values())  # type: ignore[union-attr]
        print(f"{name:10}{side['per_s']:>11.0f}{side['p50_ms']:>9.1f}{side['p99_ms']:>9.1f}{errors:>8}")
    throughput = ours["per_s"] / floor["per_s"]  # type: ignore[operator]
    p99 = ours["p99_ms"] / floor["p99_ms"]  # type: ignore[operator]
    checks = [
        ("throughput vs floor", f"{throughput:.2f}x", ">= 0.5x", throughput >= 0.5),
        ("p99 vs floor", f"{p99:.2f}x", "<= 2x", p99 <= 2),
        ("redraw after ack, p95", f"{ours['redraw_p95_ms']:.0f} ms ({ours['redraws']} redraws)", "<= 250 ms",
         ours["redraw_p95_ms"] <= 250),  # type: ignore[operator]
        (f"memory, {args.phones} event streams open", f"{ours['memory_mb']:.0f} MB", "<= 200 MB",
         ours["memory_mb"] <= 200),  # type: ignore[operator]
        ("start to join page", f"{ours['ready_s']:.2f} s", "<= 1.5 s", ours["ready_s"] <= 1.5),  # type: ignore[operator]
        ("errors", str(ours["errors"] or 0), "0", not ours["errors"]),
        ("acknowledged answers missing from the export", str(ours["lost"]), "0", ours["lost"] == 0),
    ]
    for name, value, target, ok in checks:
        print(f"{name:48}{value:>24}  target {target:<10} {'OK' if ok else 'MISSED'}")
    print(f"(floor started in {floor['ready_s']:.2f} s; {ours['exported']} answers in the export)")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve-gsdialog":
        serve_gsdialog(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    elif len(sys.argv) == 5 and sys.argv[1] == "--serve-floor":
        serve_floor(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
