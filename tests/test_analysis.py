"""Item analysis: a hand-computed example, pingouin's alpha, a simulated 2PL class, flags, files, report and bad input."""
from __future__ import annotations

import base64
import csv
import io
import json
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from quizgen import analyse
from quizgen.analysis import load_item_stats, write_report
from quizgen.analysis.responses import CONTRACT
from quizgen.analysis.simulate import SimItem, items_from_key, simulate, standard_items
from quizgen.errors import InputError
from quizgen.writers.csv import protect_cell, unprotect_cell

KEY = ROOT / "notebooks" / "teacher" / "six_party_talks_2003.key.json"


def long_csv(path: Path, rows: list[dict]) -> Path:
    """Write rows as grades_long.csv is written (docs/internals.md): BOM, CRLF, formula-safe cells."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CONTRACT)
    for r in rows:
        w.writerow([protect_cell(str(r.get(c, ""))) for c in CONTRACT])
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return path


# ---- a textbook example, computed by hand -------------------------------------------------------
#
#            i1(mcq, key A)  i2(short)  i3(short)  i4(tf, key True)   total
#   s1            1 (A)          1          1           1 (True)         4
#   s2            1 (A)          1          1           0 (False)        3
#   s3            1 (A)          1          0           0 (False)        2
#   s4            1 (A)          0          1           0 (False)        2
#   s5            0 (B)          1          0           0 (False)        1
#   s6            0 (C)          0          0           0 (False)        0
#
# Difficulty p: i1 4/6, i2 4/6, i3 3/6, i4 1/6.
# Totals 4,3,2,2,1,0: mean 2, squared deviations 4+1+0+0+1+4 = 10, population variance 10/6 = 5/3.
# KR-20 = k/(k-1) * (1 - sum(pq) / var) ; sum(pq) = 2/9 + 2/9 + 1/4 + 5/36 = 30/36 = 5/6
#        = 4/3 * (1 - (5/6)/(5/3)) = 4/3 * 1/2 = 2/3.
# SEM = SD * sqrt(1 - KR-20), SD with n-1: sqrt(10/5) = sqrt(2); SEM = sqrt(2) * sqrt(1/3) = sqrt(2/3).
# Corrected point-biserial r(item, total - item), r = Sxy / sqrt(Sxx Syy) with S the sums of cross-deviations:
#   i1: rest 3,2,1,1,1,0 -> Sxy = 7 - 6(2/3)(4/3) = 5/3, Sxx = 4/3, Syy = 16 - 6(16/9) = 16/3 -> r = (5/3)/(8/3) = 5/8
#   i2: rest 3,2,1,2,0,0 -> Sxy = 6 - 16/3 = 2/3, Sxx = 4/3, Syy = 18 - 32/3 = 22/3 -> r = 2/sqrt(88) = 1/sqrt(22)
#   i3: rest 3,2,2,1,1,0 -> Sxy = 6 - 4.5 = 1.5, Sxx = 1.5, Syy = 19 - 13.5 = 5.5 -> r = 1.5/sqrt(8.25) = sqrt(3/11)
#   i4: rest 3,3,2,2,1,0 -> Sxy = 3 - 11/6 = 7/6, Sxx = 5/6, Syy = 27 - 121/6 = 41/6 -> r = 7/sqrt(205)
# Upper and lower groups: round(0.27 * 6) = 2 students each: upper s1, s2; lower s6, s5 (no ties at the edges).
#   D = p(upper) - p(lower): i1 1 - 0 = 1; i2 1 - 1/2 = 1/2; i3 1 - 0 = 1; i4 1/2 - 0 = 1/2.
# Options of i1: A 4/6, B 1/6, C 1/6, D 0 (chosen by nobody: flagged); upper: A 1; lower: B 1/2, C 1/2.
# i4: difficulty 1/6 < 0.2: too hard; in the upper group True and False 1/2 each: no distractor beats the key.
HAND = {"s1": (1, 1, 1, 1, "A", "True"), "s2": (1, 1, 1, 0, "A", "False"), "s3": (1, 1, 0, 0, "A", "False"),
        "s4": (1, 0, 1, 0, "A", "False"), "s5": (0, 1, 0, 0, "B", "False"), "s6": (0, 0, 0, 0, "C", "False")}


def hand_rows() -> list[dict]:
    rows = []
    for s, (a, b, c, d, ch1, ch4) in HAND.items():
        rows += [dict(student=s, var="q1", question="i1.mcq", type="mcq", choice=ch1, key="A", points=a, max_points=1),
                 dict(student=s, var="q2", question="i2.short", type="short", given="x", points=b, max_points=1),
                 dict(student=s, var="q3", question="i3.short", type="short", given="y", points=c, max_points=1),
                 dict(student=s, var="q4", question="i4.tf", type="tf", choice=ch4, key="True", points=d, max_points=1)]
    return rows


HAND_KEY = {"format": "quizgen-answer-key", "version": 2, "title": "Hand example", "questions": [
    {"id": "i1.mcq", "type": "mcq", "prompt": "Where?", "options": ["Beijing", "Seoul", "Tokyo", "Moscow"], "correct": "A"},
    {"id": "i2.short", "type": "short", "prompt": "Who?"}, {"id": "i3.short", "type": "short", "prompt": "What?"},
    {"id": "i4.tf", "type": "tf", "prompt": "True?", "correct": True}]}


def test_hand_computed_example_is_reproduced(tmp_path):
    result = analyse(long_csv(tmp_path / "grades_long.csv", hand_rows()), key=HAND_KEY)
    by = {s.id: s for s in result.items}
    assert [s.id for s in result.items] == ["i1.mcq", "i2.short", "i3.short", "i4.tf"]
    for qid, p in (("i1.mcq", 4 / 6), ("i2.short", 4 / 6), ("i3.short", 3 / 6), ("i4.tf", 1 / 6)):
        assert by[qid].difficulty == pytest.approx(p, abs=1e-12)
    for qid, r in (("i1.mcq", 5 / 8), ("i2.short", 1 / math.sqrt(22)), ("i3.short", math.sqrt(3 / 11)), ("i4.tf", 7 / math.sqrt(205))):
        assert by[qid].discrimination == pytest.approx(r, abs=1e-12)
    for qid, d in (("i1.mcq", 1.0), ("i2.short", 0.5), ("i3.short", 1.0), ("i4.tf", 0.5)):
        assert by[qid].upper_lower == pytest.approx(d, abs=1e-12)
    rel = result.reliability
    assert rel.method == "KR-20"
    assert rel.value == pytest.approx(2 / 3, abs=1e-12)
    assert rel.sem == pytest.approx(math.sqrt(2 / 3), abs=1e-12)
    assert rel.ci_low < rel.value < rel.ci_high
    opts = {o.label: o for o in by["i1.mcq"].options}
    assert list(opts) == ["A", "B", "C", "D"]   # the key has four options; nobody chose D
    assert [x for o in opts.values() for x in (o.all, o.upper, o.lower)] == pytest.approx(
        [4 / 6, 1, 0, 1 / 6, 0, 0.5, 1 / 6, 0, 0.5, 0, 0, 0], abs=1e-12)
    assert opts["A"].is_key and not opts["D"].is_key
    assert by["i1.mcq"].flags == ["unused_distractor"] and by["i1.mcq"].details == ["nobody chose D"]
    assert by["i4.tf"].flags == ["too_hard"]
    assert by["i2.short"].flags == by["i3.short"].flags == []
    assert any("small class" in w for w in result.warnings)  # 6 students: said, and everything still computed


def test_students_tied_at_a_group_edge_share_its_places():
    # 4 students, groups of round(0.27 * 4) = 1: two students tie for the top, so each counts for half the place.
    # Item a: the tied pair scored 1 and 0 -> upper p = 0.5 ; lowest student (total 0) -> lower p = 0.
    rows = []
    for s, (a, b) in {"w": (1, 1), "x": (0, 1), "y": (1, 0), "z": (0, 0)}.items():
        rows += [dict(student=s, var="q1", question="a", type="short", points=a, max_points=1),
                 dict(student=s, var="q2", question="b", type="short", points=b, max_points=1)]
    df = pd.DataFrame(rows).astype(str)
    for c in CONTRACT:
        if c not in df:
            df[c] = ""
    by = {s.id: s for s in analyse(df).items}
    # totals: w 2, x 1, y 1, z 0 -> upper is w alone (a=1, b=1); lower is z alone (0, 0)
    assert (by["a"].upper_difficulty, by["a"].lower_difficulty) == (1.0, 0.0)
    df2 = df.copy()
    df2.loc[(df2.student == "w") & (df2.question == "b"), "points"] = "0"   # now totals w 1, x 1, y 1, z 0
    by = {s.id: s for s in analyse(df2).items}
    # w, x, y tie for the one upper place: a = (1 + 0 + 1)/3, b = (0 + 1 + 0)/3
    assert by["a"].upper_difficulty == pytest.approx(2 / 3) and by["b"].upper_difficulty == pytest.approx(1 / 3)


def test_alpha_and_its_feldt_interval_match_pingouin(tmp_path):
    pingouin = pytest.importorskip("pingouin", reason="pingouin is a test-only dependency ('.[test]')")
    items = [replace(it, max_points=2.0) if k % 3 == 0 else it for k, it in enumerate(standard_items(12))]
    sim = simulate(items, 150, seed=11)
    df = sim.dataframe()
    # part marks: half the points for some wrong answers of 2-point items, as a grader gives for a near miss
    rng = np.random.default_rng(3)
    two = (df["max_points"] == "2") & (df["points"] == "0") & (rng.random(len(df)) < 0.4)
    df.loc[two, "points"] = "1"
    result = analyse(df)
    wide = df.assign(points=df["points"].astype(float)).pivot(index="student", columns="question", values="points")
    alpha, ci = pingouin.cronbach_alpha(data=wide)
    assert result.reliability.method == "Cronbach's alpha"
    assert result.reliability.value == pytest.approx(alpha, abs=1e-12)
    assert [result.reliability.ci_low, result.reliability.ci_high] == pytest.approx(list(ci), abs=5e-4 + 1e-9)
    # and on right/wrong items KR-20 is the same number as pingouin's alpha
    df01 = simulate(standard_items(12), 150, seed=12).dataframe()
    wide01 = df01.assign(points=df01["points"].astype(float)).pivot(index="student", columns="question", values="points")
    result01 = analyse(df01)
    assert result01.reliability.method == "KR-20"
    assert result01.reliability.value == pytest.approx(pingouin.cronbach_alpha(data=wide01)[0], abs=1e-12)


@pytest.mark.parametrize("seed", [2024, 7, 99])
def test_simulated_2pl_class_recovers_difficulty_and_discrimination_order(seed):
    from scipy.stats import spearmanr

    items = standard_items(20)
    sim = simulate(items, 300, seed=seed)
    result = analyse(sim.dataframe(), key=sim.key())
    truth = {it.id: it for it in items}
    ids = [s.id for s in result.items]
    rho_difficulty = spearmanr([s.difficulty for s in result.items], [truth[i].b for i in ids])[0]
    rho_discrimination = spearmanr([s.discrimination for s in result.items], [truth[i].a for i in ids])[0]
    print(f"seed {seed}: Spearman difficulty vs b {rho_difficulty:.3f}, discrimination vs a {rho_discrimination:.3f}")
    assert rho_difficulty <= -0.9          # a higher b (harder item) means fewer points
    assert rho_discrimination >= 0.9
    # the planted options nobody is drawn to are found, and only those
    unused = {it.id for it in items if it.type == "mcq" and 0.0 in it.pull}
    assert {s.id for s in result.items if "unused_distractor" in s.flags} == unused


def test_a_planted_wrong_key_is_flagged():
    items = standard_items(20)
    j = next(k for k, it in enumerate(items) if it.type == "mcq" and it.b < 0.5)
    right = "C" if items[j].key != "C" else "D"
    items[j] = replace(items[j], true_answer=right)     # the students who know choose C; the key says otherwise
    result = analyse(simulate(items, 300, seed=5).dataframe())
    flagged = {s.id: s for s in result.items if "distractor_beats_key" in s.flags}
    assert list(flagged) == [items[j].id]
    s = flagged[items[j].id]
    assert "negative_discrimination" in s.flags
    assert s.details[-1].startswith(f"upper group: {right} ")


def test_one_version_or_thirty_give_identical_item_statistics():
    df = simulate(standard_items(20), 300, seed=8).dataframe()
    shuffled = df.copy()
    rng = np.random.default_rng(1)
    perms = {s: rng.permutation(20) for s in df["student"].unique()}
    # each student gets one of 30 versions: other variable names, same bank questions, choices in bank terms
    version = {s: i % 30 for i, s in enumerate(sorted(perms))}
    shuffled["var"] = [f"q{perms[list(perms)[version[s]]][int(v[1:]) - 1] + 1:02d}" for s, v in zip(df["student"], df["var"])]
    shuffled["version"] = [str(version[s]) for s in df["student"]]
    shuffled = shuffled.sample(frac=1.0, random_state=4)          # rows in any order
    a = analyse(df).to_dataframe().set_index("question").drop(columns=["var"])
    b = analyse(shuffled).to_dataframe().set_index("question").drop(columns=["var"])
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index())


def test_same_grades_in_any_row_order_write_byte_identical_files(tmp_path):
    df = simulate(standard_items(10), 60, seed=3).dataframe()
    first = tmp_path / "a" / "grades_long.csv"
    second = tmp_path / "b" / "grades_long.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    long_csv(first, df.to_dict("records"))
    long_csv(second, df.sample(frac=1.0, random_state=2).to_dict("records"))
    _, wa = write_report(first)
    _, wb = write_report(second)
    assert [w.path.name for w in wa] == ["item_statistics.csv", "summary.json", "report.html"]
    for x, y in zip(wa, wb):
        assert x.path.read_bytes() == y.path.read_bytes(), x.path.name


def test_statistics_csv_reads_back_through_load_item_stats(tmp_path):
    items = standard_items(20)
    result, written = write_report(long_csv(tmp_path / "grades_long.csv", simulate(items, 100, seed=4).dataframe().to_dict("records")))
    stats = load_item_stats(written[0].path)
    assert load_item_stats(written[0].path.parent) == stats            # the report folder works too
    assert list(stats) == [s.id for s in result.items]
    for s, item in zip(result.items, result.responses.items):
        got = stats[s.id]
        assert got["difficulty"] == pytest.approx(s.difficulty, abs=5e-5)
        assert (got["discrimination"] is None) == math.isnan(s.discrimination)
        assert got["flags"] == s.flags and got["type"] == item.type
        assert set(got["options"]) == set(item.options)
        for o in s.options:
            assert got["options"][o.label]["all"] == pytest.approx(o.all, abs=5e-5)
            assert got["options"][o.label]["is_key"] == o.is_key
    raw = (written[0].path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


def test_formula_protection_is_undone_exactly_once(tmp_path):
    ids = ["=cmd", "-minus", "+plus", "@at", "'quoted", "''=twice", "plain"]
    rows = [dict(student=s, var="q1", question="only.short", type="short", points=k % 2, max_points=1) for k, s in enumerate(ids)]
    rows += [dict(student=s, var="q2", question="=sum.short", type="short", points=1, max_points=1) for s in ids]
    path = long_csv(tmp_path / "g.csv", rows)
    result = analyse(path)
    assert sorted(result.responses.students) == sorted(ids)
    assert {it.id for it in result.responses.items} == {"only.short", "=sum.short"}
    # the same rule as the bank's CSV reader
    text = path.read_bytes().decode("utf-8-sig")
    cells = [r[0] for r in csv.reader(io.StringIO(text, newline=""))][1:]
    assert sorted({unprotect_cell(c) for c in cells}) == sorted(ids)


def test_answer_key_gives_texts_and_order(tmp_path):
    key = json.loads(KEY.read_text(encoding="utf-8"))
    df = simulate(items_from_key(key), 40, seed=1).dataframe()
    shuffled = long_csv(tmp_path / "grades_long.csv", df.sample(frac=1.0, random_state=0).to_dict("records"))
    result = analyse(shuffled, key=KEY)
    assert [it.id for it in result.responses.items] == [e["id"] for e in key["questions"]]
    assert result.responses.title == key["title"]
    # an item the quiz re-lettered: choices are in the bank's order, so are the option texts
    mcq = next(e for e in key["questions"] if e["type"] == "mcq" and e["bank_order"] != sorted(e["bank_order"]))
    item = next(it for it in result.responses.items if it.id == mcq["id"])
    in_bank_order = [t for _, t in sorted(zip(mcq["bank_order"], mcq["options"]))]
    assert item.prompt == mcq["prompt"] and list(item.option_texts) == in_bank_order != mcq["options"]
    page = result.html()
    for text in (mcq["prompt"], mcq["options"][-1]):
        import html as _html

        assert _html.escape(text) in page


def test_grades_of_another_quiz_are_refused_with_the_key(tmp_path, cli):
    other = long_csv(tmp_path / "grades_long.csv", simulate(standard_items(8), 30, seed=1).dataframe().to_dict("records"))
    r = cli("analyse", other, "--key", KEY, "-o", tmp_path / "rep")
    assert r.code == 1
    assert f"{other}: these grades are of another quiz" in r.err and str(KEY) in r.err
    assert not (tmp_path / "rep").exists()
    key = json.loads(KEY.read_text(encoding="utf-8"))
    rows = simulate(items_from_key(key)[:-1], 30, seed=1).dataframe().to_dict("records")   # one question short
    r = cli("analyse", long_csv(tmp_path / "part.csv", rows), "--key", KEY)
    assert r.code == 1 and f"the key's question(s) {key['questions'][-1]['id']} have no grades" in r.err


@pytest.mark.parametrize("mutate, expected", [
    (lambda rows: [{k: v for k, v in r.items() if k != "points"} for r in rows], ":1: the header lacks column(s) points"),
    (lambda rows: [dict(r, points="lots") if i == 5 else r for i, r in enumerate(rows)], ":7:11: column 'points': expected a number, found 'lots'"),
    (lambda rows: [dict(r, points="3") if i == 2 else r for i, r in enumerate(rows)], ":4:11: column 'points': 3 is outside 0..1"),
    (lambda rows: rows + [rows[0]], "has a second row for question 'i1.mcq'"),
    (lambda rows: [dict(r, choice="Z9") if i == 0 else r for i, r in enumerate(rows)], ":2:9: column 'choice': expected one option letter"),
    (lambda rows: [dict(r, key="B") if i == 4 else r for i, r in enumerate(rows)], "question 'i1.mcq' has key 'B' here but 'A' on row 2"),
    (lambda rows: [dict(r, type="essay") if i == 1 else r for i, r in enumerate(rows)], ":3:7: column 'type': expected one of mcq"),
    (lambda rows: [dict(r, student="") if i == 3 else r for i, r in enumerate(rows)], ":5:1: column 'student' is empty"),
])
def test_malformed_grades_name_file_row_and_what_was_expected(tmp_path, cli, mutate, expected):
    rows = mutate(hand_rows())
    header = [c for c in CONTRACT if any(c in r for r in rows) or c not in ("points",)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([protect_cell(str(r.get(c, ""))) for c in header])
    path = tmp_path / "grades_long.csv"
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    r = cli("analyse", path, "-o", tmp_path / "rep")
    assert r.code == 1, r
    assert f"{path}{expected}" in r.err or (expected in r.err and str(path) in r.err), r.err
    assert "Traceback" not in r.err and not (tmp_path / "rep").exists()


def test_empty_old_and_missing_files_are_clear(tmp_path, cli):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf")
    assert "the file is empty" in cli("analyse", empty).err
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(CONTRACT) + "\n", encoding="utf-8")
    r = cli("analyse", header_only)
    assert r.code == 1 and f"{header_only}:2: no grades" in r.err
    old = tmp_path / "old_long.csv"
    old.write_text("student,question,variable,answer,points,max_points,reason,note\nann,a.mcq,q01,B,1,1,,\n", encoding="utf-8")
    r = cli("analyse", old)
    assert r.code == 1 and "older quizgen grade" in r.err
    r = cli("analyse", tmp_path / "nope.csv")
    assert r.code == 1 and "grades file not found" in r.err


def test_a_tiny_class_says_so_and_still_writes_what_it_can(tmp_path, cli):
    rows = [r for r in hand_rows() if r["student"] in ("s1", "s6")]
    path = long_csv(tmp_path / "grades_long.csv", rows)
    r = cli("analyse", path)
    assert r.code == 0, r
    assert "small class (2 student(s), 4 item(s))" in r.err and "discrimination needs 3 or more students" in r.err
    stats = load_item_stats(tmp_path / "grades_report")
    assert stats["i1.mcq"]["difficulty"] == 0.5 and stats["i1.mcq"]["discrimination"] is None
    assert "small class" in (tmp_path / "grades_report" / "report.html").read_text(encoding="utf-8")
    one = long_csv(tmp_path / "one.csv", [r for r in hand_rows() if r["student"] == "s1"])
    r = cli("analyse", one, "-o", tmp_path / "one")
    assert r.code == 0 and "reliability needs 2 or more students" in r.err
    assert json.loads((tmp_path / "one" / "summary.json").read_text())["reliability"] is None


def test_report_is_self_contained_and_shows_in_jupyter():
    result = analyse(simulate(standard_items(20), 120, seed=9).dataframe())
    page = result.html()
    fragment = result._repr_html_()
    assert fragment in page and fragment.startswith('<div class="qg-report">')
    choice_items = [it for it in result.responses.items if it.is_choice]
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(images) == 2 + len(choice_items)
    for data in images:
        svg = base64.b64decode(data)
        assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    # nothing is fetched from anywhere: every src/href is inline data or an anchor in the page
    assert re.findall(r'(?:src|href)="(?!data:|#)', page) == []
    assert "<script" not in page.lower()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.mark.slow
def test_report_renders_in_headless_chromium_with_its_images(tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium) - the rendering check needs a real browser")
    items = standard_items(20)
    items[1] = replace(items[1], true_answer="C" if items[1].key != "C" else "D")
    _, written = write_report(long_csv(tmp_path / "grades_long.csv", simulate(items, 300, seed=2024).dataframe().to_dict("records")))
    report = written[-1].path
    # a copy with a probe script: how many images decoded, and at what size (the report itself has no script)
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", """<script>
window.addEventListener('load', () => { const imgs = [...document.images];
  document.body.setAttribute('data-probe', imgs.length + ':' + imgs.filter(i => i.complete && i.naturalWidth > 100 && i.naturalHeight > 50).length); });
