"""quizgen review: the teacher's page shows every record and question, flags planted problems (and not clean
items), escapes what records contain, is byte-for-byte deterministic, shows item statistics, and renders in a
real browser."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import ROOT, SOURCES
from quizgen.review import build_review, render_page
from quizgen.review.flags import KINDS

TALKS = SOURCES / "six_party_talks_2003.yaml"

# A source with one planted problem per flag, and one item with none.
PLANTED_TEXT = """How Ghent Ended a War

The Treaty of Ghent was signed in Ghent on 24 December 1814 by delegates of Britain and the United States. It ended the War of 1812 and restored the borders of 1811.

Three American commissioners, led by John Quincy Adams, negotiated for months before the signing. The delegation of Britain was led by Lord Gambier, who met the Americans at a Carthusian monastery.

Henry Clay and Albert Gallatin served under Adams.
"""
PLANTED_FACTS = """source:
  title: "How Ghent Ended a War"        # planted: the title names the answer of signing-city
  deck_name: "Ghent treaty"
  publisher: "quizgen tests"
  date: "2020-01-01"
  license: "Public domain"
  text: planted.txt

entities:
  city:
    - {id: ghent, name: Ghent}
    - {id: paris, name: Paris}
    - {id: vienna, name: Vienna}
    - {id: london, name: London}
  person:
    - {id: adams, name: John Quincy Adams, alternates: [Adams], country: united-states}
    - {id: clay, name: Henry Clay, country: united-states}
    - {id: gallatin, name: Albert Gallatin, country: united-states}
    - {id: monroe, name: James Monroe, country: united-states}
    - {id: gambier, name: Lord Gambier, alternates: [Gambier], country: britain}
  country:
    - {id: britain, name: Britain, alternates: [Great Britain, UK]}
    - {id: united-states, name: United States, article: the}
    - {id: france, name: France}
    - {id: spain, name: Spain}

facts:
  - id: signing-city
    kind: setting
    question: In which city was the treaty signed?
    statement: "The treaty was signed in {answer}."
    answer: {entity: ghent}
    evidence: ["The Treaty of Ghent was signed in Ghent on 24 December 1814"]
  - id: war-ended                      # planted: a distractor the quote also contains
    kind: outcome
    question: What did the treaty end?
    statement: "The treaty ended {answer}."
    answer:
      phrase: the War of 1812
      alternates: [War of 1812]
      distractors: [the borders of 1811, the Crimean War, the Napoleonic Wars]
    evidence: ["It ended the War of 1812 and restored the borders of 1811."]
  - id: lead-commissioner              # planted: two nearly identical stems (this and counterpart)
    kind: person
    question: Who led the American commissioners?
    answer: {entity: adams}
    evidence: ["Three American commissioners, led by John Quincy Adams, negotiated for months before the signing."]
  - id: counterpart
    kind: person
    question: Who led the American commissioners' counterparts?
    answer: {entity: gambier}
    evidence: ["The delegation of Britain was led by Lord Gambier"]
  - id: british-leader                 # planted: the stem says Britain, the pool offers Americans
    kind: person
    question: Who led the delegation of Britain?
    answer: {entity: gambier}
    evidence: ["The delegation of Britain was led by Lord Gambier"]
  - id: commissioners-count            # its numeric item is clean
    kind: number
    question: How many American commissioners negotiated the treaty?
    answer: {number: 3, unit: commissioners, wording: Three}
    evidence: ["Three American commissioners, led by John Quincy Adams, negotiated for months before the signing."]
