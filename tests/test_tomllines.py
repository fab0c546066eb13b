"""Line numbers of TOML keys, for `FILE:LINE:` messages."""

from __future__ import annotations

import tomllib

from gsdialog.core.tomllines import key_lines, line_of

SOURCE = '''\
format = 1                      # line 1
[workshop]
id = "x"
title.nl = "a"                  # line 4
description.nl = """
id = "not a key"
[[step]]
"""
languages = [
  "nl",
  "en",   # [[step]] in a comment
]
"quoted key".nl = "q"           # line 13
scale = { min = 1, max = 5 }    # line 14

[[step]]                        # line 16
id = "a"

[[step.item]]                   # line 19
id = "i"

[[step.item]]                   # line 22
id = "j"

[step.scale]                    # line 25
min = 1

[[step]]                        # line 28
id = "b"
text.nl = \'\'\'
multi [[step]]
\'\'\'
[[step.item]]                   # line 33
id = "k"
'''


def test_the_source_is_valid_toml() -> None:
    data = tomllib.loads(SOURCE)
    assert [len(step.get("item", [])) for step in data["step"]] == [2, 1]


def test_keys_and_headers_get_their_lines() -> None:
    lines = key_lines(SOURCE)
    assert lines[("format",)] == 1
    assert lines[("workshop",)] == 2
    assert lines[("workshop", "title")] == 4
    assert lines[("workshop", "title", "nl")] == 4
    assert lines[("workshop", "languages")] == 9
    assert lines[("workshop", "quoted key", "nl")] == 13
    assert lines[("workshop", "scale")] == 14
    assert lines[("step", 0)] == 16
    assert lines[("step", 0, "id")] == 17
    assert lines[("step", 0, "item", 0)] == 19
    assert lines[("step", 0, "item", 1, "id")] == 23
    assert lines[("step", 0, "scale", "min")] == 26
    assert lines[("step", 1)] == 28
    assert lines[("step", 1, "item", 0)] == 33


def test_multi_line_strings_and_arrays_hide_what_looks_like_keys() -> None:
    lines = key_lines(SOURCE)
    assert ("workshop", "id") in lines and lines[("workshop", "id")] == 3
    assert ("step", 2) not in lines


def test_a_missing_key_falls_back_to_its_nearest_ancestor() -> None:
    lines = key_lines(SOURCE)
    assert line_of(lines, ("step", 0, "item", 1, "text", "en")) == 22
    assert line_of(lines, ("workshop", "scale", "low")) == 14
    assert line_of(lines, ("nothing",)) == 1
