"""Reading workshop files: the model, and one test per class of error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gsdialog.core.loader import WorkshopError, check_files, load_workshop, parse_workshop
from gsdialog.core.workshop import DEFAULT_ROLES

DATA = Path(__file__).parent / "data"

HEAD = """\
[workshop]
id = "test"
title.nl = "Test"
title.en = "Test"
description.nl = "Een test."
description.en = "A test."
languages = ["nl", "en"]
minutes = 10

[[workshop.source]]
title = "Bron"
by = "Iemand"
note.nl = "Hier komt het vandaan."
note.en = "This is where it comes from."
"""

INFO = """
[[step]]
id = "{id}"
kind = "info"
title.nl = "Welkom"
title.en = "Welcome"
text.nl = "Hallo."
text.en = "Hello."
"""

SCALE = """
[step.scale]
min = 1
max = 5
low.nl = "Nooit"
low.en = "Never"
high.nl = "Altijd"
high.en = "Always"
"""


def problems(source: str) -> list[str]:
    """The `LINE: message` of every problem in `source` (which must have some)."""
    with pytest.raises(WorkshopError) as caught:
        parse_workshop(source, "w.toml")
    return [line.removeprefix("w.toml:") for line in caught.value.lines()]


def line_of(source: str, needle: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in source")


def test_the_documented_example_loads_into_the_model() -> None:
    workshop = load_workshop(DATA / "example.toml")
    assert workshop.id == "korte-check"
    assert workshop.languages == ("nl", "en")
    assert [step.kind for step in workshop.steps] == [
        "info", "pairs", "rating", "choice", "words", "evaluation"]
    assert [g.id for g in workshop.groups] == ["professional", "other"]
    assert [r.id for r in workshop.roles] == ["professional", "parent"]

    pairs = workshop.step("vertellen")
    assert [r.minutes for r in pairs.rounds] == [3.0, 3.0]
    assert pairs.rounds[1].text.get("en") == "B talks, A listens."

    rating = workshop.step("gehoord")
    assert rating.scale is not None and list(rating.scale.values) == [1, 2, 3, 4, 5]
    item = rating.items[0]
    assert item.text.get("nl", "professional") == "Ik luister zonder oordeel."
    assert item.text.get("en", "other") == "The professional listens without judging."
    assert rating.scale.low is not None and rating.scale.low.get("nl", "other") == "Nooit"

    choice = workshop.step("wat-helpt")
    assert choice.multiple and choice.max_choices == 2
    assert [o.id for o in choice.options] == ["tijd", "doorvragen"]

    words = workshop.step("woorden")
    assert (words.entries, words.max_length) == (3, 40)
    assert words.prompt is not None and words.prompt.get("en", "other") == "What makes working together equal?"

    evaluation = workshop.step("afsluiting")
    assert evaluation.scale is not None and (evaluation.scale.min, evaluation.scale.max) == (0, 10)
    assert workshop.sources[0].by == "Netwerk Beter Samen"
    assert workshop.threshold == 3


def test_defaults_give_two_groups_and_the_five_roles() -> None:
    workshop = parse_workshop(HEAD + INFO.format(id="a"))
    assert workshop.roles == DEFAULT_ROLES
    assert {r.group for r in workshop.roles} == {"professional", "other"}
    assert workshop.role("young-person").label.get("nl") == "Jongere"
    assert workshop.threshold == 3
    assert workshop.step("a").minutes is None


def test_a_toml_syntax_error_names_its_line() -> None:
    source = HEAD + INFO.format(id="a") + 'title.nl = "open\n'
    [problem] = problems(source)
    assert problem.startswith(f"{line_of(source, 'open')}: TOML syntax: ")


def test_an_unknown_kind_lists_the_kinds() -> None:
    source = HEAD + INFO.format(id="b").replace('"info"', '"dansen"')
    assert problems(source) == [
        f"{line_of(source, 'dansen')}: step 'b': kind 'dansen' is not one of "
        "info, pairs, rating, choice, words, evaluation, ideas"
    ]


def test_a_near_miss_kind_gets_a_suggestion() -> None:
    [problem] = problems(HEAD + INFO.format(id="b").replace('"info"', '"rate"'))
    assert "(did you mean 'rating'?)" in problem


def test_a_missing_id_is_reported_with_the_step_number() -> None:
    source = HEAD + INFO.format(id="a") + INFO.format(id="x").replace('id = "x"\n', "")
    assert problems(source) == [f"{line_of(source, '[[step]]') + 8}: step 2: 'id' is missing"]


def test_a_duplicate_id_points_back_to_the_first() -> None:
    source = HEAD + INFO.format(id="a") + INFO.format(id="a")
    first = line_of(source, 'id = "a"')
    second = first + 8
    assert problems(source) == [f"{second}: step id 'a' is used twice (first at line {first})"]


@pytest.mark.parametrize("bad_id", ["Welkom", "met spatie", "_x", ""])
def test_an_id_with_other_characters_is_refused(bad_id: str) -> None:
    [problem] = problems(HEAD + INFO.format(id=bad_id))
    assert "must be lowercase letters, digits and '-'" in problem


def test_a_rating_step_without_items() -> None:
    source = HEAD + INFO.format(id="r").replace('"info"', '"rating"') + SCALE
    header = line_of(source, "[[step]]")
    assert problems(source) == [f"{header}: step 'r': a rating step needs at least one [[step.item]]"]


def test_a_rating_step_without_a_scale() -> None:
    source = HEAD + INFO.format(id="r").replace('"info"', '"rating"') + """
