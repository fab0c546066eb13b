"""The one API of what differs per operating system (see __init__.py)."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import platformdirs
import psutil

BINARY = getattr(os, "O_BINARY", 0)
"""Windows translates line ends in files opened without it; elsewhere it is 0."""


class System:
    """The behaviour every system shares; each subclass overrides what differs."""

    name = "unknown"

    join_hints: tuple[str, ...] = ()
    """Keys in core/i18n.py of what the facilitator should know when phones cannot
    open the join page, for the join screen and `gsdialog doctor`."""

    def notes(self) -> tuple[str, ...]:
        """Keys in core/i18n.py of what the facilitator should know when the
        projector starts on this system (say, a terminal that keeps keys)."""
        return ()

    # --- files -----------------------------------------------------------------

    def fsync_folder(self, folder: Path) -> None:
        """Make the folder's list of names durable (a new, renamed or deleted file)."""
        raise NotImplementedError

    def replace(self, source: Path, target: Path) -> None:
        """Put `source` in the place of `target` in one step (os.replace)."""
        os.replace(source, target)

    def remove(self, path: Path) -> None:
        """Delete `path` if it is there."""
        path.unlink(missing_ok=True)

    def data_dir(self) -> Path:
        """The default folder for sessions and exports, one the user can find."""
        return Path(platformdirs.user_data_dir("gsdialog", appauthor=False))

    # --- processes and the network -----------------------------------------------

    def alive(self, pid: int) -> bool:
        """Whether a process `pid` runs. Not by sending it signal 0: on Windows
        os.kill with 0 ends the process."""
        return pid > 0 and psutil.pid_exists(pid)

    def network_profiles(self) -> dict[str, str] | None:
        """Each network adapter's firewall profile ("Public", "Private",
        "DomainAuthenticated") where the system has such profiles (Windows);
        None where this cannot be known."""
        return None

    def firewall_allows(self, program: str) -> bool | None:
        """Whether an enabled inbound firewall rule allows `program` (say, this
        Python); None where this cannot be known without admin rights."""
        return None

    def bind(self, host: str, port: int) -> socket.socket:
        """A listening socket that no other program shares; OSError (EADDRINUSE,
        or Windows' WSAEACCES) when the port is taken."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.claim(sock)
            sock.bind((host, port))
            sock.listen(512)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        return sock

    def claim(self, sock: socket.socket) -> None:
        """Socket options before bind that make a second gsdialog on the port fail."""

    def probe(self, sock: socket.socket, idle: int = 10, interval: int = 5, count: int = 2) -> None:
        """Let the system find out that the other end of a long-lived connection
        is gone without a word (a phone in a dead spot sends no FIN): TCP
        keepalive probes after `idle` seconds of silence, every `interval`
        seconds, and the connection dropped after `count` unanswered, or when
        sent data waits longer than that for its acknowledgement. Each option
        only where the system has it (TCP_USER_TIMEOUT is Linux's; Windows and
        macOS have the keepalive times under these or other names)."""
        options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
        for name, value in (("TCP_KEEPIDLE", idle), ("TCP_KEEPALIVE", idle), ("TCP_KEEPINTVL", interval),
                            ("TCP_KEEPCNT", count), ("TCP_USER_TIMEOUT", (idle + interval * count) * 1000)):
            if hasattr(socket, name):
                options.append((socket.IPPROTO_TCP, getattr(socket, name), value))
        for level, option, value in options:
            try:
                sock.setsockopt(level, option, value)
            except OSError:  # not on this kind of socket, or not on this version of the system
                pass

    # --- the terminal and the laptop ---------------------------------------------

    def text_streams(self, *streams: TextIO) -> None:
        """Write UTF-8 to standard output and error, whatever the pipe or file they
        lead to would take by default (cp1252 on Windows: ◆ ← → cannot be written
        there, é garbles). A console that takes Unicode itself is left alone."""
        for stream in streams or (sys.stdout, sys.stderr):
            encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
            if encoding != "utf8" and hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8", errors="replace")

    @contextmanager
    def stay_awake(self) -> Iterator[bool]:
        """Keep the laptop from sleeping and its screen from going dark or locking
        while the block runs; yields whether that could be arranged. wakepy picks
        the system's way: SetThreadExecutionState on Windows, caffeinate on macOS,
        the desktop's inhibitor over D-Bus on Linux."""
        from wakepy import keep

        with keep.presenting(on_fail="pass") as mode:
            yield bool(mode.active)

    @contextmanager
    def console(self) -> Iterator[None]:
        """Whatever the terminal needs while the projector runs, undone after."""
        yield
