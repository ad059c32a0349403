"""Fact files: load a source's YAML records, validate them against the schema and the text, report every problem."""
from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic, InputError, Report
from .schema import COUNTRY_TYPE, Entity, Fact, FactFile, SourceMeta
from .textnorm import closest_passage, front_matter_spans, locate, mentions, normalise_quote
from .yamlsafe import Located, load_yaml, read_text_file

MIN_DISTRACTORS = 3
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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
    """An entity with its pool's type, and whether the text itself names it."""

    type: str
    entity: Entity
    in_text: bool = False

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def in_sentence(self) -> str:
        return f"{self.entity.article} {self.entity.name}" if self.entity.article else self.entity.name

    def attribute(self, key: str) -> tuple[str, ...]:
        value = self.entity.attributes.get(key)
        if value is None and key == "country":
            value = self.entity.country
        if value is None:
            return ()
        return tuple(value) if isinstance(value, list) else (value,)


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
    front_matter: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

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

    def where(self, fact_index: int, *sub: typing.Any) -> tuple[int, int]:
        """Line and column of a record's field in the fact file."""
        return self.located.where(("facts", fact_index) + sub)

    def index_of(self, fact_id: str) -> int:
        """The position of the record with this id among the facts (its place in the file)."""
        return next(i for i, f in enumerate(self.facts) if f.id == fact_id)

    def in_front_matter(self, quote: str) -> bool:
        """True if the quote lies in the headline, dateline, signature or declared front matter."""
        at = locate(self.text, quote)
        return at is not None and any(s <= at[0] and at[1] <= e for s, e in self.front_matter)


# ---- schema errors, in a teacher's words --------------------------------------------------------