[[step.item]]
id = "x"
text.nl = "X"
text.en = "X"
"""
    [problem] = problems(source)
    assert "a rating step needs a [step.scale] with min, max, low and high" in problem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("max = 5", "max = 1"), "max (1) must be above min (1)"),
        (("max = 5", "max = 15"), "min and max are 14 apart; at most 10 fit on a phone"),
        (("min = 1", "min = 1.5"), "min must be a whole number from -10 to 10, not 1.5"),
        (('low.en = "Never"\n', ""), "low has no 'en' (languages are nl, en)"),
        (('high.nl = "Altijd"\nhigh.en = "Always"\n', ""), "'high' is missing"),
        (('low.nl = "Nooit"', 'low.nl = "' + "x" * 41 + '"'), "low.nl is 41 characters; at most 40 fit"),
    ],
)
def test_a_bad_scale(change: tuple[str, str], message: str) -> None:
    step = INFO.format(id="r").replace('"info"', '"rating"')
    item = '\n[[step.item]]\nid = "x"\ntext.nl = "X"\ntext.en = "X"\n'
    [problem] = problems(HEAD + step + SCALE.replace(*change) + item)
    assert problem.endswith(message)
    assert "step 'r'" in problem


def test_text_missing_in_a_language() -> None:
    source = HEAD + INFO.format(id="a").replace('text.en = "Hello."\n', "")
    assert problems(source) == [f"{line_of(source, 'text.nl')}: step 'a': text has no 'en' (languages are nl, en)"]


def test_text_in_a_language_the_workshop_does_not_list() -> None:
    source = HEAD + INFO.format(id="a") + 'prompt.nl = "Kijk."\nprompt.en = "Look."\nprompt.de = "Schau."\n'
    assert problems(source) == [
        f"{line_of(source, 'prompt.de')}: step 'a': prompt has 'de', "
        "which is not one of the workshop's languages (nl, en)"
    ]


def test_a_plain_string_where_languages_are_needed() -> None:
    source = HEAD + INFO.format(id="a").replace('title.nl = "Welkom"\ntitle.en = "Welcome"', 'title = "Welkom"')
    [problem] = problems(source)
    assert problem.endswith("""title must be given per language (title.nl = "…", title.en = "…"), not 'Welkom'""")


def test_a_typo_in_a_key_is_reported_with_a_suggestion() -> None:
    source = HEAD + INFO.format(id="a") + "minuten = 5\n"
    assert problems(source) == [
        f"{line_of(source, 'minuten')}: step 'a': unknown key 'minuten' (did you mean 'minutes'?); "
        "allowed in an info step: id, kind, title, text, prompt, minutes, report, notes"
    ]


def test_a_key_of_another_kind_is_unknown_here() -> None:
    source = HEAD + INFO.format(id="a") + "multiple = true\n"
    [problem] = problems(source)
    assert "unknown key 'multiple'" in problem and "allowed in an info step" in problem


def test_a_typo_in_a_top_level_table() -> None:
    source = HEAD.replace("minutes = 10", "minutes = 10\nthreshhold = 4") + INFO.format(id="a")
    [problem] = problems(source)
    assert problem == (f"{line_of(source, 'threshhold')}: workshop: unknown key 'threshhold' "
                       "(did you mean 'threshold'?); allowed here: id, title, description, "
                       "languages, facilitator_languages, reviewed, minutes, threshold, source")


def test_every_problem_in_a_file_is_reported_at_once_in_line_order() -> None:
    source = (HEAD.replace("minutes = 10", "minutes = 0")
              + INFO.format(id="a").replace('text.en = "Hello."\n', "")
              + INFO.format(id="b").replace('"info"', '"dansen"')
              + INFO.format(id="a"))
    found = problems(source)
    assert len(found) == 4, found
    numbers = [int(p.split(":")[0]) for p in found]
    assert numbers == sorted(numbers)


def test_a_file_for_a_newer_format_is_refused() -> None:
    [problem] = problems("format = 2\n" + HEAD + INFO.format(id="a"))
    assert problem == "1: this file is written for format 2; this gsdialog reads format 1: update gsdialog"


def test_missing_workshop_and_steps() -> None:
    assert problems('format = 1\n') == ["1: 'workshop' is missing", "1: 'step' is missing"]


def test_a_workshop_without_sources() -> None:
    source = HEAD[: HEAD.index("[[workshop.source]]")] + INFO.format(id="a")
    assert problems(source) == ["1: workshop: 'source' is missing"]


def test_per_group_text_needs_every_group() -> None:
    source = HEAD + INFO.format(id="a") + 'prompt.professional.nl = "Jij."\nprompt.professional.en = "You."\n'
    [problem] = problems(source)
    assert problem.endswith("step 'a': prompt is given per group but has no 'other' (groups are professional, other)")


def test_a_title_cannot_differ_per_group() -> None:
    source = HEAD + INFO.format(id="a").replace(
        'title.nl = "Welkom"\ntitle.en = "Welcome"',
        'title.professional.nl = "A"\ntitle.professional.en = "A"\ntitle.other.nl = "B"\ntitle.other.en = "B"')
    assert problems(source) == [f"{line_of(source, 'title.professional.nl')}: step 'a': "
                                "title cannot differ per group here; give it per language (nl, en)"]


def test_a_role_in_an_unknown_group_and_a_group_without_roles() -> None:
    people = """
