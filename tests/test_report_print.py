"""The report as it goes out: printed to A4 by Chromium, read on a phone and a
laptop, in Dutch as the Dutch write it. The room is a whole oogstdialoog with
24 phones (tests/oogst_room.py).

Needs /usr/bin/chromium, as the phone browser tests do.
"""

from __future__ import annotations

import asyncio
import html as html_module
import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from gsdialog.export.charts import GROUP_COLOURS, scale_colours
from gsdialog.export.render import to_html, to_markdown
from gsdialog.export.report import Cover, Harvest, harvest

from oogst_room import oogst_room

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() and os.environ.get("CI"):
    raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
COVER = Cover(place="Wijkcentrum De Leeuw, Utrecht", organiser="Gemeente Utrecht, team Jeugd",
              facilitator="Sam de Vries")


@pytest.fixture(scope="module")
def room() -> Harvest:
    return harvest([asyncio.run(oogst_room(24))])



def pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def visible_text(page_html: str) -> str:
    """What a reader sees: the body without tags, styles and attributes."""
    body = page_html[page_html.index("<body"):] if "<body" in page_html else page_html
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))


@needs_chromium
async def test_the_report_of_24_phones_prints_on_at_most_nine_a4_pages(room: Harvest, browser: Browser) -> None:
    for lang in ("nl", "en"):
        page = await browser.new_page()
        await page.set_content(to_html(room, lang, COVER))
        pdf = await page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        assert 4 <= pages_of(pdf) <= 9, (lang, pages_of(pdf))
        await page.close()


LABELS = (".dot-label, .dot-gap, .track .tick, .choice-label, .choice-bar .figure, .who, .rows .head, "
          ".scale-key .cell, .scale-key .ends, .group-key .key, .asked, h3, svg text")
"""Every piece of text in or beside a chart."""

MEASURE = """(selector) => {
  const problems = [];
  const page = document.documentElement.clientWidth;
  for (const label of document.querySelectorAll(selector)) {
    if (!(label.textContent || '').trim()) continue;
    const box = label.getBoundingClientRect();
    const chart = label.closest('svg, .dots, .choices, .rows, .scale-key, .group-key, section') || document.body;
    const around = chart.getBoundingClientRect();
    const what = (label.textContent || '').trim().slice(0, 40);
    if (box.width === 0 && what) problems.push(['empty box', what]);
    if (box.left < around.left - 1 || box.right > around.right + 1) problems.push(['outside its chart', what]);
    const range = document.createRange();
    range.selectNodeContents(label);
    const text = range.getBoundingClientRect();  // the letters themselves, even when they spill out of the box
    if (text.left < around.left - 1 || text.right > around.right + 1) problems.push(['letters outside', what]);
    if (box.left < -1 || box.right > page + 1) problems.push(['off the page', what]);
    if (label.scrollWidth > label.clientWidth + 1 && getComputedStyle(label).overflow !== 'visible')
      problems.push(['cut', what]);
    // SVG text shrinks with its drawing: what counts is the size on the page
    const size = label.closest('svg') ? box.height : parseFloat(getComputedStyle(label).fontSize);
    if (size < 11) problems.push(['too small: ' + size + 'px', what]);
  }
  return {problems, width: document.documentElement.scrollWidth,
          svgText: document.querySelectorAll('svg text').length};
}"""


@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
async def test_no_chart_label_is_cut_or_tiny(room: Harvest, browser: Browser, width: int) -> None:
    page: Page = await browser.new_page(viewport={"width": width, "height": 900})
    await page.set_content(to_html(room, "nl", COVER))
    found = await page.evaluate(MEASURE, LABELS)
    assert found["problems"] == [], found["problems"]
    assert found["width"] <= width  # nothing runs off the side
    # and in print, on A4
    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": 718, "height": 1000})  # A4 less its margins, in CSS pixels
    found = await page.evaluate(MEASURE, LABELS)
    assert [p for p in found["problems"] if not p[0].startswith("too small")] == []
    await page.close()


@needs_chromium
async def test_each_svg_label_stays_inside_its_svg(browser: Browser) -> None:
    """Were a chart to draw text in SVG again, the text must lie inside the drawing."""
    from gsdialog.export.charts import choice_chart

    long = "Gezien worden: als mens, met een praatje en echt contact, ook als het druk is " * 2
    chart = choice_chart([(long, [(3, 12), (5, 12)]), ("kort", [(12, 12), None])], "{count} ({percent}%)")
    page = await browser.new_page(viewport={"width": 390, "height": 800})
    await page.set_content(f"<!doctype html><body style='margin:0;width:390px'>{chart}</body>")
    boxes = await page.evaluate("""() => [...document.querySelectorAll('.choice-label, .figure')].map(e => {
        const b = e.getBoundingClientRect(); return [b.left, b.right, e.scrollWidth <= e.clientWidth + 1]; })""")
    assert boxes and all(left >= 0 and right <= 390 and whole for left, right, whole in boxes)
    await page.close()


