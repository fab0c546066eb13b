"""Windows' and macOS' behaviour, on Linux, through the one seam (gsdialog/system).

The facilitator's laptop is most often an employer's Windows 10 or 11, some
bring a Mac; gsdialog is developed and tested on Linux. tests/semantics.py
gives the code those systems' behaviour here: under it a session is created,
phones answer, kill -9 and a restart lose nothing, the remote's files and
`gsdialog remote` work, and exports to a cp1252 pipe come out whole.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import semantics
from gsdialog import cli, sessions, system
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.export.write import export_text
from gsdialog.store import Store, StoreError
from gsdialog.store.remote import RemoteSecret, Serving
from gsdialog.system.windows import ENABLE_EXTENDED_FLAGS, ENABLE_QUICK_EDIT_MODE
from test_end_to_end import (STEP, Room, ServerProcess, answer_until_killed, check_every_acknowledged_answer,
                             phone, server, split, stored)  # noqa: F401 (server: a fixture)

ROOT = Path(__file__).parent.parent


@pytest.fixture
def windows() -> Iterator[Callable[[], None]]:
    undo = semantics.windows()
    yield undo
    undo()


@pytest.fixture
def macos() -> Iterator[None]:
    undo = semantics.macos()
    yield
    undo()


def new_session(data: Path, name: str = "twaalf-vragen") -> tuple[sessions.Session, sessions.SessionFolder]:
    path = builtin_path(name)
    return sessions.create(Store(data), load_workshop(path), path.read_text(encoding="utf-8"))


# --- the fixtures bite -----------------------------------------------------------------------


def test_under_windows_semantics_the_posix_way_fails_as_it_did_there(tmp_path: Path, windows: object) -> None:
    """Without the seam, Windows could not start a session: syncing the folder
    with os.open is refused. The fixture must reproduce that, or it proves nothing."""
    with system.use(system.Posix()), pytest.raises(StoreError, match="Permission denied"):
        new_session(tmp_path / "data")
    with pytest.raises(PermissionError):
        os.open(tmp_path, os.O_RDONLY)
    assert not hasattr(__import__("signal"), "SIGKILL")


# --- a whole session, in process ------------------------------------------------------------


async def test_a_session_runs_under_windows_semantics(tmp_path: Path, windows: Callable[[], None],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from gsdialog.store import journal

    monkeypatch.setattr(journal, "SNAPSHOT_EVERY", 4)  # snapshots replaced often, some while held
    data = tmp_path / "data"
    session, folder = new_session(data)
    await session.go_to(1)
    tokens = [await session.join(role) for role in ["professional"] * 4 + ["parent"] * 4]
    items = [item.id for item in session.workshop.step(STEP).items]
    for n, token in enumerate(tokens):
        await session.answer(token, STEP, {item: 1 + (n + i) % 5 for i, item in enumerate(items)})
    await folder.stop()
    held = windows.held  # type: ignore[attr-defined]
    assert held.refused > 0, "no replace met a held file: the test did not test that"

    again, folder = sessions.open(sessions.unfinished(Store(data), "twaalf-vragen"))  # type: ignore[arg-type]
    assert sum(1 for token in tokens if again.answer_of(token, STEP) is not None) == 8
    secret = RemoteSecret(folder.path)
    first = secret.get()
    assert secret.new() != first and RemoteSecret(folder.path).get() == secret.get()
    await again.close()
    await folder.stop()
    report = export_text([again], "csv", "nl")
    assert report.count("\n") > 8 * len(items)


def test_the_remote_finds_a_running_session_and_not_a_killed_one(tmp_path: Path, windows: object) -> None:
    """Whether `gsdialog run` still runs: psutil through the seam, never os.kill(pid, 0)
    (on Windows that would end the process)."""
    here = Serving(tmp_path, os.getpid(), "0.0.0.0", 8080, None, "nl")
    here.write()
    assert Serving.read(tmp_path) is not None
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    Serving(tmp_path, dead.pid, "0.0.0.0", 8080, None, "nl").write()
    assert Serving.read(tmp_path) is None


def test_no_os_kill_and_reuseaddr_only_where_it_belongs() -> None:
    """No os.kill(pid, 0) anywhere; SO_REUSEADDR only in the POSIX class."""
    for path in (ROOT / "gsdialog").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "os.kill(" not in text, path
        if path.name != "posix.py":
            assert "socket.SO_REUSEADDR" not in text, path


# --- kill -9 and a restart, in another process ------------------------------------------------


@pytest.mark.parametrize("kind", ["windows", "macos"])
async def test_kill_9_and_resume_lose_nothing_on_other_systems(
        server: Callable[..., ServerProcess], tmp_path: Path, kind: str) -> None:
    data = tmp_path / "data"
    rng = random.Random(20261203)
    process = server(STEP, kind)
    room = Room()
    url = await process.start("--step", "1", "--snapshot-every", "25")
    await answer_until_killed(room, process, url, rng, concurrent=20, kill_after=rng.randint(40, 80))
    check_every_acknowledged_answer(data, room)
    url = await process.start("--step", "1")
    base, code = split(url)
    person = next(p for p in room.phones if p.acknowledged is not None and not p.unconfirmed)
    async with phone(code, person.token, base) as http, http.get(f"{url}?sent={STEP}") as response:
        assert "Bedankt!" in await response.text()
    await process.pause()
    check_every_acknowledged_answer(data, room)
    if kind == "windows":  # the first run's snapshots met a held file: else this tested nothing of that
        log = (tmp_path / "logs" / "server-1.log").read_text(encoding="utf-8")
        assert "held by another program" in log, log

    # The export, through a pipe that Windows would make cp1252, is whole and UTF-8.
    expected = {fmt: export_text([stored(data, STEP)], fmt, "nl") for fmt in ("md", "csv", "json")}
    for fmt, text in expected.items():
        out = run_cli(["export", "--data", str(data), "--format", fmt], kind)
        assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
        assert out.stdout.decode("utf-8").replace("\r\n", "\n") == text.replace("\r\n", "\n"), fmt
    assert json.loads(expected["json"])["responses"]


def run_cli(args: list[str], kind: str | None = "windows", **env: str) -> subprocess.CompletedProcess[bytes]:
    """`gsdialog ARGS` in a new process with `kind`'s semantics, stdout a cp1252 pipe."""
    prelude = f"import semantics; semantics.SEMANTICS[{kind!r}]()\n" if kind else ""
    code = prelude + "import sys\nfrom gsdialog.cli import main\nsys.exit(main(sys.argv[1:]))"
    environment = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0",
                   "PYTHONPATH": str(ROOT / "tests"), **env}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=60, env=environment,
                          cwd=ROOT)