</script></body>"""), encoding="utf-8")
    profile = tempfile.mkdtemp()
    dom = subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom",
                          probe.as_uri()], capture_output=True, text=True, timeout=180)
    found = re.search(r'data-probe="(\d+):(\d+)"', dom.stdout)
    assert found, dom.stderr[-2000:]
    total, decoded = map(int, found.groups())
    assert total == decoded == 2 + sum(1 for it in items if it.type in ("mcq", "multi", "tf"))
    shot = tmp_path / "report.png"
    subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}", "--window-size=1200,1600",
                    f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=180)
    from PIL import Image

    img = np.asarray(Image.open(shot).convert("L"))
    assert img.shape == (1600, 1200)
    assert (img < 200).mean() > 0.03    # text and figures on the page, not a blank one


@pytest.mark.slow
def test_analysis_displays_itself_in_a_real_jupyter_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient", reason="nbclient and ipykernel are test extras")
    path = simulate(standard_items(8), 40, seed=2).write(tmp_path / "grades_long.csv")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
                                          f"import quizgen\nquizgen.analyse({str(path)!r})")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and outputs[0].output_type == "execute_result"
    shown = outputs[0].data["text/html"]
    assert shown.startswith('<div class="qg-report">') and shown.count("data:image/svg+xml;base64,") >= 2
    assert outputs[0].data["text/plain"].startswith("<Analysis of 40 students x 8 items")


def test_a_missing_answer_row_counts_zero_with_a_warning(tmp_path):
    rows = [r for r in hand_rows() if not (r["student"] == "s1" and r["question"] == "i3.short")]
    result = analyse(long_csv(tmp_path / "grades_long.csv", rows))
    assert any("1 answer(s) have no row and count as 0 points" in w and "s1/i3.short" in w for w in result.warnings)
    by = {s.id: s for s in result.items}
    assert by["i3.short"].difficulty == pytest.approx(2 / 6)     # s1's 1 point on i3 is gone: 2 of 6
    # types are read whatever their case, as one type
    upper = [dict(r, type=r["type"].upper()) if k % 2 else r for k, r in enumerate(hand_rows())]
    assert [it.type for it in analyse(long_csv(tmp_path / "u.csv", upper)).responses.items] == ["mcq", "short", "short", "tf"]


def test_load_item_stats_refuses_what_is_not_a_statistics_file(tmp_path):
    with pytest.raises(InputError, match="item statistics not found"):
        load_item_stats(tmp_path)
    wrong = tmp_path / "item_statistics.csv"
    wrong.write_text("student,points\nann,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"item_statistics.csv:1: expected the header of item_statistics.csv"):
        load_item_stats(wrong)
    wrong.write_text("question,difficulty\nq,lots\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":2: column 'difficulty': expected a number, found 'lots'"):
        load_item_stats(wrong)


def test_a_dataframe_read_by_pandas_with_its_own_types_gives_the_same_statistics(tmp_path):
    path = simulate(standard_items(10), 50, seed=1).write(tmp_path / "grades_long.csv")
    typed = pd.read_csv(path, encoding="utf-8-sig")          # numbers as numbers, empty cells as NaN
    pd.testing.assert_frame_equal(analyse(typed).to_dataframe(), analyse(path).to_dataframe())
