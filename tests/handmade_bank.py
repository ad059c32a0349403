"""A small bank built by hand: one question of every type, with the awkward cases the generator may not make
(multi, matching with an extra and a reused response, numeric with tolerance and unit, characters that
markup formats treat specially)."""
from __future__ import annotations

from quizgen.bank import BLANK, Bank, Question, display_permutation
from quizgen.facts import Citation

SEED = "handmade-seed"
SOURCE = "handmade"
CITATION = Citation("A Handmade Text & Co.", "quizgen tests", "2024-01-01", "CC0", "Handmade <Text>")
# characters GIFT, Moodle's cloze syntax, HTML and XML give a meaning to
AWKWARD = "Tom & Jerry's {1:SA:=x} ~ = # : \\ * % <b>not bold</b> \"quoted\" ]]>"


def _q(qid: str, qtype: str, prompt: str, **fields) -> Question:
    base = dict(source=SOURCE, fact_ids=(qid.split(".")[0],), kind="custom", form=qtype, citation=CITATION,
                evidence=f"The text says so about {qid.split('.')[0]} & more.", explanation="Because the text says so.",
                tags=("quizgen::test", "handmade"))
    base.update(fields)
    return Question(id=qid, type=qtype, prompt=prompt, **base)  # type: ignore[arg-type]


def _cloze(qid: str, before: str, answer: str, after: str, **fields) -> Question:
    return _q(qid, "cloze", before + BLANK + after, answer=answer, context=before + answer + after,
              span=(len(before), len(before) + len(answer)), **fields)


def every_type_bank() -> Bank:
    ordering_items = ("The first event", "The second event", "The third event", "The fourth event")
    questions = [
        _q("city.mcq", "mcq", "In which city did it happen? " + AWKWARD,
           options=("Paris", "Ghent & Bruges", "Vienna {x}", "London"), answer="Ghent & Bruges", position=10),
        _q("members.multi", "multi", "Which of these took part? Select all that apply.",
           options=("Britain", "France", "United States", "Spain", "Russia"), answers=("Britain", "United States"),
           position=20),
        _q("war.tf", "tf", "The treaty ended the War of 1812.", answer="TRUE", position=30),
        _q("war.tf-false", "tf", "The treaty ended the Crimean War.", answer="FALSE", form="tf-false", position=31),
        _q("leader.short", "short", "Who led the commissioners?", answer="John Quincy Adams",
           alternates=("Adams", "J. Q. Adams", "J*Q Adams"), answer_kind="name", near=("John Adams",), position=40),
        _cloze("motto.cloze", "The motto {of 1:SA:=1814} was ", "a}b#c~d\\e=%*", ", they said <so>.",
               alternates=("a b c d e", "A&B"), position=50),
        _q("count.numeric", "numeric", "How many miles long was the road?", answer="3.5", tolerance=0.5,
           unit="miles", alternates=("three and a half", "3.5"), answer_kind="number", position=60),
        _q("year.numeric", "numeric", "In what year was it signed?", answer="1814", answer_kind="number", position=61),
        _q("pairs.matching", "matching", "Match each statement with the words that complete it.",
           options=(f"The treaty was signed in {BLANK}.", f"The delegates met in {BLANK}.", f"The war ended in {BLANK}."),
           matches=("Ghent", "Ghent", "1815"),
           responses=("1815", "Paris", "Ghent", "1812 & after"), position=70),
        _q("events.ordering", "ordering", "Put these events in the order they happened.", options=ordering_items,
           display=display_permutation(SEED, SOURCE, "events.ordering", len(ordering_items)), position=80),
    ]
    return Bank(tuple(questions), SEED)