def test_nothing_written_to_a_cp1252_pipe_fails() -> None:
    """◆, arrows, é and the run sheet's every character reach a pipe that would be
    cp1252 on Windows: as UTF-8, whole, for every command that prints."""
    for args in (["guide", "oogstdialoog", "--format", "md"], ["guide", "twaalf-vragen", "--lang", "en"],
                 ["check", str(builtin_path("oogstdialoog"))], ["--help"], ["run", "--help"]):
        out = run_cli(args)
        assert out.returncode == 0, (args, out.stderr.decode("utf-8", "replace"))
        out.stdout.decode("utf-8")  # strict: no mojibake, nothing replaced away
    guide = run_cli(["guide", "oogstdialoog", "--format", "md"]).stdout.decode("utf-8")
    assert "é" in guide or "ë" in guide or "…" in guide


def test_errors_to_a_cp1252_pipe_come_out_whole(tmp_path: Path) -> None:
    bad = tmp_path / "café.toml"
    bad.write_text('[workshop]\ntitle = "Café ◆"\n', encoding="utf-8")
    out = run_cli(["check", str(bad)])
    assert out.returncode == 1
    assert "café.toml" in out.stdout.decode("utf-8")


# --- the laptop stays awake, the console keeps running ----------------------------------------


class Recording(system.Posix):
    """The native system, recording what the run asked of it."""

    def __init__(self) -> None:
        self.log: list[str] = []

    @contextmanager
    def stay_awake(self) -> Iterator[bool]:
        self.log.append("awake")
        try:
            yield True
        finally:
            self.log.append("may sleep")

    @contextmanager
    def console(self) -> Iterator[None]:
        self.log.append("console")
        try:
            yield
        finally:
            self.log.append("console back")


