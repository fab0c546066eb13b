"""What the facilitator's remote needs on disk: its secret, and where the session is served.

Both live in the session's folder, beside the journal, and in nothing else:
not in meta.json, the snapshot, the journal or any export.

- `remote-secret`: the secret in the remote's link (mode 0600). A new one
  replaces it, and the old link stops working at once: the server reads the
  file on every request to the remote, so there is nothing else to tell.
- `serving.json`: the running `gsdialog run`'s process id and address, so
  that `gsdialog remote` in a second terminal finds the running session.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from gsdialog import system
from gsdialog.store.files import atomic_write

SECRET_FILE = "remote-secret"
SERVING_FILE = "serving.json"
SECRET_BYTES = 24
"""192 bits: a link nobody guesses, however many tries (the issue asks at least 128)."""


class RemoteSecret:
    """The remote's secret of one session folder."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SECRET_FILE

    def read(self) -> str | None:
        """The secret, or None when there is none (then the remote is off)."""
        try:
            secret = self.path.read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        return secret if len(secret) >= 22 else None  # 22 URL-safe characters: 128 bits

    def new(self) -> str:
        """A new secret; the one before no longer opens the remote."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        atomic_write(self.path, secret.encode("ascii"))
        return secret

    def get(self) -> str:
        """The secret, made when there is none yet."""
        return self.read() or self.new()

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Serving:
    """Where a running `gsdialog run` serves a session."""

    folder: Path
    pid: int
    host: str
    port: int
    public_url: str | None
    lang: str = "nl"

    def write(self) -> None:
        data = {"pid": self.pid, "host": self.host, "port": self.port, "public_url": self.public_url,
                "lang": self.lang}
        atomic_write(self.folder / SERVING_FILE, json.dumps(data).encode("utf-8"))

    def clear(self) -> None:
        (self.folder / SERVING_FILE).unlink(missing_ok=True)

    @classmethod
    def read(cls, folder: Path) -> Serving | None:
        """What `folder` says, if its process is still running; None otherwise."""
        try:
            data = json.loads((folder / SERVING_FILE).read_text(encoding="utf-8"))
            serving = cls(folder, int(data["pid"]), str(data["host"]), int(data["port"]), data.get("public_url"),
                          str(data.get("lang", "nl")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        # A `gsdialog run` killed with -9 leaves its file behind.
        return serving if system.current().alive(serving.pid) else None
