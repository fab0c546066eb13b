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
