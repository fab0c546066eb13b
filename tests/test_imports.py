"""Which ring may import which, one test per rule.

Each rule imports every module of a ring in a fresh interpreter and reads
`sys.modules`: what a module imports at its top, or through what it imports,
is there. A module added to a ring later is under its rule at once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "gsdialog"
WEB_AND_SCREEN = ("textual", "aiohttp", "jinja2")


def modules_of(ring: str) -> list[str]:
    """`gsdialog.RING` and, for a package, every module in it."""
    folder = PACKAGE / ring
    if not folder.is_dir():
        return [f"gsdialog.{ring}"]
    return [f"gsdialog.{ring}"] + [f"gsdialog.{ring}.{path.stem}" for path in sorted(folder.glob("*.py"))
                                   if path.stem != "__init__"]


def assert_loads_none(modules: list[str], *forbidden: str) -> None:
    """Importing `modules` in a fresh interpreter loads none of the `forbidden`
    packages, nor any module inside them."""
    code = (f"import importlib, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
            "print('\\n'.join(sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    found = [name for name in forbidden if any(m == name or m.startswith(name + ".") for m in loaded)]
    assert not found, f"importing {modules[0]} ({len(modules)} modules in all) loads {', '.join(found)}"


def test_the_core_imports_no_ring_and_neither_web_nor_screen() -> None:
    assert_loads_none(modules_of("core"), *WEB_AND_SCREEN, "gsdialog.store", "gsdialog.collector",
                      "gsdialog.projector", "gsdialog.export", "gsdialog.cli", "gsdialog.sessions",
                      "gsdialog.simulate")


def test_the_store_imports_neither_web_nor_screen_nor_a_ring_above_it() -> None:
    assert_loads_none(modules_of("store"), *WEB_AND_SCREEN, "gsdialog.collector", "gsdialog.projector",
                      "gsdialog.export", "gsdialog.cli", "gsdialog.sessions", "gsdialog.simulate")


def test_the_collector_never_imports_the_projector() -> None:
    assert_loads_none(modules_of("collector"), "textual", "gsdialog.projector")


def test_the_export_imports_neither_the_projector_nor_the_collector() -> None:
    assert_loads_none(modules_of("export"), "textual", "aiohttp", "gsdialog.projector", "gsdialog.collector")


def test_the_projector_imports_neither_aiohttp_nor_the_collector() -> None:
    assert_loads_none(modules_of("projector"), "aiohttp", "gsdialog.collector")


def test_the_command_line_imports_textual_and_aiohttp_only_when_a_command_runs() -> None:
    assert_loads_none(["gsdialog.cli", "gsdialog.commands", "gsdialog.core.workshop"], "textual", "aiohttp")


def test_the_system_seam_imports_no_ring_and_neither_web_nor_screen() -> None:
    """The store and the collector stand on it; it stands on nothing of ours."""
    assert_loads_none(modules_of("system"), *WEB_AND_SCREEN, "gsdialog.core", "gsdialog.store",
                      "gsdialog.collector", "gsdialog.projector", "gsdialog.export", "gsdialog.cli")


def test_doctor_never_imports_textual_nor_the_projector_app() -> None:
    assert_loads_none(modules_of("doctor"), "textual", "gsdialog.projector.app", "gsdialog.projector.screens")
