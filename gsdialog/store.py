"""The durable store: no acknowledged answer is ever lost.

Each session has a folder in the data folder::

    DATA/sessions/20261123-143000-KX4MP/
        snapshot.json            TinyDB: meta, steps, phones, answers, hidden
        journal-000001.jsonl     events since the snapshot, one JSON line each
        meta.json                id, workshop, closed: for listing and resuming

Events are made durable by the journal: appended and fsynced before the
caller's `await` returns (and so before a phone hears "thank you"). Events
that arrive while a write is under way share the next write (group commit),
so throughput does not depend on how much is stored. The write and fsync run
in a worker thread; everything else stays on the event loop.

TinyDB holds the queryable snapshot. Its own JSONStorage rewrites the file in
place and its insert rebuilds the table every time, so the snapshot is
written whole, now and then, through `AtomicJSONStorage` (temp file, fsync,
rename, fsync of the folder) with the whole state inserted at once behind
TinyDB's CachingMiddleware. A snapshot records the sequence number of the
last event in it; loading reads the snapshot and replays the journal past it,
skipping a torn last line.

When the session closes, the final snapshot keeps no device tokens and no
order of answers, and the journal (which has the tokens) is deleted.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from gsdialog.core.session import AnswerError, Event, Session, create_event, new_code
from gsdialog.core.workshop import Workshop, WorkshopError, parse_workshop

SCHEMA_VERSION = 1
FOLD_ON_STEP = 200
"""At a step change, a calm moment, the journal is folded into a new snapshot
once it has this many events."""
SNAPSHOT_EVERY = 50_000
"""A safety net for a very long step: fold after this many events anyway (the
bar grows with the snapshot, so folding stays O(1) per event). Replaying this
many events at a restart takes well under a second."""

SNAPSHOT = "snapshot.json"
META = "meta.json"
"""What listing and resuming need to know of a session, so they need not load it whole."""
_SEGMENT = re.compile(r"^journal-(\d{6,})(?:-(\d+))?\.jsonl$")


class StoreError(Exception):
    """The store cannot be used as asked; the message says why and what to do."""


# --- files -------------------------------------------------------------------


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, whole."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


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


def write_snapshot(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Write all tables in one atomic file write, through TinyDB."""
    db = TinyDB(path, storage=CachingMiddleware(AtomicJSONStorage))
    try:
        db.drop_tables()
        for name, docs in tables.items():
            db.table(name).insert_multiple(docs)
    finally:
        db.close()  # CachingMiddleware writes once, here.