"""


def planted_source(tmp_path: Path) -> Path:
    folder = tmp_path / "source_texts"
    folder.mkdir(exist_ok=True)
    (folder / "planted.txt").write_text(PLANTED_TEXT, encoding="utf-8")
    (folder / "planted.yaml").write_text(PLANTED_FACTS, encoding="utf-8")
    return folder / "planted.yaml"


def parse(page: str):
    return lxml_html.document_fromstring(page)


def articles(doc) -> dict[str, object]:
    return {a.get("data-question"): a for a in doc.xpath("//article[@data-question]")}


def flag_kinds(article) -> list[str]:
    return [li.get("class").split("flag-", 1)[1] for li in article.xpath(".//ul[@class='flags']/li")]


@pytest.fixture(scope="module")
def talks_review():
    review = build_review(TALKS)
    return review, render_page(review)


# ---- the page holds every record and every question ----------------------------------------------------

def test_the_page_has_one_section_per_record_and_every_question_of_the_bank(talks_review):
    review, page = talks_review
    doc = parse(page)
    sections = doc.xpath("//section[contains(concat(' ', @class, ' '), ' record ')]")
    assert [s.get("id") for s in sections] == [f"r-{f.id}" for f in review.pack.facts]
    shown = [a.get("data-question") for a in doc.xpath("//article[@data-question]")]
    assert sorted(shown) == sorted(q.id for q in review.bank) and len(shown) == len(set(shown))
    # each record's heading says where it is in the fact file: found here by reading the YAML itself
    lines = TALKS.read_text(encoding="utf-8").splitlines()
    for fact, section in zip(review.pack.facts, sections):
        line = next(n for n, text in enumerate(lines, 1) if re.match(rf"\s*- id: {re.escape(fact.id)}\s*$", text))
        assert f"{TALKS.name}:{line}" in section.text_content()
    # every question of the default quiz is listed with its variable and linked to its article
    rows = doc.xpath("//table[@class='quiz-items']/tbody/tr")
    assert [(r[0].text_content(), r[1].text_content()) for r in rows] == \
        [(i.var, i.question.id) for i in review.summary.quiz.items]
    assert all(r[1].xpath("a/@href")[0] == f"#q-{r[1].text_content()}" for r in rows)


def test_every_question_shows_as_the_student_sees_it_with_its_key(talks_review):
    review, page = talks_review
    found = articles(parse(page))
    for q in review.bank:
        art = found[q.id]
        text = " ".join(art.text_content().split())
        if q.type == "cloze":
            before, after = q.prompt.split("_____", 1)
            assert " ".join(before.split()) in text and art.xpath(".//span[@class='blank']")
        else:
            assert " ".join(q.prompt.split()) in text
        keys = art.xpath(".//li[@class='key']")
        if q.type in ("mcq", "multi"):
            options = art.xpath(".//ol[@class='options']/li")
            assert [o.text_content().split(". ", 1)[1].replace("✓ key", "") for o in options] == list(q.options)
            assert [k.text_content().split(". ", 1)[1].replace("✓ key", "") for k in keys] == \
                ([q.answer] if q.type == "mcq" else list(q.answers))
        elif q.type == "tf":
            assert [k.text_content().replace("✓ key", "") for k in keys] == ["True" if q.answer == "TRUE" else "False"]
        elif q.type == "ordering":
            shown = [li.text_content().split(". ", 1)[1] for li in art.xpath(".//ol[@aria-label='Items as shown']/li")]
            assert shown == [text for _, text in q.shown_items()]
            assert " → ".join(q.correct_letters()) in text
        elif q.type == "matching":
            for n, (letter, match) in enumerate(zip(q.correct_letters(), q.matches), 1):
                assert f"{n}. → {letter} ({match})" in text
        else:
            assert f"Key: {q.answer_text}" in text
            if q.alternates:
                assert "; ".join(q.alternates) in text


def test_records_left_out_of_the_quiz_name_the_quiz_questions_they_clash_with(talks_review):
    from quizgen.selection import clash

    review, page = talks_review
    doc = parse(page)
    quiz = {i.question.id: i.question for i in review.summary.quiz.items}
    covered = {f for q in quiz.values() for f in q.fact_ids}
    left = {f.id for f in review.pack.facts} - covered
    listed = doc.xpath("//ul[@class='left-out']/li/a[1]/text()")
    assert sorted(listed) == sorted(left) and left
    bank = {q.id: q for q in review.bank}
    for fact_id in left:
        for group in review.summary.left_out[fact_id]:
            for reason in group.reasons:
                for candidate in group.questions:
                    assert all(clash(bank[candidate], quiz[other]) for other in reason.questions)


class _Balance(HTMLParser):
    """Every element closed, in order (void elements aside): the page is well-formed."""

    VOID = {"meta", "br", "img", "hr", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append((tag, self.getpos(), self.open[-1:]))
        else:
            self.open.pop()


def test_the_page_is_self_contained_and_well_formed(talks_review):
    _, page = talks_review
    checker = _Balance()
    checker.feed(page)
    assert checker.errors == [] and checker.open == []
    assert "<script" not in page.lower()
    assert re.findall(r'(?:src|href)="(?!#)', page) == []      # every link is an anchor in the page
    doc = parse(page)
    ids = doc.xpath("//*/@id")
    assert len(ids) == len(set(ids))
    anchors = set(ids)
    internal = {h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")}
    assert internal <= anchors, internal - anchors
    assert doc.xpath("//html/@lang") == ["en"] and doc.xpath("//meta[@name='viewport']")


# ---- flags -------------------------------------------------------------------------------------------------

def test_planted_problems_are_flagged_and_a_clean_item_is_not(tmp_path):
    review = build_review(planted_source(tmp_path))
    page = render_page(review)
    found = articles(parse(page))

    def kinds(qid: str) -> list[str]:
        return flag_kinds(found[qid])

    # the title and deck name show Ghent: every question of signing-city, and no quiz takes them
    for q in review.bank:
        if q.fact_ids == ("signing-city",):
            assert "giveaway" in kinds(q.id), q.id
            assert "source.title" in found[q.id].text_content()
    assert "signing-city" in review.summary.left_out
    assert any(f.kind == "cue" and "ghent" in f.message for f in review.flags["signing-city.mcq"])
    # a distractor the quote also holds
    assert "the borders of 1811" in " ".join(f.message for f in review.flags["war-ended.mcq"] if f.kind == "second-answer")
    # two nearly identical stems, each naming (and linking) the other
    for a, b in (("lead-commissioner.mcq", "counterpart.mcq"), ("counterpart.short", "lead-commissioner.short")):
        assert "near-duplicate" in kinds(a)
        assert found[a].xpath(f".//ul[@class='flags']//a[@href='#q-{b}']")
    # the stem says Britain; the pool offers Americans
    assert any(f.kind == "weak-distractor" and "Britain" in f.message for f in review.flags["british-leader.mcq"])
    # the summary table counts what the articles show
    doc = parse(page)
    rows = {r[0].text_content(): int(r[1].text_content()) for r in doc.xpath("//section[@id='flags']//tbody/tr")}
    for kind, (title, _, _) in KINDS.items():
        assert rows[title] == len(doc.xpath(f"//article//li[contains(@class, 'flag-{kind}')]"))
    # and a clean item has none
    assert "commissioners-count.numeric" not in review.flags
    assert kinds("commissioners-count.numeric") == []
    assert "flagged" not in found["commissioners-count.numeric"].get("class")


def test_forms_a_record_did_not_yield_are_listed_with_their_reason(tmp_path):
    review = build_review(planted_source(tmp_path))
    doc = parse(render_page(review))
    for fact in review.pack.facts:
        section = doc.xpath(f"//section[@id='r-{fact.id}']")[0]
        listed = [" ".join(li.text_content().split()) for li in section.xpath(".//ul[@class='skipped']/li")]
        assert listed == [f"{s.form}: {' '.join(s.reason.split())}" for s in review.bank.skipped if s.fact_id == fact.id]
    assert any(s.fact_id == "signing-city" and s.form == "cloze" for s in review.bank.skipped)


def test_a_record_holding_markup_is_escaped(mini):
    text = mini.with_name("mini.txt")
    text.write_text(text.read_text(encoding="utf-8") + '\nThe clerk wrote <script>alert("x")</script> & <b>more</b> in the margin.\n',
                    encoding="utf-8")
    with mini.open("a", encoding="utf-8") as fh:
        fh.write("""  - id: margin-note
    kind: background
    question: "What did the clerk write in the margin <i>(exactly)</i>?"
    answer: {phrase: "<script>alert(\\"x\\")</script> & <b>more</b>"}
    forms: [short]
    evidence: ["The clerk wrote <script>alert(\\"x\\")</script> & <b>more</b> in the margin."]
