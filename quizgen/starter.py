"""The files `quizgen init NAME` starts a source with: a commented fact-file template and a text stub.

The template is a working example (it validates against the stub and builds), and every field carries a
comment saying what it changes in the questions. Keep it in step with quizgen/schema.py: tests/test_cli.py
checks that it validates and that it mentions every field of the schema.
"""
from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

TEXT_STUB = """\
Replace this whole file with the source text, copied exactly (UTF-8). Keep paragraphs apart with a blank line.

The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe. Its three stone arches carry the road over the river.

The bridge replaced a ferry that had crossed the river since 1820.
"""

TEMPLATE = """\
{schema_line}
# Fact file for {name}.txt. Fill it in, then run: quizgen validate {name} ; quizgen questions {name} ; quizgen build
# It works as it stands, with the example text in {name}.txt: replace both. Lines starting with # are comments;
# the commented-out fields are optional. Fields and question forms: docs/fact-records.md.

source:                       # where the text comes from: every deck card, quiz notebook and CSV row cites it
  title: "The Example Bridge"             # the text's title as published: shown in every citation
  deck_name: "Example Bridge"             # short name: the Anki deck's name and the quiz notebooks' title
  publisher: "Riverton Gazette"           # who published it: shown in every citation
  date: "1890-05-13"                      # publication date, YYYY-MM-DD: shown in every citation
  license: "Public domain"                # why it may be copied: shown in every citation and notebook
  text: {name}.txt                 # the text's file, in this folder: every evidence quote is checked against it
  event: "the opening of the Example Bridge"   # what the text is about (not used in any question yet)
  # url: "https://example.org/bridge"     # where it was published: added to citations

entities:                     # named things, in pools by type: a multiple-choice question about a city offers
                              # other cities from this pool as wrong answers, true/false swaps one in, and so on
  city:                       # types: {entity_types}
    - {{id: riverton, name: Riverton}}                     # id: what records refer to; name: shown in questions
    - {{id: milltown, name: Milltown, note: not in the text}}   # note: for you only; extras make wrong answers
    - {{id: eastbrook, name: Eastbrook, note: not in the text}}
    - {{id: northgate, name: Northgate, note: not in the text}}
  person:
    - {{id: ada-lowe, name: Ada Lowe, alternates: [Mayor Lowe, Lowe]}}   # alternates: other spellings accepted in typed answers
    - {{id: john-reed, name: John Reed}}
    - {{id: mary-hale, name: Mary Hale}}
    - {{id: tom-baker, name: Tom Baker}}
  # country:
  #   - {{id: united-states, name: United States, article: the}}   # article: "the" is put before the name inside
  #                                                                 # sentences ("the United States signed ...")

facts:                        # one record per fact the text states; each becomes several questions
  - id: bridge-town           # stable identity: question ids (bridge-town.mcq, bridge-town.tf, ...) and Anki notes
                              # come from it, so never rename it once students have the deck
    kind: setting             # {kinds}
                              # records of one kind are matched together in a matching question; date records
                              # make the ordering question; a kind may require more fields (see below)
    question: In which town was the Example Bridge opened?   # the multiple-choice and short-answer prompt;
                                                              # it must not contain the answer
    statement: "The Example Bridge was opened in {{answer}}."   # the fact with {{answer}} in the answer's place:
                              # true/false questions use it with the answer (true) and with a wrong answer of the
                              # same type (false); matching questions show it with a blank
    answer: {{entity: riverton}}  # exactly one of entity (an id above), phrase, number or date, see the records below
      # exclude: [milltown]   # (inside answer) entity ids never offered as wrong answers
    evidence:                 # quotes copied from the text, word for word: quizgen checks them; the first one is
                              # the sentence a fill-in-the-blank question blanks, and cards show them as the source
      - "The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe."
    difficulty: 1             # 1 (easy) to 3 (hard), default 2: carried to decks and the CSV bank
    tags: [place]             # your labels: Anki tags, the CSV's tags column, and --tag filters select by them
    explanation: "The first sentence names the town."   # shown after a student answers (cards, feedback)
    # cloze: "Riverton"       # the words of the evidence to blank in the fill-in-the-blank question
    #                         # (default: the answer, where it occurs once in a sentence)
    # wording:                # your own wording for particular question forms
    #   mcq: "Where did the Example Bridge open?"      # the multiple-choice stem (default: question)
    #   short: "Name the town where the bridge opened."  # the short-answer prompt (default: question)
    #   numeric: "In what year ...?"                  # the numeric prompt (a date record: asks for the year)
    #   cue: "The bridge opened in _____."            # the left-hand side in matching (default: statement, blanked)
    #   ordering: "The bridge opened"                 # a date record's item in ordering (default: event)

  - id: opened-by
    kind: background          # kind person would also need party: (a country id) and role: ("mayor of Riverton");
                              # neither is used in any question yet
    question: Who opened the Example Bridge?
    statement: "{{answer}} opened the Example Bridge."
    answer: {{entity: ada-lowe}}
    evidence: ["The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe."]

  - id: arches
    kind: number              # a number record: a numeric question (typed number) and the others
    question: How many stone arches does the bridge have?
    statement: "The bridge has {{answer}} stone arches."
    answer:
      number: 3
      unit: arches            # shown after the number in answers and asked for in the numeric question
      wording: three          # how the text writes it: accepted as an answer, and blanked in the cloze
      tolerance: 0            # how far a typed number may be off and still count
    cloze: three
    evidence: ["Its three stone arches carry the road over the river."]

  - id: opening-date
    kind: date                # a date record needs event; three or more make an ordering question
    event: The Example Bridge opened   # the item in the ordering question
    question: On what date was the Example Bridge opened?
    statement: "The Example Bridge was opened on {{answer}}."
    answer: {{date: "1890-05-12"}}   # YYYY-MM-DD, YYYY-MM or YYYY: answers are shown and accepted in that precision
    wording: {{numeric: "In what year was the Example Bridge opened?"}}
    evidence: ["The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe."]

  - id: ferry-since
    kind: date
    event: A ferry began crossing the river
    question: Since when had a ferry crossed the river?
    statement: "A ferry had crossed the river since {{answer}}."
    answer: {{date: "1820"}}
    evidence: ["The bridge replaced a ferry that had crossed the river since 1820."]

  - id: replaced
    kind: outcome             # other kinds: the record's questions only (no structured fields needed)
    question: What did the bridge replace?
    statement: "The bridge replaced {{answer}}."
    answer:
      phrase: a ferry         # a phrase answer: typed answers are compared with it after normalising
      alternates: [the ferry] # other answers accepted
      distractors: [a ford, a toll road, a wooden bridge, a tunnel]   # wrong answers (at least 3): a phrase has
                              # no pool, so multiple-choice and true/false questions take these
    evidence: ["The bridge replaced a ferry that had crossed the river since 1820."]
  # demand, position, statement, threat and assessment records take by: [entity ids] (who);
  # a demand also of: [ids] (of whom) and what: "..." (what was demanded). Not used in any question yet.
"""


SCHEMA_POINTER = "# yaml-language-server: $schema=../docs/fact-schema.json"
SCHEMA_HINT = ("# Completion and checks in editors: quizgen schema -o fact-schema.json, then point the editor's YAML schema\n"
               "# setting at that file (VS Code: the yaml.schemas setting).")


def template(name: str, schema_committed: bool = False) -> str:
    """The commented fact-file template for a source called name; schema_committed: the project has
    docs/fact-schema.json (as quizgen's own repository does), so the first line can point editors at it."""
    from .schema import ENTITY_TYPES, KINDS

    return TEMPLATE.format(name=name, entity_types=", ".join(ENTITY_TYPES), kinds=", ".join(KINDS),
                           schema_line=SCHEMA_POINTER if schema_committed else SCHEMA_HINT)
