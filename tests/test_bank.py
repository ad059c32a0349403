"""The question bank: every type, stable ids, determinism, and the quality rules over the whole bank."""
from __future__ import annotations

import re
from collections import Counter


from conftest import ROOT, SOURCES
from quizgen.answers import display_answer
from quizgen.bank import BLANK, QUESTION_TYPES
from quizgen.cues import solver_scores
from quizgen.textnorm import normalise_answer, normalise_quote, split_sentences


def _rebuild(tmp_path, edit=None):
    import shutil

    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    folder = tmp_path / "src"
    shutil.copytree(SOURCES, folder, dirs_exist_ok=True)
    yaml_path = folder / "six_party_talks_2003.yaml"
    if edit:
        yaml_path.write_text(edit(yaml_path.read_text(encoding="utf-8")), encoding="utf-8")
    return build_bank(load_pack(yaml_path))


def test_shipped_article_size_and_types(talks_bank, talks_pack):
    assert len(talks_bank) >= 80
    counts = talks_bank.counts_by_type()
    assert all(counts[t] > 0 for t in QUESTION_TYPES), counts
    uses = Counter(f for q in talks_bank for f in q.fact_ids)
    assert all(uses[f.id] >= 2 for f in talks_pack.facts), [f.id for f in talks_pack.facts if uses[f.id] < 2]


def test_ids_come_from_fact_and_form(talks_bank):
    ids = [q.id for q in talks_bank]
    assert len(ids) == len(set(ids))
    for q in talks_bank:
        if len(q.fact_ids) == 1:
            assert q.id == f"{q.fact_ids[0]}.{q.type}"
        else:
            assert re.fullmatch(rf"[a-z-]+\.{q.type}(-\d+)?", q.id)


def test_same_input_gives_identical_bank(talks_pack):
    from quizgen.generate import build_bank

    assert build_bank(talks_pack).to_json() == build_bank(talks_pack).to_json()
    assert build_bank(talks_pack, seed=1).to_json() != build_bank(talks_pack).to_json()


def test_bank_json_round_trips(talks_bank):
    from quizgen.bank import Bank

    again = Bank.from_json(talks_bank.to_json())
    assert again == talks_bank


def test_editing_wording_keeps_ids_and_every_other_question(tmp_path, talks_bank):
    edited = _rebuild(tmp_path, lambda t: t.replace("question: What do analysts say the talks set for further negotiations?",
                                                    "question: According to analysts, what did the talks set for further negotiations?"))
    assert [q.id for q in edited] == [q.id for q in talks_bank]
    changed = [q.id for q, r in zip(edited, talks_bank) if q != r]
    assert changed and all(c.startswith("analysts-groundwork.") for c in changed), changed


def test_adding_a_record_leaves_other_questions_alone(tmp_path, talks_bank):
    new_record = """
  - id: extra-record
    kind: outcome
    question: What did the talks give the participating countries a chance to air?
    statement: "The talks gave the participating countries a chance to air {answer}."
    answer:
      phrase: their positions
      alternates: [positions]
      distractors: [their grievances, their budgets, their films, their products]
    evidence: ["The talks gave the participating countries a chance to air their positions"]
"""
    added = _rebuild(tmp_path, lambda t: t + new_record)
    before = {q.id: q for q in talks_bank}
    after = {q.id: q for q in added}
    assert set(before) <= set(after)
    for qid, q in before.items():
        r = after[qid]
        if q.type in ("matching", "tf"):
            continue  # a new record may join a matching question; tf is counted below
        # content is untouched; balancing correct positions may move the answer of a few others
        assert (r.prompt, r.answer, set(r.options), r.alternates) == (q.prompt, q.answer, set(q.options), q.alternates), qid
    moved = [qid for qid, q in before.items() if q.type == "mcq" and after[qid].options != q.options]
    assert len(moved) <= 2, moved
    # keeping true/false half and half may turn at most a couple of other statements from true to false
    flipped = [qid for qid, q in before.items() if q.type == "tf" and after[qid].prompt != q.prompt]
    assert len(flipped) <= 2, flipped
    assert all(after[qid].answer != before[qid].answer for qid in flipped)


