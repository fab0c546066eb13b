"""`gsdialog doctor`, each check against its situation: a terminal of 80 x 24,
a read-only data folder, a taken port, an output that takes only cp1252, and
a laptop with a VPN, a bridge and the Wi-Fi in a network namespace whose
phone (a second namespace) opens the test page, or does not."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gsdialog.collector.addresses import Candidate
from gsdialog.doctor import checks
from gsdialog.doctor.output import BAD, INFO, OK, UNKNOWN
from tests.netns import Laptop, laptop_with_vpn
from tests.test_failing_machine import _mount


def doctor(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gsdialog", "doctor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The checks one by one.

def test_a_terminal_of_100_by_30_is_enough_and_80_by_24_is_not() -> None:
    assert checks.size("en", (100, 30)).status == OK
    small = checks.size("nl", (80, 24))
    assert small.status == BAD and "80 × 24" in small.text and "100 × 30" in small.text
    assert "groter" in small.todo
    assert checks.size("en", (160, 29)).status == BAD
    assert checks.size("en", None).status == UNKNOWN  # a pipe: not known, and not a blocker


def test_colours_are_judged_as_rich_and_textual_will_draw_them() -> None:
    assert checks.colour_system({"TERM": "xterm-256color"}) == "256"
    assert checks.colour_system({"TERM": "xterm", "COLORTERM": "truecolor"}) == "truecolor"
    assert [f.status for f in checks.colours("en", True, "truecolor")] == [OK]
    assert [f.status for f in checks.colours("en", True, "standard")] == [UNKNOWN]
    assert [f.status for f in checks.colours("en", False, "truecolor")] == [UNKNOWN]
    assert [f.status for f in checks.colours("en", True, None)] == [BAD]


def test_the_network_names_where_phones_go_and_why_not_the_others() -> None:
    found = checks.network("en", [Candidate("192.168.43.20", "wlan0", "default_route"),
                                  Candidate("10.8.0.2", "tun0", "vpn"),
                                  Candidate("172.17.0.1", "docker0", "virtual"),
                                  Candidate("10.0.0.7", "eth1", "lan"),
                                  Candidate("169.254.3.4", "eth2", "link_local")])
    assert [f.status for f in found] == [OK, INFO, INFO, INFO, INFO]
    assert found[0].text.startswith("Phones are sent to 192.168.43.20 (wlan0): this laptop reaches the internet")
    assert found[1].text == "Not 10.8.0.2 (tun0): a VPN. Phones in the room cannot reach it."
    assert "virtual" in found[2].text and "192.168.43.20" in found[3].text and "169.254" in found[4].text


def test_no_network_or_only_a_vpn_blocks_and_says_what_to_do() -> None:
    [none] = checks.network("nl", [])
    assert none.status == BAD and "hotspot" in none.todo
    [vpn] = checks.network("en", [Candidate("10.8.0.2", "tun0", "vpn")])
    assert vpn.status == BAD and "VPN" in vpn.text and "VPN off" in vpn.todo


def test_a_data_folder_that_does_not_exist_yet_is_fine_when_it_can_be_made(tmp_path: Path) -> None:
    found = checks.data_folder("en", tmp_path / "not" / "yet")
    assert [f.status for f in found] == [INFO, OK, OK]
    assert str(tmp_path / "not" / "yet") in found[0].text and "does not exist yet" in found[1].text
    assert list(tmp_path.iterdir()) == []  # it made nothing


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system: as root, a mode bit alone stops no write."""
    disk = tmp_path / "ro"
    failed = _mount(disk, "1m")
    if failed is not None:
        pytest.skip(f"this machine cannot mount a tmpfs (it needs root): {failed}")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_read_only_data_folder_blocks_with_its_full_path_and_what_to_do(read_only_folder: Path) -> None:
    done = doctor("--data", str(read_only_folder), "--wait", "0", "--lang", "en")
    assert done.returncode == 1, done.stderr
    assert f"The data folder: {read_only_folder}\n" in done.stdout
    assert "✗ gsdialog cannot write in that folder (Read-only file system)." in done.stdout
    assert "--data FOLDER" in done.stdout
    assert "First solve the points marked ✗" in done.stdout


def test_a_taken_port_blocks_and_names_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = doctor("--port", str(port), "--wait", "5", "--data", str(tmp_path), "--lang", "en")
    assert done.returncode == 1, done.stderr
    assert f"✗ Port {port} is taken." in done.stdout
    assert f"gsdialog doctor --port {port + 1}" in done.stdout
    assert "The phone test was skipped." in done.stdout  # and it did not wait for a phone


