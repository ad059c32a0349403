"""A hand-built bank with one question of every type and texts that break naive writers (for the export tests)."""
from __future__ import annotations

from quizgen.bank import Bank, Question
from quizgen.facts import Citation

# every character GIFT treats specially, quotes, and a backslash before a letter (GIFT's \n)
SPECIALS = 'braces {x}, tilde ~, equals =, hash #, colon :, backslash \\ and \\n, "double" and \'single\' quotes'
CITATION = Citation("A Test Text", "quizgen tests", "2020-01-01", "Public domain.")


def _q(qid: str, qtype: str, prompt: str, source: str = "fixture", **kw) -> Question:
    kw.setdefault("evidence", f"The text says: {SPECIALS}.")
    return Question(id=qid, type=qtype, source=source, fact_ids=(qid.split(".")[0],), kind="test", prompt=prompt,
                    form=qid.split(".")[-1], citation=CITATION, **kw)


def every_type_bank(seed: str = "fixture-seed") -> Bank:
    """One question of each type (incl. multi, matching with an extra and a reused response, numeric with a
    tolerance, two clozes, short answer with alternates), special characters, non-Latin and over-long texts."""
    questions = [
        _q("specials.mcq", "mcq", f"Which option has {SPECIALS}?",
           options=("A ~ one", "B = two", "C {three}", "D: four \\ five"), answer="C {three}"),
        _q("cities.multi", "multi", "Select every city where talks were held: Ghent: yes?",
           options=("Ghent #1", "北京", "Москва", "Paris = Paris"), answers=("Ghent #1", "Москва")),
        _q("signing.tf", "tf", "The treaty was signed in Ghent {Belgium}.", answer="TRUE"),
        _q("signing.tf-false", "tf", "The treaty was signed in Vienna: a capital.", answer="FALSE",
           explanation="False. The text supports: it was signed in Ghent."),
        _q("leader.short", "short", "Who led the American commissioners?", answer="John Quincy Adams",
           alternates=("Adams", "J. Q. Adams", "J*Q*A"), answer_kind="name"),
        _q("place.cloze", "cloze", "The treaty was signed in _____ on 24 December 1814.", answer="Ghent",
           alternates=("Gent", "Gand"), context="The treaty was signed in Ghent on 24 December 1814.", span=(25, 30)),
        _q("date.cloze", "cloze", "The treaty was signed on _____", answer="24 December 1814",
           alternates=("December 24, 1814",), answer_kind="date"),
        _q("who.cloze", "cloze", "_____ led the American commissioners.", answer="John Quincy Adams", alternates=("Adams",)),
        _q("formula.mcq", "mcq", "=1+1 is written how in a spreadsheet?", options=("=2", "+2", "-2", "@2"), answer="=2"),
        _q("hours.numeric", "numeric", "For how many hours did the delegates meet?", answer="2.5", tolerance=0.5,
           unit="hours", alternates=("two and a half",), answer_kind="number"),
        _q("delegates.matching", "matching", "Match each delegate with the country he spoke for.",
           options=("Wang Yi", "Li Zhaoxing", "James Kelly", "Alexander Losyukov"),
           responses=("China", "United States", "Japan", "Russia"),
           matches=("China", "China", "United States", "Russia")),
        _q("events.ordering", "ordering", "Put these events in the order they happened, earliest first.",
           options=("The talks began {day 1}", "The delegates met: day 2", "The talks ended ~ day 3", "A statement = day 4"),
           display=(2, 0, 3, 1)),
        _q("non-latin.mcq", "mcq", "Где были подписаны соглашения? 条约在哪里签署？",
           options=("Гент", "北京", "القاهرة", "Wien"), answer="Гент"),
        _q("long.mcq", "mcq", "Which of these long options is the one the text gives, " + "word " * 30 + "?",
           options=("a short one", "an option" + " much longer" * 8, "another", "the last"), answer="a short one"),
        _q("five.mcq", "mcq", "Which of these five is right?", options=("one", "two", "three", "four", "five"), answer="four"),
        _q("lines.mcq", "mcq", "A question\twith a tab\nand a new line?", options=("yes\nindeed", "no"), answer="no"),
        _q("pairs.matching", "matching", "Match two pairs.", options=("left one", "left two"),
           responses=("right one", "right two"), matches=("right one", "right two")),
        _q("arrow.short", "short", "Which symbol means 'maps to'?", answer="->"),
        _q("other.short", "short", "A question from a second source: which city?", source="second_source", answer="Ghent"),
    ]
    return Bank(tuple(questions), seed)