""")
    review = build_review(mini)
    page = render_page(review)
    assert "<script" not in page.lower() and "<b>more" not in page and "<i>(exactly)" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;" in page
    art = articles(parse(page))["margin-note.short"]
    assert "What did the clerk write in the margin <i>(exactly)</i>?" in art.text_content()
    assert 'Key: <script>alert("x")</script> & <b>more</b>' in art.text_content()


def test_a_source_with_no_question_yet_gets_a_page_saying_why(tmp_path):
    source = planted_source(tmp_path)
    facts = PLANTED_FACTS[:PLANTED_FACTS.index("  - id: war-ended")]       # signing-city alone, quoting the headline
    source.write_text(facts.replace('evidence: ["The Treaty of Ghent was signed in Ghent on 24 December 1814"]',
                                    'evidence: ["How Ghent Ended a War"]'), encoding="utf-8")
    review = build_review(source)
    assert len(review.bank) == 0 and review.summary.quiz.items == ()
    doc = parse(render_page(review))
    section = doc.xpath("//section[@id='r-signing-city']")[0]
    assert section.xpath(".//ul[@class='skipped']/li") and not section.xpath(".//article")
    reasons = " ".join(doc.xpath("//ul[@class='left-out']")[0].text_content().split())
    assert "signing-city" in reasons and "no question in the bank" in reasons


# ---- the command, determinism ------------------------------------------------------------------------------

def test_review_writes_one_page_per_source_under_review_by_default(cli, tmp_path):
    planted_source(tmp_path)
    shutil.copytree(ROOT / "tests" / "data" / "mini", tmp_path / "source_texts", dirs_exist_ok=True)
    r = cli("review", cwd=tmp_path)
    assert r.code == 0, r
    for name in ("mini", "planted"):
        page = tmp_path / "review" / f"{name}.html"
        assert page.is_file() and f"review/{name}.html" in r.out
    again = cli("review", "planted", cwd=tmp_path)
    assert again.code == 0 and "up to date" in again.out


def test_bad_input_is_one_message_and_writes_nothing(cli, tmp_path):
    source = planted_source(tmp_path)
    r = cli("review", "plantd", cwd=tmp_path)
    assert r.code == 1 and "Did you mean 'planted'" in r.err and "Traceback" not in r.err
    source.write_text(PLANTED_FACTS.replace("kind: outcome", "kind: outcom"), encoding="utf-8")
    r = cli("review", cwd=tmp_path)
    assert r.code == 1 and "planted.yaml:" in r.err and "outcom" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "review").exists()


def test_the_same_input_gives_the_same_bytes_in_fresh_processes(tmp_path):
    planted_source(tmp_path)
    pages = []
    for n, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"out{n}"
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-m", "quizgen", "review", "-o", str(out)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        pages.append((out / "planted.html").read_bytes())
    assert pages[0] == pages[1]


# ---- item statistics ----------------------------------------------------------------------------------------

STATS_HEADER = ["question", "var", "type", "max_points", "students", "mean_points", "difficulty", "discrimination",
                "upper_lower", "upper_difficulty", "lower_difficulty", "key", "no_answer",
                "share_A", "upper_A", "lower_A", "share_B", "upper_B", "lower_B", "share_C", "upper_C", "lower_C",
                "share_D", "upper_D", "lower_D", "flags", "flag_details", "prompt"]


def write_stats(path: Path, rows: list[dict]) -> Path:
    """An item_statistics.csv as quizgen analyse writes it (docs/item-analysis.md): UTF-8 with BOM, CRLF."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, STATS_HEADER, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, "") for h in STATS_HEADER})
    return path


