"""The fact-file schema (pydantic models): what a teacher writes, and the JSON Schema editors check it with."""
from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
Tag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+(::[A-Za-z0-9_-]+)*$", max_length=64)]
OneOrMany = Union[Slug, list[Slug]]

# Entity types are the teacher's own (any slug); these have a meaning quizgen relies on.
COUNTRY_TYPE = "country"

Kind = Literal["participant", "person", "setting", "date", "number", "demand", "position", "statement",
               "threat", "outcome", "assessment", "background", "cause", "claim", "sequence", "term", "finding"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
QuestionForm = Literal["mcq", "multi", "short", "cloze", "numeric", "tf", "tf-false", "said-by", "claim", "position",
                       "matching", "ordering"]
FORMS: tuple[str, ...] = QuestionForm.__args__  # type: ignore[attr-defined]
QuizType = Literal["mcq", "multi", "tf", "short", "cloze", "numeric", "matching", "ordering"]

# The structured fields each kind must carry, so its questions can be built (see docs/fact-records.md).
KIND_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "participant": (),
    "person": (),
    "setting": (),
    "date": (),
    "number": (),
    "demand": ("by", "of", "what"),
    "position": ("by",),
    "statement": ("by",),
    "threat": ("by",),
    "outcome": (),
    "assessment": (),
    "background": (),
    "cause": (),
    "claim": ("by", "claim"),
    "sequence": ("steps",),
    "term": (),
    "finding": (),
}

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: str) -> str:
    """A date as YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END of those; raise ValueError saying what is wrong."""
    parts = str(value).split("/")
    if len(parts) > 2:
        raise ValueError(f"expected a date (YYYY, YYYY-MM, YYYY-MM-DD) or a range START/END, found {value!r}")
    keys = []
    for part in parts:
        m = _DATE.match(part.strip())
        if not m:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD (or a range like 2008/2012), found {value!r}")
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{part!r} is not a date: there is no month {month} (expected 01-12)")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{part!r} is not a date: {calendar.month_name[month]} {year} has {last} days")
        keys.append((year, month or 0, day or 0))
    if len(keys) == 2 and keys[1] <= keys[0]:
        raise ValueError(f"the range {value!r} ends before it starts (expected START/END with END later)")
    return str(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuizSettings(_Model):
    """How this source's quiz is chosen by `quizgen build` (the command line's options win)."""

    count: int | None = Field(default=None, ge=1, description="How many questions (a balanced selection). Default: one per record or group.")
    types: list[QuizType] = Field(default_factory=list, description="Only these question types.")
    tags: list[Tag] = Field(default_factory=list, description="Only questions with one of these tags.")
    all: bool = Field(default=False, description="Every question in the bank (true/false variants included).")


class SourceMeta(_Model):
    """Where the text comes from; every output cites it."""

    title: Text = Field(description="Title of the text as published (its headline). Shown to students: never ask what it says.")
    deck_name: Text = Field(description="Short readable name for decks and quizzes, e.g. 'Beijing talks, August 2003'. Shown to students.")
    publisher: Text = Field(description="Who published the text, e.g. 'Voice of America'.")
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = Field(
        description="Publication date, YYYY-MM-DD (or YYYY-MM, YYYY). Shown to students in the citation.")
    license: Text = Field(description="Why the text may be reproduced, e.g. 'public domain (VOA material)'.")
    text: Text = Field(description="File name of the text, in the same folder as this file.")
    url: str | None = Field(default=None, description="Where the text was published, if known.")
    event: Text | None = Field(default=None, description="Short name of what the text is about (for the teacher; not used in questions).")
    front_matter: list[Text] = Field(default_factory=list, description=(
        "Lines of the text that are not its body (a byline, a dateline, a signature) besides the ones quizgen finds itself; "
        "no question is made from them unless a record sets front_matter: true."))
    quiz: QuizSettings = Field(default_factory=QuizSettings, description="How `quizgen build` chooses this source's quiz.")

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str) -> str:
        return check_date(value)


class Entity(_Model):
    """A named thing answers and distractors are drawn from; the pool of its type supplies distractors."""

    id: Slug
    name: Text = Field(description="Name as shown in options, e.g. 'United States'.")
    article: Literal["the"] | None = Field(default=None, description="'the' if the name takes it inside a sentence.")
    alternates: list[Text] = Field(default_factory=list, description="Other accepted spellings: 'U.S.', 'USA'.")
    country: Slug | None = Field(default=None, description="The entity's country (an entity id), if it has one and it matters.")
    attributes: dict[Slug, Union[Text, list[Text]]] = Field(default_factory=dict, description=(
        "What kind of thing it is, for choosing distractors that fit the question: e.g. {region: east-asia}, "
        "{role: president}. A record's answer can ask for distractors with the same values (same: [role]) "
        "or with given values (where: {role: astronaut})."))
    note: str | None = Field(default=None, description="For the teacher: why this entity is in the pool.")


