"""The words of gsdialog's own screens, in Dutch (default) and English.

Workshop texts come from the workshop file; these are the few words around
them. Both languages have the same keys (a test checks this).
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "step_of": "stap {n} van {total}",
        "next": "Volgende",
        "previous": "Vorige",
        "help": "Toetsen",
        "quit": "Stoppen",
        "quit_question": "Wil je de workshop stoppen?",
        "quit_yes": "Ja, stoppen (y)",
        "quit_no": "Nee, doorgaan (n)",
        "keys_title": "Toetsen",
        "keys_close": "Druk op een toets om terug te gaan.",
        "key_next": "volgende stap (de presenter stuurt PageDown)",
        "key_previous": "vorige stap",
        "key_help": "deze hulp",
        "key_quit": "stoppen (vraagt het eerst)",
        "round": "Ronde {n} van {total}",
        "minutes": "{minutes} min",
        "people_per_group": "Met {size} personen",
        "scale_from_to": "Van {min} ({low}) tot {max} ({high})",
        "group_statement": "{group}:",
        "choose_one": "Kies er één.",
        "choose_several": "Kies er een of meer.",
        "choose_at_most": "Kies er hoogstens {max}.",
        "words_limit": "Hoogstens {entries} keer een paar woorden ({max_length} tekens).",
        "first_step": "Dit is de eerste stap.",
        "last_step": "Dit is de laatste stap.",
    },
    "en": {
        "step_of": "step {n} of {total}",
        "next": "Next",
        "previous": "Previous",
        "help": "Keys",
        "quit": "Quit",
        "quit_question": "Do you want to stop the workshop?",
        "quit_yes": "Yes, stop (y)",
        "quit_no": "No, go on (n)",
        "keys_title": "Keys",
        "keys_close": "Press any key to go back.",
        "key_next": "next step (a presenter clicker sends PageDown)",
        "key_previous": "previous step",
        "key_help": "this help",
        "key_quit": "quit (asks first)",
        "round": "Round {n} of {total}",
        "minutes": "{minutes} min",
        "people_per_group": "In groups of {size}",
        "scale_from_to": "From {min} ({low}) to {max} ({high})",
        "group_statement": "{group}:",
        "choose_one": "Choose one.",
        "choose_several": "Choose one or more.",
        "choose_at_most": "Choose at most {max}.",
        "words_limit": "At most {entries} times a few words ({max_length} characters).",
        "first_step": "This is the first step.",
        "last_step": "This is the last step.",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    return STRINGS[lang][key].format(**values)
