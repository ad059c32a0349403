"""The fact-file schema (pydantic models): what a teacher writes, and the JSON Schema editors check it with."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
Tag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+(::[A-Za-z0-9_-]+)*$", max_length=64)]

EntityType = Literal["person", "country", "city", "organisation", "title", "treaty"]
ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]
AnswerType = Literal["person", "country", "city", "organisation", "title", "treaty", "date", "number", "phrase"]

Kind = Literal["participant", "person", "setting", "date", "number", "demand", "position", "statement",
               "threat", "outcome", "assessment", "background"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

# The structured fields each kind must carry, so its questions (matching, ordering, reversed cards) can be built.
KIND_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "participant": ("party",),
    "person": ("party", "role"),
    "setting": (),
    "date": ("event",),
    "number": (),
    "demand": ("by", "of", "what"),
    "position": ("by",),
    "statement": ("by",),
    "threat": ("by",),
    "outcome": (),
    "assessment": (),
    "background": (),
}

DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceMeta(_Model):
    """Where the text comes from; every output cites it."""

    title: Text = Field(description="Title of the text as published (its headline).")
    deck_name: Text = Field(description="Short readable name used for decks and quizzes, e.g. 'Six-Party Talks 2003'.")
    publisher: Text = Field(description="Who published the text, e.g. 'Voice of America'.")
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] = Field(description="Publication date, YYYY-MM-DD.")
    license: Text = Field(description="Why the text may be reproduced, e.g. 'public domain (VOA material)'.")
    text: Text = Field(description="File name of the text, in the same folder as this file.")
    url: str | None = Field(default=None, description="Where the text was published, if known.")
    event: Text = Field(description="Short name of what the text is about, used in generated wording.")


class Entity(_Model):
    """A named thing answers and distractors are drawn from; the pool of its type supplies distractors."""

    id: Slug
    name: Text = Field(description="Name as shown in options, e.g. 'United States'.")
    article: Literal["the"] | None = Field(default=None, description="'the' if the name takes it inside a sentence.")
    alternates: list[Text] = Field(default_factory=list, description="Other accepted spellings: 'U.S.', 'USA'.")
    note: str | None = Field(default=None, description="For the teacher: why this entity is in the pool.")


class Answer(_Model):
    """The typed answer of a record: exactly one of entity, phrase, number or date."""

    entity: Slug | None = Field(default=None, description="Id of an entity defined under 'entities'.")
    phrase: Text | None = Field(default=None, description="A short phrase answer, e.g. 'a pact of non-aggression'.")
    number: int | float | None = Field(default=None, description="A count or quantity the text supports.")
    date: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD; the precision follows the form.")
    alternates: list[Text] = Field(default_factory=list, description="Other accepted answers.")
    distractors: list[Text] = Field(default_factory=list, description="Wrong answers of the same type (needed for phrases).")
    exclude: list[Slug] = Field(default_factory=list, description="Entity ids never to offer as distractors (e.g. the subject itself).")
    unit: str | None = Field(default=None, description="Unit of a number, e.g. 'days'.")
    tolerance: float = Field(default=0, ge=0, description="How far a numeric answer may be off and still count.")
    wording: str | None = Field(default=None, description="How the text words it ('Friday', 'three', 'in October').")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Answer":
        given = [k for k in ("entity", "phrase", "number", "date") if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none of them"
            raise ValueError(f"expected exactly one of entity, phrase, number or date, found {found}")
        return self

    @field_validator("date")
    @classmethod
    def _date_form(cls, value: str | None) -> str | None:
        if value is not None and not DATE_PATTERN.match(str(value)):
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found {value!r}")
        return value


class Wording(_Model):
    """Optional overrides of the generated wording of particular question forms."""

    mcq: Text | None = Field(default=None, description="Stem for the multiple-choice question (default: question).")
    short: Text | None = Field(default=None, description="Prompt for the short-answer question (default: question).")
    numeric: Text | None = Field(default=None, description="Prompt for the numeric question (dates: the year).")
    cue: Text | None = Field(default=None, description="Left-hand side in matching questions (default: statement with a blank).")
    ordering: Text | None = Field(default=None, description="date: the item shown in ordering questions (default: event).")


class Fact(_Model):
    """One hand-curated fact drawn from the text and proven by a quote from it."""

    id: Slug = Field(description="Stable identity of the record and of every question built from it.")
    kind: Kind
    question: Text = Field(description="A direct question whose answer is 'answer'.")
    statement: Text = Field(description="The fact as a sentence with {answer} where the answer goes.")
    answer: Answer
    evidence: list[Text] = Field(min_length=1, description="Quotes copied from the text that support the record.")
    party: Slug | None = Field(default=None, description="participant/person: the country (entity id).")
    role: Text | None = Field(default=None, description="person: their role, e.g. \"China's chief delegate\".")
    by: list[Slug] = Field(default_factory=list, description="demand/position/statement/threat/assessment: who (entity ids).")
    of: list[Slug] = Field(default_factory=list, description="demand: of whom (entity ids).")
    what: Text | None = Field(default=None, description="demand: what was demanded.")
    event: Text | None = Field(default=None, description="date: what happened, as a short sentence.")
    cloze: Text | None = Field(default=None, description="The span of the evidence to blank in the cloze (default: the answer).")
    difficulty: int = Field(default=2, ge=1, le=3)
    tags: list[Tag] = Field(default_factory=list)
    explanation: Text | None = None
    wording: Wording = Field(default_factory=Wording)

    @field_validator("by", "of", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("statement")
    @classmethod
    def _has_slot(cls, value: str) -> str:
        if value.count("{answer}") != 1:
            raise ValueError(f"expected the statement to contain '{{answer}}' exactly once, found it {value.count('{answer}')} times")
        return value


class FactFile(_Model):
    """A fact file: the source's metadata, the entity pools and the records."""

    source: SourceMeta
    entities: dict[EntityType, list[Entity]] = Field(description="Entity pools by type: named in the text, plus plausible extras.")
    facts: list[Fact] = Field(min_length=1)


def json_schema() -> dict:
    """The JSON Schema of a fact file, for editors (VS Code's YAML extension) to complete and check."""
    schema = FactFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizgen fact file"
    return schema
