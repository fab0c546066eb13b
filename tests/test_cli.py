"""The `gsdialog` command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gsdialog.cli import main

DATA = Path(__file__).parent / "data"
COMMANDS = ("run", "check", "export", "simulate", "sessions")


def gsdialog(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gsdialog", *args],
                          capture_output=True, text=True, timeout=60)


def test_help_lists_the_five_commands_each_with_one_line() -> None:
    result = gsdialog("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        [line] = [line for line in result.stdout.splitlines() if line.strip().startswith(command + " ")]
        assert len(line.split(None, 1)[1]) > 10


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([command, "--help"])
    assert stopped.value.code == 0
    assert f"usage: gsdialog {command}" in capsys.readouterr().out


def test_check_exits_zero_and_prints_nothing_for_a_valid_file() -> None:
    result = gsdialog("check", str(DATA / "example.toml"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_check_takes_a_built_in_workshop_by_name_as_run_and_guide_do() -> None:
    from gsdialog.core.loader import builtin_names

    result = gsdialog("check", *builtin_names(), str(DATA / "example.toml"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    unknown = gsdialog("check", "dansen")
    assert unknown.returncode == 1
    assert "no workshop file or built-in workshop called 'dansen'" in unknown.stderr


def test_check_prints_file_line_message_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    source = (DATA / "example.toml").read_text(encoding="utf-8")
    bad.write_text(source.replace('kind = "info"', 'kind = "dansen"'), encoding="utf-8")
    line = source[: source.index('kind = "info"')].count("\n") + 1
    result = gsdialog("check", str(DATA / "example.toml"), str(bad))
    assert result.returncode == 1
    assert result.stdout == (f"{bad}:{line}: step 'welkom': kind 'dansen' is not one of "
                             "info, pairs, rating, choice, words, evaluation, ideas\n")


def test_run_refuses_an_unknown_workshop_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "dansen"]) == 2
    error = capsys.readouterr().err
    assert "no workshop file or built-in workshop called 'dansen'" in error
    assert "oogstdialoog" in error


def test_run_refuses_a_broken_workshop_file_before_starting(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[workshop\n", encoding="utf-8")
    assert main(["run", str(bad)]) == 1
    error = capsys.readouterr().err
    assert f"{bad}:1: TOML syntax:" in error
    assert f"gsdialog check {bad}" in error


def test_run_stops_with_a_clear_message_when_the_stored_session_cannot_be_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gsdialog import sessions
    from gsdialog.store import Store
    from gsdialog.core.loader import load_workshop

    session, folder = sessions.create(Store(tmp_path), load_workshop(DATA / "example.toml"),
                                      (DATA / "example.toml").read_text(encoding="utf-8"))
    [journal] = folder.segments()
    journal.write_bytes(b"\x00garbage")
    assert main(["run", str(DATA / "example.toml"), "--data", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert str(folder.path) in error and "--new" in error
    assert journal.read_bytes() == b"\x00garbage"


def test_run_refuses_a_threshold_below_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--threshold", "1"]) == 2
    assert "--threshold must be from 2 to 100" in capsys.readouterr().err


def test_run_says_clearly_when_the_port_is_taken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["run", str(DATA / "example.toml"), "--data", str(tmp_path), "--host", "127.0.0.1",
                     "--port", str(port)])
    assert code == 1
    error = capsys.readouterr().err
    assert f"port {port} is taken" in error and f"--port {port + 1}" in error
