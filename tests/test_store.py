"""The durable store: resume, forgetting phones, damaged files, crashes."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gsdialog import sessions
from gsdialog.core.session import AnswerError, Session
from gsdialog.store import SessionFolder, Store, StoreError
from gsdialog.store import files as store_files
from gsdialog.store import journal as store_journal
from gsdialog.store.files import SNAPSHOT
from gsdialog.core.workshop import Workshop

HERE = Path(__file__).parent


async def room(store: Store, workshop: Workshop, source: str, phones: int = 6) -> tuple[Session, SessionFolder,
                                                                                       list[str]]:
    session, folder = sessions.create(store, workshop, source)
    await session.go_to(2)  # the rating step "gehoord"
    tokens = [await session.join("professional" if i % 2 else "parent") for i in range(phones)]
    for i, token in enumerate(tokens):
        await session.answer(token, "gehoord", {"luisteren": 1 + i % 5})
    return session, folder, tokens


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


async def test_restarting_resumes_the_same_session(tmp_path: Path, example: Workshop, example_source: str) -> None:
    store = Store(tmp_path)
    session, folder, tokens = await room(store, example, example_source)
    await folder.stop()

    again = Store(tmp_path)
    path = sessions.unfinished(again, example.id)
    assert path == folder.path
    resumed, resumed_folder = sessions.open(path)
    assert (resumed.id, resumed.code, resumed.step_index) == (session.id, session.code, 2)
    assert resumed.states == session.states
    assert resumed.answers == session.answers
    assert resumed.answer_groups == session.answer_groups
    assert resumed.results("gehoord") == session.results("gehoord")
    # A phone that joined before the restart can still change its answer.
    await resumed.answer(tokens[0], "gehoord", {"luisteren": 5})
    assert resumed.answer_of(tokens[0], "gehoord") == {"luisteren": 5}
    await resumed_folder.stop()


async def test_group_commit_shares_writes(tmp_path: Path, example: Workshop, example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source, phones=50)
    before = folder.batches
    await asyncio.gather(*(session.answer(t, "gehoord", {"luisteren": 3}) for t in tokens))
    assert folder.batches - before < len(tokens) / 5
    await folder.stop()


async def test_closing_removes_every_device_token_from_disk(tmp_path: Path, example: Workshop,
                                                            example_source: str) -> None:
    store = Store(tmp_path)
    session, folder, tokens = await room(store, example, example_source)
    stored = all_bytes(folder.path)
    assert all(token.encode() in stored for token in tokens)
    await session.close()
    await folder.stop()
    left = all_bytes(tmp_path)
    assert not [token for token in tokens if token.encode() in left]
    assert sorted(p.name for p in folder.path.iterdir()) == ["meta.json", SNAPSHOT]
    closed, _ = sessions.open(folder.path)
    assert closed.closed and closed.results("gehoord") == session.results("gehoord")
    assert closed.participant_counts() == {"professional": 3, "other": 3}
    assert sessions.unfinished(Store(tmp_path), example.id) is None


async def closed_but_not_forgotten(store: Store, workshop: Workshop, source: str,
                                   monkeypatch: pytest.MonkeyPatch) -> tuple[Session, SessionFolder, list[str]]:
    """A session whose close event is in the journal, as if the machine died right
    after it: before the tokens were forgotten and meta.json said so."""
    session, folder, tokens = await room(store, workshop, source)
    monkeypatch.setattr(SessionFolder, "finish_close", lambda self: None)
    await session.close()
    await folder.stop()
    monkeypatch.undo()
    return session, folder, tokens


async def test_a_crash_between_closing_and_forgetting_is_finished_on_open(
        tmp_path: Path, example: Workshop, example_source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    session, folder, tokens = await closed_but_not_forgotten(store, example, example_source, monkeypatch)
    assert tokens[0].encode() in all_bytes(tmp_path)
    reopened, _ = sessions.open(folder.path)
    assert reopened.closed
    assert tokens[0].encode() not in all_bytes(tmp_path)


async def test_the_journal_is_folded_into_snapshots(tmp_path: Path, example: Workshop, example_source: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_journal, "SNAPSHOT_EVERY", 7)
    session, folder, tokens = await room(Store(tmp_path), example, example_source, phones=20)
    await folder.stop()
    assert (folder.path / SNAPSHOT).exists()
    assert folder.snapshot_seq > 0 and len(folder.segments()) <= 1
    reloaded, _ = sessions.open(folder.path)
    assert reloaded.answers == session.answers and reloaded.roles == session.roles


async def test_a_torn_last_line_is_skipped(tmp_path: Path, example: Workshop, example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    await folder.stop()
    [segment] = folder.segments()
    with segment.open("ab") as journal:
        journal.write(b'{"type":"answer","token":"')
    reloaded, reloaded_folder = sessions.open(folder.path)
    assert reloaded.answers == session.answers and reloaded_folder.warnings == []
    # The next writes do not continue the torn line (which would lose them).
    assert session.answer_of(tokens[1], "gehoord") != {"luisteren": 5}
    await reloaded.answer(tokens[1], "gehoord", {"luisteren": 5})
    await reloaded.answer(tokens[2], "gehoord", {"luisteren": 5})
    await reloaded_folder.stop()
    again, _ = sessions.open(folder.path)
    assert again.answer_of(tokens[1], "gehoord") == again.answer_of(tokens[2], "gehoord") == {"luisteren": 5}


async def test_a_full_disk_refuses_the_answer_and_damages_nothing(
        tmp_path: Path, example: Workshop, example_source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    problems: list[str | None] = []
    session.subscribe(lambda change: problems.append(change.detail) if change.kind == "not_saved" else None)
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(AnswerError) as refused:
        await session.answer(tokens[0], "gehoord", {"luisteren": 5})
    assert refused.value.reason == "disk_full"
    assert problems == ["disk_full"]
    assert session.answer_of(tokens[0], "gehoord") == {"luisteren": 1}
    monkeypatch.undo()
    await session.answer(tokens[1], "gehoord", {"luisteren": 5})
    await folder.stop()
    reloaded, reloaded_folder = sessions.open(folder.path)
    assert reloaded.answers == session.answers
    assert reloaded_folder.warnings == []


async def test_an_unreadable_snapshot_is_never_overwritten(tmp_path: Path, example: Workshop, example_source: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_journal, "FOLD_ON_STEP", 1)  # a snapshot already while the session runs
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    await session.go_to(3)
    await folder.stop()
    snapshot = folder.path / SNAPSHOT
    damaged = b'{"meta": {"1": {"schema": 1, "id"'
    snapshot.write_bytes(damaged)
    with pytest.raises(StoreError) as refused:
        sessions.unfinished(Store(tmp_path), example.id)  # it may be the one to resume: never replaced
    assert str(snapshot) in str(refused.value) and "--new" in str(refused.value)
    assert snapshot.read_bytes() == damaged
    [info] = sessions.listing(Store(tmp_path))
    assert info.problem is not None and str(snapshot) in info.problem


async def test_a_damaged_closed_session_blocks_nothing_but_itself(tmp_path: Path, example: Workshop,
                                                                  example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    await session.close()
    await folder.stop()
    snapshot = folder.path / SNAPSHOT
    snapshot.write_bytes(b"{")
    assert sessions.unfinished(Store(tmp_path), example.id) is None  # a closed session is never resumed
    with pytest.raises(StoreError, match=str(snapshot)):
        sessions.open(folder.path)
    assert snapshot.read_bytes() == b"{"


async def test_a_snapshot_from_a_newer_version_is_refused(tmp_path: Path, example: Workshop,
                                                          example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    await session.close()
    await folder.stop()
    snapshot = folder.path / SNAPSHOT
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema"] = 99
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError, match="written by a newer gsdialog"):
        sessions.open(folder.path)
    assert json.loads(snapshot.read_text(encoding="utf-8"))["meta"]["1"]["schema"] == 99


def test_a_data_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot be used"):
        Store(blocker / "data")


def test_kill_9_at_random_moments_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    """SIGKILL a writer 20 times; every time the store loads with every acknowledged answer."""
    data, acks = tmp_path / "data", tmp_path / "acks.txt"
    rng = random.Random(20261123)
    for _ in range(20):
        before = acks.stat().st_size if acks.exists() else 0
        writer = subprocess.Popen([sys.executable, str(HERE / "crash_writer.py"), str(data), str(acks)])
        deadline = time.monotonic() + 30
        while (not acks.exists() or acks.stat().st_size <= before) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        writer.kill()  # kill -9; TerminateProcess on Windows
        writer.wait()

        store = Store(data)
        path = sessions.unfinished(store, "twaalf-vragen")
        assert path is not None
        session, folder = sessions.open(path)
        # The last line may be torn by the kill; it was never acknowledged whole.
        acknowledged = [line.split() for line in acks.read_text(encoding="utf-8").splitlines()
                        if re.fullmatch(r"\S+ [a-z-]+ [1-5]", line)]
        missing = [(token, item, value) for token, item, value in acknowledged
                   if (session.answer_of(token, "twaalf-vragen") or {}).get(item) != int(value)]
        assert missing == [], f"{len(missing)} acknowledged answers lost"
    assert len(acknowledged) > 12 * 20



# --- races found in review: the state moves on between a check and the write ---------------


async def test_an_answer_racing_the_close_is_refused_and_the_session_still_opens(
        tmp_path: Path, example: Workshop, example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    closing = asyncio.ensure_future(session.close())
    answering = asyncio.ensure_future(session.answer(tokens[0], "gehoord", {"luisteren": 4}))
    joining = asyncio.ensure_future(session.join("parent"))
    await closing
    for late in (answering, joining):
        with pytest.raises(AnswerError, match="session_closed"):
            await late
    await folder.stop()
    assert not [t for t in tokens if t.encode() in all_bytes(tmp_path)]
    reopened, _ = sessions.open(folder.path)
    assert reopened.closed and reopened.results("gehoord") == session.results("gehoord")


async def test_an_answer_racing_a_step_change_is_refused(tmp_path: Path, example: Workshop,
                                                         example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    moving = asyncio.ensure_future(session.go_to(3))
    answering = asyncio.ensure_future(session.answer(tokens[0], "gehoord", {"luisteren": 5}))
    await moving
    with pytest.raises(AnswerError, match="step_not_open"):
        await answering
    assert session.answer_of(tokens[0], "gehoord") == {"luisteren": 1}
    await folder.stop()


async def test_a_new_segment_after_a_failed_first_write_is_made_durable(
        tmp_path: Path, example: Workshop, example_source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    folder._segment = None  # as right after a fold: the next write opens a new segment
    synced: list[Path] = []
    real_sync = store_files.fsync_folder
    monkeypatch.setattr(store_files, "fsync_folder", lambda path: (synced.append(path), real_sync(path)))
    real_write, failed = os.write, []

    def fail_once(fd: int, data: bytes) -> int:
        if not failed:
            failed.append(True)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", fail_once)
    with pytest.raises(AnswerError, match="disk_full"):
        await session.answer(tokens[0], "gehoord", {"luisteren": 5})
    await session.answer(tokens[0], "gehoord", {"luisteren": 4})
    assert synced, "the new segment's name was never made durable"
    await folder.stop()


async def test_an_append_while_stopping_is_refused_not_left_waiting(
        tmp_path: Path, example: Workshop, example_source: str) -> None:
    session, folder, tokens = await room(Store(tmp_path), example, example_source)
    first = asyncio.ensure_future(session.answer(tokens[0], "gehoord", {"luisteren": 5}))
    stopping = asyncio.ensure_future(folder.stop())
    late = asyncio.ensure_future(session.answer(tokens[1], "gehoord", {"luisteren": 5}))
    done, _ = await asyncio.wait({first, stopping, late}, timeout=5)
    assert done == {first, stopping, late}
    assert first.exception() is None
    assert late.exception() is None or getattr(late.exception(), "reason", None) == "not_saved"


# --- listing and resuming without loading every session -------------------------------------


async def test_closed_sessions_are_listed_and_skipped_without_loading_them(
        tmp_path: Path, example: Workshop, example_source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    for _ in range(3):
        session, folder, tokens = await room(store, example, example_source)
        await session.close()
        await folder.stop()
    loads: list[Path] = []
    real_load = SessionFolder.read
    monkeypatch.setattr(SessionFolder, "read", lambda self, *a: (loads.append(self.path), real_load(self, *a))[1])
    infos = sessions.listing(store)
    assert [i.closed for i in infos] == [True] * 3 and infos[0].participants == {"professional": 3, "other": 3}
    assert sessions.unfinished(store, example.id) is None
    assert loads == []


async def test_a_damaged_session_of_another_workshop_does_not_block_starting(
        tmp_path: Path, example: Workshop, example_source: str) -> None:
    from gsdialog.core.loader import builtin_path, load_workshop

    store = Store(tmp_path)
    other_path = builtin_path("twaalf-vragen")
    other, other_folder = sessions.create(store, load_workshop(other_path), other_path.read_text(encoding="utf-8"))
    await other_folder.stop()
    for segment in other_folder.segments():
        segment.write_bytes(b"\x00damaged")
    assert sessions.unfinished(store, example.id) is None  # the damaged one is another workshop's: skipped
    with pytest.raises(StoreError):
        sessions.unfinished(store, "twaalf-vragen")  # its own: never silently replaced


async def test_a_crash_before_meta_says_closed_does_not_resume_a_closed_session(
        tmp_path: Path, example: Workshop, example_source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    session, folder, tokens = await closed_but_not_forgotten(store, example, example_source, monkeypatch)
    assert sessions.unfinished(store, example.id) is None  # meta still says open; the journal says closed
    [info] = sessions.listing(store)
    assert info.closed
