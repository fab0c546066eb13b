"""Every kind of step the core defines has its part in every ring, and only
the core and the registries know the kinds by name."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from gsdialog.collector.forms import FORMS, PhoneForm
from gsdialog.core.kinds import KINDS, Kind
from gsdialog.export.sections import SECTIONS, Section, value_row
from gsdialog.projector.views import BODIES, nothing
from gsdialog.simulate import ANSWERS

RINGS: dict[str, dict[Kind, object]] = {"projector": BODIES, "phones": FORMS, "report": SECTIONS}


def lacking() -> dict[str, list[str]]:
    """Per kind of the core, the rings that have nothing for it (kinds they all have left out)."""
    found = {name: [ring for ring, registry in RINGS.items() if kind not in registry]
             for name, kind in KINDS.items()}
    return {name: rings for name, rings in found.items() if rings}


def test_every_ring_has_every_kind() -> None:
    assert lacking() == {}


def test_the_simulator_answers_every_kind_the_phones_answer() -> None:
    assert [name for name, kind in KINDS.items() if kind.asks and kind not in ANSWERS] == []
    assert all(kind.asks for kind in ANSWERS)


def test_a_made_up_kind_is_named_with_exactly_the_rings_that_lack_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class Ranking(Kind):
        name = "ranking"
        asks = True

    ranking = Ranking()
    monkeypatch.setitem(KINDS, ranking.name, ranking)
    assert lacking() == {"ranking": ["projector", "phones", "report"]}
    monkeypatch.setitem(BODIES, ranking, nothing)
    monkeypatch.setitem(SECTIONS, ranking, Section(value_row))
    assert lacking() == {"ranking": ["phones"]}
    monkeypatch.setitem(FORMS, ranking, PhoneForm("forms/ranking.html"))
    assert lacking() == {}


@pytest.mark.parametrize("name", list(KINDS))
def test_each_kind_s_phone_form_and_report_section_exist(name: str) -> None:
    kind = KINDS[name]
    form = FORMS[kind]
    assert (files("gsdialog.collector") / "templates" / form.template).is_file()
    assert (form.parse is not None) == kind.asks, "a kind the phones answer needs a parser, and only that"
    section = SECTIONS[kind]
    if section.template is not None:
        assert (files("gsdialog.export") / "templates" / section.template).is_file()
    assert (section.data is not None) == (kind.asks or kind.reveals), "a kind with answers has results in JSON"


def test_only_the_core_and_the_registries_name_the_kinds() -> None:
    """No ring switches on kind names: they appear in at most six files of gsdialog/."""
    package = Path(__file__).parent.parent / "gsdialog"
    quoted = re.compile(r"""["'](%s)["']""" % "|".join(KINDS))
    naming = sorted(str(path.relative_to(package)) for path in package.rglob("*")
                    if path.suffix in (".py", ".html", ".js", ".tcss", ".css") and quoted.search(path.read_text()))
    assert "core/kinds.py" in naming and len(naming) <= 6, naming


async def test_a_made_up_kind_s_projector_body_needs_only_its_registry_entry(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One entry in `BODIES` and a `Live` widget: the projector shows it, PageDown turns
    its pages before moving on, and `x` hides what it has chosen, with no edit in
    step_view.py, results_view.py or app.py."""
    from dataclasses import replace

    from textual.widgets import Static

    from gsdialog.core.i18n import t
    from gsdialog.core.journal import MemoryJournal
    from gsdialog.core.loader import builtin_path, load_workshop
    from gsdialog.core.session import Session
    from gsdialog.core.workshop import Step, Workshop
    from gsdialog.projector.app import ProjectorApp
    from gsdialog.projector.live import Live

    class Ranking(Kind):
        name = "ranking"

    class Ranked(Live, Static):
        pages = 3
        hides = True
        shown = 0

        def show(self, session: Session, step: Step, lang: str, *, sort_by_gap: bool = False) -> None:
            self.shown += 1
            self.update(f"ranked page {self.page + 1}")

        async def hide_chosen(self, session: Session, lang: str) -> str | None:
            return "idea hidden"

    ranking = Ranking()
    monkeypatch.setitem(KINDS, ranking.name, ranking)
    monkeypatch.setitem(BODIES, ranking, lambda step, workshop, lang: iter([Ranked()]))
    workshop = load_workshop(builtin_path("oogstdialoog"))
    steps = (replace(workshop.steps[0], kind="ranking"),) + workshop.steps[1:]
    session = await Session.new(replace(workshop, steps=steps), MemoryJournal(), session_id="s", code="ACE34",
                                created="2026-11-23", source="")
    app = ProjectorApp(session, lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.query(Ranked) and app.query_one(Ranked).shown:
                break
        ranked = app.query_one(Ranked)
        assert ranked.shown and app.step_view.parts() == [ranked]
        assert app.next_move().hint("nl") == t("nl", "next_page")
        await pilot.press("pagedown")
        await pilot.press("pagedown")
        assert (ranked.page, session.step_index) == (2, 0)
        await pilot.press("pageup")
        assert ranked.page == 1
        await pilot.press("x")
        await pilot.pause(0.05)
        assert any(note.message == "idea hidden" for note in app._notifications)
        await pilot.press("pagedown", "pagedown")
        assert session.step_index == 1


def test_the_ideas_kind_is_in_every_ring() -> None:
    """The idea wall: a phone form with its own context (the ideas to vote on), a report
    section with a sheet, a simulator's answer, and a projector body that follows the session."""
    from gsdialog.core.kinds import IDEAS
    from gsdialog.core.workshop import Step, Text
    from gsdialog.projector.live import Live

    assert KINDS[IDEAS.name] is IDEAS and IDEAS.stages and IDEAS.reveals and IDEAS.asks
    assert FORMS[IDEAS].context is not None and FORMS[IDEAS].parse is not None
    assert SECTIONS[IDEAS].template and SECTIONS[IDEAS].sheet and SECTIONS[IDEAS].markdown
    assert IDEAS in ANSWERS
    step = Step(id="x", kind=IDEAS.name, title=Text({"nl": "x"}))
    widgets = list(BODIES[IDEAS](step, None, "nl"))  # type: ignore[arg-type]
    assert any(isinstance(widget, Live) and widget.hides for widget in widgets)
