"""The smaller sub-commands of `gsdialog`: remote, doctor, sessions, simulate.

cli.py parses the command line and dispatches here; like its own
sub-commands, each imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys

from gsdialog.cli import default_data_dir


def remote_command(args: argparse.Namespace) -> int:
    from gsdialog.collector.remote import remote_url
    from gsdialog.collector.server import JoinAddress
    from gsdialog.store import Store, StoreError
    from gsdialog.store.files import read_meta
    from gsdialog.store.remote import RemoteSecret, Serving

    data = args.data or default_data_dir()
    try:
        store = Store(data)
    except StoreError as error:
        print(f"gsdialog remote: {error}", file=sys.stderr)
        return 1
    running = [serving for serving in map(Serving.read, reversed(store.folders())) if serving is not None]
    meta = read_meta(running[0].folder) if running else None
    if meta is None:
        print(f"gsdialog remote: no workshop is running with the data folder {data}. "
              "Start one with `gsdialog run` first (with the same --data).", file=sys.stderr)
        if args.new:
            print("gsdialog remote: to give a paused session a new link, start it with "
                  "`gsdialog run --new-remote`: the old link stops working then.", file=sys.stderr)
        return 1
    serving = running[0]
    secret = RemoteSecret(serving.folder)
    try:
        key = secret.new() if args.new else secret.get()
    except OSError as error:
        print(f"gsdialog remote: cannot write in {serving.folder}: {error.strerror}", file=sys.stderr)
        return 1
    join, _ = JoinAddress(meta["code"], host=serving.host, port=serving.port, public_url=serving.public_url).current()
    link = remote_url(join, key)

    from rich.console import Console

    from gsdialog.projector.qr import qr_text

    screen = Console(stderr=True)
    screen.print(qr_text(link))
    screen.print(f"The remote of session {meta['id']} (code {meta['code']}). Whoever has this link can steer "
                 "the workshop: open it on your own phone, away from the projector."
                 + (" The old link no longer works." if args.new else ""), highlight=False, markup=False)
    print(link)
    return 0


def doctor_command(args: argparse.Namespace) -> int:
    from gsdialog.doctor import doctor

    if not 0 <= args.port <= 65535 or args.wait < 0:
        print("gsdialog doctor: --port 0 to 65535, --wait 0 or more seconds", file=sys.stderr)
        return 2
    return doctor(port=args.port, wait=args.wait, lang=args.lang, data=args.data or default_data_dir(),
                  data_given=args.data is not None)


def sessions_command(args: argparse.Namespace) -> int:
    from gsdialog import sessions
    from gsdialog.store import Store, StoreError

    data = args.data or default_data_dir()
    try:
        found = sessions.listing(Store(data))
    except StoreError as error:
        print(f"gsdialog sessions: {error}", file=sys.stderr)
        return 1
    if not found:
        print(f"No sessions in {data}.")
        return 0
    print(f"{'session':<24} {'date':<10} {'workshop':<20} {'code':<6} {'participants':<24} status")
    for info in found:
        if info.problem:
            print(f"{info.id:<24} {'':<10} {'':<20} {'':<6} {'':<24} cannot be read: {info.problem}")
            continue
        people = " ".join(f"{group}={n}" for group, n in (info.participants or {}).items())
        status = "closed" if info.closed else "open"
        print(f"{info.id:<24} {info.created[:10]:<10} {info.workshop:<20} {info.code:<6} {people:<24} {status}")
    return 0


def simulate_command(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from gsdialog.simulate import simulate, split_url

    try:
        split_url(args.url)
    except ValueError as error:
        print(f"gsdialog simulate: {error}", file=sys.stderr)
        return 2
    if not 1 <= args.phones <= 10_000 or not 0 <= args.mix <= 1 or args.think < 0 or args.duration <= 0:
        print("gsdialog simulate: --phones 1 to 10000, --mix 0 to 1, --think and --duration positive",
              file=sys.stderr)
        return 2

    async def run() -> str:
        stop = asyncio.Event()
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
        except (NotImplementedError, RuntimeError):  # not on this platform: Ctrl-C ends it plainly
            pass
        print(f"{args.phones} phones joining {args.url} …", file=sys.stderr)
        tally = await simulate(args.url, args.phones, mix=args.mix, seed=args.seed, think=args.think,
                               duration=args.duration, stop=stop)
        return tally.summary()

    print(asyncio.run(run()))
    return 0
