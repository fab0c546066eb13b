"""The `gsdialog` command: run, check, export, simulate, sessions, guide, remote, doctor.

Sub-commands import what they need when they run, so `gsdialog check` and
`--help` start fast and do not load Textual or aiohttp.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gsdialog import __version__, system
from gsdialog.core.languages import CODES

if TYPE_CHECKING:
    from gsdialog.core.workshop import Workshop

DEFAULT_WORKSHOP = "oogstdialoog"


def default_data_dir() -> Path:
    return system.current().data_dir()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gsdialog",
        description="Run a dialogue workshop on equal partnership: a projector app for the "
        "facilitator, phones for the room, an anonymous harvest afterwards. "
        "Without a command: run the built-in oogstdialoog.",
    )
    parser.add_argument("--version", action="version", version=f"gsdialog {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def data_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data", type=Path, metavar="DIR",
                         help=f"data folder (default: {default_data_dir()})")

    run = commands.add_parser("run", help="start the facilitator app for a workshop",
                              description="Start the facilitator app for a workshop.")
    run.add_argument("workshop", nargs="?", default=DEFAULT_WORKSHOP, metavar="WORKSHOP",
                     help=f"a workshop file, or the name of a built-in one (default: {DEFAULT_WORKSHOP})")
    data_option(run)
    run.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    run.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    run.add_argument("--public-url", metavar="URL",
                     help="address phones use, when it differs (a tunnel or hotspot)")
    run.add_argument("--lang", choices=CODES, metavar="LANG",
                     help="the facilitator's language, on the projector and the remote: one of the workshop's "
                     "(default: its first); each phone follows its browser or its own choice")
    run.add_argument("--new", action="store_true",
                     help="start a new session instead of resuming the unfinished one")
    run.add_argument("--threshold", type=int, metavar="K",
                     help="show a group's results only from K answers on (default: the workshop's, or 3)")
    run.add_argument("--join-limit", type=int, default=5, metavar="N",
                     help="new phones a minute from one network address (default 5; 0: no limit per address)")
    run.add_argument("--trust-proxy", action="store_true",
                     help="behind a reverse proxy or tunnel (--public-url): count each phone by the address "
                     "the proxy puts in X-Forwarded-For")
    run.add_argument("--expect", type=int, metavar="N",
                     help="how many phones you expect: the status line warns when more join")
    run.add_argument("--latecomers-answer", action="store_true",
                     help="phones that join during a question may answer it at once (default: they wait "
                     "for the next question, unless you press l)")
    run.add_argument("--new-remote", action="store_true",
                     help="make a new link for the remote; the old one stops working")

    check = commands.add_parser("check", help="check workshop files and list every problem",
                                description="Check workshop files: prints FILE:LINE: message "
                                "for each problem; exits 0 when all are valid.")
    check.add_argument("files", nargs="+", metavar="WORKSHOP",
                       help="workshop files (TOML), or names of built-in ones as `run` takes them")

    export = commands.add_parser("export", help="export a session's harvest (HTML, Markdown, CSV, JSON, Excel)",
                                 description="Export the harvest of one or more sessions of a workshop: "
                                 "a report (html, md), the anonymous data (csv, json), or a workbook for "
                                 "Excel (xlsx: the answers and the figures per question; on a terminal it "
                                 "needs -o).")
    data_option(export)
    export.add_argument("--session", nargs="+", default=["latest"], metavar="ID",
                        help="session ids, 'latest' (default) or 'all' (every session of the latest's workshop)")
    export.add_argument("--format", choices=("html", "md", "csv", "json", "xlsx"), default="html")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    export.add_argument("--lang", choices=CODES, metavar="LANG",
                        help="language of the report and of the workbook's headers: one of the workshop's (default: its first)")
    export.add_argument("--include-small-groups", action="store_true",
                        help="keep the raw answers of groups under the privacy threshold (in their session) in csv, json and xlsx, marked as such; the figures stay the same")
    export.add_argument("--compare", nargs=2, metavar=("A", "B"),
                        help="how each group's answers moved from session A to session B")
    for option, what in (("--place", "where it was held"), ("--organiser", "who organised it"),
                         ("--facilitator", "who led it")):
        export.add_argument(option, default="", metavar="TEXT", help=f"the report's first lines: {what}")

    simulate = commands.add_parser("simulate", help="let virtual phones join a running session",
                                   description="Let N virtual phones join a running session, follow the "
                                   "facilitator and answer each step (a rehearsal, or a load test on "
                                   "your own machine). Stops when the session ends, after --duration, "
                                   "or on Ctrl-C, and prints a summary.")
    simulate.add_argument("url", metavar="URL", help="the join address, http://HOST:PORT/CODE")
    simulate.add_argument("--phones", type=int, default=20, metavar="N", help="how many phones (default 20)")
    simulate.add_argument("--mix", type=float, default=0.5, metavar="SHARE",
                          help="share of professionals, 0 to 1 (default 0.5)")
    simulate.add_argument("--seed", type=int, metavar="S", help="the same seed gives the same room")
    simulate.add_argument("--think", type=float, default=2.0, metavar="SECONDS",
                          help="each phone waits up to this long before answering (default 2)")
    simulate.add_argument("--duration", type=float, default=3600.0, metavar="SECONDS",
                          help="stop after this long at the latest (default 3600)")

    guide = commands.add_parser("guide", help="print a facilitator's run sheet for a workshop",
                                description="A run sheet to print: every step with its planned minutes "
                                "and clock time, what the room sees, what the phones ask, and the "
                                "facilitator's notes.")
    guide.add_argument("workshop", nargs="?", default=DEFAULT_WORKSHOP, metavar="WORKSHOP",
                       help=f"a workshop file, or the name of a built-in one (default: {DEFAULT_WORKSHOP})")
    guide.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    guide.add_argument("--format", choices=("html", "md"), default="html")
    guide.add_argument("--lang", choices=CODES, metavar="LANG",
                       help="language: one of the workshop's (default: its first)")
    guide.add_argument("--start", metavar="HH:MM", type=_clock_time,
                       help="when the workshop starts: each step gets its clock time")

    remote = commands.add_parser("remote", help="the link to the facilitator's remote for the running session",
                                 description="Print the link to the remote of the session that `gsdialog run` "
                                 "is running now (on standard output), and its QR code (on standard error). "
                                 "Open it on your own phone. Run this on a screen the room does not see: "
                                 "whoever has the link can steer the workshop.")
    data_option(remote)
    remote.add_argument("--new", action="store_true", help="make a new link; the old one stops working at once")

    doctor = commands.add_parser("doctor", help="check this laptop at the venue: screen, data, network, a phone",
                                 description="The check before a workshop, at the venue: versions, the "
                                 "terminal, the data folder, the network and the port, and the real test: "
                                 "your own phone opens a small page on this laptop. Exits 0 only when your "
                                 "phone came and nothing blocks a workshop. Changes no setting.")
    data_option(doctor)
    doctor.add_argument("--port", type=int, default=8080, help="the port `gsdialog run` will use (default: 8080)")
    doctor.add_argument("--wait", type=float, default=120.0, metavar="S",
                        help="wait at most S seconds for your phone (default: 120; 0 skips the phone test)")
    doctor.add_argument("--lang", choices=("nl", "en"), default="nl", help="language (default: nl)")

    sessions = commands.add_parser("sessions", help="list the sessions in the data folder",
                                   description="List the sessions in the data folder.")
    data_option(sessions)
    return parser


def main(argv: list[str] | None = None) -> int:
    system.current().text_streams()
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["run", *(argv or [])])
    from gsdialog import commands

    handler = {
        "run": _run,
        "check": _check,
        "export": _export,
        "simulate": commands.simulate_command,
        "sessions": commands.sessions_command,
        "guide": _guide,
        "remote": commands.remote_command,
        "doctor": commands.doctor_command,
    }[args.command]
    return handler(args)


def _check(args: argparse.Namespace) -> int:
    from gsdialog.core.loader import check_files, find_workshop

    try:
        paths = [str(find_workshop(name)) for name in args.files]
    except FileNotFoundError as error:
        print(f"gsdialog check: {error}", file=sys.stderr)
        return 1
    problems = check_files(paths)
    for line in problems:
        print(line)
    return 1 if problems else 0


def _run(args: argparse.Namespace) -> int:
    from gsdialog import sessions
    from gsdialog.store import Store, StoreError
    from gsdialog.core.loader import WorkshopError, find_workshop, load_workshop

    if args.threshold is not None and not 2 <= args.threshold <= 100:
        print("gsdialog: --threshold must be from 2 to 100", file=sys.stderr)
        return 2
    if not 0 <= args.join_limit <= 1000 or (args.expect is not None and not 1 <= args.expect <= 100_000):
        print("gsdialog: --join-limit must be from 0 to 1000, --expect from 1 to 100000", file=sys.stderr)
        return 2
    try:
        path = find_workshop(args.workshop)
        workshop = load_workshop(path)
        source = path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as error:
        print(f"gsdialog: {error}", file=sys.stderr)
        return 2
    except WorkshopError as error:
        print("\n".join(error.lines()), file=sys.stderr)
        print(f"gsdialog: {error.file} has problems; fix them and start again "
              f"(`gsdialog check {error.file}` lists them)", file=sys.stderr)
        return 1

    data = args.data or default_data_dir()
    try:
        store = Store(data)
        found = None if args.new else sessions.unfinished(store, workshop.id)
        if found is not None:
            session, folder = sessions.open(found)
        else:
            session, folder = sessions.create(store, workshop, source, threshold=args.threshold)
    except StoreError as error:
        print(f"gsdialog: {error}", file=sys.stderr)
        return 1

    from gsdialog.collector.app import make_app
    from gsdialog.collector.pace import JoinPace
    from gsdialog.collector.remote import add_remote, remote_url
    from gsdialog.collector.server import JoinAddress, Server, bind, raise_open_files_limit
    from gsdialog.store.remote import RemoteSecret, Serving

    raise_open_files_limit()

    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(f"gsdialog: port {args.port} is taken (is gsdialog already running?). "
                  f"Choose another with --port, for example --port {args.port + 1}.", file=sys.stderr)
        else:
            print(f"gsdialog: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    args.lang = _facilitator_language(args.lang, session.workshop)
    if args.lang is None:
        sock.close()
        return 2
    address = JoinAddress(session.code, host=args.host, port=port, public_url=args.public_url)
    secret = RemoteSecret(folder.path)
    if args.new_remote:
        try:
            secret.new()
        except OSError as error:
            print(f"gsdialog: cannot write {folder.path}: {error.strerror}", file=sys.stderr)
            return 1
    session.door.expect, session.door.latecomers_answer = args.expect, args.latecomers_answer
    phones = make_app(session, lang=args.lang, pace=JoinPace(args.join_limit, trust_proxy=args.trust_proxy))
    add_remote(phones, secret, public_url=args.public_url)
    server = Server(phones, sock)
    serving = Serving(folder.path, os.getpid(), args.host, port, args.public_url, args.lang)

    from gsdialog.export.write import harvest_writer
    from gsdialog.projector.app import ProjectorApp

    app = ProjectorApp(session, lang=args.lang, server=server, address=address, hints=system.current().join_hints,
                       notes=system.current().notes(),
                       export=lambda: harvest_writer(session, data, args.lang),
                       remote=lambda: remote_url(address.current()[0], secret.get()))
    try:
        serving.write()
    except OSError as error:  # the remote's command cannot find this run; the workshop goes on
        print(f"gsdialog: cannot write {folder.path}: {error.strerror}", file=sys.stderr)
    try:
        with system.current().stay_awake(), system.current().console():
            ended = app.run()
    finally:
        serving.clear()
    if ended == "closed":
        secret.forget()
    if ended == "closed":
        print(f"Session {session.id} is closed.")
        for path in app.exported:
            print(f"  {path}")
    else:
        again = f"gsdialog run {args.workshop}" + (f" --data {args.data}" if args.data else "")
        print(f"Session {session.id} is paused. `{again}` continues it "
              f"(code {session.code}, step {session.step_index + 1}).")
    print(f"Data folder: {Path(data).resolve()}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from gsdialog.export.write import BINARY, export_bytes, export_text, open_sessions
    from gsdialog.export.report import ExportError
    from gsdialog.store import StoreError

    data = args.data or default_data_dir()
    binary = args.format in BINARY
    if binary and args.output is None and not _takes_bytes(sys.stdout):
        print(f"gsdialog export: an {args.format} file is not text and cannot be shown here. "
              f"Write it to a file with -o, for example: -o oogst.{args.format}", file=sys.stderr)
        return 2
    text, blob = "", b""
    try:
        if args.compare:
            from gsdialog.export.write import compare_text, open_pair

            before, after = open_pair(data, *args.compare)
            args.lang = _facilitator_language(args.lang, after.workshop)
            if args.lang is None:
                return 2
            text = compare_text(before, after, args.format, args.lang)
        else:
            sessions = open_sessions(data, args.session)
            args.lang = _facilitator_language(args.lang, sessions[0].workshop)
            if args.lang is None:
                return 2
            if binary:
                blob = export_bytes(sessions, args.format, args.lang, include_small_groups=args.include_small_groups)
            else:
                from gsdialog.export.report import Cover

                cover = Cover(args.place.strip(), args.organiser.strip(), args.facilitator.strip())
                text = export_text(sessions, args.format, args.lang, include_small_groups=args.include_small_groups,
                                   cover=cover)
    except (StoreError, ExportError) as error:
        print(f"gsdialog export: {error}", file=sys.stderr)
        return 1
    if args.output is None:
        if binary:  # to a pipe or a file (`> oogst.xlsx`): the bytes as they are
            sys.stdout.flush()
            sys.stdout.buffer.write(blob)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
        return 0
    try:
        if binary:
            args.output.write_bytes(blob)
        else:
            args.output.write_text(text, encoding="utf-8", newline="" if args.format == "csv" else None)
    except OSError as error:
        print(f"gsdialog export: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output.resolve()}\nData folder: {Path(data).resolve()}", file=sys.stderr)
    return 0


def _takes_bytes(stream: object) -> bool:
    """Whether bytes may go to this stream: a pipe or a file, never a terminal or a text-only stream."""
    isatty = getattr(stream, "isatty", None)
    return hasattr(stream, "buffer") and not (isatty is not None and isatty())


def _facilitator_language(lang: str | None, workshop: Workshop) -> str | None:
    """--lang, or the workshop's first facilitator language; None (said why) when
    the workshop's facilitator texts are not in that language."""
    if lang is None:
        return workshop.facilitator[0]
    if lang in workshop.facilitator:
        return lang
    print(f"gsdialog: --lang {lang}: the workshop '{workshop.id}' has its facilitator's texts in "
          f"{', '.join(workshop.facilitator)}; choose one of those "
          "(phones choose their own language)", file=sys.stderr)
    return None


def _clock_time(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time such as 13:30") from None


def _guide(args: argparse.Namespace) -> int:
    from gsdialog.core.loader import WorkshopError, find_workshop, load_workshop
    from gsdialog.export import guide

    try:
        workshop = load_workshop(find_workshop(args.workshop))
    except FileNotFoundError as error:
        print(f"gsdialog guide: {error}", file=sys.stderr)
        return 1
    except WorkshopError as error:
        print(f"gsdialog guide: the workshop has problems:\n{error}", file=sys.stderr)
        return 1
    args.lang = _facilitator_language(args.lang, workshop)
    if args.lang is None:
        return 2
    render = guide.to_html if args.format == "html" else guide.to_markdown
    text = render(workshop, args.lang, args.start)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"gsdialog guide: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
