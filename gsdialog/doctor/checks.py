"""Doctor's checks, each a plain function from what it looks at to findings.

Nothing here changes a setting; the only write is a temporary file in the
data folder (the one way to know that writing works, as root or on a
read-only mount alike), removed at once.
"""

from __future__ import annotations

import errno
import os
import platform
import shutil
import socket
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from gsdialog.core.i18n import number, t
from gsdialog.doctor.output import BAD, INFO, OK, UNKNOWN, Finding

MIN_WIDTH, MIN_HEIGHT = 100, 30
MIN_FREE = 100 * 1024 * 1024


def versions(lang: str, version: str) -> Finding:
    python = platform.python_version()
    system = f"{platform.system()} {platform.release()}".strip() or "?"
    return Finding(OK, t(lang, "doctor_versions", version=version, python=python, system=system))


def terminal_size(fds: Sequence[int] = (1, 2, 0)) -> tuple[int, int] | None:
    """Columns and lines of the terminal doctor runs in, when one of its
    standard streams is that terminal (the output may be a pipe)."""
    for fd in fds:
        try:
            size = os.get_terminal_size(fd)
        except (OSError, ValueError):
            continue
        return size.columns, size.lines
    return None


def size(lang: str, found: tuple[int, int] | None) -> Finding:
    if found is None:
        return Finding(UNKNOWN, t(lang, "doctor_size_unknown"))
    width, height = found
    if width >= MIN_WIDTH and height >= MIN_HEIGHT:
        return Finding(OK, t(lang, "doctor_size_ok", width=width, height=height))
    return Finding(BAD, t(lang, "doctor_size_bad", width=width, height=height), t(lang, "doctor_size_todo"))


def colour_system(environ: Mapping[str, str]) -> str | None:
    """What rich (and so Textual) will use in this terminal: "truecolor",
    "256", "standard", "windows", or None for none."""
    from rich.console import Console

    return Console(force_terminal=True, _environ=dict(environ)).color_system


def colours(lang: str, tty: bool, system: str | None) -> list[Finding]:
    found: list[Finding] = []
    if not tty:
        found.append(Finding(UNKNOWN, t(lang, "doctor_colours_unknown")))
    elif system in ("truecolor", "256"):
        found.append(Finding(OK, t(lang, "doctor_colours_ok")))
    elif system is None:
        found.append(Finding(BAD, t(lang, "doctor_colours_none"), t(lang, "doctor_colours_todo")))
    else:
        found.append(Finding(UNKNOWN, t(lang, "doctor_colours_few"), t(lang, "doctor_colours_todo")))
    return found


def big_digits(text: str = "12:34") -> str:
    """Digits as the projector's countdown and join code draw them."""
    import pyfiglet

    return pyfiglet.figlet_format(text, font="ansi_regular").rstrip("\n ")


def data_folder(lang: str, path: Path) -> list[Finding]:
    found = [Finding(INFO, t(lang, "doctor_data_folder", path=path.absolute()))]
    existing = path.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        with tempfile.TemporaryFile(dir=existing, prefix=".gsdialog-doctor-"):
            pass
    except OSError as error:
        found.append(Finding(BAD, t(lang, "doctor_data_not_writable", error=error.strerror or error),
                             t(lang, "doctor_data_todo")))
    else:
        found.append(Finding(OK, t(lang, "doctor_data_writable" if existing == path.absolute()
                                   else "doctor_data_not_yet")))
    try:
        free = shutil.disk_usage(existing).free
    except OSError as error:
        found.append(Finding(UNKNOWN, t(lang, "doctor_free_unknown", error=error.strerror or error)))
    else:
        if free >= MIN_FREE:
            found.append(Finding(OK, t(lang, "doctor_free_ok", free=amount(lang, free))))
        else:
            found.append(Finding(BAD, t(lang, "doctor_free_low", free=amount(lang, free)),
                                 t(lang, "doctor_free_todo")))
    return found


def amount(lang: str, size: int) -> str:
    if size >= 1024 ** 3:
        return f"{number(lang, size / 1024 ** 3, 1)} GB"
    return f"{number(lang, size / 1024 ** 2, 0)} MB"


