"""Every participant in their own language (issue 24), without a browser.

The list of languages, the interface catalogs (gsdialog/locale/*.po), the
phone's language from Accept-Language or its own choice, answers pooled
whatever language they were given in, and `gsdialog check` on a missing text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from gsdialog.cli import main
from gsdialog.collector.app import make_app
from gsdialog.core import catalogs
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.languages import BY_CODE, LANGUAGES, accepted
from gsdialog.core.loader import check_files, load_workshop
from gsdialog.core.session import Session
from gsdialog.core.workshop import Workshop
from gsdialog.export.write import export_text

Client = TestClient  # type: ignore[type-arg]
MakeClient = Callable[[web.Application], Awaitable[Client]]
DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
CODE = "ACE34"
OWN_NAMES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "ar": "العربية", "pl": "Polski", "uk": "Українська"}
ROLE_QUESTION = {"nl": "In welke rol ben je hier vandaag?", "en": "In which role are you here today?",
                 "tr": "Bugün buraya hangi rolle geldiniz?", "ar": "بأي صفة أنت هنا اليوم؟",
                 "pl": "W jakiej roli jesteś tu dzisiaj?", "uk": "У якій ролі ви тут сьогодні?"}


@pytest.fixture
def six() -> Workshop:
    return load_workshop(DATA / "languages.toml")


@pytest.fixture
async def session(six: Workshop) -> Session:
    return await Session.new(six, MemoryJournal(), session_id="s", code=CODE, created="2026-12-03",
                             source="", threshold=2)


@pytest.fixture
async def client(aiohttp_client: MakeClient, session: Session) -> Client:
    return await aiohttp_client(make_app(session, lang="en"))


async def page(client: Client, accept: str | None = None, path: str = f"/{CODE}") -> str:
    headers = {"Accept-Language": accept} if accept is not None else {}
    response = await client.get(path, headers=headers)
    assert response.status == 200
    return await response.text()


def html_tag(text: str) -> str:
    found = re.search(r"<html[^>]*>", text)
    assert found
    return found.group(0)


# --- the list of languages ------------------------------------------------------------


def test_each_language_is_named_in_itself_with_its_direction() -> None:
    assert {lang.code: lang.name for lang in LANGUAGES} == OWN_NAMES
    assert [lang.code for lang in LANGUAGES if lang.direction == "rtl"] == ["ar"]


@pytest.mark.parametrize(("header", "expected"), [
    ("tr", "tr"),
    ("tr-TR,tr;q=0.9,en-US;q=0.8,en;q=0.7", "tr"),
    ("de-DE, ar;q=0.5, pl;q=0.8", "pl"),
    ("uk;q=0.2, ar", "ar"),
    ("en;q=0, nl;q=0.1", "nl"),
    ("de, fr", None),
    ("*", "nl"),
    ("", None),
    ("tr;q=abc, pl", "pl"),
])
def test_accept_language_with_q_values(header: str, expected: str | None) -> None:
    assert accepted(header, ("nl", "en", "tr", "ar", "pl", "uk")) == expected


# --- the catalogs ----------------------------------------------------------------------


def test_strings_live_in_the_catalogs_not_in_python() -> None:
    from gsdialog.core import i18n

    assert not hasattr(i18n, "STRINGS"), "the catalogs in gsdialog/locale/ are the source now"
    assert sorted(p.stem for p in (ROOT / "gsdialog" / "locale").glob("*.po")) == sorted(BY_CODE)


def test_dutch_and_english_have_every_string_with_the_same_fields() -> None:
    assert catalogs.keys() and len(catalogs.keys()) == len(set(catalogs.keys()))
    assert catalogs.missing("nl", phone_only=False) == []
    assert catalogs.missing("en", phone_only=False) == []


@pytest.mark.parametrize("code", ["tr", "ar", "pl", "uk"])
def test_the_phones_strings_are_translated(code: str) -> None:
    assert catalogs.missing(code, phone_only=True) == []
    assert catalogs.lookup(code, "read_aloud") != catalogs.lookup("nl", "read_aloud")


def test_every_string_a_phone_page_asks_for_is_marked_as_the_phones() -> None:
    """A key a participant's template asks for must be translated for every language the workshop offers."""
    templates = ROOT / "gsdialog" / "collector" / "templates"
    text = "\n".join(p.read_text(encoding="utf-8") for p in templates.rglob("*.html")
                     if not p.name.startswith("remote"))
    asked = set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", text))
    assert asked and asked <= catalogs.phone_keys(), sorted(asked - catalogs.phone_keys())


