"""`gsdialog guide`: the facilitator's run sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from gsdialog.cli import main
from gsdialog.core.loader import builtin_path, load_workshop
from gsdialog.core.plan import planned_minutes


def test_the_run_sheet_has_every_step_with_its_time_and_clock(tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    assert main(["guide", "oogstdialoog", "-o", str(out), "--start", "13:30"]) == 0
    html = out.read_text(encoding="utf-8")
    workshop = load_workshop(builtin_path("oogstdialoog"))
    clock = 13 * 60 + 30
    for number, step in enumerate(workshop.steps, start=1):
        assert f"{number}. {step.title.get('nl')}" in html
        assert f"<td>{clock // 60:02d}:{clock % 60:02d}</td>" in html
        clock += int(planned_minutes(step))
    total = sum(planned_minutes(step) for step in workshop.steps)
    assert f"Alle stappen samen: {int(total)} minuten (de workshop plant {workshop.minutes} minuten)" in html
    assert "Wat de telefoons vragen" in html and "Ik voel me serieus genomen door professionals." in html
    assert "<script" not in html and "@page { size: A4" in html


def test_the_run_sheet_prints_the_notes_and_nothing_is_markup(tmp_path: Path) -> None:
    source = (Path(__file__).parent / "data" / "example.toml").read_text(encoding="utf-8")
    noted = source.replace('id = "welkom"\n', 'id = "welkom"\nnotes.nl = "Vraag: **wat valt je op?** <b>niet vet</b>"\n'
                           'notes.en = "Ask: **what strikes you?**"\n', 1)
    path = tmp_path / "w.toml"
    path.write_text(noted, encoding="utf-8")
    out = tmp_path / "guide.html"
    assert main(["guide", str(path), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Voor jou" in html and "<strong>wat valt je op?</strong>" in html and "&lt;b&gt;niet vet&lt;/b&gt;" in html
    assert main(["guide", str(path), "--format", "md", "--lang", "en", "-o", str(out)]) == 0
    assert "**For you**" in out.read_text(encoding="utf-8")


def test_a_bad_start_time_or_workshop_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["guide", "oogstdialoog", "--start", "half twee"])
    assert stopped.value.code == 2 and "is not a time such as 13:30" in capsys.readouterr().err
    assert main(["guide", "nope"]) == 1
    assert "no workshop file or built-in workshop called 'nope'" in capsys.readouterr().err


def _guide(tmp_path: Path, *options: str) -> str:
    out = tmp_path / "guide"
    assert main(["guide", "oogstdialoog", "-o", str(out), *options]) == 0
    return out.read_text(encoding="utf-8")


def _step(html: str, number: int) -> str:
    """One step's section of the run sheet."""
    start = html.index(f"<h2>{number}. ")
    end = html.find('<section class="step">', start)
    return html[start:end if end > 0 else len(html)]


def test_each_step_says_what_pagedown_and_the_other_keys_do_there(tmp_path: Path) -> None:
    html = _guide(tmp_path)
    workshop = load_workshop(builtin_path("oogstdialoog"))
    number = {step.id: n for n, step in enumerate(workshop.steps, start=1)}
    assert "<b>j</b>" in _step(html, 1)  # the QR code large, at the welcome
    pairs = _step(html, number["goede-ervaring"])
    assert "<b>PageDown</b>: start ronde 1. Is de tijd om (Wissel om), dan start PageDown de volgende ronde." in pairs
    assert "<b>t</b>:" in pairs
    question = _step(html, number["twaalf-vragen"])
    assert "<b>PageDown</b>: eerst de uitkomsten" in question and "<b>r</b>" in question and "<b>s</b>" in question
    assert "<b>x</b>:" in _step(html, number["oogst-woorden"])
    assert "<b>PageDown</b>: de volgende stap." in _step(html, number["pauze"])
    assert "het slotscherm" in _step(html, len(workshop.steps))
    for key in ("PgDn", "PgUp", "<td>r</td>", "<td>t</td>", "<td>j</td>", "<td>x</td>", "<td>q</td>"):
        assert key in html


def test_pairs_steps_show_their_rounds_and_what_the_room_sees(tmp_path: Path) -> None:
    html = _guide(tmp_path)
    workshop = load_workshop(builtin_path("oogstdialoog"))
    for number, step in enumerate(workshop.steps, start=1):
        if step.rounds:
            section = _step(html, number)
            assert "Wat de zaal ziet" in section and "Wissel om" in section
            for n, round_ in enumerate(step.rounds, start=1):
                assert f"<b>Ronde {n} · {round_.minutes:g} min</b>: {round_.text.get('nl')}" in section


def test_the_checklist_before_the_session(tmp_path: Path) -> None:
    html = _guide(tmp_path)
    checklist = html[html.index("Voor je begint"):html.index("</section>", html.index("Voor je begint"))]
    for thing in ("hotspot", "<code>gsdialog doctor</code>", "<code>gsdialog run oogstdialoog</code>",
                  "afstandsbediening", "testtelefoon", "presenter"):
        assert thing in checklist
    md = _guide(tmp_path, "--format", "md")
    assert "- [ ] Draai `gsdialog doctor`" in md


def test_no_raw_markdown_and_both_groups_wording(tmp_path: Path) -> None:
    import re

    html = _guide(tmp_path)
    text = re.sub(r"<[^>]+>", " ", html[html.index("<body"):])
    assert "*" not in text and "<em>Wil je zonder oordeel naar mij luisteren?</em>" in html
    assert "“Vandaag praten we met elkaar" in html  # quotes as print has them
    assert "‘Ik neem iets mee voor mijn werk.’" in html and "‘Ik neem iets mee voor mezelf.’" in html
    assert "Professionals: ‘Ik laat de ander merken dat die belangrijk is.’" in html
    assert "Niet als professional: ‘Professionals laten me merken dat ik belangrijk ben.’" in html
    assert "<li>Eerdere ervaringen kleuren hoe we elkaar zien.</li>" in html  # a list item, not "• " in one
    md = _guide(tmp_path, "--format", "md", "--lang", "en")
    assert "  - Not as a professional: “I take something with me for myself.”" in md


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no Chromium")
async def test_the_run_sheet_prints_on_fewer_fuller_pages(tmp_path: Path) -> None:
    import re

    from playwright.async_api import async_playwright

    html = _guide(tmp_path, "--start", "13:30")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = await browser.new_page()
        await page.set_content(html)
        pdf = await page.pdf(format="A4", prefer_css_page_size=True)
        await browser.close()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 10  # was 14, many half empty
