"""The built-in workshops: they load, speak both languages, and read easily."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from gsdialog.core.loader import builtin_names, builtin_path, check_files, load_workshop
from gsdialog.core.workshop import Text, Workshop
from gsdialog.export.guide import planned_minutes

EXPECTED = {"oogstdialoog", "twaalf-vragen", "vijf-uitgangspunten", "leerdoelen", "sessie-evaluatie"}


def texts(workshop: Workshop) -> Iterator[tuple[str, Text]]:
    """Every text a participant or facilitator reads, with where it stands."""
    yield "title", workshop.title
    yield "description", workshop.description
    for source in workshop.sources:
        yield f"source {source.title!r}", source.note
    for group in workshop.groups:
        yield f"group {group.id}", group.label
    for role in workshop.roles:
        yield f"role {role.id}", role.label
    for step in workshop.steps:
        where = f"step {step.id!r}"
        yield f"{where} title", step.title
        if step.text:
            yield f"{where} text", step.text
        if step.notes:
            yield f"{where} notes", step.notes
        if step.prompt:
            for text in step.prompt.texts():
                yield f"{where} prompt", text
        for index, round_ in enumerate(step.rounds):
            yield f"{where} round {index + 1}", round_.text
        if step.scale:
            for label in (step.scale.low, step.scale.high):
                for text in label.texts() if label else ():
                    yield f"{where} scale", text
        for item in step.items:
            for text in item.text.texts():
                yield f"{where} item {item.id!r}", text
        for option in step.options:
            yield f"{where} option {option.id!r}", option.text


def sentences(text: str) -> list[list[str]]:
    """The words of each sentence; Markdown lines and list items end a sentence."""
    plain = re.sub(r"[*_#>`]|^\s*(?:[-+]|\d+\.)\s+", " ", text, flags=re.M)
    parts = re.split(r"(?<=[.!?;:])\s+|\n+", plain)
    # Combining marks (the Arabic tanwin in شابًا, say) belong to their word; \w alone splits it.
    words = [re.findall(r"[\w\u0300-\u036f\u064b-\u065f\u0670'’-]*\w[\w\u0300-\u036f\u064b-\u065f\u0670'’-]*", part)
             for part in parts]
    return [w for w in words if w]


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def workshop(request: pytest.FixtureRequest) -> Workshop:
    return load_workshop(builtin_path(request.param))


def test_the_five_workshops_are_built_in() -> None:
    assert set(builtin_names()) == EXPECTED


def test_gsdialog_check_passes_on_every_built_in_file() -> None:
    assert check_files([str(builtin_path(name)) for name in sorted(EXPECTED)]) == []


def test_the_id_is_the_file_name(workshop: Workshop) -> None:
    assert workshop.path is not None and workshop.path.stem == workshop.id


def test_every_text_is_in_dutch_and_english(workshop: Workshop) -> None:
    assert workshop.languages[:2] == ("nl", "en") and workshop.facilitator == ("nl", "en")
    all_texts = list(texts(workshop))
    for where, text in all_texts:
        assert text.get("nl").strip() and text.get("en").strip(), where
    # Names such as "Professional" are the same in both; whole sentences are not.
    same = [where for where, text in all_texts if text.get("nl") == text.get("en") and " " in text.get("nl")]
    assert same == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sentences_are_short(workshop: Workshop, lang: str) -> None:
    """A B1 heuristic: on average at most 12 words a sentence, none over 20."""
    lengths = []
    for where, text in texts(workshop):
        for sentence in sentences(text.get(lang)):
            assert len(sentence) <= 20, f"{workshop.id} {where} ({lang}): {' '.join(sentence)}"
            lengths.append(len(sentence))
    assert sum(lengths) / len(lengths) <= 12


def test_dutch_says_je_not_u(workshop: Workshop) -> None:
    for where, text in texts(workshop):
        formal = re.findall(r"\b(?:[Uu]|[Uu]w|[Uu]zelf)\b", text.get("nl"))
        assert not formal, f"{workshop.id} {where}: {text.get('nl')}"


def test_the_sources_are_credited(workshop: Workshop) -> None:
    assert workshop.sources
    credited = " ".join(f"{s.title} {s.by}" for s in workshop.sources)
    assert re.search(r"Netwerk Beter Samen|HAN|Hogeschool|Kennisplatform|Jeugdhulp", credited)


def test_the_sentence_splitter() -> None:
    assert sentences("Hallo daar. Hoe gaat het?\n- Een punt\n- **Twee** punten") == [
        ["Hallo", "daar"], ["Hoe", "gaat", "het"], ["Een", "punt"], ["Twee", "punten"]]
    assert sentences("أو شابًا أو مستفيدًا.") == [["أو", "شابًا", "أو", "مستفيدًا"]]


def test_the_licensed_session_rating_scale_is_not_named_or_copied() -> None:
    for name in sorted(EXPECTED):
        text = builtin_path(name).read_text(encoding="utf-8")
        assert not re.search(r"Session Rating Scale|\bSRS\b|Miller", text), name


@pytest.mark.parametrize("name", builtin_names())
def test_every_step_has_notes_for_the_facilitator_in_every_language(name: str) -> None:
    workshop = load_workshop(builtin_path(name))
    missing = [step.id for step in workshop.steps
               if step.notes is None or not all(step.notes.get(lang).strip() for lang in workshop.languages)]
    assert missing == []


def test_the_steps_fill_the_planned_time(workshop: Workshop) -> None:
    assert sum(planned_minutes(step) for step in workshop.steps) == workshop.minutes


def test_the_oogstdialoog_has_the_room_of_its_report() -> None:
    """The report's room: experience-expert parents, advocates, professionals, students
    and teachers; its line: there in a professional role (work or studies) or not."""
    workshop = load_workshop(builtin_path("oogstdialoog"))
    by_group = {group.id: [role.id for role in workshop.roles if role.group == group.id]
                for group in workshop.groups}
    assert by_group == {
        "professional": ["professional", "student", "teacher", "advocate"],
        "other": ["experience-expert-parent", "parent", "young-person", "client", "resident"],
    }
    # The label says on which side of the line a student or an advocate is.
    assert "het vak" in workshop.role("student").label.get("nl")
    assert "betaald" in workshop.role("advocate").label.get("nl").lower()
    assert all(len(role.label.get(lang)) <= 40 for role in workshop.roles for lang in workshop.languages)
    # The step that shows the room names every role, in its group.
    shown = workshop.step("wie-is-er").text
    assert shown is not None
    professionals, others = shown.get("nl").split("**Niet als professional:**")
    for word in ("Professionals", "studenten", "docenten", "betaalde belangenbehartigers"):
        assert word in professionals and word not in others
    for word in ("Ervaringsdeskundige ouders", "jongeren", "cliënten", "bewoners"):
        assert word in others and word not in professionals
    notes = workshop.step("wie-is-er").notes
    assert notes is not None and "Twijfelt iemand" in notes.get("nl") and "unsure" in notes.get("en")


def test_the_oogstdialoog_harvests_what_made_the_pairs_good_before_what_makes_it_equal() -> None:
    workshop = load_workshop(builtin_path("oogstdialoog"))
    ids = [step.id for step in workshop.steps]
    harvest = workshop.step("wat-maakte-het-goed")
    assert harvest.kind == "words" and harvest.title.get("en") == "What made it good?"
    assert ids.index("goede-ervaring") + 1 == ids.index("wat-maakte-het-goed")
    assert ids.index("wat-maakte-het-goed") < ids.index("oogst-woorden") < ids.index("oogst-themas")
    assert len(ids) == 18


def participant_texts(workshop: Workshop) -> Iterator[tuple[str, Text]]:
    """What a participant reads on the phone (the rest is the facilitator's)."""
    yield "title", workshop.title
    for role in workshop.roles:
        yield f"role {role.id}", role.label
    for step in workshop.steps:
        where = f"step {step.id!r}"
        yield f"{where} title", step.title
        for label in (step.prompt, step.scale.low if step.scale else None, step.scale.high if step.scale else None):
            for text in label.texts() if label else ():
                yield where, text
        for index, round_ in enumerate(step.rounds):
            yield f"{where} round {index + 1}", round_.text
        for item in step.items:
            for text in item.text.texts():
                yield f"{where} item {item.id!r}", text
        for option in step.options:
            yield f"{where} option {option.id!r}", option.text


@pytest.mark.parametrize("name", ["sessie-evaluatie", "twaalf-vragen", "vijf-uitgangspunten", "leerdoelen"])
def test_the_workshop_speaks_six_languages_to_participants(name: str) -> None:
    """Issue 24: Turkish, Arabic, Polish and Ukrainian for every participant text,
    each its own (not the Dutch left in place), short sentences; none reviewed yet."""
    workshop = load_workshop(builtin_path(name))
    assert workshop.languages == ("nl", "en", "tr", "ar", "pl", "uk") and workshop.facilitator == ("nl", "en")
    assert workshop.reviewed == ()
    for lang in ("tr", "ar", "pl", "uk"):
        for where, text in participant_texts(workshop):
            assert lang in text.by_lang, f"{where} has no {lang}"
            assert text.get(lang) != text.get("nl") and text.get(lang) != text.get("en"), f"{where} ({lang})"
            for sentence in sentences(text.get(lang).replace("؟", "?")):  # the Arabic question mark
                assert len(sentence) <= 15, f"{where} ({lang}): {' '.join(sentence)}"


# How each language names the two sides of the twelve questions: the professionals
# (who do it) and the other person (who meets it).
PROFESSIONALS = {"nl": "Professionals", "en": "Professionals", "tr": "Profesyoneller", "ar": "المهنيون",
                 "pl": "Specjaliści", "uk": "Фахівці"}
OTHER_PERSON = {"nl": "de ander", "en": "the other person", "tr": "Karşımdaki", "ar": "الشخص الآخر",
                "pl": "drug", "uk": "інш"}


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl", "uk"])
def test_the_twelve_questions_stay_each_others_mirror_in_every_language(lang: str) -> None:
    """Each pair measures one thing from two sides: the professional's statement is
    about what they do (to the other person where the Dutch says so), the other's
    about what professionals do; both sides are a statement, none a question."""
    workshop = load_workshop(builtin_path("twaalf-vragen"))
    [step] = [step for step in workshop.steps if step.kind == "rating"]
    assert len(step.items) == 12
    for item in step.items:
        own, other = (item.text.by_group[group].by_lang[lang] for group in ("professional", "other"))
        assert PROFESSIONALS[lang].lower() in other.lower(), f"{item.id} ({lang}): {other}"
        assert PROFESSIONALS[lang].lower() not in own.lower(), f"{item.id} ({lang}): {own}"
        names_other = "de ander" in item.text.by_group["professional"].by_lang["nl"]
        assert (OTHER_PERSON[lang].lower() in own.lower()) == names_other, f"{item.id} ({lang}): {own}"
        assert OTHER_PERSON[lang].lower() not in other.lower(), f"{item.id} ({lang}): {other}"
        assert own.endswith(".") and other.endswith("."), f"{item.id} ({lang})"