def read_snapshot(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The tables of a snapshot; StoreError naming the file if it cannot be used."""
    try:
        db = TinyDB(path, storage=AtomicJSONStorage)
        try:
            tables = {name: [dict(doc) for doc in db.table(name).all()] for name in
                      ("meta", "steps", "phones", "answers", "hidden")}
        finally:
            db.close()
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise StoreError(f"{path} cannot be read ({_reason(error)}). It was left as it is. "
                         "Start a new session with --new, or move the folder away.") from None
    if not tables["meta"]:
        raise StoreError(f"{path} has no session in it. It was left as it is. "
                         "Start a new session with --new, or move the folder away.")
    schema = tables["meta"][0].get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer gsdialog (schema {schema}; this one reads "
                         f"{SCHEMA_VERSION}). It was left as it is: update gsdialog to open it.")
    return tables


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"{type(error).__name__}: {error}"[:200]


# --- the journal ---------------------------------------------------------------


@dataclass
class _Pending:
    event: Event
    done: asyncio.Future[None]


class SessionFolder:
    """One session on disk: a journal with group commit, and TinyDB snapshots.

    It is the session's `Journal`: `append()` returns once the event is on
    disk, after `on_durable` (the session's `apply`) has seen it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.on_durable: Callable[[Event], None] = lambda event: None
        self.session: Session | None = None
        self.seq = 0
        self.snapshot_seq = 0
        self.warnings: list[str] = []
        self._segment: Path | None = None
        self._synced_segment: Path | None = None
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._fold: asyncio.Future[None] | None = None
        self.batches = 0
        """How many writes the journal made: fewer than events means group commit worked."""

    # reading

    def segments(self) -> list[Path]:
        found = [(int(m.group(1)), int(m.group(2) or 0), p) for p in self.path.iterdir()
                 if (m := _SEGMENT.match(p.name))]
        return [p for _, _, p in sorted(found)]

    def read_events(self) -> Iterator[Event]:
        """The journal's events in order; a torn last line is skipped."""
        segments = self.segments()
        for index, segment in enumerate(segments):
            lines = segment.read_bytes().split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            for number, line in enumerate(lines, start=1):
                try:
                    event = json.loads(line.decode("utf-8"))
                    if not isinstance(event, dict) or not isinstance(event.get("seq"), int):
                        raise ValueError("not an event")
                except (UnicodeDecodeError, ValueError):
                    last = index == len(segments) - 1 and number == len(lines)
                    if not last:
                        self.warnings.append(f"{segment}:{number}: a damaged line was skipped")
                    continue
                yield event

    def load(self, workshop: Workshop | None = None) -> Session:
        """The session as stored: the snapshot, then the journal past it."""
        snapshot = self.path / SNAPSHOT
        tables = read_snapshot(snapshot) if snapshot.exists() else None
        events = list(self.read_events())
        if tables is not None:
            meta = tables["meta"][0]
            source, self.snapshot_seq = meta["source"], meta["seq"]
        elif events and events[0].get("type") == "create":
            source = events[0]["source"]
            if events[0].get("schema", 1) > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer gsdialog. It was left as it is: "
                                 "update gsdialog to open it.")
        else:
            raise StoreError(f"{self.path} holds no session that can be read. It was left as it is. "
                             "Start a new session with --new, or move the folder away.")
        if workshop is None:
            try:
                workshop = parse_workshop(source, f"{self.path.name} (stored copy)")
            except WorkshopError as error:
                raise StoreError(f"the workshop stored in {self.path} cannot be read: {error}") from None
        session = Session(workshop, self)
        if tables is not None:
            session.restore_state(tables)
        self.seq = self.snapshot_seq
        for event in events:
            if event["seq"] <= self.snapshot_seq:
                continue
            session.apply(event)
            self.seq = event["seq"]
        self.session = session
        segments = self.segments()
        self._segment = segments[-1] if segments else None
        if self._segment is not None:
            self._cut_torn_tail(self._segment)
        return session

    @staticmethod
    def _cut_torn_tail(segment: Path) -> None:
        """Cut a torn last line (a write cut short) so the next line starts clean."""
        data = segment.read_bytes()
        if not data or data.endswith(b"\n"):
            return
        fd = os.open(segment, os.O_WRONLY)
        try:
            os.ftruncate(fd, data.rfind(b"\n") + 1)
            os.fsync(fd)
        finally:
            os.close(fd)

    # writing

    async def append(self, event: Event) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_batches())
        pending = _Pending(event, asyncio.get_running_loop().create_future())
        self._queue.put_nowait(pending)
        await asyncio.shield(pending.done)

    async def stop(self) -> None:
        """Write what is queued, then stop the writer."""
        if self._writer is not None and not self._writer.done():
            self._queue.put_nowait(None)
            await self._writer
        self._writer = None
        await self._folded()

    async def _folded(self) -> None:
        if self._fold is not None:
            try:
                await self._fold
            except OSError as error:
                self.warnings.append(f"could not write a snapshot in {self.path}: {_reason(error)}")
            self._fold = None

    def _refuse_queued(self) -> None:
        """The writer stops: whatever was appended after stop() is refused, not left waiting."""
        while not self._queue.empty():
            pending = self._queue.get_nowait()
            if pending is not None:
                pending.done.set_exception(AnswerError("not_saved", "gsdialog is stopping"))

    async def _write_batches(self) -> None:
        try:
            await self._write_until_stopped()
        finally:
            self._refuse_queued()

    async def _write_until_stopped(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self._queue.get()
            if first is None:
                return
            queued = [first]
            stop = False
            while not self._queue.empty():
                more = self._queue.get_nowait()
                if more is None:
                    stop = True
                    break
                queued.append(more)
            batch = self._still_valid(queued)
            if not batch:
                if stop:
                    return
                continue
            events = [{**pending.event, "seq": self.seq + n} for n, pending in enumerate(batch, start=1)]
            if events[0]["type"] == "create":
                events[0]["schema"] = SCHEMA_VERSION
            data = b"".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
                            for e in events)
            try:
                await loop.run_in_executor(None, self._append_to_disk, data, events[0]["seq"])
            except OSError as error:
                reason = "disk_full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "not_saved"
                for pending in batch:
                    pending.done.set_exception(AnswerError(reason, _reason(error)))
                self.warnings.append(f"could not write to {self.path}: {_reason(error)}")
                if self.session is not None:
                    self.session.notify_problem(reason)
                if stop:
                    return
                continue
            self.seq = events[-1]["seq"]
            self.batches += 1
            for event, pending in zip(events, batch, strict=True):
                self.on_durable(event)
                pending.done.set_result(None)
            if any(event["type"] == "close" for event in events):
                await self._folded()
                await loop.run_in_executor(None, self._finish_closing)
            elif self._fold is None or self._fold.done():
                since = self.seq - self.snapshot_seq
                stepped = any(event["type"] == "step" for event in events)
                if since >= max(SNAPSHOT_EVERY, self.snapshot_seq) or (stepped and since >= FOLD_ON_STEP):
                    await self._folded()
                    self._start_fold()
            if stop:
                return

    def write_now(self, event: Event) -> None:
        """Make one event durable without an event loop (before the app starts)."""
        assert self._writer is None, "the writer is running: use append()"
        event = {**event, "seq": self.seq + 1}
        if event["type"] == "create":
            event["schema"] = SCHEMA_VERSION
        self._append_to_disk(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n",
                             event["seq"])
        self.seq = event["seq"]
        self.on_durable(event)

    def _still_valid(self, queued: list[_Pending]) -> list[_Pending]:
        """The events that are still allowed when their turn comes; the others are refused.

        A command checks its event when it is made, but the state can change
        before it is written (a close, a step change, in the same batch or
        the one before): an answer must not land in a closed step or a
        closed session.
        """
        if self.session is None:
            return queued
        accepted: list[_Pending] = []
        moves: list[Event] = []
        joined: set[str] = set()
        for pending in queued:
            event = pending.event
            reason = self.session.refusal(event, moves, joined)
            if reason is not None:
                pending.done.set_exception(AnswerError(reason, "the session moved on first"))
                continue
            accepted.append(pending)
            if event["type"] in ("step", "close"):
                moves.append(event)
            elif event["type"] == "join":
                joined.add(event["token"])
        return accepted

    def _append_to_disk(self, data: bytes, first_seq: int) -> None:
        if self._segment is None:
            name, suffix = f"journal-{first_seq:06d}", 0
            self._segment = self.path / f"{name}.jsonl"
            while self._segment.exists():  # a failed first write left this name behind
                suffix += 1
                self._segment = self.path / f"{name}-{suffix}.jsonl"
        fd = os.open(self._segment, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            start = os.lseek(fd, 0, os.SEEK_END)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except OSError:
                # Leave no half line for the next write to continue; if that
                # fails too, the next write goes to a new segment.
                try:
                    os.ftruncate(fd, start)
                    os.fsync(fd)
                except OSError:
                    self._segment = None
                raise
        finally:
            os.close(fd)
        if self._segment != self._synced_segment:
            _fsync_folder(self.path)  # the new file's name is durable too
            self._synced_segment = self._segment

    def snapshot_tables(self) -> dict[str, list[dict[str, Any]]]:
        assert self.session is not None
        tables = self.session.dump_state()
        tables["meta"][0].update(schema=SCHEMA_VERSION, seq=self.seq)
        return tables

    def _start_fold(self) -> None:
        """Snapshot the state so far in the background; new events go to a new segment.

        Until the snapshot is on disk, the old segments stay: a crash in
        between loads the old snapshot and replays them all.
        """
        tables = self.snapshot_tables()
        old = self.segments()
        self._segment = None
        seq = tables["meta"][0]["seq"]

        def write() -> None:
            self._write_and_drop(tables, old)
            self.snapshot_seq = seq

        self._fold = asyncio.get_running_loop().run_in_executor(None, write)

    def _write_and_drop(self, tables: dict[str, list[dict[str, Any]]], segments: list[Path]) -> None:
        write_snapshot(self.path / SNAPSHOT, tables)
        for segment in segments:
            segment.unlink(missing_ok=True)
        _fsync_folder(self.path)

    def _finish_closing(self) -> None:
        """The final snapshot without device tokens; then the journal, which has them, goes."""
        tables = self.snapshot_tables()
        self._write_and_drop(tables, self.segments())
        self.snapshot_seq = self.seq
        self._segment = None
        if self.session is not None:
            self.write_meta(self.session)

    def write_meta(self, session: Session) -> None:
        meta = {"schema": SCHEMA_VERSION, "id": session.id, "workshop": session.workshop.id,
                "code": session.code, "created": session.created, "closed": session.closed,
                "participants": session.participant_counts() if session.closed else None}
        atomic_write(self.path / META, json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def read_meta(path: Path) -> dict[str, Any] | None:
    """A session folder's meta.json, or None when it is missing or cannot be read
    (then the session itself is loaded to find out)."""
    try:
        meta = json.loads((path / META).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("schema") != SCHEMA_VERSION:
        return None
    return meta


# --- the data folder --------------------------------------------------------------


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
            raise StoreError(f"the data folder {self.data} cannot be used: {_reason(error)}. "
                             "Give another one with --data DIR.") from None
        # Try it: permission bits say nothing to root, nor about a read-only disk.
        probe = self.sessions_path / f".probe-{os.getpid()}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise StoreError(f"the data folder {self.data} cannot be written ({_reason(error)}). "
                             "Give another one with --data DIR.") from None

    def folders(self) -> list[Path]:
        return sorted(p for p in self.sessions_path.iterdir() if p.is_dir() and not p.name.startswith("."))

    def sessions(self) -> list[SessionInfo]:
        """Every session, oldest first; one that cannot be read says why."""
        found = []
        for path in self.folders():
            meta = read_meta(path)
            if meta is not None and meta["closed"]:  # closed sessions do not change: no need to load them
                found.append(SessionInfo(path, meta["id"], meta["workshop"], meta["code"], meta["created"],
                                         True, meta["participants"]))
                continue
            try:
                session = SessionFolder(path).load()
            except StoreError as error:
                found.append(SessionInfo(path, id=path.name, problem=str(error)))
                continue
            found.append(SessionInfo(path, session.id, session.workshop.id, session.code, session.created,
                                     session.closed, session.participant_counts()))
        return found

    def unfinished(self, workshop_id: str) -> Path | None:
        """The newest session of this workshop that was not closed.

        StoreError when its files cannot be read: that session is never
        silently replaced by a new one.
        """
        for path in reversed(self.folders()):
            meta = read_meta(path)
            if meta is not None and (meta["workshop"] != workshop_id or meta["closed"]):
                continue  # known not to be it, without loading it (or failing on it)
            folder = SessionFolder(path)
            session = folder.load()
            if session.workshop.id == workshop_id and not session.closed:
                return path
        return None

    def open(self, path: Path) -> tuple[Session, SessionFolder]:
        folder = SessionFolder(path)
        session = folder.load()
        if session.closed and folder.segments():
            folder._finish_closing()  # a crash came between closing and forgetting the tokens
        return session, folder

    def create(self, workshop: Workshop, source: str, *, now: datetime | None = None,
               threshold: int | None = None) -> tuple[Session, SessionFolder]:
        """A new session, on disk before this returns, at its first step."""
        now = now or datetime.now().astimezone()
        taken = {path.name.rsplit("-", 1)[-1] for path in self.folders()}
        code = new_code(taken)
        session_id = f"{now:%Y%m%d-%H%M%S}-{code}"
        path = self.sessions_path / session_id
        try:
            path.mkdir()
        except OSError as error:
            raise StoreError(f"cannot make {path}: {_reason(error)}") from None
        folder = SessionFolder(path)
        session = Session(workshop, folder)
        folder.session = session
        try:
            folder.write_now(create_event(workshop, session_id=session_id, code=code,
                                          created=now.isoformat(timespec="seconds"), source=source,
                                          threshold=threshold))
            folder.write_now({"type": "step", "index": 0})
            folder.write_meta(session)
        except OSError as error:
            raise StoreError(f"cannot write in {path}: {_reason(error)}") from None
        return session, folder
