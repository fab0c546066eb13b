"""The data folder: one folder per session under DATA/sessions/.

A session's folder is named after the session's id, which ends in its join
code: 20261123-143000-KX4MP.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gsdialog.store.files import StoreError, read_meta, reason
from gsdialog.store.journal import SessionFolder


@dataclass(frozen=True)
class SessionInfo:
    path: Path
    id: str = ""
    workshop: str = ""
    code: str = ""
    created: str = ""
    closed: bool = False
    participants: dict[str, int] | None = None
    problem: str | None = None
    """Why the session cannot be read; the other fields are empty then."""


class Store:
    """The data folder: every session's folder under sessions/."""

    def __init__(self, data: Path) -> None:
        self.data = Path(data)
        self.sessions_path = self.data / "sessions"
        try:
            self.sessions_path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"the data folder {self.data} cannot be used: {reason(error)}. "
                             "Give another one with --data DIR.") from None
        # Try it: permission bits say nothing to root, nor about a read-only disk.
        probe = self.sessions_path / f".probe-{os.getpid()}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise StoreError(f"the data folder {self.data} cannot be written ({reason(error)}). "
                             "Give another one with --data DIR.") from None

    def folders(self) -> list[Path]:
        """Every session's folder, oldest first."""
        return sorted(p for p in self.sessions_path.iterdir() if p.is_dir() and not p.name.startswith("."))

    def info(self, path: Path) -> SessionInfo | None:
        """What the session's meta.json says, without loading the session; None when
        it is missing or cannot be read (then only loading the session can tell)."""
        meta = read_meta(path)
        if meta is None:
            return None
        return SessionInfo(path, meta["id"], meta["workshop"], meta["code"], meta["created"], meta["closed"],
                           meta["participants"])

    def codes(self) -> set[str]:
        """The join codes the sessions' folders are named with."""
        return {path.name.rsplit("-", 1)[-1] for path in self.folders()}

    def new_folder(self, session_id: str) -> SessionFolder:
        """An empty folder for a new session."""
        path = self.sessions_path / session_id
        try:
            path.mkdir()
        except OSError as error:
            raise StoreError(f"cannot make {path}: {reason(error)}") from None
        return SessionFolder(path)
