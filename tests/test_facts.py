"""Fact files: the shipped packs are valid and complete; every kind of bad input gets a clear, placed error."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, SOURCES


def test_shipped_packs_validate_clean(cli):
    result = cli("validate", "--strict", cwd=ROOT)
    assert result.code == 0, result
    assert "0 errors, 0 warnings" in result.out


def test_source_text_is_the_seed_without_web_remnants():
    seed = (ROOT.parent / "shared" / "seed" / "six_party_talks_2003.txt")
    text = (SOURCES / "six_party_talks_2003.txt").read_text(encoding="utf-8")
    assert not text.startswith("Accessibility links") and "Breaking News" not in text
    assert text.startswith("N. Korean Nuclear Talks End With Promise to Meet Again - 2003-08-29")
    if seed.exists():  # shared/ is beside the clone in CI and in a session
        body = seed.read_text(encoding="utf-8")
        assert body.rstrip("\n").endswith(text.rstrip("\n"))


def test_metadata_is_recorded_once_and_cited(talks_pack, talks_bank):
    meta = talks_pack.meta
    assert (meta.publisher, meta.date) == ("Voice of America", "2003-08-29")
    assert "public domain" in meta.license.lower()
    assert all(q.citation.publisher == "Voice of America" for q in talks_bank)


def test_talks_pack_covers_the_article(talks_pack):
    facts = talks_pack.facts
    assert len(facts) >= 20
    # every paragraph of the body is the evidence of at least one record
    from quizgen.textnorm import normalise_quote

    paragraphs = [normalise_quote(p) for p in talks_pack.text.split("\n\n")[1:] if p.strip()]
    quotes = [normalise_quote(q) for f in facts for q in f.evidence]
    uncovered = [p[:60] for p in paragraphs if not any(q in p for q in quotes)]
    assert not uncovered, uncovered
    # the participants are one record with the four the text lists after the United States and North Korea
    listed = next(f for f in facts if f.answer.entities and f.kind == "participant")
    assert set(listed.answer.entities) == {"china", "japan", "south-korea", "russia"}
    kinds = {f.kind for f in facts}
    assert {"participant", "demand", "outcome", "threat", "position", "background", "assessment", "person", "cause",
            "claim", "sequence"} <= kinds
    # who said what: the article's own sources, each with a claim
    sources = {b for f in facts if f.claim and not f.issue for b in f.by_ids}
    assert {"us-officials", "nk-news-media", "wang-yi", "analysts", "observers"} <= sources
    demands = [f for f in facts if f.kind == "demand" and "north-korea" in f.by_ids]
    assert {tuple(f.of_ids) for f in demands} == {("united-states",), ("japan", "south-korea")}


def test_schema_command_matches_committed_schema(cli):
    result = cli("schema", cwd=ROOT)
    assert result.code == 0
    printed = json.loads(result.out)
    committed = json.loads((ROOT / "docs" / "fact-schema.json").read_text(encoding="utf-8"))
    assert printed == committed
    assert "facts" in printed["properties"]


def test_facts_command_lists_records(cli):
    result = cli("facts", "six_party_talks_2003", cwd=ROOT)
    assert result.code == 0
    assert "host-city" in result.out and "Beijing" in result.out


def _edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not found"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path, needle: str) -> int:
    """The last line holding needle (for a duplicate, the second one is the mistake)."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert hits, needle
    return hits[-1]


def test_mini_fixture_is_valid(cli, mini):
    result = cli("validate", mini)
    assert result.code == 0, result


