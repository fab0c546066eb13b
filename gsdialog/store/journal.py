"""One session's folder: the journal on disk, with group commit, and its snapshots.

Events are made durable by the journal: appended and fsynced before the
caller's `await` returns (and so before a phone hears "thank you"). Events
that arrive while a write is under way share the next write (group commit),
so throughput does not depend on how much is stored. The write and fsync run
in a worker thread; everything else stays on the event loop.

A snapshot records the sequence number of the last event in it; reading
takes the snapshot and the journal past it, skipping a torn last line. The
journal is folded into a new snapshot at a step change (a calm moment), or
after `SNAPSHOT_EVERY` events.

When the session closes, the final snapshot keeps no device tokens and no
order of answers, and the journal (which has the tokens) is deleted.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gsdialog import system
from gsdialog.core.errors import AnswerError
from gsdialog.core.journal import Event, JournalHooks
from gsdialog.store import files
from gsdialog.store.files import SCHEMA_VERSION, SNAPSHOT, StoreError, Tables, reason
from gsdialog.system.base import BINARY

FOLD_ON_STEP = 200
"""At a step change, a calm moment, the journal is folded into a new snapshot
once it has this many events."""
SNAPSHOT_EVERY = 50_000
"""A safety net for a very long step: fold after this many events anyway (the
bar grows with the snapshot, so folding stays O(1) per event). Replaying this
many events at a restart takes well under a second."""

_SEGMENT = re.compile(r"^journal-(\d{6,})(?:-(\d+))?\.jsonl$")


@dataclass(frozen=True)
class Stored:
    """What a session folder holds, as `SessionFolder.read()` found it."""

    source: str
    """The workshop file's text, as the session started with it."""
    tables: Tables | None
    """The snapshot's tables, or None before the first snapshot."""
    events: list[Event]
    """The journal's events past the snapshot, in order."""


@dataclass
class _Pending:
    event: Event
    done: asyncio.Future[None]


class SessionFolder:
    """One session on disk: a journal with group commit, and TinyDB snapshots.

    It is the session's `Journal` (the core's port), and knows the session
    only through the hooks `attach()` hands it: `append()` returns once the
    event is on disk, after `hooks.durable` (the session's `apply`) has seen
    it. It builds no session: `read()` gives back what is stored, for
    `gsdialog.sessions` to rebuild the session from.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seq = 0
        self.snapshot_seq = 0
        self.warnings: list[str] = []
        self._hooks: JournalHooks | None = None
        self._segment: Path | None = None
        self._synced_segment: Path | None = None
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._fold: asyncio.Future[None] | None = None
        self.batches = 0
        """How many writes the journal made: fewer than events means group commit worked."""

    def attach(self, hooks: JournalHooks) -> None:
        """Take the session's hooks (the `Journal` port); `Session.__init__` calls it."""
        self._hooks = hooks

    def _attached(self) -> JournalHooks:
        assert self._hooks is not None, "no session is attached: attach() first"
        return self._hooks

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

    def read(self) -> Stored:
        """What is stored: the snapshot, the journal past it, the workshop's text.

        The folder goes on from there: its sequence numbers follow the last
        event, and a torn last line is cut off so the next write starts clean.
        StoreError when it holds nothing that can be read.
        """
        snapshot = self.path / SNAPSHOT
        tables = files.read_snapshot(snapshot) if snapshot.exists() else None
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
        events = [event for event in events if event["seq"] > self.snapshot_seq]
        self.seq = events[-1]["seq"] if events else self.snapshot_seq
        segments = self.segments()
        self._segment = segments[-1] if segments else None
        if self._segment is not None:
            self._cut_torn_tail(self._segment)
        return Stored(source, tables, events)

    @staticmethod
    def _cut_torn_tail(segment: Path) -> None:
        """Cut a torn last line (a write cut short) so the next line starts clean."""
        data = segment.read_bytes()
        if not data or data.endswith(b"\n"):
            return
        fd = os.open(segment, os.O_WRONLY | BINARY)
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
                self.warnings.append(f"could not write a snapshot in {self.path}: {reason(error)}")
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
        hooks = self._attached()
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
            batch = self._still_valid(queued, hooks)
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
                refused = "disk_full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "not_saved"
                for pending in batch:
                    pending.done.set_exception(AnswerError(refused, reason(error)))
                self.warnings.append(f"could not write to {self.path}: {reason(error)}")
                hooks.problem(refused)
                if stop:
                    return
                continue
            self.seq = events[-1]["seq"]
            self.batches += 1
            for event, pending in zip(events, batch, strict=True):
                hooks.durable(event)
                pending.done.set_result(None)
            if any(event["type"] == "close" for event in events):
                await self._folded()
                await loop.run_in_executor(None, self.finish_close)
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
        self._attached().durable(event)

    @staticmethod
    def _still_valid(queued: list[_Pending], hooks: JournalHooks) -> list[_Pending]:
        """The events that are still allowed when their turn comes; the others are refused.

        A command checks its event when it is made, but the state can change
        before it is written (a close, a step change, in the same batch or
        the one before): an answer must not land in a closed step or a
        closed session.
        """
        accepted: list[_Pending] = []
        moves: list[Event] = []
        joined: set[str] = set()
        for pending in queued:
            event = pending.event
            refused = hooks.refusal(event, moves, joined)
            if refused is not None:
                pending.done.set_exception(AnswerError(refused, "the session moved on first"))
                continue
            accepted.append(pending)
            if event["type"] in ("step", "close", "stage"):
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
        fd = os.open(self._segment, os.O_WRONLY | os.O_APPEND | os.O_CREAT | BINARY, 0o600)
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
            files.fsync_folder(self.path)  # the new file's name is durable too
            self._synced_segment = self._segment

    # snapshots

    def _snapshot_tables(self) -> Tables:
        tables = self._attached().state()
        tables["meta"][0].update(schema=SCHEMA_VERSION, seq=self.seq)
        return tables

    def _start_fold(self) -> None:
        """Snapshot the state so far in the background; new events go to a new segment.

        Until the snapshot is on disk, the old segments stay: a crash in
        between loads the old snapshot and replays them all.
        """
        tables = self._snapshot_tables()
        old = self.segments()
        self._segment = None
        seq = tables["meta"][0]["seq"]

        def write() -> None:
            self._write_and_drop(tables, old)
            self.snapshot_seq = seq

        self._fold = asyncio.get_running_loop().run_in_executor(None, write)

    def _write_and_drop(self, tables: Tables, segments: list[Path]) -> None:
        files.write_snapshot(self.path / SNAPSHOT, tables)
        for segment in segments:
            try:
                system.current().remove(segment)
            except OSError:  # another program holds it; its events are in the snapshot and skipped on load
                pass
        files.fsync_folder(self.path)

    def finish_close(self) -> None:
        """The final snapshot without device tokens; then the journal, which has them,
        goes, and meta.json says closed.

        The writer does this right after it wrote a close event. When a crash
        came in between, the folder still holds a closed session's journal:
        then `gsdialog.sessions.open` calls it once the session is read back.
        """
        tables = self._snapshot_tables()
        self._write_and_drop(tables, self.segments())
        self.snapshot_seq = self.seq
        self._segment = None
        files.write_meta(self.path, tables["meta"][0])

    def write_meta(self) -> None:
        """meta.json from the session's state, as it is now (closing writes it itself)."""
        files.write_meta(self.path, self._attached().state()["meta"][0])
