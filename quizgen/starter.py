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

The bridge replaced a ferry that had crossed the river since 1820. Work on the piers began in 1887, the arches were closed in 1889, and the road was paved in the spring of 1890.

At the opening, the mayor said that the bridge would bring the market towns of the valley together.
"""

TEMPLATE = """\
{schema_line}
# Fact file for {name}.txt. Fill it in, then run: quizgen validate {name} ; quizgen questions {name} ; quizgen build
# It works as it stands, with the example text in {name}.txt: replace both. Lines starting with # are comments;
# the commented-out fields are optional. What each kind and field makes: docs/fact-records.md.

source:                       # where the text comes from: every deck card, quiz notebook and export cites it
  title: "A New Crossing for the Valley"  # the text's title as published: students see it in every citation,
                                          # so no question may be answered by it
  deck_name: "Example Bridge"             # short name: the Anki deck's and the quiz notebooks' title (students see it)
  publisher: "Valley Historical Society"  # who published it: shown in every citation
  date: "1938-06-01"                      # publication date (YYYY-MM-DD, YYYY-MM or YYYY): shown in every citation
  license: "Public domain"                # why it may be copied: shown in every citation and notebook
  text: {name}.txt                 # the text's file, in this folder: every evidence quote is checked against it
  # url: "https://example.org/bridge"     # where it was published: added to citations
  # event: "the opening of the bridge"    # what the text is about (for you; not used in questions)
  # front_matter: ["By our correspondent"]   # lines that are not the body (a byline...): never asked
  # quiz:                     # how `quizgen build` chooses this source's quiz (the command line's options win)
  #   count: 10               # how many questions (a balanced selection); default: one per idea
  #   types: [mcq, tf]        # only these question types
  #   tags: [place]           # only questions with one of these tags
  #   all: false              # true: every question of the bank (a question pool, not a quiz)

entities:                     # named things, in pools by type (the type names are yours): a multiple-choice question
                              # about a town offers other towns as wrong answers, a false statement swaps one in
  town:
    - {{id: riverton, name: Riverton}}                     # id: what records refer to; name: shown in questions
    - {{id: milltown, name: Milltown, note: not in the text}}   # note: for you only; extras make wrong answers
    - {{id: eastbrook, name: Eastbrook, note: not in the text}}
    - {{id: northgate, name: Northgate, note: not in the text}}
  person:
    - {{id: ada-lowe, name: Ada Lowe, alternates: [Mayor Lowe, Lowe], attributes: {{role: mayor}}}}
      # alternates: other spellings accepted in typed answers; attributes: what kind of thing it is, so a record
      # can ask for wrong answers of the same kind (same: [role] below)
    - {{id: john-reed, name: John Reed, attributes: {{role: mayor}}}}
    - {{id: mary-hale, name: Mary Hale, attributes: {{role: mayor}}}}
    - {{id: tom-baker, name: Tom Baker, attributes: {{role: mayor}}}}
    - {{id: ann-cole, name: Ann Cole, attributes: {{role: engineer}}}}
  # country:
  #   - {{id: united-states, name: United States, article: the}}   # article: "the" goes before the name inside a
  #                                                                 # sentence ("the United States signed ...")
  #   an entity may also name its country: {{id: ..., name: ..., country: united-states}} (same: [country] uses it)

