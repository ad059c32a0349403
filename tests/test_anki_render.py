"""Cards as a student's phone shows them: Anki's own rendering, laid out and scripted in headless Chromium."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from anki_backend import import_deck, open_collection, with_group_multi
from conftest import DATA

from quizgen.writers import anki as anki_writer

pytestmark = pytest.mark.slow

PHONE = (390, 844)       # an iPhone 12-15 screen in CSS pixels
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install -y chromium)")

# How Anki shows a card side: the rendered HTML in #qa under a body with the card's classes; a side's scripts
# run when it is put in place (Anki recreates the <script> elements; so does this).
HARNESS_JS = r"""
function show(doc, htmlText) {
  var qa = doc.getElementById("qa");
  qa.innerHTML = htmlText;
  Array.prototype.forEach.call(qa.querySelectorAll("script"), function (old) {
    var s = doc.createElement("script"); s.text = old.text; old.parentNode.replaceChild(s, old);
  });
}
function lum(rgb) {
  var c = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function parse(c) { var m = c.match(/[\d.]+/g).map(Number); return {rgb: m.slice(0, 3), a: m.length > 3 ? m[3] : 1}; }
function contrastOf(doc) {
  var worst = {ratio: 99, text: ""};
  Array.prototype.forEach.call(doc.querySelectorAll("#qa, #qa *"), function (el) {
    var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    var pseudo = doc.defaultView.getComputedStyle(el, "::after").content;
    if (!own && !(pseudo && pseudo !== "none" && pseudo !== "normal")) return;
    var win = doc.defaultView, fg = parse(win.getComputedStyle(el).color), bg = null, e = el;
    while (e && !bg) { var b = parse(win.getComputedStyle(e).backgroundColor); if (b.a > 0) bg = b; e = e.parentElement; }
    bg = bg || {rgb: [255, 255, 255]};
    var l1 = lum(fg.rgb), l2 = lum(bg.rgb), r = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (r < worst.ratio) worst = {ratio: r, text: el.textContent.trim().slice(0, 60)};
  });
  return worst;
}
"""


def _js(value) -> str:
    """A value as a JavaScript literal that can sit inside a <script> element."""
    return json.dumps(value).replace("</", "<\\/")


def _page(css: str, night: bool, body: str) -> str:
    mode = " nightMode night_mode" if night else ""
    return (f'<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<style>{css}</style></head><body class="card card1{mode}"><div id="qa"></div>'
            f"<script>{HARNESS_JS}</script>{body}</body></html>")


def _chromium(args: list[str], timeout: int = 60) -> str:
    profile = tempfile.mkdtemp()
    try:
        out = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              "--hide-scrollbars", f"--user-data-dir={profile}", *args],
                             capture_output=True, text=True, timeout=timeout)
        return out.stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _result(dom: str) -> dict:
    m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert m, f"the harness page did not finish: {dom[-500:]}"
    return json.loads(html.unescape(m.group(1)))


@pytest.fixture(scope="module")
def sample_cards(tmp_path_factory, talks_bank):
    """One card of each kind a student meets (recall, cloze, choice, a withdrawn v1 card), the tallest of its kind."""
    tmp = tmp_path_factory.mktemp("render")
    decks = tmp / "decks"
    decks.mkdir()
    v1 = DATA / "v1" / "six_party_talks_2003.apkg"
    shutil.copy(v1, decks / v1.name)
    shutil.copy(v1.with_name("six_party_talks_2003.manifest.json"), decks / "six_party_talks_2003.manifest.json")
    col = open_collection(tmp / "c.anki2")
    import_deck(col, v1)
    later = max(e["mtime"] for e in json.loads((decks / "six_party_talks_2003.manifest.json").read_text())["notes"].values()) + 1000
    anki_writer.write_deck(with_group_multi(talks_bank), decks / v1.name, now=later)
    import_deck(col, decks / v1.name)
    kinds = {"recall": '"note:quizgen Recall v2"', "cloze": '"note:quizgen Cloze v2"', "choice": '"note:quizgen Choice v2"',
             "withdrawn-v1": f'"note:quizgen Multiple choice v1" tag:{anki_writer.RETIRED_TAG}'}
    out = {}
    for kind, search in kinds.items():
        cards = [col.get_card(c) for c in col.find_cards(search)]
        assert cards, kind
        card = max(cards, key=lambda c: len(c.render_output().answer_text) + len(c.render_output().question_text))
        r = card.render_output()
        out[kind] = {"front": r.question_text, "back": r.answer_text, "css": card.note_type()["css"],
                     "answer": [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>", card.note()["Answer"])] if kind == "choice" else []}
    col.close()
    return out


@needs_chromium
@pytest.mark.parametrize("night", [False, True], ids=["light", "night"])
def test_every_kind_of_card_fits_two_phone_screens_with_readable_contrast(tmp_path, sample_cards, night):
    frames = []
    for kind, card in sample_cards.items():
        for side in ("front", "back"):
            # the back is shown after the front, in the same page, as Anki does
            steps = [card["front"]] if side == "front" else [card["front"], card["back"]]
            doc = _page(card["css"], night, "<script>" + "".join(f"show(document, {_js(s)});" for s in steps) + "</script>")
            frames.append((f"{kind}/{side}", doc))
    # frames 10 px high: a document's scroll height is then the height of what it shows
    body = "".join(f'<iframe id="f{i}" style="width:{PHONE[0]}px;height:10px;border:0" srcdoc="{html.escape(doc)}"></iframe>'
                   for i, (_, doc) in enumerate(frames))
    script = ("<script>window.addEventListener('load', function () { var out = {};"
              + "".join(f"var d{i} = document.getElementById('f{i}').contentDocument; "
                        f"out[{json.dumps(name)}] = {{height: d{i}.documentElement.scrollHeight, contrast: contrastOf(d{i})}};"
                        for i, (name, _) in enumerate(frames))
              + "var p = document.createElement('pre'); p.id = 'result'; p.textContent = JSON.stringify(out); document.body.appendChild(p); });</script>")
    page = tmp_path / "cards.html"
    page.write_text(_page("", False, body + script), encoding="utf-8")
    result = _result(_chromium(["--virtual-time-budget=5000", "--dump-dom", page.as_uri()]))
    assert set(result) == {name for name, _ in frames}
    for name, seen in result.items():
        assert seen["height"] <= 2 * PHONE[1], f"{name} is {seen['height']} px tall on a {PHONE[0]} px phone"
        assert seen["contrast"]["ratio"] >= 4.5, f"{name} ({'night' if night else 'light'}): {seen['contrast']}"
    shots = os.environ.get("QUIZGEN_SCREENSHOTS")
    if shots:   # QUIZGEN_SCREENSHOTS=folder keeps a screenshot of each card side, to look at as a student would
        Path(shots).mkdir(parents=True, exist_ok=True)
        for name, doc in frames:
            single = tmp_path / "single.html"
            single.write_text(doc, encoding="utf-8")
            target = Path(shots) / f"{name.replace('/', '-')}-{'night' if night else 'light'}.png"
            _chromium([f"--screenshot={target}", f"--window-size={PHONE[0]},{2 * PHONE[1]}", single.as_uri()])


@needs_chromium
def test_choice_options_are_shuffled_at_each_review_and_the_key_is_marked_on_the_back(tmp_path, sample_cards):
    card = sample_cards["choice"]
    runs = 40
    script = f"""<script>
      var front = {_js(card["front"])}, back = {_js(card["back"])}, out = [];
      function items() {{ return Array.prototype.map.call(document.querySelectorAll("#qa .qg-choice li"),
                                                          function (li) {{ return [li.textContent, li.className]; }}); }}
      for (var i = 0; i < {runs}; i++) {{
        show(document, front);
        var shown = items();
        // odd runs: the back is a new page (AnkiDroid), only session storage remembers the order
        if (i % 2) {{ delete window.qgOrder; }}
        show(document, back);
        out.push({{front: shown, back: items(), keyHidden: getComputedStyle(document.querySelector("#qa .qg-key")).display === "none"}});
      }}
      var p = document.createElement("pre"); p.id = "result"; p.textContent = JSON.stringify(out); document.body.appendChild(p);
    </script>"""
    page = tmp_path / "shuffle.html"
    page.write_text(_page(card["css"], False, script), encoding="utf-8")
    reviews = _result(_chromium(["--dump-dom", page.as_uri()]))
    assert len(reviews) == runs
    orders = set()
    for review in reviews:
        front = [text for text, _ in review["front"]]
        back = [text for text, _ in review["back"]]
        assert back == front, "the back shows the options in another order than the front"
        marked = sorted(text for text, cls in review["back"] if cls == "qg-correct")
        assert marked == sorted(card["answer"]) and all(cls == "" for _, cls in review["front"])
        assert review["keyHidden"]
        orders.add(tuple(front))
    assert len(orders) > runs // 2, f"only {len(orders)} different orders in {runs} reviews"