# Each case: how to break the mini pack, the phrase the message must contain, and the text of the line it must point at.
BAD_YAML_EDITS = [
    ("syntax", lambda p: _edit(p, "kind: setting", "kind: [setting"), "YAML syntax error", None),
    ("missing-field", lambda p: _edit(p, "    question: Which war did the treaty end?\n", ""), "missing required field 'question'", "id: war-ended"),
    ("wrong-type", lambda p: _edit(p, "    kind: number\n", "    kind: number\n    difficulty: hard\n"), "'difficulty' expected a whole number", "difficulty: hard"),
    ("unknown-key", lambda p: _edit(p, '    evidence: ["It ended the War of 1812."]', '    evidense: ["It ended the War of 1812."]'), "did you mean 'evidence'", "evidense"),
    ("duplicate-id", lambda p: _edit(p, "id: war-ended", "id: signing-city"), "duplicate id 'signing-city'", "id: signing-city"),
    ("unknown-kind", lambda p: _edit(p, "kind: outcome", "kind: outcom"), "expected one of", "kind: outcom"),
    ("evidence-not-in-text", lambda p: _edit(p, "It ended the War of 1812.", "It ended the War of 1813."), "closest passage is: \"It ended the War of 1812.\"", "War of 1813"),
    ("answer-is-distractor", lambda p: _edit(p, "the Crimean War, the Napoleonic", "the war of 1812, the Napoleonic"), "is the answer itself", "distractors:"),
    ("undefined-entity", lambda p: _edit(p, "answer: {entity: adams}", "answer: {entity: adamz}"), "refers to 'adamz', which is not defined", "adamz"),
    ("too-few-entities", lambda p: _edit(p, "    - {id: paris, name: Paris}\n    - {id: vienna, name: Vienna}\n", ""), "too few city entities", "entity: ghent"),
    ("question-gives-answer", lambda p: _edit(p, "Which war did the treaty end?", "Did the treaty end the War of 1812?"), "gives away the answer", "Did the treaty"),
    ("statement-without-slot", lambda p: _edit(p, '"The treaty ended {answer}."', '"The treaty ended a war."'), "'{answer}' exactly once", None),
    ("kind-field-missing", lambda p: _edit(p, "kind: outcome", "kind: claim"), "needs the field 'by'", "id: war-ended"),
    ("party-not-a-country", lambda p: _edit(p, "party: britain", "party: ghent"), "which is a city (expected a country entity)", "party: ghent"),
    ("impossible-date", lambda p: _edit(p, '"1814-12-24"', '"1814-02-30"'), "February 1814 has 28 days", "1814-02-30"),
    ("range-backwards", lambda p: _edit(p, '"1814-12-24"', '"1815/1814"'), "ends before it starts", "1815/1814"),
    ("kind-did-you-mean", lambda p: _edit(p, "kind: outcome", "kind: outcom"), "did you mean 'outcome'", "kind: outcom"),
    ("form-did-you-mean", lambda p: _edit(p, "    kind: outcome\n", "    kind: outcome\n    skip: [mcqq]\n"), "did you mean 'mcq'", "skip: [mcqq]"),
    ("yes-read-as-boolean", lambda p: _edit(p, "alternates: [War of 1812]", "alternates: [yes]"), "put the word in quotes", "alternates: [yes]"),
    ("negation-before-answer", lambda p: _edit(p, '"The treaty ended {answer}."', '"The treaty did not end {answer}."'), "says the opposite of the text", "did not end"),
    ("too-few-after-narrowing", lambda p: _edit(p, "answer: {entity: ghent}", "answer: {entity: ghent, same: [region]}"), "after narrowing", "same: [region]"),
    ("unknown-pool-type", lambda p: _edit(p, "answer: {entity: ghent}", "answer: {entity: ghent, pool: {type: town}}"), "pool type 'town' has no entities", "type: town"),
    ("bad-slug", lambda p: _edit(p, "id: war-ended", "id: War Ended"), "expected a slug", "id: War Ended"),
    ("bad-entity-type-name", lambda p: _edit(p, "  city:\n", "  City Names:\n"), "is not a valid entity type name", "City Names:"),
    ("two-answers", lambda p: _edit(p, "answer: {entity: ghent}", "answer: {entity: ghent, phrase: Ghent}"), "exactly one of entity, entities, phrase, number or date", None),
]


@pytest.mark.parametrize("name,breaker,phrase,line_text", BAD_YAML_EDITS, ids=[c[0] for c in BAD_YAML_EDITS])
def test_bad_fact_file_reports_place_and_fails(cli, mini, name, breaker, phrase, line_text):
    breaker(mini)
    result = cli("validate", mini)
    assert result.code == 1, result
    assert "Traceback" not in result.err
    assert phrase in result.err, result.err
    first = result.err.splitlines()[0]
    assert re.match(rf"^{re.escape(str(mini))}:\d+(:\d+)?: ", first), first
    if line_text is not None:
        lines = {int(m.group(1)) for m in re.finditer(rf"{re.escape(str(mini))}:(\d+)", result.err)}
        assert _line_of(mini, line_text) in lines, (result.err, _line_of(mini, line_text))


def test_misquotes_are_reported_alongside_schema_errors(cli, mini):
    _edit(mini, "kind: outcome", "kind: outcom")
    _edit(mini, "It ended the War of 1812.", "It ended the War of 1813.")
    result = cli("validate", mini)
    assert result.code == 1
    assert "expected one of" in result.err and "closest passage" in result.err


