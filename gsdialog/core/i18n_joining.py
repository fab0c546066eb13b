"""The words about joining (core/joining.py, collector/pace.py), merged into `i18n.STRINGS`.

Kept apart so that i18n.py stays under the size limit; same rules: both
languages, the same keys, plain Dutch (B1).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        # The phones.
        "joining_closed": "Meedoen is gesloten. Vraag het aan de begeleider.",
        "error_joining_closed": "Meedoen is gesloten. Vraag het aan de begeleider.",
        "error_join_pace": "Via dit netwerk kwamen net veel telefoons binnen. Wacht een minuut. Probeer het dan opnieuw.",
        "error_join_busy": "Er komen nu heel veel telefoons tegelijk binnen. Wacht even. Probeer het dan opnieuw.",
        "late_wait": "Je kwam binnen toen deze vraag al liep. Bij de volgende vraag doe je mee.",
        "error_joined_late": "Je kwam binnen toen deze vraag al liep. Bij de volgende vraag doe je mee.",
        # The projector.
        "door": "Meedoen dicht/open",
        "late": "Laatkomers",
        "key_door": "meedoen sluiten, of weer openen (wie al meedoet, blijft meedoen)",
        "key_late": "laatkomers ook deze vraag laten beantwoorden",
        "door_open": "meedoen open",
        "door_closed": "meedoen gesloten",
        "door_waiting": "{n} wacht(en) op de volgende vraag (l)",
        "door_jump": "⚠ {n} telefoons in 1 minuut erbij",
        "door_expected": "⚠ {n} telefoons, {expect} verwacht",
        "door_now_closed": "Meedoen is gesloten. Nieuwe telefoons komen er niet meer in. Met d open je het weer.",
        "door_now_open": "Meedoen is weer open.",
        "late_admitted": "{n} laatkomer(s) kunnen deze vraag nu ook beantwoorden.",
        "nobody_waiting": "Er wacht niemand op de volgende vraag.",
        "join_door_open": "Meedoen is open. Zijn alle telefoons binnen? Druk dan op d.",
        "join_door_closed": "Meedoen is gesloten. Met d open je het weer.",
        # The remote.
        "remote_door_close": "Meedoen sluiten",
        "remote_door_open": "Meedoen weer openen",
        "remote_door_open_now": "Meedoen is open.",
        "remote_door_closed_now": "Meedoen is gesloten: nieuwe telefoons komen er niet in.",
        "remote_admit": "Laatkomers laten meedoen ({n})",
        "remote_waiting": "{n} telefoon(s) wachten op de volgende vraag.",
    },
    "en": {
        "joining_closed": "Joining is closed. Ask the facilitator.",
        "error_joining_closed": "Joining is closed. Ask the facilitator.",
        "error_join_pace": "Many phones just joined from this network. Wait a minute, then try again.",
        "error_join_busy": "Very many phones are joining at once. Wait a moment, then try again.",
        "late_wait": "You came in after this question started. You can take part from the next question.",
        "error_joined_late": "You came in after this question started. You can take part from the next question.",
        "door": "Joining closed/open",
        "late": "Latecomers",
        "key_door": "close joining, or open it again (phones that joined stay in)",
        "key_late": "let latecomers answer this question too",
        "door_open": "joining open",
        "door_closed": "joining closed",
        "door_waiting": "{n} waiting for the next question (l)",
        "door_jump": "⚠ {n} phones joined in 1 minute",
        "door_expected": "⚠ {n} phones, {expect} expected",
        "door_now_closed": "Joining is closed. New phones can no longer join. Press d to open it again.",
        "door_now_open": "Joining is open again.",
        "late_admitted": "{n} latecomer(s) can now answer this question too.",
        "nobody_waiting": "Nobody is waiting for the next question.",
        "join_door_open": "Joining is open. Are all phones in? Then press d.",
        "join_door_closed": "Joining is closed. Press d to open it again.",
        "remote_door_close": "Close joining",
        "remote_door_open": "Open joining again",
        "remote_door_open_now": "Joining is open.",
        "remote_door_closed_now": "Joining is closed: new phones cannot join.",
        "remote_admit": "Let latecomers in ({n})",
        "remote_waiting": "{n} phone(s) waiting for the next question.",
    },
}