def test_mcq_options_are_distinct_same_type_and_not_alternates(talks_bank, talks_pack):
    names_by_type: dict[str, set[str]] = {}
    for e in talks_pack.entities.values():
        names_by_type.setdefault(e.type, set()).add(e.name)
    facts = {f.id: f for f in talks_pack.facts}
    for q in (q for q in talks_bank if q.type == "mcq"):
        norm = [normalise_answer(o) for o in q.options]
        assert len(q.options) == 4 and len(set(norm)) == 4, q.id
        accepted = {normalise_answer(a) for a in q.alternates}
        assert not accepted & {n for n in norm if n != normalise_answer(q.answer)}, q.id
        fact = facts[q.fact_ids[0]]
        if fact.answer.entity:
            etype = talks_pack.entities[fact.answer.entity].type
            assert set(q.options) <= names_by_type[etype], q.id
        elif fact.answer.phrase:
            assert set(q.options) - {q.answer} <= set(fact.answer.distractors), q.id
        elif fact.answer.date:
            assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}|\d{4}", o) for o in q.options), q.options
        else:
            assert all(re.fullmatch(r"\d+", o) for o in q.options), q.options


def test_answer_never_in_prompt(talks_bank):
    for q in talks_bank:
        if q.type in ("mcq", "short", "cloze", "numeric"):
            prompt = f" {normalise_answer(q.prompt)} "
            for a in (q.answer, *q.alternates):
                key = normalise_answer(a)
                assert not re.search(rf"(?<!\w){re.escape(key)}(?!\w)", prompt), (q.id, a)


def test_correct_positions_are_balanced(all_packs):
    from quizgen.generate import build_bank

    for bank in [build_bank(p) for p in all_packs] + [build_bank(all_packs)]:
        counts = Counter(q.correct_letter for q in bank if q.type == "mcq")
        assert set(counts) <= set("ABCD")
        assert max(counts.values()) - min(counts[c] for c in "ABCD") <= 1, counts
        truth = Counter(q.answer for q in bank if q.type == "tf")
        assert abs(truth["TRUE"] - truth["FALSE"]) <= 1, truth


def test_heuristic_solvers_do_not_beat_chance(all_packs, capsys):
    from quizgen.generate import build_bank

    for pack in all_packs:
        scores = solver_scores(build_bank(pack).questions)
        with capsys.disabled():
            print(f"\n{pack.name}: " + ", ".join(f"{k}: {v:.0%}" for k, v in scores.items()))
        assert all(v <= 0.25 + 0.10 for v in scores.values()), (pack.name, scores)


def test_solvers_catch_a_cued_bank(talks_bank):
    """The solvers are not toothless: a bank where the answer is always the longest option fails them."""
    from dataclasses import replace

    from quizgen.bank import Bank

    cued = Bank(tuple(replace(q, answer=q.answer + " (the full and correct answer)",
                              options=tuple(o + " (the full and correct answer)" if o == q.answer else o for o in q.options))
                      for q in talks_bank if q.type == "mcq"))
    assert solver_scores(cued.questions)["longest option"] > 0.9


def test_every_question_is_supported_by_its_evidence(all_packs):
    from quizgen.generate import build_bank

    for pack in all_packs:
        text = normalise_quote(pack.text)
        for q in build_bank(pack):
            assert q.evidence
            for quote in q.evidence.split(" … "):
                assert normalise_quote(quote) in text, (q.id, quote)


def test_true_false_statements_read_as_sentences(talks_bank):
    tfs = [q for q in talks_bank if q.type == "tf"]
    for q in tfs:
        assert q.prompt[0].isupper() and q.prompt.endswith("."), q.prompt
        assert "{" not in q.prompt and "  " not in q.prompt
    # an entity that takes an article keeps it inside the sentence
    assert not any(re.search(r"(?<![Tt]he )\b(United Kingdom|United States) (sent|has)", q.prompt) for q in tfs)
    falses = [q for q in tfs if q.answer == "FALSE"]
    assert falses and all("False. The text supports:" in q.explanation for q in falses)