class Pool(_Model):
    """Where a record's entity distractors come from, when not simply the answer's own type."""

    type: Slug | None = Field(default=None, description="Take distractors from this entity type instead of the answer's.")
    where: dict[Slug, Union[Text, list[Text]]] = Field(default_factory=dict, description="Only entities whose attributes have these values.")


class Answer(_Model):
    """The typed answer of a record: exactly one of entity, entities, phrase, number or date."""

    entity: Slug | None = Field(default=None, description="Id of an entity defined under 'entities'.")
    entities: list[Slug] | None = Field(default=None, description="Several entities that all answer the question (a select-all-that-apply item).")
    phrase: Text | None = Field(default=None, description="A short phrase answer, e.g. 'a pact of non-aggression'.")
    number: int | float | None = Field(default=None, description="A count or quantity the text supports.")
    date: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END; the precision is the text's.")
    alternates: list[Text] = Field(default_factory=list, description="Other accepted answers (short answer, cloze).")
    distractors: list[Text] = Field(default_factory=list, description=(
        "Wrong answers of the same grammatical form, each clearly contradicted by the text (needed for phrases; "
        "optional for numbers and dates, which quizgen can make)."))
    exclude: list[Slug] = Field(default_factory=list, description="Entity ids never to offer as distractors.")
    pool: Pool | None = Field(default=None, description="Narrow where entity distractors come from.")
    same: list[Slug] = Field(default_factory=list, description="Entity distractors must share these attributes' values with the answer.")
    scale: list[Text] = Field(default_factory=list, description=(
        "An ordered list the answer and its distractors come from (weekdays, months, ranks): options are shown in this order."))
    unit: str | None = Field(default=None, description="Unit of a number, e.g. 'days'; shown beside the value, never inside {answer}.")
    tolerance: float = Field(default=0, ge=0, description="How far a numeric answer may be off and still count.")
    wording: str | None = Field(default=None, description="How the text words it ('Friday', 'three', 'in October').")
    near_misses: bool = Field(default=False, description="Allow number or date distractors right next to the answer (off by one).")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Answer":
        given = [k for k in ("entity", "entities", "phrase", "number", "date") if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none of them"
            raise ValueError(f"expected exactly one of entity, entities, phrase, number or date, found {found}")
        return self

    @field_validator("date", mode="before")
    @classmethod
    def _year_as_text(cls, value: object) -> object:
        # a bare year (date: 1776) is read by YAML as a number; it means the same as "1776"
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("date")
    @classmethod
    def _date_form(cls, value: str | None) -> str | None:
        return None if value is None else check_date(value)

    @field_validator("entities")
    @classmethod
    def _two_or_more(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(value) < 2:
            raise ValueError(f"'entities' lists the several answers of one question: expected at least 2, found {len(value)}")
        return value


class Step(_Model):
    """One step of a sequence, in its place."""

    text: Text = Field(description="The event as a short sentence, shown as an ordering item.")
    evidence: Text | None = Field(default=None, description="The quote that places it, if not the record's.")


class Wording(_Model):
    """Optional overrides of the generated wording of particular question forms."""

    mcq: Text | None = Field(default=None, description="Stem for the multiple-choice question (default: question).")
    short: Text | None = Field(default=None, description="Prompt for the short-answer question (default: question).")
    numeric: Text | None = Field(default=None, description="Prompt for the numeric question (dates: asks the year).")
    cue: Text | None = Field(default=None, description="How this record reads as a matching premise (default: 'what' or its claim).")
    ordering: Text | None = Field(default=None, description="date: the item shown in ordering questions (default: event).")
    said_by: Text | None = Field(default=None, description="Stem of the 'who said it' question (default: built from claim).")
    claim: Text | None = Field(default=None, description="Stem of the 'which claim' question (default: built from by).")
    position: Text | None = Field(default=None, description="Stem of the 'which position' question (default: built from by and on).")


class Fact(_Model):
    """One hand-curated fact drawn from the text and proven by a quote from it."""

    id: Slug = Field(description="Stable identity of the record and of every question built from it.")
    kind: Kind = Field(description="What sort of fact it is; see docs/fact-records.md for the forms each kind yields.")
    question: Text = Field(description="A direct question whose answer is 'answer'; it must not contain the answer.")
    statement: Text | None = Field(default=None, description=(
        "The fact as a sentence with {answer} where the answer goes: the true statement of true/false items, and "
        "(with a distractor in the slot) the false one when the slot is exclusive."))
    false_statement: Text | None = Field(default=None, description="A false statement the text clearly contradicts, written by you (the false true/false item).")
    answer: Answer
    evidence: list[Text] = Field(min_length=1, description="Quotes copied from the text that support the record.")
    party: Slug | None = Field(default=None, description="participant/person: the country (a 'country' entity) the record is about.")
    role: Text | None = Field(default=None, description="person: their role, e.g. \"China's chief delegate\" (for the teacher).")
    by: OneOrMany = Field(default_factory=list, description=(
        "Who demanded, said or holds it (entity ids): attribution items ask who said the claim; demands are matched by it."))
    of: OneOrMany = Field(default_factory=list, description="demand: of whom it was demanded (entity ids); demands are matched to it.")
    what: Text | None = Field(default=None, description="demand: what was demanded, as a verb phrase ('sign a pact of non-aggression').")
    claim: Text | None = Field(default=None, description=(
        "What 'by' said, reported or held, as a clause that reads after 'that' ('all sides reached common ground'). "
        "Makes 'who said it' and 'which claim' items, and a who-said-what matching item."))
    claim_distractors: list[Text] = Field(default_factory=list, description=(
        "Claims or positions that nobody in the text holds (each clearly contradicted by it), offered beside other "
        "sources' claims in 'which claim' and 'which position' items when the text has too few."))
    issue: Text | None = Field(default=None, description=(
        "The issue a position is about ('a pact of non-aggression'): records with the same 'issue' and different 'by' "
        "contrast positions ('Which position did X hold on ...?') and are matched to their holders."))
    event: Text | None = Field(default=None, description="date: what happened, as a short sentence (an ordering item).")
    part_of: Slug | None = Field(default=None, description="date: dates that are parts of one event (its start and end) share this, and are never ordered against each other.")
    steps: list[Step] = Field(default_factory=list, description="sequence: the events in the order the text gives them (an ordering item).")
    cloze: Text | None = Field(default=None, description="The span of the evidence to blank in the cloze (default: the answer).")
    exclusive: bool | None = Field(default=None, description=(
        "Whether the text makes the answer the only one (one place, one count, one named actor), so that putting a "
        "distractor in the statement makes a false statement. Default: yes for entities, numbers and dates, no for phrases."))
    forms: list[QuestionForm] = Field(default_factory=list, description="Make only these forms (default: every form that suits the record).")
    skip: list[QuestionForm] = Field(default_factory=list, description="Never make these forms.")
    group: Slug | None = Field(default=None, description="Records with the same question form one group item; this names it (default: from their ids).")
    front_matter: bool = Field(default=False, description="Allow questions on the headline, dateline or signature.")
    difficulty: int = Field(default=2, ge=1, le=3)
    tags: list[Tag] = Field(default_factory=list)
    explanation: Text | None = None
    wording: Wording = Field(default_factory=Wording)

    @field_validator("by", "of", mode="after")
    @classmethod
    def _as_list(cls, value: object) -> list[str]:
        return [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]

    @field_validator("statement", "false_statement")
    @classmethod
    def _has_slot(cls, value: str | None, info) -> str | None:
        if value is None:
            return value
        n = value.count("{answer}")
        if info.field_name == "statement" and n != 1:
            raise ValueError(f"expected the statement to contain '{{answer}}' exactly once, found it {n} times")
        if info.field_name == "false_statement" and n:
            raise ValueError("expected a false statement written out in full, without '{answer}'")
        return value

    @property
    def by_ids(self) -> list[str]:
        return list(self.by)  # type: ignore[arg-type]

    @property
    def of_ids(self) -> list[str]:
        return list(self.of)  # type: ignore[arg-type]


class FactFile(_Model):
    """A fact file: the source's metadata, the entity pools and the records."""

    source: SourceMeta
    entities: dict[Slug, list[Entity]] = Field(default_factory=dict, description=(
        "Entity pools by type (your own type names: country, person, astronaut, vehicle, ...): the entities the text "
        "names, plus plausible extras that are not in it, for distractors."))
    facts: list[Fact] = Field(min_length=1)


def json_schema() -> dict:
    """The JSON Schema of a fact file, for editors (VS Code's YAML extension) to complete and check."""
    schema = FactFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizgen fact file"
    return schema
