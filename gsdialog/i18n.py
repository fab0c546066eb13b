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
        "quit_question": "Wil je de workshop afsluiten? Telefoons worden dan vergeten.",
        "quit_yes": "Ja, afsluiten (y)",
        "quit_no": "Nee, doorgaan (n)",
        "keys_title": "Toetsen",
        "keys_close": "Druk op een toets om terug te gaan.",
        "key_next": "volgende stap (de presenter stuurt PageDown)",
        "key_previous": "vorige stap",
        "key_help": "deze hulp",
        "key_quit": "afsluiten of pauzeren (vraagt het eerst)",
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
        "quit_pause": "Pauze: later verder (p)",
        "not_enough": "nog te weinig antwoorden",
        "gap_professional": "In {k} van de 10 paren geeft de professional het hogere cijfer.",
        "gap_group": "In {k} van de 10 paren geeft iemand uit de groep {label} het hogere cijfer.",
        "effect_negligible": "bijna geen verschil",
        "effect_small": "klein verschil",
        "effect_medium": "duidelijk verschil",
        "effect_large": "groot verschil",
        "blind_spot": "blinde vlek",
        "not_saved": "Let op: een antwoord kon niet worden bewaard ({detail}).",
    },
    "en": {
        "step_of": "step {n} of {total}",
        "next": "Next",
        "previous": "Previous",
        "help": "Keys",
        "quit": "Quit",
        "quit_question": "Do you want to end the workshop? Phones are then forgotten.",
        "quit_yes": "Yes, end it (y)",
        "quit_no": "No, go on (n)",
        "keys_title": "Keys",
        "keys_close": "Press any key to go back.",
        "key_next": "next step (a presenter clicker sends PageDown)",
        "key_previous": "previous step",
        "key_help": "this help",
        "key_quit": "end or pause (asks first)",
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
        "quit_pause": "Pause: continue later (p)",
        "not_enough": "not enough answers yet",
        "gap_professional": "In {k} of 10 pairs, the professional gives the higher score.",
        "gap_group": "In {k} of 10 pairs, someone from the group {label} gives the higher score.",
        "effect_negligible": "hardly any difference",
        "effect_small": "small difference",
        "effect_medium": "clear difference",
        "effect_large": "large difference",
        "blind_spot": "blind spot",
        "not_saved": "Careful: an answer could not be saved ({detail}).",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    return STRINGS[lang][key].format(**values)


def gap_sentence(lang: str, out_of_ten: int, first_group: str, first_label: str) -> str:
    """The gap for a lay audience: in how many of ten pairs the first group scores higher."""
    if first_group == "professional":
        return t(lang, "gap_professional", k=out_of_ten)
    return t(lang, "gap_group", k=out_of_ten, label=first_label)