def _model_at(loc: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of a validation error's location."""
    model: typing.Any = root
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        if isinstance(model, type) and issubclass(model, BaseModel):
            info = model.model_fields.get(str(part))
            if info is None:
                continue  # a dict key keeps the dict's value type
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


def _schema_message(err: dict, root: type[BaseModel]) -> str:
    kind = err["type"]
    loc = err["loc"]
    field_name = str(loc[-1]) if loc else "document"
    if isinstance(loc[-1] if loc else None, int) and len(loc) >= 2:
        field_name = f"{loc[-2]}[{loc[-1] + 1}]"
    found = err.get("input")
    if kind == "missing":
        return f"missing required field '{field_name}'"
    if kind == "extra_forbidden":
        model = _model_at(loc, root)
        allowed = sorted(model.model_fields) if model else []
        guess = difflib.get_close_matches(field_name, allowed, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        return f"unknown key '{field_name}' ({hint}expected one of: {', '.join(allowed)})"
    if kind == "literal_error":
        expected = [x.strip().strip("'") for x in str(err.get("ctx", {}).get("expected", "")).replace(" or ", ", ").split(",")]
        guess = difflib.get_close_matches(str(found), expected, n=1, cutoff=0.5) if isinstance(found, str) else []
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return f"'{field_name}' expected one of {', '.join(expected)}, found {_describe(found)}{hint}"
    if kind == "string_pattern_mismatch":
        if field_name == "date":
            return f"'{field_name}' expected a date as YYYY-MM-DD (or YYYY-MM, YYYY), found {_describe(found)}"
        if field_name == "[key]":
            return f"'{found}' is not a valid type name (expected lower-case letters, digits and single hyphens, like 'space-agency')"
        if "::" in str(err.get("ctx", {}).get("pattern", "")):
            return f"'{field_name}' expected a tag (letters, digits, _ and -, levels joined by ::), found {_describe(found)}"
        return f"'{field_name}' expected a slug (lower-case letters, digits and single hyphens, like 'host-city'), found {_describe(found)}"
    if kind == "value_error":
        return f"'{field_name}': {err['msg'].removeprefix('Value error, ')}"
    expected_by_kind = {"string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
                        "float_type": "a number", "float_parsing": "a number", "list_type": "a list",
                        "dict_type": "a mapping", "model_type": "a mapping", "bool_type": "true or false",
                        "bool_parsing": "true or false", "int_from_float": "a whole number"}
    if kind in expected_by_kind:
        hint = ""
        if kind == "string_type" and isinstance(found, bool):
            hint = " (YAML reads yes, no, on, off, true and false as a yes/no value: put the word in quotes, \"yes\")"
        elif kind == "string_type" and isinstance(found, (int, float)):
            hint = f" (put it in quotes if you mean the text \"{found}\")"
        return f"'{field_name}' expected {expected_by_kind[kind]}, found {_describe(found)}{hint}"
    if kind in ("too_short", "string_too_short"):
        return f"'{field_name}' must not be empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"'{field_name}' {err['msg'].lower().replace('input should be', 'expected')}, found {_describe(found)}"
    return f"'{field_name}': {err['msg']} (found {_describe(found)})"


def _schema_errors(report: Report, file: str, located: Located, exc: ValidationError, prefix: tuple,
                   root: type[BaseModel], record: str) -> None:
    seen: set[tuple] = set()
    for err in exc.errors():
        loc = tuple(err["loc"])
        # a value that fits none of a union's members is reported once, for its first member
        key = (loc[:-1] if loc and loc[-1] in ("str", "list[str]") else loc)
        if err["type"] in ("string_type", "list_type") and key in seen:
            continue
        seen.add(key)
        clean = tuple(p for p in loc if p not in ("str", "list[str]", "function-after[_as_list(), union[str,list[str]]]"))
        line, col = located.where(prefix + clean)
        report.error(file, _schema_message({**err, "loc": clean}, root), line, col, record)


# ---- loading and checking -------------------------------------------------------------------

def load_pack(path: Path | str) -> SourcePack:
    """Load and fully validate one fact file; raise InputError listing every problem found."""
    pack, report = check_pack(Path(path))
    report.raise_if_errors()
    assert pack is not None
    return pack


def check_pack(path: Path) -> tuple[SourcePack | None, Report]:
    """Validate one fact file in one pass: every part on its own, so one broken record hides no other problem.

    Returns the pack of the records that are valid (None if the file is unusable) and every diagnostic found.
    """
    report = Report()
    file = str(path)
    located = load_yaml(path)
    data = located.data
    if not isinstance(data, dict):
        report.error(file, f"expected a mapping with 'source', 'entities' and 'facts' at the top, found {_describe(data)}", 1, 1)
        return None, report
    for key in data:
        if key not in FactFile.model_fields:
            guess = difflib.get_close_matches(str(key), list(FactFile.model_fields), n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            line, col = located.where((key, "[key]"))
            report.error(file, f"unknown key '{key}' ({hint}expected one of: entities, facts, source)", line, col)

    meta = _validate(report, file, located, data.get("source"), ("source",), SourceMeta, "source", required=True)
    entities = _entities(report, file, located, data.get("entities"))
    raw_facts = data.get("facts")
    if not isinstance(raw_facts, list) or not raw_facts:
        line, col = located.where(("facts",))
        report.error(file, f"'facts' expected a list of records, found {_describe(raw_facts)}", line, col)
        raw_facts = []
    facts: list[Fact] = []
    for i, item in enumerate(raw_facts):
        label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else f"facts[{i}]"
        fact = _validate(report, file, located, item, ("facts", i), Fact, label)
        facts.append(fact)  # type: ignore[arg-type]  (None keeps the index; dropped below)

    text_name = meta.text if meta else (data.get("source") or {}).get("text") if isinstance(data.get("source"), dict) else None
    if not isinstance(text_name, str):
        return None, report
    text_path = path.parent / text_name
    try:
        text = read_text_file(text_path, "source text")
    except InputError as exc:
        line, col = located.where(("source", "text"))
        for d in exc.diagnostics:
            report.error(file, f"{d.message}: {text_path}", line, col, "source")
        return None, report

    _check_quotes(report, file, located, raw_facts, text, text_name)
    if meta is None:
        return None, report
    typed = {e.id: TypedEntity(t, e, mentions(text, [e.name, *e.alternates])) for t, e in entities}
    front = front_matter_spans(text, meta.title, meta.front_matter)
    valid = tuple(f for f in facts if f is not None)
    pack = SourcePack(path.stem, path, text_path, text, meta, typed, valid, located, front)
    from .checks import check_records

    check_records(pack, report, indexes=[i for i, f in enumerate(facts) if f is not None])
    return pack, report


def _validate(report: Report, file: str, located: Located, value: typing.Any, prefix: tuple,
              model: type[BaseModel], record: str, required: bool = False) -> typing.Any:
    """Validate one part of the file on its own; report its errors at their places."""
    if value is None and required:
        line, col = located.where(prefix[:-1])
        report.error(file, f"missing required section '{prefix[-1]}'", line, col, record)
        return None
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        _schema_errors(report, file, located, exc, prefix, model, record)
        return None


def _entities(report: Report, file: str, located: Located, pools: typing.Any) -> list[tuple[str, Entity]]:
    if pools is None:
        return []
    if not isinstance(pools, dict):
        line, col = located.where(("entities",))
        report.error(file, f"'entities' expected a mapping of type name -> list of entities, found {_describe(pools)}", line, col)
        return []
    out: list[tuple[str, Entity]] = []
    seen: dict[str, str] = {}
    for etype, items in pools.items():
        line, col = located.where(("entities", etype, "[key]"))
        if not isinstance(etype, str) or not _SLUG.match(etype):
            report.error(file, f"'{etype}' is not a valid entity type name (expected lower-case letters, digits and single hyphens, like 'space-agency')", line, col)
            continue
        if not isinstance(items, list):
            report.error(file, f"entity type '{etype}' expected a list of entities, found {_describe(items)}", line, col)
            continue
        for i, item in enumerate(items):
            ent = _validate(report, file, located, item, ("entities", etype, i), Entity, f"entities.{etype}[{i}]")
            if ent is None:
                continue
            if ent.id in seen:
                el, ec = located.where(("entities", etype, i, "id"))
                report.error(file, f"duplicate entity id '{ent.id}' (already defined as a {seen[ent.id]}; expected each id once)", el, ec, ent.id)
                continue
            seen[ent.id] = etype
            out.append((etype, ent))
    return out


def _check_quotes(report: Report, file: str, located: Located, raw_facts: list, text: str, text_name: str) -> None:
    """Every evidence quote against the text, for valid and invalid records alike."""
    norm_text = normalise_quote(text)
    for i, item in enumerate(raw_facts):
        if not isinstance(item, dict):
            continue
        label = item.get("id") if isinstance(item.get("id"), str) else f"facts[{i}]"
        quotes = [(("evidence", j), q) for j, q in enumerate(item.get("evidence") or []) if isinstance(q, str)]
        for k, step in enumerate(item.get("steps") or []):
            if isinstance(step, dict) and isinstance(step.get("evidence"), str):
                quotes.append((("steps", k, "evidence"), step["evidence"]))
        for sub, quote in quotes:
            if normalise_quote(quote) not in norm_text:
                near = closest_passage(text, quote)
                line, col = located.where(("facts", i) + sub)
                report.error(file, f"evidence is not in the text {text_name} (expected a verbatim quote; the closest passage is: \"{near}\")",
                             line, col, label)


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


__all__ = ["Citation", "SourcePack", "TypedEntity", "load_pack", "check_pack", "Diagnostic", "COUNTRY_TYPE", "MIN_DISTRACTORS"]