def test_gsdialog_run_keeps_the_laptop_awake_while_the_projector_runs(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from gsdialog.projector.app import ProjectorApp

    recording = Recording()

    def run(app: ProjectorApp) -> str:
        recording.log.append("projector runs")
        return "paused"

    monkeypatch.setattr(ProjectorApp, "run", run)
    with system.use(recording):
        assert cli.main(["run", "twaalf-vragen", "--data", str(tmp_path), "--host", "127.0.0.1", "--port", "0"]) == 0
    assert recording.log == ["awake", "console", "projector runs", "console back", "may sleep"]


def test_stay_awake_asks_wakepy_to_keep_the_screen_on_and_lets_go_after(monkeypatch: pytest.MonkeyPatch) -> None:
    import wakepy

    seen: list[str] = []

    class Mode:
        active = True

        def __enter__(self) -> Mode:
            seen.append("enter")
            return self

        def __exit__(self, *exc: object) -> None:
            seen.append("exit")

    monkeypatch.setattr(wakepy.keep, "presenting", lambda on_fail: seen.append(on_fail) or Mode())
    for kind in (system.Posix(), system.MacOS(), system.Windows()):
        seen.clear()
        with kind.stay_awake() as awake:
            assert awake and seen == ["pass", "enter"]
        assert seen == ["pass", "enter", "exit"]


class Console:
    """kernel32 with an old console window whose QuickEdit is on."""

    def __init__(self, mode: int) -> None:
        self.mode = mode
        self.set: list[int] = []

    def GetStdHandle(self, which: int) -> int:  # noqa: N802
        return 7

    def GetConsoleMode(self, handle: int, mode: object) -> int:  # noqa: N802
        ctypes.cast(mode, ctypes.POINTER(ctypes.c_uint32)).contents.value = self.mode
        return 1

    def SetConsoleMode(self, handle: int, mode: int) -> int:  # noqa: N802
        self.set.append(mode)
        self.mode = mode
        return 1


@pytest.mark.parametrize("quick_edit", [True, False])
def test_quickedit_is_off_while_the_projector_runs_and_as_it_was_after(quick_edit: bool) -> None:
    before = 0x0007 | (ENABLE_QUICK_EDIT_MODE | ENABLE_EXTENDED_FLAGS if quick_edit else 0)
    kernel32 = Console(before)
    with system.Windows(kernel32=kernel32).console():
        assert not kernel32.mode & ENABLE_QUICK_EDIT_MODE and kernel32.mode & ENABLE_EXTENDED_FLAGS
    assert bool(kernel32.mode & ENABLE_QUICK_EDIT_MODE) == quick_edit
    assert kernel32.mode & 0x0007 == 0x0007


# --- files, ports, folders -------------------------------------------------------------------


def test_a_held_file_is_replaced_after_a_moment_and_an_error_stands_after_that(tmp_path: Path) -> None:
    waits: list[float] = []
    windows = system.Windows(sleep=waits.append)
    target, source = tmp_path / "meta.json", tmp_path / "new"
    target.write_text("old")
    source.write_text("new")
    tries = iter([PermissionError(13, "held"), PermissionError(13, "held"), None])
    real = Path.replace

    def replace(self: Path, to: Path) -> Path:
        error = next(tries)
        if error:
            raise error
        return real(self, to)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "replace", replace)
        windows.replace(source, target)
        assert target.read_text() == "new" and len(waits) == 2
        patch.setattr(Path, "replace", lambda self, to: (_ for _ in ()).throw(PermissionError(13, "held")))
        with pytest.raises(PermissionError):
            windows.replace(target, source)
    assert sum(waits) < 2.5, "bounded: a few tries over about a second"


@pytest.mark.parametrize("kind", [system.Posix, system.Windows])
def test_a_taken_port_is_said_on_every_system(kind: type[system.System]) -> None:
    first = kind().bind("127.0.0.1", 0)
    try:
        with pytest.raises(OSError):
            kind().bind("127.0.0.1", first.getsockname()[1])
    finally:
        first.close()