[[group]]
id = "pro"
label.nl = "Pro"
label.en = "Pro"

[[group]]
id = "ouders"
label.nl = "Ouders"
label.en = "Parents"

[[role]]
id = "ouder"
group = "oudres"
label.nl = "Ouder"
label.en = "Parent"
"""
    source = HEAD + people + INFO.format(id="a")
    assert problems(source) == [
        f"{line_of(source, 'oudres')}: role 'ouder': group 'oudres' is not a group "
        "(did you mean 'ouders'?); groups are pro, ouders",
    ]
    fixed = source.replace('"oudres"', '"ouders"')
    assert problems(fixed) == [f"{line_of(fixed, '[[role]]')}: group 'pro' has no role; "
                               'add a [[role]] with group = "pro"']


def test_exactly_two_groups() -> None:
    source = HEAD + '\n[[group]]\nid = "alle"\nlabel.nl = "Iedereen"\nlabel.en = "Everyone"\n' + INFO.format(id="a")
    found = problems(source)
    assert any("exactly two groups are needed" in p for p in found)


def test_a_choice_step_needs_two_options_and_max_needs_multiple() -> None:
    step = INFO.format(id="c").replace('"info"', '"choice"')
    option = '\n[[step.option]]\nid = "{}"\ntext.nl = "{}"\ntext.en = "{}"\n'
    one = problems(HEAD + step + option.format("a", "A", "A"))
    header = line_of(HEAD + step, "[[step]]")
    assert one == [f"{header}: step 'c': a choice step needs at least two [[step.option]]s; found 1"]
    two = HEAD + step + "max = 1\n" + option.format("a", "A", "A") + option.format("b", "B", "B")
    assert problems(two) == [f"{line_of(two, 'max = 1')}: step 'c': max only applies with multiple = true"]
    parse_workshop(two.replace("max = 1", "multiple = true\nmax = 1"))


def test_a_pairs_step_needs_rounds_with_sensible_minutes() -> None:
    step = INFO.format(id="p").replace('"info"', '"pairs"')
    [problem] = problems(HEAD + step)
    assert problem.endswith("a pairs step needs at least one [[step.round]] with minutes and text")
    source = HEAD + step + '\n[[step.round]]\nminutes = 90\ntext.nl = "A praat."\ntext.en = "A talks."\n'
    assert problems(source) == [f"{line_of(source, 'minutes = 90')}: step 'p', round 1: "
                                "minutes must be a number from 0.5 to 60, not 90"]


def test_an_evaluation_scale_is_always_zero_to_ten() -> None:
    step = INFO.format(id="e").replace('"info"', '"evaluation"')
    item = '\n[[step.item]]\nid = "x"\ntext.nl = "X"\ntext.en = "X"\n'
    assert parse_workshop(HEAD + step + item).step("e").scale.values == range(0, 11)
    [problem] = problems(HEAD + step + "\n[step.scale]\nmax = 5\n" + item)
    assert problem.endswith("an evaluation scale always runs from 0 to 10; max cannot be 5")


def test_a_words_step_limits() -> None:
    step = INFO.format(id="w").replace('"info"', '"words"')
    assert parse_workshop(HEAD + step).step("w").entries == 3
    [problem] = problems(HEAD + step + "entries = 0\n")
    assert problem.endswith("entries must be a whole number from 1 to 10, not 0")
    [problem] = problems(HEAD + step + "max_length = true\n")
    assert problem.endswith("max_length must be a whole number from 1 to 200, not true")


def test_a_title_that_is_too_long_or_has_a_line_break() -> None:
    long_title = HEAD + INFO.format(id="a").replace('"Welcome"', '"' + "w" * 81 + '"')
    [problem] = problems(long_title)
    assert problem.endswith("title.en is 81 characters; at most 80 fit")
    broken = HEAD + INFO.format(id="a").replace('"Welcome"', '"Wel\\ncome"')
    [problem] = problems(broken)
    assert problem.endswith("title.en must be one line without control characters")


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert check_files([str(missing)]) == [f"{missing}:1: cannot read the file: No such file or directory"]
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'title = "caf\xe9"\n')
    [line] = check_files([str(latin)])
    assert re.fullmatch(rf"{re.escape(str(latin))}:1: not UTF-8 text \(byte \d+\); save the file as UTF-8", line)


def test_check_files_lists_problems_of_every_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(HEAD + INFO.format(id="a"), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(HEAD + INFO.format(id="a").replace('"info"', '"dansen"'), encoding="utf-8")
    lines = check_files([str(good), str(bad), str(bad)])
    assert len(lines) == 2 and all(line.startswith(f"{bad}:") for line in lines)
    assert check_files([str(good)]) == []


def test_report_marks_a_step_for_the_harvest_report() -> None:
    assert parse_workshop(HEAD + INFO.format(id="a") + "report = true\n").step("a").report
    [problem] = problems(HEAD + INFO.format(id="a") + 'report = "ja"\n')
    assert problem.endswith("report must be true or false, not 'ja'")
    without_text = INFO.format(id="a").replace('text.nl = "Hallo."\ntext.en = "Hello."\n', "")
    found = problems(HEAD + without_text.replace('"info"', '"words"') + "report = true\n")
    assert found[0].endswith("report = true needs a text to put in the report")


def test_an_item_s_short_label_is_checked_in_every_language() -> None:
    from gsdialog.core.loader import WorkshopError, parse_workshop

    source = (DATA / "example.toml").read_text(encoding="utf-8")
    labelled = source.replace('id = "luisteren"\n', 'id = "luisteren"\nshort.nl = "Luisteren"\nshort.en = "Listening"\n', 1)
    [item] = parse_workshop(labelled).step("gehoord").items
    assert item.short is not None and item.short.get("en") == "Listening"
    too_long = source.replace('id = "luisteren"\n', 'id = "luisteren"\nshort.nl = "' + "x" * 31 + '"\n', 1)
    with pytest.raises(WorkshopError) as error:
        parse_workshop(too_long, "w.toml")
    assert "short.nl is 31 characters; at most 30 fit" in str(error.value)
    assert "short has no 'en'" in str(error.value)


def test_notes_are_read_per_language_and_checked() -> None:
    from gsdialog.core.loader import WorkshopError, parse_workshop

    source = (DATA / "example.toml").read_text(encoding="utf-8")
    noted = source.replace('id = "welkom"\n', 'id = "welkom"\nnotes.nl = "Zeg **hallo**."\nnotes.en = "Say hello."\n', 1)
    step = parse_workshop(noted).step("welkom")
    assert step.notes is not None and step.notes.get("nl") == "Zeg **hallo**."
    with pytest.raises(WorkshopError, match="notes has no 'en'"):
        parse_workshop(source.replace('id = "welkom"\n', 'id = "welkom"\nnotes.nl = "Alleen Nederlands."\n', 1))


CHOICE = """
[[step]]
id = "c"
kind = "choice"
title.nl = "Kies"
title.en = "Choose"
[[step.option]]
id = "{first}"
text.nl = "Een"
text.en = "One"
[[step.option]]
id = "{second}"
text.nl = "Twee"
text.en = "Two"
"""

PEOPLE = """
[[group]]
id = "{a}"
label.nl = "A"
label.en = "A"
[[group]]
id = "{b}"
label.nl = "B"
label.en = "B"
[[role]]
id = "{r}"
group = "a"
label.nl = "R"
label.en = "R"
[[role]]
id = "{s}"
group = "b"
label.nl = "S"
label.en = "S"
"""


@pytest.mark.parametrize("source, what, where", [
    (HEAD + CHOICE.format(first="x", second="x"), "option", "step 'c': "),
    (HEAD + PEOPLE.format(a="a", b="a", r="r", s="s") + INFO.format(id="i"), "group", ""),
    (HEAD + PEOPLE.format(a="a", b="b", r="r", s="r") + INFO.format(id="i"), "role", ""),
])
def test_every_list_of_tables_reports_an_id_used_twice(source: str, what: str, where: str) -> None:
    reported = [p for p in problems(source) if "used twice" in p]
    assert len(reported) == 1 and f"{where}{what} id " in reported[0], problems(source)
