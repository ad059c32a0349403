"""What every generator shares: the pack, the seed, groups of records, wording helpers and the common question fields."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..answers import answer_alternates, answer_kind, display_answer, in_sentence
from ..bank import Question, Skipped, display_permutation, keyed_hash, stable_rng
from ..facts import SourcePack
from ..schema import Fact
from ..textnorm import locate, named_answer, normalise_answer

@dataclass
class Context:
    pack: SourcePack
    seed: str
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self) -> None:
        groups: dict[str, list[Fact]] = defaultdict(list)
        for f in self.pack.facts:
            groups[normalise_answer(f.question)].append(f)
        self._same_question = groups
        self._positions = {f.id: self._position(f) for f in self.pack.facts}

    # ---- records and groups ---------------------------------------------------------------

    def shares_question(self, fact: Fact) -> list[Fact]:
        """Other records with the same question: other correct answers to it (they form one group item)."""
        return [f for f in self._same_question[normalise_answer(fact.question)] if f.id != fact.id]

    def groups(self) -> list[tuple[str, list[Fact]]]:
        """Records that answer one question together, with the group's id: explicit `group`, else the common
        hyphenated prefix of their ids, else the first id."""
        out = []
        for members in self._same_question.values():
            if len(members) < 2:
                continue
            explicit = next((f.group for f in members if f.group), None)
            out.append((explicit or _common_prefix([f.id for f in members]) or members[0].id + "-group", members))
        return sorted(out, key=lambda g: g[0])

    def in_group(self, fact: Fact) -> bool:
        return bool(self.shares_question(fact))

    def wants(self, fact: Fact, form: str) -> bool:
        """Whether the teacher allows this form for the record (forms: / skip: overrides)."""
        if form in fact.skip:
            return False
        return not fact.forms or form in fact.forms

    def unsuitable(self, fact: Fact, form: str, several: str) -> str | None:
        """The reason a record yields no `form` that every per-record form shares (None if there is none): the
        teacher left it out, the record is one of several answers (`several` says how those are asked), or it
        quotes only the headline, dateline or signature."""
        if not self.wants(fact, form):
            return "left out by the record (forms/skip)"
        if self.in_group(fact) or fact.answer.entities:
            return several
        if not self.body_evidence(fact):
            return "its only evidence is the headline, dateline or signature (set front_matter: true to allow)"
        return None

    def skip(self, fact_id: str, form: str, reason: str) -> list[Question]:
        self.skipped.append(Skipped(self.pack.name, fact_id, form, reason))
        return []

    def warn(self, fact: Fact, form: str, message: str) -> None:
        self.warnings.append(f"{self.pack.facts_path}: {fact.id}: {form} question skipped: {message}")

    # ---- randomness keyed by the course seed and the question's own id -----------------------

    def rng(self, question_id: str, purpose: str = ""):
        return stable_rng(self.seed, self.pack.name, question_id, purpose)

    def slot(self, question_id: str, n: int) -> int:
        """Where the key stands among n options: keyed by the course seed, so nobody can compute it."""
        return keyed_hash(self.seed, self.pack.name, question_id, "slot") % n

    def ranker(self, question_id: str):
        """A stable rank for each candidate answer of a question (rendezvous hashing): the order of a pool never
        depends on which other candidates exist."""
        return lambda candidate: keyed_hash(self.seed, self.pack.name, question_id, "rank", str(candidate))

    def permutation(self, question_id: str, n: int) -> tuple[int, ...]:
        return display_permutation(self.seed, self.pack.name, question_id, n)

    # ---- wording ----------------------------------------------------------------------------

    def answer(self, fact: Fact) -> str:
        return display_answer(self.pack, fact)

    def alternates(self, fact: Fact) -> list[str]:
        return answer_alternates(self.pack, fact)

    def name(self, entity_id: str) -> str:
        return self.pack.entities[entity_id].name

    def in_sentence(self, shown: str) -> str:
        return in_sentence(self.pack, shown)

    def fill(self, statement: str, shown: str) -> str:
        """A statement with an answer (right or wrong) in its slot, capitalised at a sentence start."""
        text = statement.replace("{answer}", self.in_sentence(shown))
        return text[:1].upper() + text[1:]

    def leaks(self, prompt: str, accepted: list[str]) -> str | None:
        return named_answer(prompt, accepted)

    def body_evidence(self, fact: Fact) -> list[str]:
        """The record's quotes that are in the body of the text (not the headline, dateline or signature)."""
        if fact.front_matter:
            return list(fact.evidence)
        return [q for q in fact.evidence if not self.pack.in_front_matter(q)]

    def _position(self, fact: Fact) -> int:
        found = locate(self.pack.text, fact.evidence[0])
        return found[0] if found else -1

    def position(self, facts: list[Fact] | Fact) -> int:
        """Where a record's (or the first of several records') evidence starts in the text."""
        facts = [facts] if isinstance(facts, Fact) else facts
        return min(self._positions.get(f.id, -1) for f in facts)

    # ---- questions --------------------------------------------------------------------------

    def question(self, fact: Fact | list[Fact], qid: str, form: str, qtype: str, prompt: str, **kw) -> Question:
        """A question with the fields every type shares, taken from its record(s)."""
        facts = [fact] if isinstance(fact, Fact) else fact
        first = facts[0]
        evidence = kw.pop("evidence", None)
        if evidence is None:
            evidence = " … ".join(dict.fromkeys(q for f in facts for q in self.body_evidence(f) or f.evidence))
        if "answer_kind" not in kw and len(facts) == 1:
            kw["answer_kind"] = answer_kind(self.pack, first)
        return Question(
            id=qid,
            type=qtype,  # type: ignore[arg-type]
            form=form,
            source=self.pack.name,
            fact_ids=tuple(f.id for f in facts),
            kind=first.kind,
            prompt=prompt,
            explanation=kw.pop("explanation", first.explanation or "" if len(facts) == 1 else ""),
            evidence=evidence,
            position=self.position(facts),
            citation=self.pack.citation,
            difficulty=max(f.difficulty for f in facts),
            tags=tuple(sorted({t for f in facts for t in f.tags})),
            **kw,
        )


def _common_prefix(ids: list[str]) -> str:
    """The hyphen-separated words all ids start with ('participant-china', 'participant-japan' -> 'participant')."""
    split = [i.split("-") for i in ids]
    common = []
    for words in zip(*split):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    return "-".join(common)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