facts:                        # one record per fact the text states; each gives several questions, and a quiz takes
                              # at most one question per record
  - id: bridge-town           # stable identity: question ids (bridge-town.mcq, bridge-town.tf, ...) and Anki notes
                              # come from it, so never rename it once students have the deck
    kind: setting             # {kinds}
                              # the kind says what sort of fact it is; some need more fields (docs/fact-records.md)
    question: In which town was the Example Bridge opened?   # the multiple-choice and short-answer prompt;
                                                              # it must not contain the answer
    statement: "The Example Bridge was opened in {{answer}}."   # the fact with {{answer}} in the answer's place: the
                              # true statement of the true/false pair; a wrong town in the slot makes the false one
    answer: {{entity: riverton}}  # exactly one of entity, entities, phrase, number or date (see the records below)
      # exclude: [milltown]   # (inside answer) entity ids never offered as wrong answers
      # pool: {{type: town, where: {{region: north}}}}   # take wrong answers from this type, or only with these attributes
    evidence:                 # quotes copied from the text, word for word: quizgen checks them; the fill-in-the-blank
                              # question blanks the answer in one of their sentences, and cards show them as the source
      - "The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe."
    difficulty: 1             # 1 (easy) to 3 (hard), default 2: carried to decks and exports
    tags: [place]             # your labels: Anki tags, the CSV's tags column; --tag and quiz: tags select by them
    explanation: "The first sentence of the report names the town."   # shown after a student answers
    # exclusive: true         # the text makes the answer the only one, so a wrong one in the statement is false
    #                         # (default: yes for entities, numbers and dates, no for phrases)
    # cloze: "Riverton"       # the words of the evidence to blank in the fill-in-the-blank question
    # forms: [mcq, cloze]     # make only these question forms; skip: [short] never makes these
    # group: towns            # records with the same question form one select-all item; this names it
    # front_matter: true      # allow questions on the headline, dateline or signature (normally never asked)
    # wording:                # your own wording for particular question forms
    #   mcq: "Where did the Example Bridge open?"      # the multiple-choice stem (default: question)
    #   short: "Name the town where the bridge opened."  # the short-answer prompt (default: question)
    #   numeric: "In what year ...?"                  # the numeric prompt (a date record: asks for the year)
    #   cue: "The bridge opened in this town"        # how the record reads as a matching premise
    #   ordering: "The bridge opened"                 # a date record's item in ordering (default: event)
    #   said_by: / claim: / position:                 # the stems of who-said-it, which-claim and which-position items

  - id: opened-by
    kind: person              # a person record may name party: (a country id) and role: (for you)
    question: Who opened the Example Bridge?
    statement: "{{answer}} opened the Example Bridge."
    answer: {{entity: ada-lowe, same: [role]}}   # same: wrong answers share these attributes (other mayors, not engineers)
    evidence: ["The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe."]

  - id: arches
    kind: number              # a number record: a numeric question (a typed number) and the others
    question: How many stone arches does the bridge have?
    statement: "The bridge has {{answer}} stone arches."   # {{answer}} is the value alone: the unit follows it
    answer:
      number: 3
      unit: arches            # shown after the number in answers
      wording: three          # how the text writes it: accepted as an answer, and blanked in the cloze
      tolerance: 0            # how far a typed number may be off and still count
      # near_misses: true     # allow wrong numbers right next to the answer (2, 4), normally avoided
    cloze: three
    evidence: ["Its three stone arches carry the road over the river."]

  - id: opening-date
    kind: date                # a date record; three or more dated events make an ordering question
    event: The Example Bridge opened   # the item in the ordering question
    question: On what date was the Example Bridge opened?
    statement: "The Example Bridge was opened on {{answer}}."
    answer: {{date: "1890-05-12"}}   # YYYY-MM-DD, YYYY-MM, YYYY or a range 1887/1890: shown and accepted at that precision
    wording: {{numeric: "In what year was the Example Bridge opened?"}}
    # part_of: opening        # dates that are parts of one event (its start and end) share this, never ordered
    evidence: ["The Example Bridge was opened in Riverton on 12 May 1890 by Mayor Ada Lowe."]

  - id: ferry-since
    kind: date
    event: A ferry began crossing the river
    question: Since what year had a ferry crossed the river?
    statement: "A ferry had crossed the river since {{answer}}."
    answer: {{date: "1820"}}
    evidence: ["The bridge replaced a ferry that had crossed the river since 1820."]

  - id: building-steps
    kind: sequence            # a sequence record: one ordering question, in the order of its steps
    question: Put these steps in the order in which the bridge was built, earliest first.
    answer: {{phrase: the order of the work}}   # a sequence's answer is its steps' order; the phrase only names it
    steps:                    # 3 or more, in the order the text gives them
      - {{text: "Work on the piers began"}}
      - {{text: "The arches were closed"}}
      - {{text: "The road was paved", evidence: "the road was paved in the spring of 1890"}}   # evidence: its own quote
    skip: [mcq, short, cloze] # never make these forms (forms: [...] makes only the ones listed)
    evidence: ["Work on the piers began in 1887, the arches were closed in 1889, and the road was paved in the spring of 1890."]

  - id: replaced
    kind: outcome             # other kinds: outcome, background, assessment, term, finding, cause ("why" items)
    question: What did the bridge replace?
    statement: "The bridge replaced {{answer}}."
    false_statement: "The bridge replaced a wooden bridge."   # a false statement the text contradicts, written by you:
                              # a phrase slot is not exclusive, so true/false items need it
    answer:
      phrase: a ferry         # a phrase answer: typed answers are compared with it after normalising
      alternates: [the ferry] # other answers accepted
      distractors: [a ford, a toll road, a wooden bridge, a tunnel]   # wrong answers (at least 3), each contradicted
                              # by the text; a phrase has no pool, so multiple choice takes these
      # scale: [Monday, Tuesday, Wednesday]   # an ordered list the options come from (weekdays, months, ranks)
    evidence: ["The bridge replaced a ferry that had crossed the river since 1820."]

  - id: mayor-said
    kind: claim               # who said what: "who said it" and "which claim" items (with 3+ claims in the file)
    by: ada-lowe              # who said, demanded or holds it (entity ids)
    claim: "the bridge would bring the market towns of the valley together"   # reads after "that"
    # claim_distractors: ["the bridge would end the ferry trade"]   # claims nobody in the text makes
    # issue: the ferry        # position records with the same issue and different by are contrasted
    question: What did the mayor say the bridge would bring together?
    answer: {{phrase: the market towns of the valley, distractors: [the two banks of the city, the farms of the hills, the mills of the north]}}
    evidence: ["At the opening, the mayor said that the bridge would bring the market towns of the valley together."]
  # a demand record takes by: [ids] (who), of: [ids] (of whom) and what: "..." (what, as a verb phrase); three or
  # more demands make a matching question. answer: {{entities: [a, b]}} asks a select-all-that-apply question.
"""


SCHEMA_POINTER = "# yaml-language-server: $schema=../docs/fact-schema.json"
SCHEMA_HINT = ("# Completion and checks in editors: quizgen schema -o fact-schema.json, then point the editor's YAML schema\n"
               "# setting at that file (VS Code: the yaml.schemas setting).")


def template(name: str, schema_committed: bool = False) -> str:
    """The commented fact-file template for a source called name; schema_committed: the project has
    docs/fact-schema.json (as quizgen's own repository does), so the first line can point editors at it."""
    from .schema import KINDS

    return TEMPLATE.format(name=name, kinds=", ".join(KINDS),
                           schema_line=SCHEMA_POINTER if schema_committed else SCHEMA_HINT)
