"""How fast the store acknowledges answers, against a plain fsynced append.

    python bench/store_bench.py [--phones 2000] [--concurrent 100]

Each phone joins and answers the twelve questions one by one through the
store's public API (`Session.answer`, acknowledged after fsync), with
`--concurrent` phones at a time. In the same run, the same answers go through
two floors on the same disk:

- plain: every answer appended as one JSON line and fsynced on its own,
  one at a time (what a simple handler would do);
- batched: a bare group-commit writer (append everything queued, one fsync),
  the best any journal on this disk can do.

Prints answers/s, p50/p99 acknowledgement time, and how the last 10% of
answers cost against the first 10% (the store must stay flat as it grows).
Targets: at least half the plain floor's throughput; last 10% at most 1.5x
the first 10%.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gsdialog.sessions import create  # noqa: E402
from gsdialog.store import Store  # noqa: E402
from gsdialog.core.loader import builtin_path, load_workshop  # noqa: E402

Answer = Callable[[int, str, int], Awaitable[None]]


class Figures:
    def __init__(self, name: str) -> None:
        self.name = name
        self.latencies: list[float] = []
        self.done_at: list[float] = []
        self.start = 0.0
        self.end = 0.0

    def report(self) -> dict[str, float]:
        n = len(self.latencies)
        ordered = sorted(self.latencies)
        tenth = max(1, n // 10)
        done = sorted(self.done_at)
        first = (done[tenth - 1] - self.start) / tenth
        last = (done[-1] - done[-tenth - 1]) / tenth
        return {
            "answers": n,
            "per_s": n / (self.end - self.start),
            "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[int(n * 0.99) - 1] * 1000,
            "last_vs_first": last / first,
        }


async def run(name: str, phones: int, concurrent: int, items: list[str], answer: Answer,
              join: Callable[[int], Awaitable[None]] | None = None) -> Figures:
    figures = Figures(name)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for phone in range(phones):
        queue.put_nowait(phone)

    async def one_phone_at_a_time() -> None:
        while not queue.empty():
            phone = queue.get_nowait()
            if join is not None:
                await join(phone)
            for number, item in enumerate(items):
                began = time.perf_counter()
                await answer(phone, item, 1 + (phone + number) % 5)
                now = time.perf_counter()
                figures.latencies.append(now - began)
                figures.done_at.append(now)

    figures.start = time.perf_counter()
    await asyncio.gather(*(one_phone_at_a_time() for _ in range(concurrent)))
    figures.end = time.perf_counter()
    return figures


async def bench_store(folder: Path, phones: int, concurrent: int) -> Figures:
    path = builtin_path("twaalf-vragen")
    workshop = load_workshop(path)
    session, stored = create(Store(folder), workshop, path.read_text(encoding="utf-8"))
    await session.go_to(1)
    items = [item.id for item in session.step.items]
    tokens: dict[int, str] = {}

    async def join(phone: int) -> None:
        tokens[phone] = await session.join("professional" if phone % 2 else "parent")

    async def answer(phone: int, item: str, value: int) -> None:
        await session.answer(tokens[phone], "twaalf-vragen", {item: value})

    figures = await run("gsdialog store", phones, concurrent, items, answer, join)
    writes, events = stored.batches, stored.seq
    # The journal is folded into a TinyDB snapshot at the next step change.
    began = time.perf_counter()
    await session.go_to(2)
    moved = time.perf_counter()
    await stored.stop()
    print(f"  store: {writes} journal writes for {events} events; next step acknowledged in "
          f"{(moved - began) * 1000:.1f} ms, snapshot of everything written in "
          f"{(time.perf_counter() - began) * 1000:.0f} ms (in the background)")
    return figures


async def bench_plain(folder: Path, phones: int, concurrent: int, items: list[str]) -> Figures:
    loop = asyncio.get_running_loop()
    fd = os.open(folder / "plain.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    lock = asyncio.Lock()

    def write(line: bytes) -> None:
        os.write(fd, line)
        os.fsync(fd)

    async def answer(phone: int, item: str, value: int) -> None:
        line = json.dumps({"phone": phone, "item": item, "value": value}).encode() + b"\n"
        async with lock:
            await loop.run_in_executor(None, write, line)

    try:
        return await run("plain append+fsync", phones, concurrent, items, answer)
    finally:
        os.close(fd)


async def bench_batched(folder: Path, phones: int, concurrent: int, items: list[str]) -> Figures:
    loop = asyncio.get_running_loop()
    fd = os.open(folder / "batched.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    queue: asyncio.Queue[tuple[bytes, asyncio.Future[None]]] = asyncio.Queue()

    def write(data: bytes) -> None:
        os.write(fd, data)
        os.fsync(fd)

    async def writer() -> None:
        while True:
            batch = [await queue.get()]
            while not queue.empty():
                batch.append(queue.get_nowait())
            await loop.run_in_executor(None, write, b"".join(line for line, _ in batch))
            for _, done in batch:
                done.set_result(None)

    task = asyncio.create_task(writer())

    async def answer(phone: int, item: str, value: int) -> None:
        done = loop.create_future()
        queue.put_nowait((json.dumps({"phone": phone, "item": item, "value": value}).encode() + b"\n", done))
        await done

    try:
        return await run("batched append+fsync", phones, concurrent, items, answer)
    finally:
        task.cancel()
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--concurrent", type=int, default=100)
    args = parser.parse_args()
    items = [item.id for item in load_workshop(builtin_path("twaalf-vragen")).step("twaalf-vragen").items]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"{args.phones} phones x {len(items)} answers, {args.concurrent} phones at a time")
    with tempfile.TemporaryDirectory(prefix="gsdialog-bench-", dir=os.environ.get("BENCH_DIR")) as tmp:
        folder = Path(tmp)
        results = [
            asyncio.run(bench_plain(folder, args.phones, args.concurrent, items)),
            asyncio.run(bench_batched(folder, args.phones, args.concurrent, items)),
            asyncio.run(bench_store(folder, args.phones, args.concurrent)),
        ]
    reports = {figures.name: figures.report() for figures in results}
    print(f"{'':24}{'answers/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'last10%/first10%':>18}")
    for name, report in reports.items():
        print(f"{name:24}{report['per_s']:>11.0f}{report['p50_ms']:>9.2f}{report['p99_ms']:>9.2f}"
              f"{report['last_vs_first']:>18.2f}")
    store, plain = reports["gsdialog store"], reports["plain append+fsync"]
    ratio = store["per_s"] / plain["per_s"]
    print(f"store/plain throughput: {ratio:.2f}x (target >= 0.5) "
          f"{'OK' if ratio >= 0.5 else 'MISSED'}")
    print(f"store last 10% vs first 10%: {store['last_vs_first']:.2f}x (target <= 1.5) "
          f"{'OK' if store['last_vs_first'] <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
