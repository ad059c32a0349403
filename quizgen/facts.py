"""Fact files: load a source's YAML records, validate them against the schema and the text, report every problem."""
from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, InputError, Report
from .schema import ENTITY_TYPES, KIND_REQUIRED_FIELDS, Entity, Fact, FactFile, SourceMeta
from .answers import answer_alternates, display_answer
from .textnorm import closest_passage, named_answer, normalise_answer, normalise_quote
from .yamlsafe import Located, load_yaml, read_text_file

MIN_DISTRACTORS = 3


@dataclass(frozen=True)
class Citation:
    """How every output cites the source text."""

    title: str
    publisher: str
    date: str
    license: str
    name: str = ""            # short readable name: deck and quiz titles
    url: str | None = None

    def __str__(self) -> str:
        return f'"{self.title}", {self.publisher}, {self.date}. {self.license}.'


@dataclass(frozen=True)
class TypedEntity:
    type: str
    entity: Entity

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def in_sentence(self) -> str:
        return f"{self.entity.article} {self.entity.name}" if self.entity.article else self.entity.name


@dataclass(frozen=True)
class SourcePack:
    """A validated source: its text, metadata, entity pools and fact records."""

    name: str                 # the fact file's stem: identity of the source in paths, tags and ids
    facts_path: Path
    text_path: Path
    text: str
    meta: SourceMeta
    entities: dict[str, TypedEntity]
    facts: tuple[Fact, ...]
    located: Located = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"<SourcePack {self.name}: {len(self.facts)} records, {len(self.entities)} entities, text {len(self.text):,} characters>"

    @property
    def citation(self) -> Citation:
        """How every output cites the text."""
        m = self.meta
        return Citation(m.title, m.publisher, m.date, m.license, m.deck_name, m.url)

    def pool(self, entity_type: str) -> list[TypedEntity]:
        """The entities of one type: an answer's wrong options are drawn from its type's pool."""
        return [e for e in self.entities.values() if e.type == entity_type]


def _model_at(loc: tuple, root: type[BaseModel] = FactFile) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of a validation error's location."""
    model: typing.Any = root
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        if isinstance(model, type) and issubclass(model, BaseModel):
            info = model.model_fields.get(str(part))
            if info is None:
                # a dict key (e.g. an entity type) keeps the dict's value type
                continue
            model = _unwrap(info.annotation)
        else:
            model = None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: typing.Any) -> typing.Any:
    while True:
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, tuple, dict):
            annotation = args[-1]
        elif args and origin is not None and origin is not typing.Annotated and origin is not typing.Literal:
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if not models:
                return None
            annotation = models[0]
        elif origin is typing.Annotated:
            annotation = args[0]
        else:
            return annotation