def test_a_missing_string_falls_back_to_the_workshops_first_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from gsdialog.core.i18n import translator

    real, original = catalogs.catalog("pl"), catalogs.catalog
    monkeypatch.setattr(catalogs, "catalog", lambda code: real.__class__(
        "pl", {k: v for k, v in real.strings.items() if k != "send"}, real.sources, real.phone, real.lines)
        if code == "pl" else original(code))
    assert translator("pl", "en")("send") == "Send"
    assert translator("pl", "en")("back") == "Wstecz"
    assert [line for line in catalogs.check(("nl", "pl"), ("nl",)) if "'send'" in line] == [
        f"gsdialog/locale/pl.po:{real.lines['send']}: 'send' is not translated"]
    # gsdialog check names it for a workshop that offers Polish
    assert check_files([str(DATA / "languages.toml")]) == [
        f"gsdialog/locale/pl.po:{real.lines['send']}: 'send' is not translated"]
    assert main(["check", str(DATA / "languages.toml")]) == 1


def test_a_translation_must_keep_the_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    real, original = catalogs.catalog("tr"), catalogs.catalog
    broken = {**real.strings, "role_now": "Rolünüz: {rol}."}
    monkeypatch.setattr(catalogs, "catalog", lambda code: real.__class__(
        "tr", broken, real.sources, real.phone, real.lines) if code == "tr" else original(code))
    assert (real.lines["role_now"], "'role_now' must have the fields {role}") in catalogs.missing("tr", phone_only=True)


# --- gsdialog check -------------------------------------------------------------------


def test_check_fails_on_a_workshop_lacking_a_string_in_one_of_its_languages(tmp_path: Path) -> None:
    source = (DATA / "languages.toml").read_text(encoding="utf-8")
    path = tmp_path / "talen.toml"
    path.write_text(source.replace('text.other.pl = "Czuję, że traktuje się mnie poważnie."\n', ""),
                    encoding="utf-8")
    line = source.splitlines().index('text.other.nl = "Ik voel me serieus genomen."') + 1
    assert check_files([str(path)]) == [
        f"{path}:{line}: step 'gehoord', item 'serieus': text.other has no 'pl' (languages are nl, en, tr, ar, pl, uk)"]
    assert main(["check", str(path)]) == 1


def test_the_facilitators_texts_need_only_the_facilitators_languages(tmp_path: Path) -> None:
    assert check_files([str(DATA / "languages.toml")]) == []
    source = (DATA / "languages.toml").read_text(encoding="utf-8")
    path = tmp_path / "talen.toml"
    path.write_text(source.replace('notes.en = "Close."\n', ""), encoding="utf-8")
    [problem] = check_files([str(path)])
    assert problem.endswith("step 'einde': notes has no 'en' (languages are nl, en)")


def test_reviewed_and_facilitator_languages_must_be_the_workshops(tmp_path: Path) -> None:
    source = (DATA / "languages.toml").read_text(encoding="utf-8")
    path = tmp_path / "talen.toml"
    path.write_text(source.replace("reviewed = []", 'reviewed = ["tr", "de"]')
                    .replace('facilitator_languages = ["nl", "en"]', 'facilitator_languages = ["nl", "fr"]'),
                    encoding="utf-8")
    problems = [line.split(": ", 1)[1] for line in check_files([str(path)])]
    assert "workshop: facilitator_languages: 'fr' is not in the workshop's languages (nl, en, tr, ar, pl, uk)" in problems
    assert "workshop: reviewed: 'de' is not in the workshop's languages (nl, en, tr, ar, pl, uk)" in problems


def test_the_cli_takes_the_workshops_facilitator_languages(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "languages.toml")
    assert main(["guide", path, "--format", "md", "--lang", "en"]) == 0
    assert "Taken seriously?" in capsys.readouterr().out
    assert main(["guide", path, "--format", "md", "--lang", "tr"]) == 2
    assert "facilitator's texts in nl, en" in capsys.readouterr().err
    assert main(["guide", path, "--format", "md"]) == 0  # the first: Dutch
    assert "Serieus genomen?" in capsys.readouterr().out


# --- the phones --------------------------------------------------------------------------


async def test_a_turkish_phone_gets_turkish_and_an_arabic_one_right_to_left(client: Client) -> None:
    text = await page(client, "tr-TR,tr;q=0.9,en;q=0.5")
    assert html_tag(text) == '<html lang="tr" dir="ltr">' and ROLE_QUESTION["tr"] in text
    client.session.cookie_jar.clear()
    text = await page(client, "ar")
    assert html_tag(text) == '<html lang="ar" dir="rtl">' and ROLE_QUESTION["ar"] in text


async def test_without_a_language_of_the_workshop_the_phone_gets_its_first(client: Client) -> None:
    text = await page(client, "de-DE,de;q=0.9")
    assert html_tag(text) == '<html lang="nl" dir="ltr">' and ROLE_QUESTION["nl"] in text
    text = await page(client)
    assert ROLE_QUESTION["nl"] in text  # not the facilitator's English


