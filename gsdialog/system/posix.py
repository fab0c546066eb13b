"""Linux and macOS."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from gsdialog.system.base import System


class Posix(System):
    name = "linux"
    join_hints = ("hint_firewall_linux",)

    def fsync_folder(self, folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def claim(self, sock: socket.socket) -> None:
        # Lets a restarted gsdialog listen again at once while old connections
        # linger in TIME_WAIT; a port someone listens on still fails here.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


class MacOS(Posix):
    name = "macos"
    join_hints = ("hint_firewall_macos",)

    def notes(self) -> tuple[str, ...]:
        # Terminal.app scrolls its own window on PageUp/PageDown, so a clicker's
        # keys never reach the projector there; Right/Left and Space do.
        return ("note_terminal_macos",) if os.environ.get("TERM_PROGRAM") == "Apple_Terminal" else ()
