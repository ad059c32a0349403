"""CSV question banks: exact round trips, spreadsheet re-saves, formula safety, and bad files."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import replace

import pandas as pd
import pytest

from conftest import ROOT
from quizgen.bank import Bank
from quizgen.writers.csv import COLUMNS, bank_csv_text, protect_cell, read_bank, unprotect_cell


@pytest.fixture
def exported(cli, tmp_path):
    path = tmp_path / "bank.csv"
    result = cli("export", "-o", path, cwd=ROOT)
    assert result.code == 0, result
    return path


def _rows(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _resave(src, dst, *, sep=",", bom=True, newline="\r\n", strip_quote=False, reorder=False, extra=False):
    rows = _rows(src)
    header, body = rows[0], rows[1:]
    if strip_quote:
        body = [[c[1:] if c.startswith("'") and len(c) > 1 and c[1] in "=+-@\t\r" else c for c in r] for r in body]
    if reorder:
        order = list(reversed(range(len(header))))
        header = [header[i] for i in order]
        body = [[r[i] for i in order] for r in body]
    if extra:
        header = header + ["teacher_notes"]
        body = [r + ["checked"] for r in body]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    w.writerow(header)
    w.writerows(body)
    dst.write_bytes(("\ufeff" if bom else "").encode() + buf.getvalue().encode("utf-8"))
    return dst


def test_export_reads_back_byte_identical(cli, exported, tmp_path):
    again = tmp_path / "again.csv"
    assert cli("export", "--from", exported, "-o", again, cwd=ROOT).code == 0
    assert again.read_bytes() == exported.read_bytes()


def test_csv_is_the_documented_format(exported, talks_bank, all_packs):
    from quizgen.generate import build_bank

    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    df = pd.read_csv(exported, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(df.columns) == COLUMNS
    talks = df[df.source_id == talks_bank.sources[0]].set_index("id")
    assert list(talks.index) == [q.id for q in talks_bank]
    for q in talks_bank:
        row = talks.loc[q.id]
        assert (row["type"], row["stem"], row["form"], row["answer_kind"]) == (q.type, q.prompt, q.form, q.answer_kind)
        if q.type == "mcq":
            assert row[f"option_{int(row['correct'])}"] == q.answer
        elif q.type in ("tf", "short", "cloze", "numeric"):
            assert row["correct"] == q.answer
    assert set(df["type"]) == {q.type for pack in all_packs for q in build_bank(pack)}


@pytest.mark.parametrize("variant", [
    dict(sep=";"), dict(sep="\t"), dict(bom=False), dict(newline="\n"), dict(strip_quote=True),
    dict(reorder=True), dict(extra=True), dict(sep=";", bom=False, newline="\n", strip_quote=True, reorder=True),
], ids=["semicolon", "tab", "no-bom", "lf", "quote-dropped", "reordered", "extra-column", "all-at-once"])
def test_spreadsheet_resaves_read_back_identical(cli, exported, tmp_path, variant):
    resaved = _resave(exported, tmp_path / "resaved.csv", **variant)
    again = tmp_path / "again.csv"
    result = cli("export", "--from", resaved, "-o", again, cwd=ROOT)
    assert result.code == 0, result
    assert again.read_bytes() == exported.read_bytes()
    if variant.get("extra"):
        assert "unknown column 'teacher_notes' ignored" in result.err


TRICKY = ["a, b and c", 'she said "no"', "line one\nline two", "pipe | inside", "=SUM(A1:A2)", "-danger", "@home",
          "+1 call", "\tindented", "NA", "None", "null", "N/A", "nan", "朝鮮半島", "emoji 😀🎓", "'=already quoted", "back\\slash|"]


def test_tricky_values_survive(talks_bank, tmp_path):
    base = [q for q in talks_bank if q.type == "short"][: len(TRICKY)]
    tricky = Bank(tuple(replace(q, prompt=t, answer=t, alternates=(t, "x|y", "\\"), explanation=t, unit="")
                        for q, t in zip(base, TRICKY)))
    path = tmp_path / "tricky.csv"
    path.write_bytes(bank_csv_text(tricky).encode("utf-8"))
    back, report = read_bank(path)
    assert not report.errors
    assert [(q.prompt, q.answer, q.alternates, q.explanation) for q in back] == \
           [(q.prompt, q.answer, q.alternates, q.explanation) for q in tricky]
    mcq = [q for q in talks_bank if q.type == "mcq"][0]
    numbers = Bank((replace(mcq, options=("-12.5", "=1+1", "@x", "+44 20"), answer="-12.5"),))
    path.write_bytes(bank_csv_text(numbers).encode("utf-8"))
    assert read_bank(path)[0].questions[0].options == ("-12.5", "=1+1", "@x", "+44 20")


def test_formula_cells_are_neutralised_numbers_left_alone():
    assert protect_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    for text in ("+1 call", "-x", "@SUM(1)", "\tx", "\rx"):
        assert protect_cell(text).startswith("'") and unprotect_cell(protect_cell(text)) == text
    for number in ("-12.5", "+3", "-1e5", "42"):
        assert protect_cell(number) == number
    assert protect_cell("plain text") == "plain text"


def test_exported_cells_never_start_a_formula(exported):
    for row in _rows(exported)[1:]:
        for cell in row:
            if cell and cell[0] in "=+-@\t\r":
                assert pd.api.types.is_number(pd.to_numeric(cell, errors="coerce")) and cell.lstrip("+-").replace(".", "").isdigit(), cell


def test_edited_csv_rebuilds_deck_and_quiz(cli, exported, tmp_path):
    df = pd.read_csv(exported, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.loc[df.id == "host-city.short", "stem"] = "Where did the six nations meet? (edited in a spreadsheet)"
    df = df[df.source_id == "six_party_talks_2003"]
    edited = tmp_path / "edited.csv"
    df.to_csv(edited, index=False, encoding="utf-8-sig")
    assert cli("validate", edited, cwd=ROOT).code == 0
    deck = cli("deck", "--from", edited, "-o", tmp_path / "deck.apkg", cwd=ROOT)
    assert deck.code == 0, deck
    nb = cli("notebook", "--from", edited, "-o", tmp_path / "nb", cwd=ROOT)
    assert nb.code == 0, nb
    import zipfile
    import sqlite3

    with zipfile.ZipFile(tmp_path / "deck.apkg") as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    flds = [r[0] for r in sqlite3.connect(tmp_path / "c.anki2").execute("select flds from notes")]
    assert any("edited in a spreadsheet" in f for f in flds)


def test_row_without_id_gets_a_stable_one(exported, tmp_path):
    rows = _rows(exported)
    rows[1][0] = ""
    path = _write_rows(tmp_path / "noid.csv", rows)
    first = read_bank(path)[0]
    second = read_bank(path)[0]
    new_ids = {q.id for q in first} - {r[0] for r in rows[1:]}
    assert len(new_ids) == 1 and new_ids == {q.id for q in second} - {r[0] for r in rows[1:]}


def test_filters(cli, tmp_path, talks_bank):
    out = tmp_path / "mcq.csv"
    assert cli("export", "--type", "mcq", "-o", out, cwd=ROOT).code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert set(df.type) == {"mcq"}
    tag = sorted({t for q in talks_bank for t in q.tags})[-1]
    assert cli("export", "--tag", tag, "-o", out, cwd=ROOT).code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(df) and all(tag in t.split() for t in df.tags)
    assert set(df[df.source_id == talks_bank.sources[0]].id) == {q.id for q in talks_bank if tag in q.tags}
    numeric = [q.id for q in talks_bank if q.type == "numeric"]
    stdout = cli("export", talks_bank.sources[0], "--type", "numeric", "-o", "-", cwd=ROOT)
    assert stdout.code == 0 and stdout.out.startswith("\ufeffid,type,stem")
    assert numeric and [line.split(",")[0] for line in stdout.out.splitlines()[1:]] == numeric


def _write_rows(path, rows):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return path


def _mutate(exported, tmp_path, fn):
    rows = _rows(exported)
    fn(rows)
    return _write_rows(tmp_path / "bad.csv", rows)


def _col(rows, name):
    return rows[0].index(name)


BAD_CSV = [
    ("unknown-type", lambda r: r[3].__setitem__(_col(r, "type"), "essay"), "expected one of mcq", ":4:"),
    ("correct-out-of-range", lambda r: [row.__setitem__(_col(r, "correct"), "9") for row in r[1:] if row[1] == "mcq"][:1],
     "expected an option number from 1 to 4", None),
    ("duplicate-id", lambda r: r[5].__setitem__(0, r[4][0]), "duplicate id", ":6:"),
    ("missing-columns", lambda r: [row.__delitem__(_col(r, "correct")) for row in reversed(r)], "lacks the required column: correct", None),
    ("numeric-not-a-number", lambda r: [row.__setitem__(_col(r, "correct"), "six") for row in r[1:] if row[1] == "numeric"][:1],
     "expected a number, found 'six'", None),
]


@pytest.mark.parametrize("name,breaker,phrase,place", BAD_CSV, ids=[c[0] for c in BAD_CSV])
def test_bad_csv_rows_are_reported_and_nothing_written(cli, exported, tmp_path, name, breaker, phrase, place):
    bad = _mutate(exported, tmp_path, breaker)
    out = tmp_path / "out.csv"
    result = cli("export", "--from", bad, "-o", out, cwd=ROOT)
    assert result.code == 1, result
    assert phrase in result.err and "Traceback" not in result.err
    assert str(bad) in result.err
    if place:
        assert place in result.err
    assert not out.exists()
    assert cli("validate", bad, cwd=ROOT).code == 1


@pytest.mark.parametrize("content,phrase", [
    (None, "not found"), (b"", "empty"), (b"\xef\xbb\xbf\r\n", "empty"),
    (b"id,type,stem,correct\r\nx,mcq,\x81\x8d\x90,1\r\n", "not UTF-8"),
])
def test_unreadable_csv_files(cli, tmp_path, content, phrase):
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out.csv"
    result = cli("export", "--from", path, "-o", out, cwd=ROOT)
    assert result.code == 1 and phrase in result.err and not out.exists(), result


def test_cp1252_file_is_read_with_a_warning(cli, exported, tmp_path):
    rows = _rows(exported)
    rows[1][_col(rows, "feedback")] = "café"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "cp1252.csv"
    path.write_bytes(buf.getvalue().encode("cp1252", errors="replace"))
    out = tmp_path / "out.csv"
    result = cli("export", "--from", path, "-o", out, cwd=ROOT)
    assert result.code == 0 and "Windows-1252" in result.err
    assert "café" in out.read_bytes().decode("utf-8-sig")


@pytest.mark.slow
def test_libreoffice_opens_it_without_formulas(exported, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc)")
    openpyxl = pytest.importorskip("openpyxl")
    # the import dialog's defaults: comma, double quote, UTF-8 (76), from row 1, quoted fields not forced to text, no special-number (date) detection
    src = exported
    r = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--infilter=CSV:44,34,76,1,,1033,false,false",
                        "--convert-to", "xlsx", "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(tmp_path / "bank.xlsx")
    ws = wb.active
    rows = _rows(exported)
    assert ws.max_row == len(rows)
    for r_i, row in enumerate(rows, 1):
        for c_i, expected in enumerate(row, 1):
            cell = ws.cell(r_i, c_i)
            assert cell.data_type != "f", (r_i, c_i, cell.value)
            got = "" if cell.value is None else cell.value
            if isinstance(got, (int, float)) and not isinstance(got, bool):
                assert float(expected) == got, (r_i, c_i)
            elif isinstance(got, bool):
                assert expected.upper() == str(got).upper()
            elif hasattr(got, "isoformat"):  # Calc shows ISO dates as dates, with the same value
                assert got.date().isoformat() == expected, (r_i, c_i)
            else:
                assert got.replace("\r\n", "\n") == expected.replace("\r\n", "\n") or got == unprotect_cell(expected), (r_i, c_i, got, expected)


# ---- the question model 2 columns: multi, matching responses, ordering display, form, answer_kind, near -------

def _handmade_csv(tmp_path, bank=None):
    from handmade_bank import every_type_bank

    bank = bank or every_type_bank()
    path = tmp_path / "handmade.csv"
    path.write_bytes(bank_csv_text(bank).encode("utf-8"))
    return bank, path


def test_every_type_round_trips_field_for_field(tmp_path):
    from dataclasses import asdict

    bank, path = _handmade_csv(tmp_path)
    back, report = read_bank(path)
    assert not report.diagnostics
    assert [asdict(q) for q in back] == [asdict(q) for q in bank]
    assert bank_csv_text(back) == bank_csv_text(bank)


def test_new_columns_say_what_a_teacher_needs(tmp_path):
    bank, path = _handmade_csv(tmp_path)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))}
    multi = bank["members.multi"]
    assert rows[multi.id]["correct"] == "|".join(str(i + 1) for i, o in enumerate(multi.options) if o in multi.answers)
    match = bank["pairs.matching"]
    row = rows[match.id]
    assert [row[f"match_{i + 1}"] for i in range(len(match.matches))] == list(match.matches)
    assert row["responses"].split("|") == list(match.responses)          # extra responses included, as shown
    order = bank["events.ordering"]
    assert rows[order.id]["display"] == "|".join(str(i + 1) for i in order.display)
    short = bank["leader.short"]
    assert (rows[short.id]["form"], rows[short.id]["answer_kind"], rows[short.id]["near"]) == (short.form, short.answer_kind, "|".join(short.near))


def test_a_file_from_before_the_new_columns_still_reads(tmp_path):
    from quizgen.bank import LETTERS

    bank, path = _handmade_csv(tmp_path)
    rows = _rows(path)
    new = ["form", "answer_kind", "near", "display", "responses", "position"]
    keep = [i for i, name in enumerate(rows[0]) if name not in new]
    old = _write_rows(tmp_path / "old.csv", [[r[i] for i in keep] for r in rows if r[1] != "multi"])
    back, report = read_bank(old)
    assert not report.diagnostics
    by_id = {q.id: q for q in back}
    match, order = by_id["pairs.matching"], by_id["events.ordering"]
    # responses: each match once, not in the key's order; ordering: a shown order that is not the answer
    assert sorted(match.responses) == sorted(set(bank["pairs.matching"].matches))
    assert match.correct_letters() != [LETTERS[k] for k in range(len(match.matches))]
    assert sorted(order.display) == list(range(len(order.options))) and list(order.display) != sorted(order.display)
    assert by_id["leader.short"].answer_kind == "text"


NEW_BAD = [
    ("multi-out-of-range", "members.multi", "correct", "2|9", "expected the numbers of the right options from 1 to 5"),
    ("display-not-a-permutation", "events.ordering", "display", "1|1|2|3", "expected the shown order as item numbers 1 to 4"),
    ("display-is-the-answer", "events.ordering", "display", "1|2|3|4", "the shown order is the correct order"),
    ("match-not-among-responses", "pairs.matching", "responses", "1815|Paris", "the match 'Ghent' is not among the responses"),
    ("answer-kind", "leader.short", "answer_kind", "person", "expected one of name, phrase, number, date, text"),
]


@pytest.mark.parametrize("name,qid,column,value,phrase", NEW_BAD, ids=[c[0] for c in NEW_BAD])
def test_bad_new_columns_are_located(tmp_path, name, qid, column, value, phrase):
    from quizgen.errors import InputError

    _, path = _handmade_csv(tmp_path)
    rows = _rows(path)
    row = next(n for n, r in enumerate(rows) if r[0] == qid)
    rows[row][rows[0].index(column)] = value
    bad = _write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as caught:
        read_bank(bad)
    text = str(caught.value)
    assert phrase in text and f"{bad}:{row + 1}:{rows[0].index(column) + 1}:" in text


def test_a_question_too_wide_for_the_columns_is_reported_not_cut(tmp_path):
    from quizgen.writers.csv import MAX_OPTIONS, render
    from handmade_bank import every_type_bank

    bank = every_type_bank()
    wide = replace(bank["members.multi"], id="wide.multi", options=tuple(f"o{k}" for k in range(MAX_OPTIONS + 1)), answers=("o1",))
    result = render(Bank((*bank.questions, wide), bank.seed))
    assert result.dropped == [("wide.multi", f"{MAX_OPTIONS + 1} options; the CSV has columns for {MAX_OPTIONS}")]
    assert "wide.multi" not in result.carried and b"wide.multi" not in result.data
    assert len(result.carried) == len(bank)