async def test_every_page_names_each_language_in_itself(client: Client) -> None:
    text = await page(client, "pl")
    for code, name in OWN_NAMES.items():
        assert f'lang="{code}" hreflang="{code}" dir="{BY_CODE[code].direction}"' in text
        assert f">{name}</a>" in text
    assert 'aria-current="true">Polski</a>' in text


async def test_the_choice_sticks_over_the_browsers_language(client: Client) -> None:
    response = await client.get(f"/{CODE}?lang=uk", headers={"Accept-Language": "tr"}, allow_redirects=False)
    assert response.status == 303 and "gsdialog-lang=uk" in response.headers["Set-Cookie"]
    text = await page(client, "tr")
    assert html_tag(text) == '<html lang="uk" dir="ltr">' and ROLE_QUESTION["uk"] in text
    await client.post(f"/{CODE}/role", data={"role": "parent"}, headers={"Accept-Language": "tr"})
    text = await page(client, "tr")
    assert "Ваша роль: Батько або мати." in text and "Serieus" not in text


async def test_a_language_the_workshop_lacks_is_not_taken(client: Client) -> None:
    response = await client.get(f"/{CODE}?lang=de", headers={"Accept-Language": "tr"}, allow_redirects=False)
    assert "Set-Cookie" not in response.headers
    client.session.cookie_jar.update_cookies({"gsdialog-lang": "de"})
    assert 'lang="tr"' in html_tag(await page(client, "tr"))


async def test_the_rating_page_in_arabic(client: Client, session: Session) -> None:
    await client.post(f"/{CODE}/role", data={"role": "client"}, headers={"Accept-Language": "ar"})
    text = await page(client, "ar")
    assert "أشعر أنهم يأخذونني على محمل الجد." in text and "دائمًا" in text
    assert 'class="secondary read-aloud"' in text and "قراءة بصوت عالٍ" in text


async def answer_in(aiohttp_client: MakeClient, session: Session, languages: tuple[str, ...]) -> None:
    """One phone per language joins as a parent; then each rates the same statement: 2, 3, 4, …
    (all join first: a phone that joins after a question's first answer waits for the next)."""
    client = await aiohttp_client(make_app(session))
    tokens = []
    for accept in languages:
        client.session.cookie_jar.clear()
        text = await (await client.post(f"/{CODE}/role", data={"role": "parent"},
                                        headers={"Accept-Language": accept})).text()
        assert f'<html lang="{accept}"' in text
        [token] = [c.value for c in client.session.cookie_jar if c.key == f"gsdialog-{CODE}"]
        tokens.append(token)
    for value, (accept, token) in enumerate(zip(languages, tokens), start=2):
        client.session.cookie_jar.clear()
        response = await client.post(f"/{CODE}/answer", data={"step": "gehoord", "item-serieus": str(value)},
                                     headers={"Accept-Language": accept, "Cookie": f"gsdialog-{CODE}={token}"},
                                     allow_redirects=False)
        assert response.status == 303


async def test_phones_in_three_languages_are_counted_together_and_no_export_holds_a_language(
        aiohttp_client: MakeClient, session: Session, six: Workshop) -> None:
    await answer_in(aiohttp_client, session, ("tr", "ar", "nl"))
    assert session.answer_counts("gehoord") == {"professional": 0, "other": 3}
    [result] = session.results("gehoord")  # type: ignore[misc]
    assert result.groups["other"].n == 3
    assert session.answer_rows() == [("gehoord", "serieus", "other", 2), ("gehoord", "serieus", "other", 3),
                                     ("gehoord", "serieus", "other", 4)]
    assert '"lang' not in json.dumps(session.dump_state())
    journal = json.dumps(session.journal.events)  # type: ignore[attr-defined]  # what goes to disk
    assert '"lang' not in journal and '"tr"' not in journal and '"ar"' not in journal
    await session.close()
    exported = json.loads(export_text([session], "json", "nl"))
    assert [r["value"] for r in exported["responses"]] == [2, 3, 4]
    assert all(set(r) == {"session", "step", "item", "group", "value"} for r in exported["responses"])

    # The same answers from three Dutch phones export to the very same text.
    dutch = await Session.new(six, MemoryJournal(), session_id="s", code=CODE, created="2026-12-03",
                              source="", threshold=2)
    await answer_in(aiohttp_client, dutch, ("nl", "nl", "nl"))
    await dutch.close()
    for fmt in ("json", "csv", "md", "html"):
        assert export_text([session], fmt, "nl") == export_text([dutch], fmt, "nl"), fmt
    assert workbook(session) == workbook(dutch)


