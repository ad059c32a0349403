"""What every generator shares: the pack, the seed, the wording helpers, and the common question fields."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..answers import answer_alternates, display_answer, distractor_candidates, in_sentence
from ..bank import Question, keyed_hash, stable_rng
from ..facts import SourcePack
from ..schema import Fact
from ..textnorm import named_answer, normalise_answer


@dataclass
class Context:
    pack: SourcePack
    seed: str
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        groups: dict[str, list[Fact]] = defaultdict(list)
        for f in self.pack.facts:
            groups[normalise_answer(f.question)].append(f)
        self._groups = groups

    def shares_question(self, fact: Fact) -> list[Fact]:
        """Other facts with the same question: other correct answers to it."""
        return [f for f in self._groups[normalise_answer(fact.question)] if f.id != fact.id]

    def rng(self, question_id: str, purpose: str = ""):
        return stable_rng(self.seed, self.pack.name, question_id, purpose)

    def slot(self, question_id: str, n: int) -> int:
        """Where the key stands among n options: keyed by the course seed, so nobody can compute it."""
        return keyed_hash(self.seed, self.pack.name, question_id, "slot") % n

    def answer(self, fact: Fact) -> str:
        return display_answer(self.pack, fact)

    def alternates(self, fact: Fact) -> list[str]:
        return answer_alternates(self.pack, fact)

    def distractors(self, fact: Fact) -> list[str]:
        return distractor_candidates(self.pack, fact, self.shares_question(fact))

    def fill(self, fact: Fact, shown: str) -> str:
        """The statement with an answer (right or wrong) in its slot, capitalised at a sentence start."""
        text = fact.statement.replace("{answer}", in_sentence(self.pack, fact, shown))
        return text[:1].upper() + text[1:]

    def position(self, fact: Fact) -> int:
        """Where the record's first quote starts in the text (the order of the text), -1 if not found."""
        from ..textnorm import normalise_quote

        return normalise_quote(self.pack.text).find(normalise_quote(fact.evidence[0]))

    def warn(self, fact: Fact, form: str, message: str) -> None:
        self.warnings.append(f"{self.pack.facts_path}: {fact.id}: {form} question skipped: {message}")

    def leaks(self, prompt: str, accepted: list[str]) -> str | None:
        """The accepted answer a prompt gives away, if any (whole words, after normalisation)."""
        return named_answer(prompt, accepted)

    def question(self, fact: Fact, form: str, qtype: str, prompt: str, **kw) -> Question:
        """A question with the fields every type shares, taken from its fact."""
        return Question(
            id=f"{fact.id}.{form}",
            form=form,
            type=qtype,  # type: ignore[arg-type]
            source=self.pack.name,
            fact_ids=(fact.id,),
            kind=fact.kind,
            prompt=prompt,
            explanation=kw.pop("explanation", fact.explanation or ""),
            evidence=" … ".join(fact.evidence),
            position=self.position(fact),
            citation=self.pack.citation,
            difficulty=fact.difficulty,
            tags=tuple(fact.tags),
            **kw,
        )