def in_a_terminal(columns: int, lines: int, *args: str) -> tuple[int, str]:
    """Doctor in a pseudo-terminal of that size: its exit status and what it showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "gsdialog", "doctor", *args], stdin=slave, stdout=slave,
                               stderr=slave, env=dict(os.environ, TERM="xterm-256color", COLORTERM=""))
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(master)
    status = process.wait(10)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", errors="replace")).replace("\r", "")
    return status, plain


def test_a_terminal_of_80_by_24_is_too_small_and_says_how_to_fix_it(tmp_path: Path) -> None:
    status, shown = in_a_terminal(80, 24, "--wait", "0", "--data", str(tmp_path), "--lang", "en")
    assert status == 1
    assert "✗ The window is 80 × 24 characters. gsdialog needs at least 100 × 30." in shown
    assert "Make the window bigger" in shown
    assert "✓ The window shows all the colours gsdialog uses." in shown
    assert "██" in shown  # the big digits were drawn


def test_a_terminal_of_100_by_30_passes(tmp_path: Path) -> None:
    status, shown = in_a_terminal(100, 30, "--wait", "0", "--data", str(tmp_path))
    assert "✓ Het venster is 100 × 30 tekens." in shown
    assert "✗" not in shown
    assert status == 1  # no phone came: that alone keeps it from 0
    assert "zonder de telefoontest" in shown


def test_an_output_that_takes_only_cp1252_still_gets_every_line(tmp_path: Path) -> None:
    # The system seam writes UTF-8 to such a pipe (system.text_streams); doctor
    # itself never fails on what a stream cannot encode (the next test).
    env = dict(os.environ, PYTHONIOENCODING="cp1252")
    done = subprocess.run([sys.executable, "-m", "gsdialog", "doctor", "--wait", "0", "--data", str(tmp_path),
                           "--port", str(free_port())], capture_output=True, timeout=60, env=env)
    assert done.returncode == 1 and done.stderr == b""
    text = done.stdout.decode("utf-8")
    assert "✓ gsdialog" in text and "? De telefoontest is overgeslagen." in text and "██" in text


# The whole check on a laptop with a VPN, a bridge and the Wi-Fi.

def start_doctor(laptop: Laptop, port: int, wait: int, data: Path) -> tuple[subprocess.Popen[str], str]:
    """Doctor inside the laptop, up to the moment it waits for a phone: the test page's address."""
    process = laptop.popen(sys.executable, "-m", "gsdialog", "doctor", "--port", str(port), "--wait", str(wait),
                           "--data", str(data), "--lang", "en", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    shown = []
    for line in process.stdout:
        shown.append(line)
        if line.startswith("Waiting at most"):
            break
    text = "".join(shown)
    found = re.search(r"type the address in your browser: (\S+)", text)
    assert found is not None, text
    return process, text


def test_on_the_laptop_the_wifi_is_named_and_a_phone_reaching_it_passes(tmp_path: Path) -> None:
    with laptop_with_vpn() as laptop:
        process, before = start_doctor(laptop, 8080, 30, tmp_path)
        assert "✓ Phones are sent to 192.168.43.20 (wlan0): this laptop reaches the internet" in before
        assert "· Not 10.8.0.2 (tun0): a VPN. Phones in the room cannot reach it." in before
        assert "· Not 172.17.0.1 (docker0): a virtual network" in before
        assert "✓ Port 8080 is free." in before
        assert "http://192.168.43.20:8080/test" in before
        opened = laptop.run(sys.executable, "-c", "import urllib.request; print(urllib.request.urlopen("
                            "'http://192.168.43.20:8080/test', timeout=10).read().decode())",
                            where=laptop.phone, timeout=30)
        rest, _ = process.communicate(timeout=30)
    assert opened.returncode == 0, opened.stderr
    assert re.search(r"This phone reached the laptop at 192\.168\.43\.20 \(wlan0\) in \d+ ms\.", opened.stdout)
    assert re.search(r"✓ Your phone reached this laptop at 192\.168\.43\.20 \(wlan0\) in \d+ ms\.", rest)
    assert "All set: phones can reach this laptop here. Start the workshop with: gsdialog run --data" in rest
    assert process.returncode == 0


def test_without_a_phone_it_fails_and_says_what_to_try(tmp_path: Path) -> None:
    with laptop_with_vpn() as laptop:
        process, _ = start_doctor(laptop, 8080, 4, tmp_path)
        # Opened on the laptop itself: that is no phone, and does not count.
        itself = laptop.run(sys.executable, "-c", "import urllib.request; print(urllib.request.urlopen("
                            "'http://192.168.43.20:8080/test', timeout=10).read().decode())", timeout=30)
        rest, _ = process.communicate(timeout=30)
    assert "opened on the laptop itself" in itself.stdout
    assert process.returncode == 1
    assert "? This page was opened on the laptop itself." in rest
    assert "✗ No phone came in 4 seconds." in rest
    for cause in ("another network", "client isolation", "firewall", "hotspot"):
        assert cause in rest


def test_output_to_a_stream_that_takes_only_cp1252_writes_plain_marks() -> None:
    import io

    from gsdialog.doctor.output import Finding, Output
    from rich.text import Text

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", errors="strict")
    out = Output(stream)
    assert not out.fancy and not out.tty
    out.finding(Finding(OK, "gsdialog 0.1.0 · één", "do this → then that…"))
    out.finding(Finding(BAD, "80 × 24"))
    out.drawing(Text("██"))  # what cannot be encoded becomes "?", never an error
    stream.flush()
    assert raw.getvalue().decode("cp1252").splitlines() == [
        "[ok] gsdialog 0.1.0 · één", "  -> do this -> then that...", "[x] 80 × 24", "??"]


class FakeWindows:
    """What the system seam reads on Windows (Get-NetConnectionProfile, the firewall rules)."""

    def __init__(self, profiles: dict[str, str] | None, allows: bool | None) -> None:
        self.profiles, self.allows, self.asked = profiles, allows, []

    def network_profiles(self) -> dict[str, str] | None:
        return self.profiles

    def firewall_allows(self, program: str) -> bool | None:
        self.asked.append(program)
        return self.allows


def test_the_windows_network_profile_and_firewall_are_told_and_never_changed() -> None:
    program = r"C:\Users\an\AppData\Roaming\uv\tools\gsdialog\Scripts\python.exe"
    public = FakeWindows({"Wi-Fi": "Public", "Ethernet 2": "Private"}, False)
    found = checks.firewall("en", public, "Intel(R) Wi-Fi 6 AX201 160MHz Wi-Fi", program)
    assert [f.status for f in found] == [UNKNOWN, UNKNOWN]
    assert found[0].text == "Windows treats Wi-Fi as a public network. There the firewall often stops phones."
    assert "Private network" in found[0].todo
    assert found[1].text == f"No firewall rule lets this Python in ({program})." and "Allow" in found[1].todo
    assert public.asked == [program]
    private = checks.firewall("nl", FakeWindows({"Wi-Fi": "Private"}, True), "wlan?", program)
    assert [f.status for f in private] == [OK, OK]  # one network alone is the one phones use
    assert "privénetwerk" in private[0].text
    unclear = checks.firewall("en", FakeWindows({"Wi-Fi": "Public", "Ethernet": "DomainAuthenticated"}, None), "eth9",
                              program)
    assert unclear[0].text == "The networks as Windows sees them: Ethernet: DomainAuthenticated, Wi-Fi: Public."
    assert unclear[1].status == UNKNOWN and "administrator" in unclear[1].text


def test_where_the_system_says_nothing_of_profiles_or_firewall_doctor_says_it_cannot_be_seen() -> None:
    [found] = checks.firewall("en", FakeWindows(None, None), "wlan0", "/usr/bin/python3")
    assert found.status == UNKNOWN
    assert found.text.startswith("The firewall cannot be seen without administrator rights.")


def test_the_system_seam_adds_its_notes_and_its_firewall_hints(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from gsdialog.doctor import doctor
    from gsdialog.system import MacOS, Windows, use

    monkeypatch.setenv("TERM_PROGRAM", "Apple_Terminal")
    with use(MacOS()):
        out = io.StringIO()
        assert doctor(port=0, wait=0, lang="en", data=tmp_path, stream=out) == 1
    assert "? Terminal.app keeps PageUp and PageDown for itself." in out.getvalue()

    def powershell(command: str) -> str | None:
        if command.startswith("Get-NetConnectionProfile"):
            return '{"InterfaceAlias": "Wi-Fi", "Category": "Public"}'
        return ""  # no firewall rule names this Python

    with use(Windows(powershell=powershell)):
        out = io.StringIO()
        assert doctor(port=0, wait=0, lang="nl", data=tmp_path, stream=out) == 1
    text = out.getvalue()
    assert "? Windows ziet Wi-Fi als een openbaar netwerk." in text
    assert f"? Geen regel in de firewall laat deze Python door ({sys.executable})." in text
