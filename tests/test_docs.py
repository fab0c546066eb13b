"""What the docs promise matches what the code does."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_format_docs_example_is_the_tested_example() -> None:
    doc = (ROOT / "docs" / "workshop-format.md").read_text(encoding="utf-8")
    example = re.search(r"## A complete example\n\n```toml\n(.*?)```", doc, re.S)
    assert example is not None
    assert example.group(1) == (ROOT / "tests" / "data" / "example.toml").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2, "README starts with the two set-up commands"
    install, test = blocks[0].strip(), blocks[1].strip()
    assert "pip install" in install and "gsdialog" in install
    assert "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_install_lines_name_the_wheel_of_this_version() -> None:
    from gsdialog import __version__

    for page in ("README.md", "docs/installeren.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        wheels = set(re.findall(r"gsdialog-[0-9][^\s\"`]*\.whl", text))
        assert wheels == {f"gsdialog-{__version__}-py3-none-any.whl"}, page
        assert f"`gsdialog {__version__}`" in text, page
        for line in ("uv tool install", "pipx install", "gsdialog doctor", "uv tool uninstall gsdialog",
                     "AppData\\Local\\gsdialog", "Library/Application Support/gsdialog", ".local/share/gsdialog"):
            assert line in text, (page, line)
    assert "(docs/installeren.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_headline_sentence_is_worded_as_the_docs_say_and_speaks_of_no_pairs() -> None:
    """The room heard "in 9 of 10 pairs" as their own duos of the pairs exercise."""
    from gsdialog.core.catalogs import lookup as source
    from gsdialog.core.i18n import gap_sentence

    doc = (ROOT / "docs" / "headline.md").read_text(encoding="utf-8")
    for lang in ("nl", "en"):
        for key in ("gap_professional", "gap_group"):
            assert f" {source(lang, key)} |" in doc, (lang, key)
    assert gap_sentence("nl", 9, "professional", "Professionals") == (
        "Neem zomaar een professional en zomaar iemand anders. "
        "In 9 van de 10 keer geeft de professional het hogere cijfer.")
    for lang, pairs in (("nl", "paren"), ("en", "pairs")):
        for first in ("professional", "other"):
            assert pairs not in gap_sentence(lang, 9, first, "X").lower()


def test_the_readme_says_what_pagedown_does_at_each_kind_of_step_as_the_help_does() -> None:
    from gsdialog.core.catalogs import lookup as source
    from gsdialog.core.kinds import KINDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"| `{kind}` | {source('en', f'pagedown_{kind}')} |" in readme, kind
        assert source("nl", f"pagedown_{kind}")
    assert f"{source('en', 'pagedown_more')} {source('en', 'pagedown_last')}" in readme
