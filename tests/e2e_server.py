"""`gsdialog run` without a terminal, for the end-to-end tests.

    python e2e_server.py DATA WORKSHOP READY_FILE [--step N] [--projector] [--snapshot-every N]
                         [--latecomers-answer] [--port P]

Does what `gsdialog run` does (cli._run): resumes the unfinished session of
WORKSHOP in DATA or creates one, binds the phones' socket (127.0.0.1, a free
port), and serves `make_app(session)` through `Server`. With --projector the
ProjectorApp runs too, headless, and starts and stops the server as it does
in `gsdialog run`; without it the server runs alone (as bench/room_bench.py
does with BENCH_WITHOUT_PROJECTOR). With --step N the facilitator first
moves the room to step N (0-based) if it is elsewhere.

Once phones can connect, the join address (as the projector shows it) is
written to READY_FILE. SIGTERM pauses, as `q` then `p` would: the session
stays open, to be resumed by the next start. SIGUSR1 is the facilitator's
PageDown (without --projector: the next step). --port P binds that port
instead of a free one, so a restart comes back where the phones look.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path

from gsdialog import sessions
from gsdialog.collector.app import make_app
from gsdialog.collector.server import JoinAddress, Server, bind, raise_open_files_limit
from gsdialog.store import Store
from gsdialog.store import journal as store_journal
from gsdialog.core.loader import find_workshop, load_workshop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("workshop")
    parser.add_argument("ready", type=Path)
    parser.add_argument("--step", type=int)
    parser.add_argument("--projector", action="store_true")
    parser.add_argument("--snapshot-every", type=int)
    parser.add_argument("--semantics", choices=("windows", "macos"),
                        help="run with that system's behaviour (tests/semantics.py)")
    parser.add_argument("--latecomers-answer", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.semantics:
        import semantics

        semantics.SEMANTICS[args.semantics]()
    if args.snapshot_every:  # fold often, so a kill can land in the middle of a snapshot
        store_journal.SNAPSHOT_EVERY = args.snapshot_every

    path = find_workshop(args.workshop)
    workshop = load_workshop(path)
    store = Store(args.data)
    found = sessions.unfinished(store, workshop.id)
    if found is not None:
        session, _ = sessions.open(found)
    else:
        session, _ = sessions.create(store, workshop, path.read_text(encoding="utf-8"))
    session.door.latecomers_answer = args.latecomers_answer
    raise_open_files_limit()
    sock = bind("127.0.0.1", args.port)
    address = JoinAddress(session.code, host="127.0.0.1", port=sock.getsockname()[1])

    class Announcing(Server):
        async def start(self) -> None:
            await super().start()
            url, _ = address.current()
            temporary = args.ready.with_suffix(".tmp")
            temporary.write_text(url, encoding="utf-8")
            os.replace(temporary, args.ready)

    server = Announcing(make_app(session), sock)

    async def run() -> None:
        if args.step is not None and session.step_index != args.step:
            await session.go_to(args.step)
        loop = asyncio.get_running_loop()
        if args.projector:
            from gsdialog.projector.app import ProjectorApp

            app = ProjectorApp(session, server=server, address=address, clock=False)
            on_stop(loop, lambda: app.exit("paused"))
            on_next(loop, lambda: app.simulate_key("pagedown"))
            await app.run_async(headless=True, size=(100, 30))
            return
        stop = asyncio.Event()
        on_stop(loop, stop.set)
        on_next(loop, lambda: asyncio.ensure_future(session.go_to(session.step_index + 1)))
        await server.start()
        await stop.wait()
        await server.stop()
        await session.journal.stop()

    def on_next(loop: asyncio.AbstractEventLoop, step: Callable[[], object]) -> None:
        """SIGUSR1 is the facilitator's PageDown, where there are signal handlers."""
        try:
            loop.add_signal_handler(signal.SIGUSR1, step)
        except (AttributeError, NotImplementedError):  # no such signal, or no handlers (Windows)
            pass

    def on_stop(loop: asyncio.AbstractEventLoop, stop: Callable[[], object]) -> None:
        """SIGTERM stops it; where there are no signal handlers (Windows), a file
        next to READY_FILE does."""
        try:
            loop.add_signal_handler(signal.SIGTERM, stop)
        except NotImplementedError:
            request = args.ready.with_name(args.ready.name + ".stop")

            async def watch() -> None:
                while not request.exists():
                    await asyncio.sleep(0.05)
                stop()

            watching.append(loop.create_task(watch()))

    watching: list[asyncio.Task[None]] = []
    asyncio.run(run())


if __name__ == "__main__":
    main()
