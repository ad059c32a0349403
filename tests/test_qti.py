"""QTI 1.2 for Canvas: valid against the QTI 1.2.1 DTD, converted by Canvas's own converter, and what Canvas reads
back from the converted items is the bank's question."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from canvas_reader import plain, read_converted
from conftest import ROOT, SOURCES
from handmade_bank import every_type_bank
from quizgen.bank import BLANK, Bank, opaque_id
from quizgen.export import export
from quizgen.writers import qti

FORMATS_DOC = ROOT / "docs" / "formats.md"
# the converter's banner and progress lines: not warnings
PROGRESS = re.compile(r"^(|IMS QTIv1\.2 to QTIv2\.1 Migration Tool.*|Copyright .*|GUI Code Copyright .*|All Rights Reserved"
                      r"|See README file .*|Version: .*|Processing (file|directory).*|Writing (file|manifest file).*"
                      r"|-- Converting item id=.*)$")


def tools_dir() -> Path:
    """Canvas's converter beside the repository (../shared/tools), or where $QUIZGEN_TOOLS says (a git worktree)."""
    return Path(os.environ.get("QUIZGEN_TOOLS") or ROOT.parent / "shared" / "tools")


def _tool(name: str) -> Path:
    path = tools_dir() / "QTIMigrationTool" / name
    if not path.exists():
        pytest.skip(f"Canvas's QTI converter is not at {path.parent} (put it in ../shared/tools beside the repository, "
                    f"or set QUIZGEN_TOOLS to the folder holding QTIMigrationTool)")
    return path


@pytest.fixture(scope="module")
def dtd():
    return etree.DTD(str(_tool("schemas/ims_qtiasiv1p2p1.dtd")))


