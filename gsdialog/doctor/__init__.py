"""`gsdialog doctor`: the facilitator's check at the venue, before the room comes in.

Versions, the terminal (size, colours, big digits drawn to look at), the data
folder, the network (which address phones are sent to and why not the
others, the port), and the real test: the facilitator's own phone opens a
tiny page on the join address. Exit status 0 only when that phone came and
nothing else blocks a workshop. It changes no setting.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from gsdialog.core.i18n import t
from gsdialog.doctor import checks
from gsdialog.doctor.output import BAD, OK, UNKNOWN, Finding, Output

DEFAULT_PORT = 8080


def doctor(*, port: int, wait: float, lang: str, data: Path, data_given: bool = False,
           stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> int:
    from gsdialog import __version__, system

    seam = system.current()

    out = Output(stream or sys.stdout)
    environ = os.environ if environ is None else environ
    found: list[Finding] = []

    def say(*findings: Finding) -> None:
        for finding in findings:
            found.append(finding)
            out.finding(finding)

    out.line(t(lang, "doctor_title"))
    out.line()
    say(checks.versions(lang, __version__))

    out.heading(t(lang, "doctor_heading_screen"))
    say(checks.size(lang, checks.terminal_size()))
    say(*checks.colours(lang, out.tty, checks.colour_system(environ)))
    say(*(Finding(UNKNOWN, t(lang, note)) for note in seam.notes()))
    _draw_digits(out, lang)

    out.heading(t(lang, "doctor_heading_data"))
    say(*checks.data_folder(lang, data))

    out.heading(t(lang, "doctor_heading_network"))
    candidates = _candidates()
    say(*checks.network(lang, candidates))
    port_found, sock = checks.port(lang, port, seam.bind)
    say(port_found)
    say(*checks.firewall(lang, seam, candidates[0].interface if candidates else None, sys.executable))

    out.heading(t(lang, "doctor_heading_phone"))
    came = False
    if sock is None or not candidates or wait <= 0:
        say(Finding(UNKNOWN, t(lang, "doctor_phone_skipped")))
    else:
        came = _phone_test(out, lang, sock, candidates, wait, say, seam.join_hints)

    out.line()
    if came and not any(finding.blocks for finding in found):
        command = "gsdialog run" + (f" --port {port}" if port != DEFAULT_PORT else "") \
            + (f" --data {data}" if data_given else "")
        out.line(t(lang, "doctor_ready", command=command))
        return 0
    if any(finding.blocks for finding in found):
        out.line(t(lang, "doctor_not_ready", bad=out.symbol(BAD)))
    else:
        out.line(t(lang, "doctor_not_tested"))
    return 1


def _draw_digits(out: Output, lang: str) -> None:
    digits = checks.big_digits()
    if not out.can(digits):
        out.finding(Finding(UNKNOWN, t(lang, "doctor_cannot_draw", encoding=out.encoding)))
        return
    from rich.text import Text

    out.line(t(lang, "doctor_digits"))
    out.drawing(Text(digits))
    out.line(f"  {'→' if out.fancy else '->'} {t(lang, 'doctor_digits_todo')}")


def _candidates() -> Sequence[checks.Address]:
    from gsdialog.collector.addresses import candidates

    return candidates()


def _phone_test(out: Output, lang: str, sock: socket.socket, candidates: Sequence[checks.Address], wait: float,
                say: Callable[[Finding], None], hints: Sequence[str]) -> bool:
    from gsdialog.doctor.phone import PATH, PhoneTest

    join = candidates[0]
    url = f"http://{join.address}:{sock.getsockname()[1]}{PATH}"
    interfaces = {candidate.address: candidate.interface for candidate in candidates}
    _draw_qr(out, url)
    out.line(t(lang, "doctor_phone_scan", url=url))
    seconds = round(wait)
    out.line(t(lang, "doctor_phone_waiting", seconds=seconds))
    test = PhoneTest(sock, lang, lambda address: interfaces.get(address, "?"),
                     on_self=lambda: out.line(f"{out.symbol(UNKNOWN)} {t(lang, 'doctor_page_self')}"))
    try:
        reached = asyncio.run(test.wait(wait))
    except KeyboardInterrupt:
        say(Finding(BAD, t(lang, "doctor_phone_stopped")))
        return False
    finally:
        sock.close()
    if reached is not None:
        key = "doctor_phone_ok" if reached.ms is not None else "doctor_phone_ok_plain"
        say(Finding(OK, t(lang, key, address=reached.address, interface=reached.interface, ms=reached.ms)))
        return True
    say(Finding(BAD, t(lang, "doctor_phone_none", seconds=seconds)))
    out.line(t(lang, "doctor_causes"))
    causes = [t(lang, "doctor_cause_network"), t(lang, "doctor_cause_isolation")]
    # This system's own words on its firewall (system.join_hints), else the general ones.
    causes += [t(lang, key).lstrip("· ") for key in hints] or [t(lang, "doctor_cause_firewall")]
    for cause in causes:
        out.line(f"  {out.symbol('info')} {cause}")
    out.line(f"  {'→' if out.fancy else '->'} {t(lang, 'doctor_hotspot')}")
    return False


def _draw_qr(out: Output, url: str) -> None:
    from rich.text import Text

    from gsdialog.projector.qr import qr_modules, qr_text

    code = qr_text(url)
    if out.can(code.plain):
        out.drawing(code)
        return
    # Two characters per module keep it square in a plain code page.
    rows = qr_modules(url)
    out.drawing(Text("\n".join("".join("##" if dark else "  " for dark in row) for row in rows)))
