"""The words of the printed report and the run sheet, in Dutch and English.

The few words every ring shares live in core/i18n.py; these are only read on
paper, so they live beside the export (both languages, the same keys: a test
checks). Dates are written out in words, as people write them in a letter.
"""

from __future__ import annotations

import re
from datetime import date, datetime

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "kicker": "Oogst van de bijeenkomst",
        "kicker_many": "Oogst van {n} bijeenkomsten",
        "cover_date": "Datum",
        "cover_place": "Plaats",
        "cover_organiser": "Organisatie",
        "cover_facilitator": "Begeleiding",
        "cover_participants": "Deelnemers",
        "cover_counts": "{n} {label}",
        "read_title": "Zo lees je dit verslag",
        "read_n": "<b>n</b> is het aantal mensen dat antwoord gaf.",
        "read_mean": "<b>Gemiddeld</b>: alle cijfers bij elkaar opgeteld, gedeeld door het aantal mensen. "
                     "<b>Mediaan</b>: het middelste cijfer. De helft gaf dit cijfer of lager, de andere helft dit "
                     "cijfer of hoger.",
        "read_bars": "In de balken staat elk antwoord als een stukje. Hoe donkerder, hoe hoger het antwoord. "
                     "De lijn in het midden is het midden van de schaal.",
        "read_groups": "<b>▲ {first}</b> en <b>● {second}</b>: zo zie je overal welke groep het is.",
        "read_gap": "<b>Verschil</b>: het gemiddelde van {first} min dat van {second}. Een verschil van {example} "
                    "betekent: {first} gaven gemiddeld {example_abs} punt meer.",
        "read_effect": "<b>Bijna geen, klein, duidelijk of groot verschil</b>: hoe vaak de een hoger scoort dan de "
                       "ander. We vergelijken daarvoor elk antwoord uit de ene groep met elk antwoord uit de "
                       "andere. Bijna geen verschil: ongeveer even vaak hoger als lager. Klein: in ongeveer 6 van "
                       "de 10 hoger. Duidelijk: in ongeveer 7 van de 10. Groot: in meer dan 7 van de 10.",
        "read_blind": "<b>◆ Blinde vlek</b>: {first} geven zichzelf veel hoger dan {second} het beleven: meer dan "
                      "een derde van de schaal (van {min} tot {max} is dat meer dan {points} punt). Wat de een "
                      "ziet, ziet de ander niet.",
        "read_threshold": "<b>Te weinig antwoorden</b>: van een groep met minder dan {k} antwoorden staan hier geen "
                          "cijfers. Zo kan niemand raden wie wat antwoordde.",
        "headline_means": "Gemiddeld: {means} (van {min} = {low} tot {max} = {high}).",
        "mean": "gemiddeld",
        "mean_short": "gem.",
        "median": "mediaan",
        "gap_line": "Verschil {gap}: {effect}",
        "scale_key": "{min} = {low}, {max} = {high}",
        "chose": "{count} van de {n}",
        "asked": "Gevraagd",
        "many_sessions_date": "Bijeenkomst",
        "session_code": "code {code}",
        "footer_code": "Code van de bijeenkomst: {code}.",
        # the run sheet
        "before_title": "Voor je begint",
        "before_hotspot": "Wifi of hotspot aan. De laptop en de telefoons zitten op hetzelfde netwerk.",
        "before_doctor": "Draai <code>gsdialog doctor</code> en open de testpagina met je eigen telefoon. "
                         "Alles moet ✓ zijn.",
        "before_start": "Start <code>gsdialog run {workshop}</code> en zet het scherm op de beamer.",
        "before_remote": "Wil je de afstandsbediening op je telefoon? Druk op <b>R</b> of draai "
                         "<code>gsdialog remote</code>, en open de link.",
        "before_phone": "Doe mee met een testtelefoon: scan de QR-code en kies een rol. Zie je de eerste stap?",
        "before_clicker": "Test de presenter: PageDown gaat verder, PageUp terug.",
        "keys_title": "Toetsen",
        "keys_next": "verder (de presenter stuurt PageDown)",
        "keys_previous": "terug",
        "keys_results": "uitkomsten laten zien",
        "keys_timer": "tijd starten of pauzeren",
        "keys_join": "groot: QR-code en code om mee te doen",
        "keys_hide": "een woord verbergen",
        "keys_blank": "scherm op zwart",
        "keys_door": "meedoen sluiten, of weer openen (als iedereen binnen is)",
        "keys_latecomers": "laatkomers laten meedoen met de vraag die al loopt",
        "keys_help": "alle toetsen",
        "keys_quit": "afsluiten of pauzeren",
        "pagedown": "PageDown",
        "pagedown_info": "de volgende stap.",
        "pagedown_question": "eerst de uitkomsten (blad na blad; de telefoons kunnen dan niet meer antwoorden), "
                             "dan de volgende stap.",
        "pagedown_words": "het volgende blad woorden (als ze niet op één scherm passen), dan de volgende stap.",
        "pagedown_pairs": "start ronde 1. Is de tijd om (Wissel om), dan start PageDown de volgende ronde. "
                          "Na de laatste ronde: de volgende stap.",
        "pagedown_last": "Na deze laatste stap: het slotscherm.",
        "key_join_here": "Druk op <b>j</b>: de QR-code groot, zodat iedereen kan meedoen.",
        "key_results_here": "Of <b>r</b>: meteen de uitkomsten.",
        "key_timer_here": "<b>t</b>: de tijd pauzeren of verder laten lopen.",
        "key_hide_here": "<b>x</b>: een woord verbergen dat niet op het scherm hoort (kies het met ↑ en ↓).",
        "key_sort_here": "<b>s</b>: sorteren op verschil.",
        "rounds": "Rondes",
        "round_line": "Ronde {n} · {minutes} min",
        "room_pairs": "Het scherm toont de opdracht van de ronde en de tijd die loopt. Is de tijd om: "
                      "Wissel om.",
        "room_question": "Het scherm toont de vraag en hoeveel mensen al antwoordden. Na PageDown: de uitkomsten.",
        "room_words": "Het scherm toont de woorden die binnenkomen, zonder namen.",
        "phones_say": "Op de telefoons",
        "per_group": "{group}",
        "guide_date": "Datum",
    },
    "en": {
        "kicker": "Harvest of the session",
        "kicker_many": "Harvest of {n} sessions",
        "cover_date": "Date",
        "cover_place": "Place",
        "cover_organiser": "Organiser",
        "cover_facilitator": "Facilitator",
        "cover_participants": "Participants",
        "cover_counts": "{n} {label}",
        "read_title": "How to read this report",
        "read_n": "<b>n</b> is the number of people who answered.",
        "read_mean": "<b>Mean</b>: all marks added up, divided by the number of people. <b>Median</b>: the middle "
                     "mark. Half gave this mark or lower, the other half this mark or higher.",
        "read_bars": "In the bars every answer is a piece. The darker, the higher the answer. The line in the "
                     "middle is the middle of the scale.",
        "read_groups": "<b>▲ {first}</b> and <b>● {second}</b>: this is how you tell the groups apart everywhere.",
        "read_gap": "<b>Gap</b>: the mean of {first} minus that of {second}. A gap of {example} means: {first} "
                    "gave {example_abs} points more on average.",
        "read_effect": "<b>Hardly any, small, clear or large difference</b>: how often one group scores higher "
                       "than the other. We compare every answer of one group with every answer of the other. "
                       "Hardly any difference: about as often higher as lower. Small: higher in about 6 of 10. "
                       "Clear: in about 7 of 10. Large: in more than 7 of 10.",
        "read_blind": "<b>◆ Blind spot</b>: {first} rate themselves much higher than {second} experience it: by "
                      "more than a third of the scale (from {min} to {max} that is more than {points} points). "
                      "What one side sees, the other does not.",
        "read_threshold": "<b>Not enough answers</b>: a group with fewer than {k} answers has no figures here. "
                          "That way nobody can guess who answered what.",
        "headline_means": "Mean: {means} (from {min} = {low} to {max} = {high}).",
        "mean": "mean",
        "mean_short": "mean",
        "median": "median",
        "gap_line": "Gap {gap}: {effect}",
        "scale_key": "{min} = {low}, {max} = {high}",
        "chose": "{count} of {n}",
        "asked": "Asked",
        "many_sessions_date": "Session",
        "session_code": "code {code}",
        "footer_code": "Session code: {code}.",
        "before_title": "Before you start",
        "before_hotspot": "Wi-fi or hotspot on. The laptop and the phones are on the same network.",
        "before_doctor": "Run <code>gsdialog doctor</code> and open its test page with your own phone. "
                         "Every line must be ✓.",
        "before_start": "Start <code>gsdialog run {workshop}</code> and put the screen on the projector.",
        "before_remote": "Want the remote on your phone? Press <b>R</b> or run <code>gsdialog remote</code>, "
                         "and open the link.",
        "before_phone": "Join with a test phone: scan the QR code and pick a role. Do you see the first step?",
        "before_clicker": "Test the clicker: PageDown goes on, PageUp goes back.",
        "keys_title": "Keys",
        "keys_next": "on (a presenter clicker sends PageDown)",
        "keys_previous": "back",
        "keys_results": "show the results",
        "keys_timer": "start or pause the time",
        "keys_join": "large: QR code and code to join",
        "keys_hide": "hide a word",
        "keys_blank": "blank screen",
        "keys_door": "close joining, or open it again (once everyone is in)",
        "keys_latecomers": "let latecomers answer the question already running",
        "keys_help": "every key",
        "keys_quit": "end or pause",
        "pagedown": "PageDown",
        "pagedown_info": "the next step.",
        "pagedown_question": "first the results (page by page; the phones can no longer answer then), then the "
                             "next step.",
        "pagedown_words": "the next page of words (when they do not fit on one screen), then the next step.",
        "pagedown_pairs": "starts round 1. Once time is up (Switch), PageDown starts the next round. After the "
                          "last round: the next step.",
        "pagedown_last": "After this last step: the closing screen.",
        "key_join_here": "Press <b>j</b>: the QR code large, so everyone can join.",
        "key_results_here": "Or <b>r</b>: the results at once.",
        "key_timer_here": "<b>t</b>: pause the time or let it run on.",
        "key_hide_here": "<b>x</b>: hide a word that does not belong on the screen (choose it with ↑ and ↓).",
        "key_sort_here": "<b>s</b>: sort by gap.",
        "rounds": "Rounds",
        "round_line": "Round {n} · {minutes} min",
        "room_pairs": "The screen shows the round's task and the time running. When time is up: Switch.",
        "room_question": "The screen shows the question and how many have answered. After PageDown: the results.",
        "room_words": "The screen shows the words coming in, without names.",
        "phones_say": "On the phones",
        "per_group": "{group}",
        "guide_date": "Date",
    },
}

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
WEEKDAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def tx(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `values` filled in."""
    return TEXTS[lang][key].format(**values)


def date_in_words(lang: str, moment: str | date) -> str:
    """"donderdag 3 december 2026" / "Thursday 3 December 2026"; an unreadable date as it is."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    return f"{WEEKDAYS[lang][moment.weekday()]} {moment.day} {MONTHS[lang][moment.month - 1]} {moment.year}"


def quoted(lang: str, text: str) -> str:
    """Text between typographic quotes: ‘…’ as Dutch print has it, “…” in English."""
    return f"‘{text}’" if lang == "nl" else f"“{text}”"


def typographic(lang: str, text: str) -> str:
    """Straight quotes as print has them: "…" as “…”, and an apostrophe as ’."""
    text = re.sub(r"(\w)'(\w)", "\\1’\\2", text)
    return re.sub(r'"([^"\n]+)"', "“\\1”", text)