class Address(Protocol):
    """One of this laptop's addresses, as gsdialog.collector.addresses gives them."""

    address: str
    interface: str
    kind: str


JOINABLE = ("default_route", "lan")


def network(lang: str, candidates: Sequence[Address]) -> list[Finding]:
    """Where phones are sent (the first candidate) and why, and why not the others."""
    if not candidates:
        return [Finding(BAD, t(lang, "doctor_no_network"), t(lang, "doctor_no_network_todo"))]
    join, *others = candidates
    why = t(lang, f"doctor_why_{join.kind}")
    if join.kind in JOINABLE:
        found = [Finding(OK, t(lang, "doctor_join", address=join.address, interface=join.interface, why=why))]
    else:
        found = [Finding(BAD, t(lang, "doctor_join_doubt", address=join.address, interface=join.interface,
                                why=why), t(lang, "doctor_join_doubt_todo"))]
    for other in others:
        if other.kind in JOINABLE:
            why = t(lang, "doctor_why_other_lan", join=join.address)
        else:
            why = t(lang, f"doctor_why_{other.kind}")
        found.append(Finding(INFO, t(lang, "doctor_not", address=other.address, interface=other.interface,
                                     why=why)))
    return found


class Firewall(Protocol):
    """What gsdialog.system's seam can tell of the firewall, without admin rights."""

    def network_profiles(self) -> dict[str, str] | None: ...

    def firewall_allows(self, program: str) -> bool | None: ...


def firewall(lang: str, system: Firewall, interface: str | None, program: str) -> list[Finding]:
    """The network profile of the join address's adapter (Windows) and whether a
    firewall rule lets this Python in; "cannot be seen" where the system does not say."""
    found: list[Finding] = []
    profiles = system.network_profiles()
    if profiles:
        profile, name = _profile_of(profiles, interface)
        if profile == "Private":
            found.append(Finding(OK, t(lang, "doctor_profile_private", interface=name)))
        elif profile == "Public":
            found.append(Finding(UNKNOWN, t(lang, "doctor_profile_public", interface=name),
                                 t(lang, "doctor_profile_public_todo", interface=name)))
        elif profile is not None:
            found.append(Finding(UNKNOWN, t(lang, "doctor_profile_domain", interface=name)))
        else:
            listed = ", ".join(f"{alias}: {kind}" for alias, kind in sorted(profiles.items()))
            found.append(Finding(UNKNOWN, t(lang, "doctor_profiles", profiles=listed)))
    allows = system.firewall_allows(program)
    if allows is None:
        found.append(Finding(UNKNOWN, t(lang, "doctor_firewall_unknown")))
    elif allows:
        found.append(Finding(OK, t(lang, "doctor_firewall_allows", program=program)))
    else:
        found.append(Finding(UNKNOWN, t(lang, "doctor_firewall_no_rule", program=program),
                             t(lang, "doctor_firewall_no_rule_todo")))
    return found


def _profile_of(profiles: dict[str, str], interface: str | None) -> tuple[str | None, str]:
    """The profile of `interface`: Windows names an adapter "Wi-Fi" where ifaddr may
    say "Intel(R) Wi-Fi 6 AX201 160MHz"; one network alone is that one."""
    if interface:
        for alias, profile in profiles.items():
            if alias.lower() == interface.lower() or alias.lower() in interface.lower():
                return _category(profile), alias
    if len(profiles) == 1:
        [(alias, profile)] = profiles.items()
        return _category(profile), alias
    return None, interface or "?"


def _category(profile: str) -> str:
    return "Private" if profile == "Private" else "Public" if profile == "Public" else "Domain"


def port(lang: str, number_: int, bind: Callable[[str, int], socket.socket]) -> tuple[Finding, socket.socket | None]:
    """Whether the port is free, by taking it: the phone test then serves on it."""
    try:
        sock = bind("0.0.0.0", number_)
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            return Finding(BAD, t(lang, "doctor_port_taken", port=number_),
                           t(lang, "doctor_port_taken_todo", other=number_ + 1)), None
        return Finding(BAD, t(lang, "doctor_port_error", port=number_, error=error.strerror or error)), None
    return Finding(OK, t(lang, "doctor_port_free", port=sock.getsockname()[1])), sock