PLANTED = [  # six errors of every stage of checking, planted at once: all six must come out of one run
    ("kind: outcome", "kind: outcom", "did you mean 'outcome'"),                                    # a schema enum
    ("    question: Who led the American commissioners?\n", "", "missing required field 'question'"),  # a missing field
    ("It ended the War of 1812.", "It ended the War of 1813.", "closest passage"),                  # a misquote
    ("id: signatory-britain", "id: signing-city", "duplicate id"),                                  # a duplicate
    ('"1814-12-24"', '"1814-02-30"', "February 1814 has 28 days"),                                  # an impossible date
    ("party: britain", "party: ghent", "expected a country entity"),                                # a wrong reference
]


def test_every_problem_is_reported_in_one_run(cli, mini):
    for old, new, _ in PLANTED:
        _edit(mini, old, new)
    result = cli("validate", mini)
    assert result.code == 1
    missing = [phrase for _, _, phrase in PLANTED if phrase not in result.err]
    assert not missing, result.err
    errors = [line for line in result.err.splitlines() if line.startswith(str(mini)) and "warning:" not in line]
    assert len(errors) == len(PLANTED), errors      # one message per problem, not doubled


def test_a_line_number_prints_as_digits(cli, mini):
    text = mini.read_text(encoding="utf-8")
    mini.write_text("#\n" * 95 + text.replace("kind: outcome", "kind: outcom"), encoding="utf-8")
    result = cli("validate", mini)
    assert re.search(rf"{re.escape(str(mini))}:1\d\d:\d+:", result.err), result.err


@pytest.mark.parametrize("content,phrase", [
    (b"", "is empty"),
    (b"\xff\xfe\x00b\x00i\x00n", "binary file"),
    (b"source: caf\xe9\n", "not UTF-8"),
    (b"- just\n- a list\n", "expected a mapping"),
])
def test_unreadable_fact_files(cli, mini, content, phrase):
    mini.write_bytes(content)
    result = cli("validate", mini)
    assert result.code == 1, result
    assert phrase in result.err and "Traceback" not in result.err


def test_alias_bomb_is_refused(cli, mini):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    mini.write_text(bomb, encoding="utf-8")
    result = cli("validate", mini)
    assert result.code == 1
    assert "anchors and aliases" in result.err and f"{mini}:1:" in result.err


def test_oversize_file_is_refused(cli, mini):
    mini.write_text("# padding\n" * 200_000, encoding="utf-8")
    result = cli("validate", mini)
    assert result.code == 1
    assert "expected at most" in result.err


def test_missing_source_text(cli, mini):
    (mini.parent / "mini.txt").unlink()
    result = cli("validate", mini)
    assert result.code == 1
    assert "source text not found" in result.err and f"{mini}:" in result.err


def test_missing_fact_file_is_a_clear_error(cli, tmp_path):
    result = cli("validate", tmp_path / "nope.yaml")
    assert result.code == 1
    assert "not found" in result.err and "Traceback" not in result.err


def test_usage_error_exits_2(cli):
    result = cli("validate", "--no-such-flag", cwd=ROOT)
    assert result.code == 2


def test_warnings_fail_only_with_strict(cli, mini):
    # a cloze span that is not in the evidence gives a warning, not an error
    _edit(mini, "    kind: outcome\n", "    kind: outcome\n    cloze: Waterloo\n")
    relaxed = cli("validate", mini)
    strict = cli("validate", "--strict", mini)
    assert relaxed.code == 0 and "warning" in relaxed.err
    assert strict.code == 1


def test_evidence_matching_ignores_typographic_quotes_and_spacing(cli, mini):
    _edit(mini, '"It ended the War of 1812."', "\"It   ended the\\nWar of 1812.\"")
    assert cli("validate", mini).code == 0


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_fact_files_validate_against_the_committed_json_schema(path):
    """What editors check against (docs/fact-schema.json), with a real JSON Schema validator."""
    import jsonschema

    from quizgen.yamlsafe import load_yaml

    schema = json.loads((ROOT / "docs" / "fact-schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load_yaml(path).data)]
    assert not errors, errors[:10]


def test_the_json_schema_catches_what_editors_should_flag(mini):
    import jsonschema

    from quizgen.yamlsafe import load_yaml

    schema = json.loads((ROOT / "docs" / "fact-schema.json").read_text(encoding="utf-8"))
    data = load_yaml(mini).data
    data["facts"][0]["kind"] = "outcom"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