async def test_dutch_numbers_have_a_decimal_comma_and_english_a_point(room: Harvest) -> None:
    dutch = visible_text(to_html(room, "nl", COVER)) + to_markdown(room, "nl", COVER)
    assert re.findall(r"\d\.\d", dutch) == []
    assert re.findall(r"[+-]?\d,\d", dutch)  # means, medians and gaps
    assert "median" not in dutch.replace("mediaan", "")
    english = visible_text(to_html(room, "en", COVER))
    assert re.findall(r"\d,\d", english) == [] and re.findall(r"\d\.\d", english)


async def test_the_cover_names_the_workshop_once_with_date_place_and_people(room: Harvest) -> None:
    page_html = to_html(room, "nl", COVER)
    assert "Oogst: Oogstdialoog" not in page_html
    assert "<h1>Oogstdialoog: niet gelijk, wel gelijkwaardig</h1>" in page_html
    text = visible_text(page_html)
    for fact in ("donderdag 3 december 2026", "Wijkcentrum De Leeuw, Utrecht", "Gemeente Utrecht, team Jeugd",
                 "Sam de Vries", "12 professionals · 12 niet als professional"):
        assert fact in text
    assert "2026-12-03" not in text  # dates in words
    assert "‘Serieus genomen?’" in text and "'Serieus genomen?'" not in text  # quotes as print has them
    assert re.findall(r"\w'\w", text) == [] and "collega’s" in text  # and apostrophes
    markdown = to_markdown(room, "nl", COVER)
    assert "**Plaats:** Wijkcentrum De Leeuw, Utrecht" in markdown and "donderdag 3 december 2026" in markdown
    assert "Thursday 3 December 2026" in to_html(room, "en")


async def test_the_reading_guide_explains_every_term_the_report_uses(room: Harvest) -> None:
    page_html = to_html(room, "nl", COVER)
    guide = visible_text(page_html[page_html.index('class="reading"'):page_html.index("</section>",
                                                                                     page_html.index('class="reading"'))])
    body = visible_text(page_html)
    for term in ("blinde vlek", "groot verschil", "mediaan", "gem"):
        assert term in body.lower()
    for explained in ("Blinde vlek", "groot verschil", "Mediaan", "Gemiddeld", "is het aantal mensen dat antwoord gaf",
                      "minder dan 3 antwoorden", "1,3 punt"):
        assert explained in guide, explained


async def test_choice_bars_have_their_groups_colour_and_scales_their_own(room: Harvest) -> None:
    page_html = to_html(room, "nl", COVER)
    choices = page_html[page_html.index('class="choices"'):]
    choices = choices[:choices.index("</section>")]
    bars = re.findall(r'<div class="choice-bar"><span class="mark" style="color:(#\w+)">.</span>.*?'
                      r'<rect width="[\d.]+" height="10" fill="(#\w+)"/></svg>', choices)
    assert len(bars) == 2 * choices.count('class="choice-label"')
    assert all(mark == fill for mark, fill in bars)
    assert [fill for _, fill in bars[:2]] == list(GROUP_COLOURS)
    assert not set(GROUP_COLOURS) & set(scale_colours(5) + scale_colours(11))


async def test_the_0_to_10_key_has_a_shade_for_each_mark() -> None:
    from gsdialog.export.charts import scale_key

    key = str(scale_key(range(0, 11), "0 = Helemaal oneens, 10 = Helemaal eens"))
    shades = re.findall(r'background:(#\w+)', key)
    assert len(shades) == 11 and len(set(shades)) == 11
    assert re.findall(r">(\d+)</span>", key) == [str(v) for v in range(11)]


async def test_the_evaluation_shows_its_figures_on_an_even_scale(room: Harvest) -> None:
    from gsdialog.export.charts import dot_plot

    page_html = to_html(room, "nl", COVER)
    evaluation = page_html[page_html.index("<h2>Hoe was het?</h2>"):]
    evaluation = evaluation[:evaluation.index("</section>")]
    assert evaluation.count('class="scale-key"') == 1  # one key, each mark once
    assert len(re.findall(r'<span class="num">\d+,\d</span><span class="num">\d+(?:,5)?</span>', evaluation)) == 6
    ticks = [float(x) for x in re.findall(r'class="tick" style="left:([\d.]+)%"',
                                          str(dot_plot([("a", [7.5, 4.0], ["", ""], "+3,5")], 0, 10, "Verschil")))]
    assert len(ticks) == 11 and len({round(b - a, 2) for a, b in zip(ticks, ticks[1:])}) == 1