def test_windows_binds_without_reuseaddr() -> None:
    """On Windows SO_REUSEADDR would let a second gsdialog bind the port silently."""
    sock = system.Windows().bind("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 0
    finally:
        sock.close()


def test_store_python_on_windows_keeps_the_data_where_explorer_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    store_python = r"C:\Users\an\AppData\Local\Microsoft\WindowsApps\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\python.exe"
    assert system.Windows(executable=store_python).data_dir().name == "gsdialog"
    assert "Documents" in str(system.Windows(executable=store_python).data_dir()) or \
        system.Windows(executable=store_python).data_dir().parent.name != "share"
    assert system.Windows(executable=r"C:\Python312\python.exe").data_dir() == system.Posix().data_dir()


def test_the_join_hints_and_notes_are_said_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    from gsdialog.core.i18n import t

    monkeypatch.setenv("TERM_PROGRAM", "Apple_Terminal")
    for kind in (system.Posix(), system.MacOS(), system.Windows()):
        for key in (*kind.join_hints, *kind.notes()):
            assert t("nl", key) and t("en", key)
    assert system.MacOS().notes() == ("note_terminal_macos",)
    monkeypatch.setenv("TERM_PROGRAM", "iTerm.app")
    assert system.MacOS().notes() == ()


def test_macos_semantics_have_no_proc(macos: None) -> None:
    with pytest.raises(FileNotFoundError):
        open("/proc/self/status")
    assert isinstance(system.current(), system.MacOS)
    assert re.fullmatch(r"[a-z]+", system.current().name)


def test_windows_network_profiles_and_firewall_are_read_or_said_unknown() -> None:
    """What `gsdialog doctor` says of a Windows laptop's firewall, from PowerShell's
    answers (read without admin rights), and None where PowerShell gives none."""
    answers: dict[str, str | None] = {}

    def powershell(command: str) -> str | None:
        return answers["profile" if "ConnectionProfile" in command else "rule"]

    windows = system.Windows(powershell=powershell)
    answers.update(profile='{"InterfaceAlias":"Wi-Fi","Category":"Public"}', rule="")
    assert windows.network_profiles() == {"Wi-Fi": "Public"}
    assert windows.firewall_allows(r"C:\Python312\python.exe") is False
    answers.update(profile='[{"InterfaceAlias":"Wi-Fi","Category":"Private"},'
                           '{"InterfaceAlias":"Ethernet 2","Category":"DomainAuthenticated"}]',
                   rule='[{"Action":"Allow"},{"Action":"Allow"}]')
    assert windows.network_profiles() == {"Wi-Fi": "Private", "Ethernet 2": "DomainAuthenticated"}
    assert windows.firewall_allows(r"C:\Python312\python.exe") is True
    answers.update(rule='[{"Action":"Allow"},{"Action":"Block"}]')
    assert windows.firewall_allows(r"C:\Python312\python.exe") is False
    answers.update(profile=None, rule="not json")
    assert windows.network_profiles() is None and windows.firewall_allows("python.exe") is None
    assert system.Posix().network_profiles() is None and system.MacOS().firewall_allows("python") is None


async def test_gsdialog_remote_finds_the_running_session_under_windows_semantics(tmp_path: Path) -> None:
    """`gsdialog remote` in another process, as a facilitator types it beside a
    running `gsdialog run`: it finds the run through the seam's process check,
    prints the link, and --new replaces the secret while files are held."""
    data = tmp_path / "data"
    session, folder = new_session(data)
    await folder.stop()
    Serving(folder.path, os.getpid(), "127.0.0.1", 8080, None, "nl").write()  # this test stands in for the run
    first = run_cli(["remote", "--data", str(data)])
    assert first.returncode == 0, first.stderr.decode("utf-8", "replace")
    link = first.stdout.decode("utf-8").strip()
    assert re.fullmatch(rf"http://127\.0\.0\.1:8080/{session.code}/remote/[A-Za-z0-9_-]{{20,}}", link), link
    again = run_cli(["remote", "--data", str(data), "--new"])
    assert again.returncode == 0 and again.stdout.decode("utf-8").strip() != link
    (folder.path / "serving.json").unlink()
    Serving(folder.path, 2**22 + 12345, "127.0.0.1", 8080, None, "nl").write()  # a run killed with -9
    gone = run_cli(["remote", "--data", str(data)])
    assert gone.returncode == 1 and "no workshop is running" in gone.stderr.decode("utf-8")
