"""The workshop model: what a workshop file says, as frozen data.

Reading and checking a file is `loader.py`; what each kind of step adds is
`kinds.py`. The format is documented in docs/workshop-format.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath

LANGUAGES = ("nl", "en")
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


def _text(nl: str, en: str) -> Text:
    return Text({"nl": nl, "en": en})


DEFAULT_GROUPS = (
    Group("professional", _text("Professionals", "Professionals")),
    Group("other", _text("Niet als professional", "Not as a professional")),
)
DEFAULT_ROLES = (
    Role("professional", "professional", _text("Professional", "Professional")),
    Role("parent", "other", _text("Ouder", "Parent")),
    Role("young-person", "other", _text("Jongere", "Young person")),
    Role("client", "other", _text("Cliënt", "Client")),
    Role("resident", "other", _text("Bewoner", "Resident")),
)
