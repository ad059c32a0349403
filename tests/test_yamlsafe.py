"""Broken YAML in a fact file: one plainly worded message per problem, at the line to fix, with the fix."""
from __future__ import annotations

import pytest
import yaml

from conftest import DATA, SOURCES
from test_cli import PYYAML_WORDING

# (name, text to replace, replacement, the text of the line the message must point at, words the message must contain)
SLIPS = [
    ("tab-indent", "    kind: outcome\n", "\tkind: outcome\n", "\tkind: outcome", "a tab is used for indentation; YAML needs spaces - replace the tab with spaces"),
    ("tab-after-indent", "    kind: outcome\n", "  \tkind: outcome\n", "  \tkind: outcome", "replace the tab with spaces"),
    ("colon-in-value", "question: Which war did the treaty end?", "question: Which war: the one the treaty ended?",
     "question: Which war: the one", "the value of 'question' contains a colon followed by a space; put the whole value in double quotes"),
    ("missing-closing-quote", 'statement: "The treaty ended {answer}."', 'statement: "The treaty ended {answer}.',
     'statement: "The treaty ended {answer}.', "opens a quote (\") that is not closed on its line; add the closing \""),
    ("missing-quote-at-the-end", "    evidence: [\"by delegates of Britain and the United States\"]\n",
     "    evidence: [\"by delegates of Britain and the United States\"]\n    explanation: \"never closed\n",
     "explanation: \"never closed", "no closing \""),
    ("quote-in-a-list", 'evidence: ["It ended the War of 1812."]', 'evidence: ["It ended the War of 1812.]',
     'evidence: ["It ended the War of 1812.]', "not closed"),
    ("list-item-indented-less", "    - {id: paris, name: Paris}", "   - {id: paris, name: Paris}", "   - {id: paris",
     "a list item ('- ') at the wrong indent"),
    ("list-item-indented-more", "    - {id: paris, name: Paris}", "     - {id: paris, name: Paris}", "     - {id: paris",
     "a list item ('- ') at the wrong indent"),
    ("record-indented-less", "  - id: war-ended", " - id: war-ended", " - id: war-ended", "a list item ('- ') at the wrong indent"),
    ("key-indented-more", "    kind: outcome", "     kind: outcome", "     kind: outcome", "indented more than the key above it"),
    ("key-indented-less", "    kind: outcome", "   kind: outcome", "   kind: outcome", "indented less than the keys above it"),
    ("no-colon", "    kind: outcome\n", "    kind outcome\n", "    kind outcome", "is not 'key: value'"),
    ("value-starts-with-at", "question: Which war did the treaty end?", "question: @war", "question: @war", "cannot start with @"),
    ("text-after-quote", 'statement: "The treaty ended {answer}."', 'statement: "The treaty ended" {answer}.',
     'statement: "The treaty ended" {answer}.', "continues after its closing quote"),
    ("braces-unquoted", 'statement: "The treaty ended {answer}."', "statement: {answer} ended the war.",
     "statement: {answer} ended the war.", "starts with { is read as a mapping; put the whole value in double quotes"),
    ("unclosed-brackets", "alternates: [War of 1812]", "alternates: [War of 1812", "alternates: [War of 1812", "is not closed"),
    ("dash-without-space", "    - {id: paris, name: Paris}", "    -{id: paris, name: Paris}", "    -{id: paris", "needs a space after its '-'"),
    ("backslash", 'statement: "The treaty ended {answer}."', 'statement: "The treaty \\q ended {answer}."', "\\q ended",
     "a backslash in a double-quoted value"),
]


@pytest.mark.parametrize("name,old,new,line_text,phrase", SLIPS, ids=[s[0] for s in SLIPS])
def test_yaml_slip_gets_one_plain_located_message(cli, mini, name, old, new, line_text, phrase):
    text = mini.read_text(encoding="utf-8")
    assert old in text
    mini.write_text(text.replace(old, new, 1), encoding="utf-8")
    lines = mini.read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, ln in enumerate(lines, 1) if line_text in ln)
    result = cli("validate", mini)
    assert result.code == 1 and "Traceback" not in result.err
    messages = [ln for ln in result.err.splitlines() if ln.startswith(f"{mini}:")]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{mini}:{expected_line}:"), (messages[0], expected_line)
    assert phrase in messages[0], messages[0]
    assert not any(w in result.err for w in PYYAML_WORDING), result.err


def test_every_duplicate_key_is_reported_in_one_run(cli, mini):
    text = mini.read_text(encoding="utf-8")
    text = text.replace("    kind: setting\n", "    kind: setting\n    kind: outcome\n", 1)
    text = text.replace("    kind: outcome\n    question: Which war", "    kind: outcome\n    question: Which war did it end?\n    question: Which war", 1)
    mini.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    result = cli("validate", mini)
    assert result.code == 1
    messages = [ln for ln in result.err.splitlines() if ln.startswith(f"{mini}:")]
    assert len(messages) == 2, messages
    for message, key in zip(messages, ("kind", "question")):
        line = int(message.split(":")[1])
        assert lines[line - 1].strip().startswith(f"{key}:") and f"the key '{key}' appears twice" in message and "first on line" in message


@pytest.mark.parametrize("path", [*sorted(SOURCES.glob("*.yaml")), DATA / "mini" / "mini.yaml"], ids=lambda p: p.stem)
def test_the_fast_parser_reads_exactly_what_the_python_one_reads(path, monkeypatch):
    from quizgen import yamlsafe

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml here: there is only one parser")
    assert yamlsafe._FAST_LOADER is yaml.CSafeLoader
    fast = yamlsafe.load_yaml(path)
    monkeypatch.setattr(yamlsafe, "_FAST_LOADER", yaml.SafeLoader)
    slow = yamlsafe.load_yaml(path)
    assert fast.data == slow.data and fast.positions == slow.positions
