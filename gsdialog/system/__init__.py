"""What differs per operating system, in one seam; the rest of gsdialog does not ask.

As platformdirs and Textual's drivers do it: one API (`System`, base.py), one
class per system (`Posix` and `MacOS` in posix.py, `Windows` in windows.py),
and one place that picks the class (here). Callers write
`system.current().replace(a, b)`; tests hand the code another system's
behaviour with `use(...)` (tests/semantics.py gives Linux Windows' file
semantics, for one).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from gsdialog.system.base import System
from gsdialog.system.posix import MacOS, Posix
from gsdialog.system.windows import Windows

__all__ = ["MacOS", "Posix", "System", "Windows", "current", "native", "use"]


def native() -> System:
    """The class of the system gsdialog runs on."""
    if sys.platform == "win32":
        return Windows()
    if sys.platform == "darwin":
        return MacOS()
    return Posix()


_current: System = native()


def current() -> System:
    """The system in use: the native one, or the one a test put in place."""
    return _current


@contextmanager
def use(system: System) -> Iterator[System]:
    """Let the code see `system`'s behaviour until the block ends (tests)."""
    global _current
    before, _current = _current, system
    try:
        yield system
    finally:
        _current = before
