"""The QR code on the projector can be read by a phone's decoder."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp

from gsdialog.projector.qr import INK_ON_PAPER, qr_size, qr_text

HALF_BLOCKS = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}


def image_of(text: str, scale: int = 6) -> np.ndarray:
    """What the terminal shows: each character is two modules, dark = 0, light = 255."""
    rows: list[list[int]] = []
    for line in text.splitlines():
        top = [HALF_BLOCKS[c][0] for c in line]
        bottom = [HALF_BLOCKS[c][1] for c in line]
        rows += [top, bottom]
    modules = np.array(rows, dtype=np.uint8)
    return np.kron(np.where(modules == 1, 0, 255), np.ones((scale, scale))).astype(np.uint8)


@pytest.mark.parametrize("url", ["http://192.168.1.20:8080/KX4MP",
                                 "http://192.168.100.200:8080/ACE34",
                                 "https://gsdialog.example.org/workshops/utrecht/2026/KX4MP"])
def test_the_rendered_code_decodes_to_the_join_address(url: str) -> None:
    text = qr_text(url)
    [found] = zxingcpp.read_barcodes(image_of(text.plain))
    assert found.text == url


def test_dark_ink_on_explicitly_light_paper() -> None:
    text = qr_text("http://192.168.1.20:8080/KX4MP")
    assert text.style == INK_ON_PAPER
    assert INK_ON_PAPER.color is not None and INK_ON_PAPER.bgcolor is not None
    assert INK_ON_PAPER.color.get_truecolor() == (0, 0, 0)
    assert INK_ON_PAPER.bgcolor.get_truecolor() == (255, 255, 255)
    lines = text.plain.splitlines()
    # The quiet zone: the outer two lines and columns are light.
    assert set(lines[0]) == {" "} and set(lines[-1]) <= {" ", "▀"} and all(line[:4] == "    " for line in lines)


def test_an_inverted_rendering_would_not_be_read() -> None:
    """The reason for explicit colours: a decoder that does not try light-on-dark fails."""
    image = image_of(qr_text("http://192.168.1.20:8080/KX4MP").plain)
    assert zxingcpp.read_barcodes(255 - image, try_invert=False) == []
    assert len(zxingcpp.read_barcodes(image, try_invert=False)) == 1


def test_a_sixty_character_address_fits_a_projector() -> None:
    url = "http://192.168.100.200:8080/" + "x" * 26 + "/KX4MP"
    assert len(url) == 60
    columns, lines = qr_size(url)
    assert (columns, lines) == (41, 21)


def test_the_large_code_of_a_large_screen_decodes_too() -> None:
    """Twice as large: a module is two full blocks wide and one line high (square on screen)."""
    url = "http://192.168.1.20:8080/KX4MP"
    text = qr_text(url, scale=2).plain
    columns, _ = qr_size(url)
    lines = text.splitlines()
    assert len(lines) == columns and {len(line) for line in lines} == {2 * columns}
    # Each terminal cell is one module wide and half a module high, as on screen.
    rows = [[1 if c == "█" else 0 for c in line[::2]] for line in lines]
    image = np.kron(np.where(np.array(rows) == 1, 0, 255), np.ones((6, 6))).astype(np.uint8)
    [found] = zxingcpp.read_barcodes(image)
    assert found.text == url
