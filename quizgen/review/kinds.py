"""The kinds of automated flag on the review page, and the Flag each finder returns."""
from __future__ import annotations

from dataclasses import dataclass

from ..bank import Question

# The kinds of flag, in the order the page lists them: (title, how it is found, the fix in the record).
KINDS: dict[str, tuple[str, str, str]] = {
    "giveaway": (
        "Possible giveaway",
        "The question's answer is printed on the student's page: in the file name, the deck or quiz title, the "
        "source's title, publisher, date or licence (no quiz will use the question), or in the stem or options of "
        "another question of the default quiz. The test is the one quiz selection and validate use "
        "(quizgen/giveaway.py): the answer, or a long alternate, as whole words, while no wrong option is shown too.",
        "Change the title or deck name that shows it, or drop the form: skip: [FORM]. For a question that gives "
        "away another, reword one of the two (wording:) or skip one of the forms."),
    "cue": (
        "Cue to the key",
        "A test-wise student who never read the text would pick the key (quizgen/cues.py): it is the longest "
        "option by a clear margin (at least 20 % longer than any other), the odd one out (the only one with a "
        "capital, a digit or another first word, where all the others agree), the only one "
        "with a different first word, the only one containing another's words, the only positive option after "
        "'Despite' or 'not', the only round number, or the only option sharing words with the title, deck name or "
        "file name.",
        "Rewrite the distractors to be parallel to the key: same grammatical form, about the same length, the "
        "title's words in none or in several; give 4-5 under distractors: so quizgen can choose. Who-said-it, claim "
        "and position items: claim_distractors:, or claims worded to a similar length."),
    "weak-distractor": (
        "Weak or off-topic distractor",
        "Entity options only: an option the text does not name while the text names another entity of the same "
        "pool that the record allows (a student who skimmed the text rules the outsider out); the key is the only "
        "option the text names; or the stem names the key's country or one of its attribute values and an option "
        "does not have it ('Which American president...' offering a French one).",
        "Narrow the pool so that fitting names are chosen: same: [country] or same: [ATTRIBUTE], pool: {type, "
        "where}, exclude: [IDS]; add entities the text names; or write your own distractors: (phrases, numbers, "
        "dates)."),
    "near-duplicate": (
        "Near-duplicate stem",
        "Two questions from different records whose stems share at least 70 % of their content words, or are the "
        "same (two blanks in one sentence count too): a quiz takes at most one of them, and a deck asks the same "
        "thing twice.",
        "Reword one stem so that it says what sets it apart (wording: {mcq, short, claim, said_by, ...}), choose "
        "another sentence for a blank (cloze:), or drop one form: skip: [FORM]."),
    "second-answer": (
        "Possible second answer",
        "A wrong option that the record's own quote also contains (the quote is what proves the key: check that "
        "the stem rules the other one out; stems with NOT or EXCEPT are left alone); a 'which claim' option that "
        "another record attributes to the same speaker; or a short-answer or cloze key of three or more content "
        "words with fewer than two accepted alternates (students will word it differently).",
        "Replace the distractor (distractors:, exclude:), or accept the other wordings: alternates: [...]; or drop "
        "the form: skip: [short]. A blank that is ambiguous: cloze: the span to blank."),
}
LONGEST_MARGIN = 1.2          # a key this much longer than every other option is a cue; less is normal variation
NEAR_DUPLICATE = 0.7          # share of content words two stems have in common (Jaccard) to count as one stem
MIN_SHORT_ALTERNATES = 2
NEGATED_STEM = ("not", "except", "never", "least")


@dataclass(frozen=True)
class Flag:
    """One automated flag on one question: its kind, what was found, and the change in the record that fixes it."""

    kind: str
    question: str
    message: str
    fix: str
    related: tuple[str, ...] = ()    # other questions the message names (the page links them)


def skip_override(q: Question) -> str:
    """The override that drops q's form (true/false items come and go as a pair)."""
    return f"skip: [{'tf' if q.form == 'tf-false' else q.form}]"
