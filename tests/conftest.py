from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from gsdialog.core.loader import load_workshop
from gsdialog.core.workshop import Workshop

if TYPE_CHECKING:
    from playwright.async_api import Browser

DATA = Path(__file__).parent / "data"


@pytest.fixture
def example() -> Workshop:
    """The documented example: one step of every kind."""
    return load_workshop(DATA / "example.toml")


@pytest.fixture
def example_source() -> str:
    return (DATA / "example.toml").read_text(encoding="utf-8")


CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: Playwright's own browser download does not work here."""


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """One Chromium for a browser test (the tests that use it skip without CHROMIUM)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        await browser.close()
