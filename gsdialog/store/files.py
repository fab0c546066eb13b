"""The store's files: written whole and atomically, read back with a plain message.

Every file that is replaced goes through `atomic_write` (temp file, fsync,
rename, fsync of the folder), so a crash leaves the old file or the new one.

TinyDB holds the queryable snapshot. Its own JSONStorage rewrites the file in
place and its insert rebuilds the table every time, so the snapshot is
written whole, now and then, through `AtomicJSONStorage` with the whole state
inserted at once behind TinyDB's CachingMiddleware.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from gsdialog import system
from gsdialog.system.base import BINARY

SCHEMA_VERSION = 1

SNAPSHOT = "snapshot.json"
META = "meta.json"
"""What listing and resuming need to know of a session, so they need not load it whole."""

Tables = dict[str, list[dict[str, Any]]]
"""A session's state as tables of plain documents: meta, steps, phones, answers, hidden."""


class StoreError(Exception):
    """The store cannot be used as asked; the message says why and what to do."""


def reason(error: BaseException) -> str:
    """An error in a few words, for a message."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"{type(error).__name__}: {error}"[:200]


def fsync_folder(folder: Path) -> None:
    """Make the folder's list of names durable (a new, renamed or deleted file),
    where the system needs it."""
    system.current().fsync_folder(folder)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, whole."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | BINARY, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        system.current().replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


class AtomicJSONStorage(Storage):
    """A TinyDB storage whose every write is atomic (see `atomic_write`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return json.loads(raw.decode("utf-8"))

    def write(self, data: dict[str, Any]) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def write_snapshot(path: Path, tables: Tables) -> None:
    """Write all tables in one atomic file write, through TinyDB."""
    db = TinyDB(path, storage=CachingMiddleware(AtomicJSONStorage))
    try:
        db.drop_tables()
        for name, docs in tables.items():
            db.table(name).insert_multiple(docs)
    finally:
        db.close()  # CachingMiddleware writes once, here.


def read_snapshot(path: Path) -> Tables:
    """The tables of a snapshot; StoreError naming the file if it cannot be used."""
    try:
        db = TinyDB(path, storage=AtomicJSONStorage)
        try:
            tables = {name: [dict(doc) for doc in db.table(name).all()] for name in
                      ("meta", "steps", "phones", "answers", "hidden")}
        finally:
            db.close()
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise StoreError(f"{path} cannot be read ({reason(error)}). It was left as it is. "
                         "Start a new session with --new, or move the folder away.") from None
    if not tables["meta"]:
        raise StoreError(f"{path} has no session in it. It was left as it is. "
                         "Start a new session with --new, or move the folder away.")
    schema = tables["meta"][0].get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer gsdialog (schema {schema}; this one reads "
                         f"{SCHEMA_VERSION}). It was left as it is: update gsdialog to open it.")
    return tables


def write_meta(folder: Path, state: dict[str, Any]) -> None:
    """meta.json from the "meta" table of a session's state: id, workshop, code,
    created, closed, and the participants once closed."""
    meta = {"schema": SCHEMA_VERSION, "id": state["id"], "workshop": state["workshop"],
            "code": state["code"], "created": state["created"], "closed": state["closed"],
            "participants": state["participants"] if state["closed"] else None}
    atomic_write(folder / META, json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def read_meta(folder: Path) -> dict[str, Any] | None:
    """A session folder's meta.json, or None when it is missing or cannot be read
    (then the session itself is loaded to find out)."""
    try:
        meta = json.loads((folder / META).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("schema") != SCHEMA_VERSION:
        return None
    return meta
