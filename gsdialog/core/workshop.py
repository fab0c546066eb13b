"""The workshop model: what a workshop file says, as frozen data.

Reading and checking a file is `loader.py`; what each kind of step adds is
`kinds.py`. The format is documented in docs/workshop-format.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from gsdialog.core.languages import CODES

LANGUAGES = CODES
"""The languages a workshop may list (core/languages.py)."""
DEFAULT_LANGUAGES = ("nl", "en")
"""The languages of a workshop file that does not say (it must)."""
DEFAULT_THRESHOLD = 3


# --- the model ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in each of the workshop's languages."""

    by_lang: Mapping[str, str]

    def get(self, lang: str) -> str:
        return self.by_lang.get(lang) or next(iter(self.by_lang.values()))


@dataclass(frozen=True)
class GroupText:
    """A text that is either the same for every group or differs per group."""

    shared: Text | None = None
    by_group: Mapping[str, Text] = field(default_factory=dict)

    def get(self, lang: str, group: str | None = None) -> str:
        if self.shared is not None:
            return self.shared.get(lang)
        text = self.by_group.get(group) if group else None
        return (text or next(iter(self.by_group.values()))).get(lang)

    def texts(self) -> Iterator[Text]:
        if self.shared is not None:
            yield self.shared
        yield from self.by_group.values()


@dataclass(frozen=True)
class Source:
    title: str
    by: str
    note: Text
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class Group:
    id: str
    label: Text


@dataclass(frozen=True)
class Role:
    id: str
    group: str
    label: Text


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    low: GroupText | None = None
    high: GroupText | None = None

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Item:
    id: str
    text: GroupText
    short: Text | None = None
    """A label of a few words, for where the whole statement does not fit (the projector's results)."""


@dataclass(frozen=True)
class Option:
    id: str
    text: Text


@dataclass(frozen=True)
class Round:
    minutes: float
    text: Text


@dataclass(frozen=True)
class Step:
    """One step of a workshop. Fields beyond `prompt` belong to some kinds only."""

    id: str
    kind: str
    title: Text
    text: Text | None = None
    prompt: GroupText | None = None
    minutes: int | None = None
    report: bool = False
    """Put this step's text in the harvest report (eye-openers, say)."""
    notes: Text | None = None
    """For the facilitator only (the run sheet): never on the projector or a phone."""
    size: int = 2
    rounds: tuple[Round, ...] = ()
    scale: Scale | None = None
    items: tuple[Item, ...] = ()
    options: tuple[Option, ...] = ()
    multiple: bool = False
    max_choices: int | None = None
    entries: int = 3
    max_length: int = 40
    votes: int = 3
    """An ideas step: votes per phone."""
    longest: int = 140
    """An ideas step: characters in an idea."""


@dataclass(frozen=True)
class Workshop:
    id: str
    title: Text
    description: Text
    languages: tuple[str, ...]
    minutes: int
    sources: tuple[Source, ...]
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]
    threshold: int = DEFAULT_THRESHOLD
    path: FilePath | None = None
    facilitator_languages: tuple[str, ...] = ()
    """The languages of what only the facilitator reads (notes, the projector's
    slides, the report); empty: all of `languages`."""
    reviewed: tuple[str, ...] = ()
    """Languages a native speaker has checked and signed off (docs/translating.md).
    Never shown to participants."""

    @property
    def facilitator(self) -> tuple[str, ...]:
        """The languages the projector, the run sheet and the report can use."""
        return self.facilitator_languages or self.languages

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)


class CatalogText(Text):
    """A text from the interface catalogs (gsdialog/locale/): every language gsdialog speaks."""

    def __init__(self, key: str) -> None:
        object.__setattr__(self, "key", key)

    @property  # type: ignore[override]
    def by_lang(self) -> Mapping[str, str]:
        from gsdialog.core.i18n import t

        return {code: t(code, self.key) for code in CODES}

    def get(self, lang: str) -> str:
        from gsdialog.core.i18n import t

        return t(lang, self.key)


DEFAULT_GROUPS = (
    Group("professional", CatalogText("group_label_professional")),
    Group("other", CatalogText("group_label_other")),
)
DEFAULT_ROLES = (
    Role("professional", "professional", CatalogText("role_label_professional")),
    Role("parent", "other", CatalogText("role_label_parent")),
    Role("young-person", "other", CatalogText("role_label_young_person")),
    Role("client", "other", CatalogText("role_label_client")),
    Role("resident", "other", CatalogText("role_label_resident")),
)
