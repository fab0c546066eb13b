"""A machine that fails: a full disk and a read-only data folder, for real.

These mount small tmpfs file systems. Whether they run is decided by trying:
where mounting a tmpfs works (as root, like CI and a usual container), they
run; where it does not, they skip and say why.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gsdialog import sessions
from gsdialog.core.session import AnswerError
from gsdialog.store import Store, StoreError
from gsdialog.core.workshop import Workshop


def _mount(path: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` at `path`; None when it worked, else why not."""
    path.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit status {done.returncode}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    failed = _mount(disk, "512k")
    if failed is not None:
        pytest.skip(f"this machine cannot mount a tmpfs (it needs root): {failed}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"x" * 4096)
        except OSError:
            pass
    return filler


async def test_a_full_disk_refuses_answers_clearly_and_damages_nothing(small_disk: Path, example: Workshop,
                                                                       example_source: str) -> None:
    store = Store(small_disk)
    session, folder = sessions.create(store, example, example_source)
    await session.go_to(2)
    phones = [await session.join("professional" if i % 2 else "parent") for i in range(6)]
    for phone in phones[:3]:
        await session.answer(phone, "gehoord", {"luisteren": 4})
    filler = fill(small_disk)
    # The journal's last page may still have room for a few answers; then it is full.
    refusal = None
    for attempt in range(500):
        try:
            await session.answer(phones[3], "gehoord", {"luisteren": 1 + attempt % 5})
        except AnswerError as error:
            refusal = (attempt, error.reason)
            break
    assert refusal is not None and refusal[1] == "disk_full"
    before = session.answer_of(phones[3], "gehoord")
    assert before is None or before == {"luisteren": 1 + (refusal[0] - 1) % 5}
    assert session.answer_counts("gehoord")["professional"] == 1 + (before is not None)
    filler.unlink()
    await session.answer(phones[4], "gehoord", {"luisteren": 2})  # space again: answers are taken again
    await folder.stop()
    reloaded, _ = sessions.open(folder.path)
    assert reloaded.answers == session.answers


def test_a_read_only_data_folder_is_a_clear_message(small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StoreError, match="cannot be (used|written).*Read-only file system.*--data DIR"):
        Store(small_disk)
    result = subprocess.run([sys.executable, "-m", "gsdialog", "run", "--data", str(small_disk)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Read-only file system" in result.stderr and "--data DIR" in result.stderr


def test_a_missing_data_folder_is_made(tmp_path: Path) -> None:
    Store(tmp_path / "not" / "there" / "yet")
    assert (tmp_path / "not" / "there" / "yet" / "sessions").is_dir()
