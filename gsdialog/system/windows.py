"""Windows 10 and 11: the employer's laptop most facilitators bring."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

from gsdialog.system.base import System

ENABLE_QUICK_EDIT_MODE = 0x0040
ENABLE_EXTENDED_FLAGS = 0x0080
STD_INPUT_HANDLE = -10

REPLACE_WAITS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
"""Seconds between tries of a replace that another program blocks (about 1.2 s in all)."""


class Windows(System):
    name = "windows"
    join_hints = ("hint_firewall_windows", "hint_public_network_windows")

    def __init__(self, kernel32: Any = None, sleep: Callable[[float], None] = time.sleep,
                 executable: str | None = None, powershell: Callable[[str], str | None] | None = None) -> None:
        self._kernel32 = kernel32
        self._sleep = sleep
        self._executable = executable if executable is not None else sys.executable
        self._powershell = powershell or _powershell

    def network_profiles(self) -> dict[str, str] | None:
        # Get-NetConnectionProfile needs no admin rights.
        found = _json(self._powershell(
            "Get-NetConnectionProfile | Select-Object InterfaceAlias, "
            "@{n='Category';e={[string]$_.NetworkCategory}} | ConvertTo-Json -Compress"))
        if found is None:
            return None
        rows = found if isinstance(found, list) else [found]
        return {str(row.get("InterfaceAlias")): str(row.get("Category")) for row in rows if isinstance(row, dict)}

    def firewall_allows(self, program: str) -> bool | None:
        # Reading the rules needs no admin rights; a rule names the program by path.
        quoted = program.replace("'", "''")
        found = _json(self._powershell(
            "Get-NetFirewallApplicationFilter | Where-Object { $_.Program -eq '" + quoted + "' } | "
            "Get-NetFirewallRule | Where-Object { $_.Enabled -eq 'True' -and $_.Direction -eq 'Inbound' } | "
            "Select-Object @{n='Action';e={[string]$_.Action}} | ConvertTo-Json -Compress"))
        if found is None:
            return None
        rows = found if isinstance(found, list) else [found]
        actions = {str(row.get("Action")) for row in rows if isinstance(row, dict)}
        return "Allow" in actions and "Block" not in actions

    def fsync_folder(self, folder: Path) -> None:
        # A folder cannot be opened with os.open on Windows, and need not be:
        # NTFS journals the rename itself.
        pass

    def replace(self, source: Path, target: Path) -> None:
        """os.replace, tried again for a moment while a virus scanner, the indexer
        or OneDrive holds `target` open (PermissionError); then the error stands."""
        self._patiently(lambda: source.replace(target))

    def remove(self, path: Path) -> None:
        self._patiently(lambda: path.unlink(missing_ok=True))

    def _patiently(self, do: Callable[[], object]) -> None:
        for wait in (*REPLACE_WAITS, None):
            try:
                do()
                return
            except PermissionError:
                if wait is None:
                    raise
                self._sleep(wait)

    def data_dir(self) -> Path:
        # Python from the Microsoft Store writes AppData to a private copy that
        # Explorer does not show; Documents is not redirected.
        if "WindowsApps" in self._executable or "PythonSoftwareFoundation" in self._executable:
            return Path(platformdirs.user_documents_dir()) / "gsdialog"
        return super().data_dir()

    def claim(self, sock: socket.socket) -> None:
        # SO_REUSEADDR on Windows lets a second program bind the same port
        # without an error; exclusive use makes the second one fail.
        exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
        if exclusive is not None:
            sock.setsockopt(socket.SOL_SOCKET, exclusive, 1)

    @property
    def kernel32(self) -> Any:
        if self._kernel32 is None:
            import ctypes

            self._kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return self._kernel32

    @contextmanager
    def console(self) -> Iterator[None]:
        """QuickEdit off while the projector runs: in the old console window a
        stray click starts a selection that stops all output, and with it the
        phones' server in the same loop. Its setting is put back after.
        Textual's driver sets the input mode without ENABLE_EXTENDED_FLAGS,
        which leaves QuickEdit as it finds it."""
        import ctypes

        kernel32 = self.kernel32
        handle = kernel32.GetStdHandle(STD_INPUT_HANDLE)
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            yield  # not a console (Windows Terminal over a pipe, a test): nothing to do
            return
        before = mode.value
        kernel32.SetConsoleMode(handle, (before | ENABLE_EXTENDED_FLAGS) & ~ENABLE_QUICK_EDIT_MODE)
        try:
            yield
        finally:
            kernel32.SetConsoleMode(handle, before | ENABLE_EXTENDED_FLAGS)


def _powershell(command: str) -> str | None:
    """What PowerShell prints for `command`; None when it cannot be run or fails."""
    import subprocess

    try:
        done = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", command],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _json(text: str | None) -> Any:
    """PowerShell's ConvertTo-Json output; [] for nothing found, None for no answer."""
    import json

    if text is None:
        return None
    if not text.strip():
        return []
    try:
        return json.loads(text)
    except ValueError:
        return None