def test_stats_show_each_question_s_last_item_analysis(cli, tmp_path):
    analysis = pytest.importorskip("quizgen.analysis", reason="item analysis (quizgen.analysis) is not in this version")
    from quizgen.analysis.stats import FLAG_TEXT

    source = planted_source(tmp_path)
    review = build_review(source)
    mcq = next(q for q in review.bank if q.type == "mcq" and q.id not in review.flags)
    short = next(q for q in review.bank if q.type == "short")
    wrong = next(k for k, o in enumerate(mcq.options) if o != mcq.answer)
    shares = {f"share_{'ABCD'[k]}": ("0.4000" if k == wrong else "0.2000") for k in range(4)}
    stats = write_stats(tmp_path / "item_statistics.csv", [
        {"question": mcq.id, "var": "q03", "type": "mcq", "max_points": "1.0000", "students": "25",
         "mean_points": "0.3500", "difficulty": "0.3500", "discrimination": "-0.1200", "key": mcq.correct_letter,
         "flags": "negative_discrimination;distractor_beats_key",
         "flag_details": f"upper group: {'ABCD'[wrong]} 60%, key {mcq.correct_letter} 20%", "prompt": mcq.prompt, **shares},
        {"question": short.id, "var": "q04", "type": "short", "max_points": "1.0000", "students": "25",
         "mean_points": "0.9600", "difficulty": "0.9600", "discrimination": "", "flags": "too_easy",
         "prompt": "an older wording of the stem"},
    ])
    assert set(analysis.load_item_stats(stats)) == {mcq.id, short.id}     # the real reader accepts the file
    r = cli("review", "planted", "--stats", stats, "-o", tmp_path / "out", cwd=tmp_path)
    assert r.code == 0, r
    found = articles(parse((tmp_path / "out" / "planted.html").read_text(encoding="utf-8")))
    text = " ".join(found[mcq.id].text_content().split())
    assert "Last item analysis (25 students, q03): difficulty 0.35, discrimination -0.12" in text
    assert FLAG_TEXT["negative_discrimination"] in text and FLAG_TEXT["distractor_beats_key"] in text
    assert f"{mcq.options[wrong]}chosen by 40%" in text
    short_text = " ".join(found[short.id].text_content().split())
    assert "difficulty 0.96, discrimination –" in short_text and FLAG_TEXT["too_easy"] in short_text
    assert "The stem has changed since" in short_text
    others = [q for q in review.bank if q.id not in (mcq.id, short.id)]
    assert not any(found[q.id].xpath(".//div[@class='stats']") for q in others)