def test_no_two_questions_read_the_same(all_packs):
    from quizgen.generate import build_bank

    for pack in all_packs:
        bank = build_bank(pack)
        seen: dict[tuple, str] = {}
        for q in bank:
            if q.type == "mcq":
                continue  # the six participants share one question with different right answers
            key = (q.type, q.prompt, q.options, q.matches)
            assert key not in seen, (q.id, seen.get(key))
            seen[key] = q.id


def test_cloze_blanks_a_span_found_once(talks_bank, talks_pack):
    facts = {f.id: f for f in talks_pack.facts}
    for q in (q for q in talks_bank if q.type == "cloze"):
        assert q.prompt.count(BLANK) == 1
        sentence = q.prompt.replace(BLANK, q.answer)
        sentences = [s for quote in facts[q.fact_ids[0]].evidence for s in split_sentences(quote)]
        assert sentence in sentences, q.id
        assert len(re.findall(rf"(?<!\w){re.escape(q.answer)}(?!\w)", sentence)) == 1


def test_short_answers_grade_by_normalised_alternates(talks_bank):
    from quizgen.grading import mark_answer
    from quizgen.quiz import correct_value

    q = talks_bank["us-rules-out-pact.short"]
    assert q.answer == "United States"
    entry = {"type": "short", "correct": correct_value(q)}
    for given in ("the United States", "United States", "U.S.", "  united   states. ", "USA"):
        assert mark_answer(entry, given)[0] == 1.0, given
    assert mark_answer(entry, "United Kingdom")[0] == 0.0


def test_matching_and_ordering_shapes(talks_bank, talks_pack):
    from quizgen.answers import date_key

    facts = {f.id: f for f in talks_pack.facts}
    for q in talks_bank:
        if q.type == "matching":
            assert 4 <= len(q.options) == len(q.matches) <= 6
            assert len({facts[f].kind for f in q.fact_ids}) == 1
            assert list(q.matches) == [display_answer(talks_pack, facts[f]) for f in q.fact_ids]
            assert q.shown_order != tuple(range(len(q.matches)))
        if q.type == "ordering":
            assert 3 <= len(q.options) <= 5
            dates = [date_key(facts[f].answer.date) for f in q.fact_ids]
            assert dates == sorted(dates) and len(set(dates)) == len(dates)


def test_numeric_answers_come_from_the_records(talks_bank, talks_pack):
    values = {q.fact_ids[0]: float(q.answer) for q in talks_bank if q.type == "numeric"}
    expected = {f.id: float(f.answer.number) if f.answer.number is not None else float(f.answer.date[:4])
                for f in talks_pack.facts if f.answer.number is not None or (f.answer.date and f.wording.numeric)}
    assert values == expected
    # the counts and years the issue asks for are among them
    assert {"nations-count", "talks-length", "talks-ended"} <= set(values)


def test_dataframe_and_html(talks_bank):
    df = talks_bank.to_dataframe()
    assert len(df) == len(talks_bank) and list(df["id"]) == [q.id for q in talks_bank]
    html = talks_bank._repr_html_()
    assert f"{len(talks_bank)} questions" in html and "<table>" in html
    from dataclasses import replace

    evil = replace(talks_bank.questions[0], prompt="<script>alert(1)</script>")
    assert "<script>" not in evil._repr_html_() and "&lt;script&gt;" in evil._repr_html_()


def test_questions_command_filters(cli):
    result = cli("questions", "six_party_talks_2003", "--type", "numeric", cwd=ROOT)
    assert result.code == 0, result
    assert "nations-count.numeric" in result.out and ".mcq" not in result.out
    result = cli("questions", "six_party_talks_2003", "--fact", "host-city", cwd=ROOT)
    assert "host-city.mcq" in result.out and "talks-length" not in result.out
    assert cli("questions", "--type", "essay", cwd=ROOT).code == 2
    bad = cli("questions", "no_such_source", cwd=ROOT)
    assert bad.code == 1 and "no such source" in bad.err
