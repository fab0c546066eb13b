"""Other systems' behaviour, on Linux: what a facilitator's Windows laptop or Mac
does differently, handed to the code so that it runs here as it would there.

`windows()` gives Windows' file semantics and puts the seam's `Windows` class in
place: a folder cannot be opened with `os.open` (PermissionError), replacing
or deleting a file fails the first tries now and then while "another program"
(a virus scanner, the indexer, OneDrive) holds it, the event loop has no
`add_signal_handler`, and `signal` has no SIGKILL. `macos()` takes /proc away
and puts `MacOS` in place. Both return a function that undoes them.

e2e_server.py takes `--semantics windows|macos` to run the phones' server so.
"""

from __future__ import annotations

import asyncio
import builtins
import itertools
import os
import signal
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from gsdialog import system

HELD_EVERY = 3
"""Every third replace or delete of an existing file meets a file that is held..."""
HELD_TRIES = 2
"""...for this many tries."""


class Held:
    """Counts the replaces and deletes, and holds every HELD_EVERY-th target for
    HELD_TRIES tries, as a scanner that opens each new file for a moment does."""

    def __init__(self) -> None:
        self.calls = itertools.count(1)
        self.holding: dict[str, int] = {}
        self.refused = 0

    def check(self, target: str | os.PathLike[str]) -> None:
        key = os.fspath(target)
        if key not in self.holding:
            if not os.path.exists(key) or next(self.calls) % HELD_EVERY:
                return
            self.holding[key] = HELD_TRIES
        if self.holding[key] > 0:
            self.holding[key] -= 1
            self.refused += 1
            print(f"held by another program: {key}", file=sys.stderr, flush=True)
            raise PermissionError(13, "The process cannot access the file because it is being used by "
                                      "another process", key)
        del self.holding[key]


def windows() -> Callable[[], None]:
    held = Held()
    real_open, real_replace, real_unlink = os.open, os.replace, os.unlink
    real_signal_handler = asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler  # type: ignore[attr-defined]

    def open_(path: str | os.PathLike[str], flags: int, *args: object, **kwargs: object) -> int:
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_folder = False
        if is_folder:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str], **kwargs: object) -> None:
        held.check(target)
        real_replace(source, target, **kwargs)  # type: ignore[arg-type]

    def unlink(path: str | os.PathLike[str], **kwargs: object) -> None:
        held.check(path)
        real_unlink(path, **kwargs)  # type: ignore[arg-type]

    def no_signal_handler(self: object, *args: object) -> None:
        raise NotImplementedError("Windows' event loops have no add_signal_handler")

    sigkill = signal.SIGKILL
    os.open, os.replace, os.unlink = open_, replace, unlink  # type: ignore[assignment]
    asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = no_signal_handler  # type: ignore[attr-defined]
    del signal.SIGKILL
    restore_system = _use(system.Windows(sleep=lambda seconds: None, kernel32=NoConsole()))

    def undo() -> None:
        os.open, os.replace, os.unlink = real_open, real_replace, real_unlink  # type: ignore[assignment]
        asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = real_signal_handler  # type: ignore[attr-defined]
        signal.SIGKILL = sigkill  # type: ignore[attr-defined]
        restore_system()

    undo.held = held  # type: ignore[attr-defined]
    return undo


def macos() -> Callable[[], None]:
    real_open, real_listdir = builtins.open, os.listdir

    def no_proc(path: object) -> bool:
        return str(path) == "/proc" or str(path).startswith("/proc/")

    def open_(file: object, *args: object, **kwargs: object) -> object:
        if no_proc(file):
            raise FileNotFoundError(2, "No such file or directory", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def listdir(path: object = ".") -> list[str]:
        if no_proc(path):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_listdir(path)  # type: ignore[arg-type]

    builtins.open, os.listdir = open_, listdir  # type: ignore[assignment]
    restore_system = _use(system.MacOS())

    def undo() -> None:
        builtins.open, os.listdir = real_open, real_listdir  # type: ignore[assignment]
        restore_system()

    return undo


class NoConsole:
    """kernel32 where standard input is no console (a pipe, as under a test)."""

    def GetStdHandle(self, which: int) -> int:  # noqa: N802 (Windows' names)
        return 0

    def GetConsoleMode(self, handle: int, mode: object) -> int:  # noqa: N802
        return 0

    def SetConsoleMode(self, handle: int, mode: int) -> int:  # noqa: N802
        raise AssertionError("no console to set")


def _use(chosen: system.System) -> Callable[[], None]:
    manager = system.use(chosen)
    manager.__enter__()
    _in_use.append(manager)  # a context manager that is collected ends its block: keep it

    def undo() -> None:
        _in_use.remove(manager)
        manager.__exit__(None, None, None)

    return undo


_in_use: list[object] = []


SEMANTICS = {"windows": windows, "macos": macos}


def stop_file(path: Path) -> Path:
    """Where e2e_server looks for its stop request when there are no signals."""
    return path.with_name(path.name + ".stop")
