from __future__ import annotations

from pathlib import Path

import pytest

from gsdialog.core.loader import load_workshop
from gsdialog.core.workshop import Workshop

DATA = Path(__file__).parent / "data"


@pytest.fixture
def example() -> Workshop:
    """The documented example: one step of every kind."""
    return load_workshop(DATA / "example.toml")


@pytest.fixture
def example_source() -> str:
    return (DATA / "example.toml").read_text(encoding="utf-8")
