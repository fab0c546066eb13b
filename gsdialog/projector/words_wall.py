"""The harvested words: the same words merged and counted, per group; `x` hides one."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from gsdialog.core.i18n import t
from gsdialog.core.results import WordsResult, normalise_word
from gsdialog.core.session import Session
from gsdialog.core.workshop import Step


class WordsWall(OptionList):
    """One line a word, most given first; participant text only ever as Content."""

    DEFAULT_CSS = """
    WordsWall { height: 1fr; border: none; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.focus()

    def show(self, session: Session, step: Step, lang: str) -> None:
        found = session.results(step.id)
        assert isinstance(found, WordsResult)
        groups = session.workshop.groups
        merged: dict[str, dict[str, int]] = {}
        shown: dict[str, str] = {}
        for group in groups:
            for word in found.words[group.id]:
                key = normalise_word(word.text)
                shown.setdefault(key, word.text)
                merged.setdefault(key, {})[group.id] = word.count
        order = sorted(merged, key=lambda key: (-sum(merged[key].values()), key))
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options = []
        for key in order:
            counts = merged[key]
            per_group = "  ·  ".join(f"{g.label.get(lang)} {counts.get(g.id, 0)}" for g in groups
                                     if found.groups[g.id].enough)
            label = Content.assemble((shown[key], "bold"), f"  ×{sum(counts.values())}   ", (per_group, "dim"))
            options.append(Option(label, id=key))
        waiting = [g.label.get(lang) for g in groups if not found.groups[g.id].enough]
        if waiting:
            options.append(Option(Content(f"{', '.join(waiting)}: {t(lang, 'not_enough')}"), disabled=True))
        self.set_options(options)
        if highlighted is not None and highlighted in merged:
            self.highlighted = order.index(highlighted)

    @property
    def highlighted_word(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None