def _unzip(data: bytes, folder: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        z.extractall(folder)
        return {n: z.read(n) for n in z.namelist()}


def _banks() -> list[tuple[str, Bank]]:
    from quizgen.facts import load_pack
    from quizgen.generate import build_bank

    out = [("handmade", every_type_bank())]
    for path in sorted(SOURCES.glob("*.yaml")):
        bank = build_bank(load_pack(path))
        out += [(f"{path.stem}-quiz", export(bank, "qti")[0]), (f"{path.stem}-all", bank)]
    return out


BANKS = _banks()


def test_package_layout_and_identifiers():
    bank = every_type_bank()
    result = qti.render(bank)
    with zipfile.ZipFile(io.BytesIO(result.data)) as z:
        names = z.namelist()
        manifest = etree.fromstring(z.read("imsmanifest.xml"))
        assessment = z.read(names[1]).decode("utf-8")
    assert names[0] == "imsmanifest.xml" and len(names) == 2
    hrefs = [f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")]
    assert hrefs == names[1:]
    root = etree.fromstring(assessment.encode("utf-8"))
    idents = [item.get("ident") for item in root.iter("item")]
    assert idents == ["i" + opaque_id(bank.seed, q.source, q.id) for q in sorted(bank, key=lambda q: q.position)]
    for q in bank:  # no bank id anywhere a student's browser could reach
        assert q.id not in assessment
    assert result.carried == [q.id for q in sorted(bank, key=lambda q: q.position)] and not result.dropped
    assert qti.render(bank).data == result.data, "two renders differ"


@pytest.mark.parametrize("name,bank", BANKS, ids=[n for n, _ in BANKS])
def test_valid_against_the_qti_1_2_1_dtd(dtd, name, bank, tmp_path):
    result = qti.render(bank)
    files = _unzip(result.data, tmp_path)
    items = 0
    for file, data in files.items():
        if file == "imsmanifest.xml":
            continue
        doc = etree.fromstring(data)
        assert dtd.validate(doc), f"{file}: {dtd.error_log.filter_from_errors()[:3]}"
        items += len(doc.findall(".//item"))
    assert items == len(result.carried) == len(bank) - len(result.dropped) > 0


def _explained() -> list[str]:
    """The warnings docs/formats.md explains (backticked at the start of each bullet of its converter section)."""
    text = FORMATS_DOC.read_text(encoding="utf-8")
    section = text.split("### Canvas's converter: warnings and why they are expected", 1)[1].split("\n## ", 1)[0]
    return [m for line in section.splitlines() if line.startswith("- ") for m in re.findall(r"`([^`]+)`", line)]


def _convert(bank: Bank, tmp_path: Path) -> tuple[dict, list[str]]:
    migrate = _tool("migrate.py")
    _unzip(qti.render(bank).data, tmp_path / "in")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, str(migrate), "--ucvars", "--nogui", "--overwrite", f"--cpout={out}",
                          str(tmp_path / "in")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    lines = (run.stdout + "\n" + run.stderr).splitlines()
    return read_converted(out), lines


@pytest.mark.parametrize("name,bank", BANKS, ids=[n for n, _ in BANKS])
def test_canvas_converter_converts_every_item_as_exported(name, bank, tmp_path):
    result = qti.render(bank)
    converted, lines = _convert(bank, tmp_path)
    carried = [q for q in bank if q.id in set(result.carried)]
    assert len(converted) == len(carried) == len(bank) - len(result.dropped)
    explained = _explained()
    item_warnings = [w for c in converted.values() for w in c.warnings]
    unexplained = sorted({w for w in [*lines, *item_warnings]
                          if not PROGRESS.match(w.strip()) and not any(e in w for e in explained)})
    assert not unexplained, f"converter warnings not explained in docs/formats.md: {unexplained}"
    for q in carried:
        _check_item(q, converted["i" + opaque_id(bank.seed, q.source, q.id)])


def _accepted(q) -> list[str]:
    return list(dict.fromkeys([q.answer, *q.alternates]))


def _check_item(q, c) -> None:
    """What Canvas imports for q: its type, text, options and answers, matches, points and the quote."""
    assert c.question_type == qti.CANVAS_TYPE[q.type], q.id
    assert c.points == q.points, q.id
    words = " ".join(q.prompt.split())
    if q.type == "cloze":
        before, after = q.prompt.split(BLANK)
        assert c.text == " ".join(f"{before}[{next(iter(c.blank_ids))}]{after}".split()), q.id
        assert c.blank_ids and c.answers == _accepted(q), q.id
    else:
        assert c.text.startswith(words), (q.id, c.text)
    if q.type in ("mcq", "multi"):
        assert c.choices == list(q.options), q.id
        assert c.correct == (set(q.answers) if q.type == "multi" else {q.answer}), q.id
    elif q.type == "tf":
        assert c.choices == ["True", "False"] and c.correct == {"True" if q.answer == "TRUE" else "False"}, q.id
    elif q.type == "short":
        assert c.answers == _accepted(q), q.id
    elif q.type == "numeric":
        assert c.exact == float(q.answer) and abs(c.margin - q.tolerance) < 1e-9, q.id
        if q.unit:
            assert c.text.endswith(f"(in {q.unit})"), q.id
    elif q.type == "matching":
        assert c.left == [" ".join(o.split()) for o in q.options], q.id
        assert c.right == list(q.matches), q.id
        assert c.matches == list(q.responses), q.id          # extra responses offered as distractors
    elif q.type == "ordering":
        assert c.left == [f"Position {k}" for k in range(1, len(q.options) + 1)], q.id
        assert c.right == list(q.options), q.id              # position k takes the k-th item
        assert c.matches == [q.options[i] for i in q.display], q.id
    if q.evidence:
        assert " ".join(q.evidence.split()) in c.neutral_comments, q.id


def test_what_cannot_be_carried_is_reported_by_id():
    bank = every_type_bank()
    broken = replace(bank["city.mcq"], id="lonely.mcq", options=("Ghent & Bruges",))
    result = qti.render(Bank((*bank.questions, broken), bank.seed))
    assert result.dropped == [("lonely.mcq", "a choice question needs 2 or more options (has 1)")]
    assert "lonely.mcq" not in result.carried
    changed = dict(result.changed)
    assert "ordering carried as a Canvas matching question" in changed["events.ordering"]
    assert "three and a half" in changed["count.numeric"]
    assert set(changed) == {"events.ordering", "count.numeric"}