def workbook(session: Session) -> dict[str, bytes]:
    """The workbook's parts, but its creation time."""
    import io
    import zipfile

    from gsdialog.export.write import export_bytes

    with zipfile.ZipFile(io.BytesIO(export_bytes([session], "xlsx", "nl"))) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


async def test_the_projector_counts_phones_in_three_languages_together(
        aiohttp_client: MakeClient, session: Session) -> None:
    import asyncio
    import html
    import time

    from gsdialog.projector.app import ProjectorApp

    def shown(app: ProjectorApp) -> str:
        svg = app.export_screenshot()
        text = html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))).replace("\xa0", " ")
        return re.sub(r"\s+", " ", text)

    app = ProjectorApp(session, lang="nl")
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_in(aiohttp_client, session, ("tr", "ar", "nl"))
        deadline = time.monotonic() + 10
        while "Niet als professional: 3" not in shown(app) and time.monotonic() < deadline:
            await pilot.pause(0.05)
            await asyncio.sleep(0)
        assert "Niet als professional: 3" in shown(app), shown(app)
        assert "Serieus genomen?" in shown(app)  # the projector stays in the facilitator's language


SEVENTH = r'''
import asyncio, sys
from aiohttp.test_utils import TestClient, TestServer
from gsdialog.cli import main
from gsdialog.collector.app import make_app
from gsdialog.core.journal import MemoryJournal
from gsdialog.core.loader import parse_workshop
from gsdialog.core.session import Session

import gsdialog
assert gsdialog.__file__.startswith(sys.argv[2]), gsdialog.__file__  # the copy with German, not the install
SOURCE = open(sys.argv[1], encoding="utf-8").read()

async def run():
    workshop = parse_workshop(SOURCE)
    session = await Session.new(workshop, MemoryJournal(), session_id="s", code="ACE34", created="", source="")
    async with TestClient(TestServer(make_app(session))) as client:
        text = await (await client.get("/ACE34", headers={"Accept-Language": "de-DE,de;q=0.9"})).text()
        print("LANG", '<html lang="de" dir="ltr">' in text, "In welcher Rolle bist du heute hier?" in text,
              ">Deutsch</a>" in text)

asyncio.run(run())
sys.exit(main(["check", sys.argv[1]]))
'''


def test_a_seventh_language_is_one_line_and_one_catalog(tmp_path: Path) -> None:
    """German, added as the docs say (docs/translating.md): a line in languages.py and
    de.po; nothing else changes, and `check` names what de.po still lacks."""
    import shutil
    import subprocess
    import sys

    package = tmp_path / "gsdialog"
    shutil.copytree(ROOT / "gsdialog", package, ignore=shutil.ignore_patterns("__pycache__"))
    languages = package / "core" / "languages.py"
    text = languages.read_text(encoding="utf-8")
    text = text.replace('    Language("uk", "Українська", decimal=","),\n',
                        '    Language("uk", "Українська", decimal=","),\n    Language("de", "Deutsch", decimal=","),\n')
    languages.write_text(text, encoding="utf-8")
    english = (package / "locale" / "en.po").read_text(encoding="utf-8")
    german = re.sub(r'(msgctxt "(?!role_question")[^"]*"\nmsgid "(?:[^"\\]|\\.)*"\n)msgstr "(?:[^"\\]|\\.)*"',
                    r'\1msgstr ""', english.replace("Language: en", "Language: de"))
    german = german.replace('msgstr "In which role are you here today?"', 'msgstr "In welcher Rolle bist du heute hier?"')
    (package / "locale" / "de.po").write_text(german, encoding="utf-8")
    workshop = tmp_path / "talen.toml"
    source = (DATA / "languages.toml").read_text(encoding="utf-8")
    source = source.replace('languages = ["nl", "en", "tr", "ar", "pl", "uk"]', 'languages = ["nl", "de"]')
    source = re.sub(r'^\w[\w.]*\.(?:en|tr|ar|pl|uk) = .*\n', "", source, flags=re.M)
    source = re.sub(r'^((\w[\w.]*)\.nl = (".*"))\n', r'\1\n\2.de = \3\n', source, flags=re.M)
    source = source.replace('facilitator_languages = ["nl", "en"]', 'facilitator_languages = ["nl"]')
    workshop.write_text(source, encoding="utf-8")
    script = tmp_path / "seventh.py"
    script.write_text(SEVENTH, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(workshop), str(tmp_path)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)}, timeout=60)
    assert "LANG True True True" in done.stdout, done.stdout + done.stderr
    missing = [line for line in done.stdout.splitlines() if line.startswith("gsdialog/locale/de.po:")]
    assert len(missing) == len(catalogs.phone_keys()) - 1 and done.returncode == 1, done.stdout
    assert not any("role_question" in line for line in missing)