def _describe(value: typing.Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if value is None:
        return "nothing"
    text = str(value)
    return repr(text if len(text) < 60 else text[:57] + "...")


def _schema_message(err: dict) -> str:
    kind = err["type"]
    loc = err["loc"]
    field_name = str(loc[-1]) if loc else "document"
    found = err.get("input")
    if kind == "missing":
        return f"missing required field '{field_name}'"
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = sorted(model.model_fields) if model else []
        guess = difflib.get_close_matches(field_name, allowed, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        return f"unknown key '{field_name}' ({hint}expected one of: {', '.join(allowed)})"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        if field_name == "[key]":  # a mapping key, e.g. an entity type under 'entities'
            return f"unknown {loc[-3] if len(loc) >= 3 else 'key'} type: expected one of {expected}, but received {_describe(found)}"
        return f"'{field_name}' expected one of {expected}, but received {_describe(found)}"
    if kind == "string_pattern_mismatch":
        if field_name == "date":
            return f"'{field_name}' expected a date as YYYY-MM-DD, found {_describe(found)}"
        return f"'{field_name}' expected a slug (lower-case letters, digits and single hyphens, like 'host-city'), found {_describe(found)}"
    if kind == "value_error":
        return f"'{field_name}': {err['msg'].removeprefix('Value error, ')}"
    expected_by_kind = {"string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
                        "float_type": "a number", "float_parsing": "a number", "list_type": "a list",
                        "dict_type": "a mapping", "model_type": "a mapping", "bool_type": "true or false",
                        "bool_parsing": "true or false", "int_from_float": "a whole number"}
    if kind in expected_by_kind:
        expected = expected_by_kind[kind]
        return f"'{field_name}' expected {expected}, found {_describe(found)}"
    if kind in ("too_short", "string_too_short"):
        return f"'{field_name}' must not be empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"'{field_name}' {err['msg'].lower().replace('input should be', 'expected')}, found {_describe(found)}"
    return f"'{field_name}': {err['msg']} (found {_describe(found)})"


def _record_label(data: typing.Any, loc: tuple) -> str:
    if len(loc) >= 2 and loc[0] == "facts" and isinstance(loc[1], int) and isinstance(data, dict):
        facts = data.get("facts")
        if isinstance(facts, list) and loc[1] < len(facts):
            item = facts[loc[1]]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                return item["id"]
        return f"facts[{loc[1]}]"
    if len(loc) >= 3 and loc[0] == "entities" and isinstance(loc[2], int):
        return f"entities.{loc[1]}[{loc[2]}]"
    return ""


def load_pack(path: Path | str) -> SourcePack:
    """Load and fully validate one fact file; raise InputError listing every problem found."""
    pack, report = check_pack(Path(path))
    report.raise_if_errors()
    assert pack is not None
    return pack


def check_pack(path: Path) -> tuple[SourcePack | None, Report]:
    """Validate one fact file; return the pack (None if unusable) and every diagnostic found."""
    report = Report()
    file = str(path)
    located = load_yaml(path)
    data = located.data
    if not isinstance(data, dict):
        report.error(file, f"expected a mapping with 'source', 'entities' and 'facts' at the top, found {_describe(data)}", 1, 1)
        return None, report
    try:
        model = FactFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            # errors in a model validator point at the model; a missing field points at its parent mapping
            line, col = located.where(loc)
            report.error(file, _schema_message(err), line, col, _record_label(data, loc))
        _check_raw_evidence(path, data, located, report)
        return None, report

    text_path = path.parent / model.source.text
    try:
        text = read_text_file(text_path, "source text")
    except InputError as exc:
        line, col = located.where(("source", "text"))
        for d in exc.diagnostics:
            report.error(file, f"{d.message}: {text_path}", line, col, "source")
        return None, report

    entities: dict[str, TypedEntity] = {}
    for etype, items in model.entities.items():
        for i, ent in enumerate(items):
            line, col = located.where(("entities", etype, i))
            if ent.id in entities:
                report.error(file, f"duplicate entity id '{ent.id}' (already defined as a {entities[ent.id].type}; expected each id once)", line, col, ent.id)
                continue
            entities[ent.id] = TypedEntity(etype, ent)

    pack = SourcePack(path.stem, path, text_path, text, model.source, entities, tuple(model.facts), located)
    _check_facts(pack, report)
    return pack, report


def _check_facts(pack: SourcePack, report: Report) -> None:
    file = str(pack.facts_path)
    norm_text = normalise_quote(pack.text)
    seen: dict[str, int] = {}
    for i, fact in enumerate(pack.facts):
        def where(*sub: typing.Any) -> tuple[int, int]:
            return pack.located.where(("facts", i) + sub)

        def err(message: str, *sub: typing.Any) -> None:
            line, col = where(*sub)
            report.error(file, message, line, col, fact.id)

        if fact.id in seen:
            err(f"duplicate id '{fact.id}' (first used on line {seen[fact.id]}; expected each id once)", "id")
        else:
            seen[fact.id] = where("id")[0]

        for name in KIND_REQUIRED_FIELDS[fact.kind]:
            value = getattr(fact, name)
            if value in (None, [], ""):
                err(f"a '{fact.kind}' record needs the field '{name}' (expected {', '.join(KIND_REQUIRED_FIELDS[fact.kind])})")
        if fact.kind == "date" and fact.answer.date is None:
            err("a 'date' record needs a date answer (expected 'answer: {date: YYYY-MM-DD}')", "answer")
        if fact.kind == "number" and fact.answer.number is None:
            err("a 'number' record needs a number answer (expected 'answer: {number: N}')", "answer")

        for j, quote in enumerate(fact.evidence):
            problem = _quote_problem(quote, pack.text, norm_text, pack.text_path.name)
            if problem:
                err(problem, "evidence", j)

        refs: list[tuple[str, tuple]] = []
        if fact.answer.entity:
            refs.append((fact.answer.entity, ("answer", "entity")))
        refs += [(x, ("answer", "exclude", k)) for k, x in enumerate(fact.answer.exclude)]
        if fact.party:
            refs.append((fact.party, ("party",)))
        refs += [(x, ("by", k)) for k, x in enumerate(fact.by)]
        refs += [(x, ("of", k)) for k, x in enumerate(fact.of)]
        for ref, sub in refs:
            if ref not in pack.entities:
                guess = difflib.get_close_matches(ref, list(pack.entities), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                err(f"refers to entity '{ref}', which is not defined under 'entities'{hint}", *sub)
        _check_answer(pack, fact, err)


def _quote_problem(quote: str, text: str, norm_text: str, text_name: str) -> str | None:
    if normalise_quote(quote) in norm_text:
        return None
    near = closest_passage(text, quote)
    return f"evidence is not in the text {text_name} (expected a verbatim quote; the closest passage is: \"{near}\")"


def _check_raw_evidence(path: Path, data: dict, located: Located, report: Report) -> None:
    """Check quotes even when the schema failed, so one run reports misquotes too."""
    source = data.get("source")
    name = source.get("text") if isinstance(source, dict) else None
    facts = data.get("facts")
    if not isinstance(name, str) or not isinstance(facts, list):
        return
    try:
        text = read_text_file(path.parent / name, "source text")
    except InputError:
        return  # reported once the schema errors are fixed
    norm_text = normalise_quote(text)
    for i, item in enumerate(facts):
        quotes = item.get("evidence") if isinstance(item, dict) else None
        if not isinstance(quotes, list):
            continue
        for j, quote in enumerate(quotes):
            if isinstance(quote, str):
                problem = _quote_problem(quote, text, norm_text, name)
                if problem:
                    line, col = located.where(("facts", i, "evidence", j))
                    report.error(path, problem, line, col, _record_label(data, ("facts", i)))


def _check_answer(pack: SourcePack, fact: Fact, err: typing.Callable[..., None]) -> None:
    ans = fact.answer
    if ans.entity and ans.entity not in pack.entities:
        return
    accepted = {normalise_answer(x) for x in [display_answer(pack, fact), *answer_alternates(pack, fact)]}
    for k, d in enumerate(ans.distractors):
        if normalise_answer(d) in accepted:
            err(f"distractor '{d}' is the answer itself or one of its alternates (expected a wrong answer)", "answer", "distractors", k)
    named = named_answer(fact.question, sorted(accepted))
    if named:
        err(f"the question gives away the answer: it contains '{named}' (expected a question that does not name its answer)", "question")
    if ans.entity:
        etype = pack.entities[ans.entity].type
        excluded = {ans.entity, *ans.exclude}
        usable = [e for e in pack.pool(etype) if e.id not in excluded]
        if len(usable) < MIN_DISTRACTORS:
            err(f"too few {etype} entities to make {MIN_DISTRACTORS} distractors (expected at least {MIN_DISTRACTORS} other {etype}s under 'entities', found {len(usable)})", "answer", "entity")
    elif ans.phrase is not None and len(ans.distractors) < MIN_DISTRACTORS:
        err(f"a phrase answer needs at least {MIN_DISTRACTORS} distractors (found {len(ans.distractors)})", "answer", "distractors")


def all_diagnostics_for(paths: list[Path]) -> tuple[list[SourcePack], Report]:
    """Check many fact files; keep going after a broken one so the report is complete."""
    packs: list[SourcePack] = []
    report = Report()
    for p in paths:
        try:
            pack, r = check_pack(p)
        except InputError as exc:
            report.diagnostics.extend(exc.diagnostics)
            continue
        report.extend(r)
        if pack is not None and not r.errors:
            packs.append(pack)
    return packs, report


__all__ = ["Citation", "SourcePack", "TypedEntity", "load_pack", "check_pack", "Diagnostic", "ENTITY_TYPES"]
