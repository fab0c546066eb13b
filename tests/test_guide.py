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
    assert "<b>PageDown</b>: start de ronde; stopt een ronde die nog loopt; is de tijd om (Wissel om!)" in pairs
    assert "<b>t</b>:" in pairs
    question = _step(html, number["twaalf-vragen"])
    assert "<b>PageDown</b>: met antwoorden eerst de uitkomsten (blad na blad)" in question and "<b>r</b>" in question and "<b>s</b>" in question
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


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_the_run_sheet_says_what_pagedown_does_as_the_projector_s_help_does(tmp_path: Path, lang: str) -> None:
    """Per kind of step, the words of the run sheet's PageDown line are those the
    projector's `?` screen shows beside that kind (one set of strings for both)."""
    import html as html_module
    import re

    from textual.widgets import Static

    from gsdialog.core.journal import MemoryJournal
    from gsdialog.core.kinds import kind_of
    from gsdialog.core.session import Session
    from gsdialog.projector.app import ProjectorApp
    from gsdialog.projector.dialogs import HelpScreen

    session = await Session.new(load_workshop(builtin_path("oogstdialoog")), MemoryJournal(), session_id="s",
                                code="ACE34", created="2026-11-23", source="")
    app = ProjectorApp(session, lang=lang)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        rows = [[str(cell.render()) for cell in row.query(Static)] for row in app.screen.query(".key")]
        helped = {label: does for label, does in rows}
        help_text = " ".join(str(cell.render()) for cell in app.screen.query(Static))
    sheets = {}
    for name in ("oogstdialoog", "sessie-evaluatie", "vijf-uitgangspunten"):
        out = tmp_path / f"{name}.html"
        assert main(["guide", name, "--lang", lang, "-o", str(out)]) == 0
        sheets[name] = out.read_text(encoding="utf-8")
    from gsdialog.core.i18n import t

    said: dict[str, set[str]] = {}
    for name, sheet in sheets.items():
        workshop = load_workshop(builtin_path(name))
        for number, step in enumerate(workshop.steps, start=1):
            section = _step(sheet, number)
            line = re.search(r"<b>PageDown</b>: (.*?)\.</p>", section)
            assert line, (name, number)
            said.setdefault(kind_of(step).name, set()).add(html_module.unescape(line.group(1)))
        last = _step(sheet, len(workshop.steps))
        assert html_module.escape(t(lang, "pagedown_last"), quote=False) in last and t(lang, "pagedown_last") in help_text
    assert set(said) == {"info", "pairs", "rating", "evaluation", "choice", "words", "ideas"}
    for kind, lines in said.items():
        assert lines == {helped[t(lang, f"step_kind_{kind}")]}, kind