def test_stats_of_another_source_are_not_shown_on_this_one(cli, tmp_path):
    pytest.importorskip("quizgen.analysis", reason="item analysis (quizgen.analysis) is not in this version")
    planted_source(tmp_path)
    stats = write_stats(tmp_path / "item_statistics.csv", [
        {"question": "host-city.mcq", "var": "q01", "type": "mcq", "students": "5", "difficulty": "0.5000"},
        {"question": "talks-length.numeric", "var": "q02", "type": "numeric", "students": "5", "difficulty": "0.5000"}])
    r = cli("review", "planted", "--stats", stats, "-o", tmp_path / "out", cwd=tmp_path)
    assert r.code == 0, r
    page = (tmp_path / "out" / "planted.html").read_text(encoding="utf-8")
    assert "not about this source: 0 of their 2 questions" in page and 'class="stats">' not in page.split("</header>")[1]


def test_stats_need_item_analysis(cli, tmp_path, monkeypatch):
    planted_source(tmp_path)
    stats = write_stats(tmp_path / "item_statistics.csv", [])
    monkeypatch.setitem(sys.modules, "quizgen.analysis", None)      # as in a quizgen without item analysis
    r = cli("review", "--stats", stats, cwd=tmp_path)
    assert r.code == 2 and "has no item analysis" in r.err and "without --stats" in r.err
    assert not (tmp_path / "review").exists()


# ---- in a real browser ---------------------------------------------------------------------------------------

def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.mark.slow
def test_the_page_renders_every_item_in_headless_chromium(tmp_path, talks_review):
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): the rendering check needs a real browser")
    review, page = talks_review
    path = tmp_path / "talks.html"
    path.write_text(page, encoding="utf-8")
    dom = subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=180)
    rendered = parse(dom.stdout)
    assert sorted(rendered.xpath("//article[@data-question]/@data-question")) == sorted(q.id for q in review.bank)
    assert len(rendered.xpath("//section[contains(@class, 'record')]")) == len(review.pack.facts)
    from PIL import Image

    for width, height in ((1280, 1600), (390, 1600)):
        shot = tmp_path / f"talks-{width}.png"
        subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}", f"--window-size={width},{height}",
                        f"--screenshot={shot}", path.as_uri()], capture_output=True, timeout=180)
        img = Image.open(shot).convert("L")
        assert img.size == (width, height)
        dark = sum(img.histogram()[:128]) / (width * height)
        assert dark > 0.01                  # text on the page, not a blank one
