"""quizgen.nbjson writes notebooks byte for byte as nbformat does, and nbformat finds them valid."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from conftest import DATA, SOURCES


def _banks():
    from quizgen.build import build_banks
    from quizgen.facts import load_pack

    return build_banks([load_pack(p) for p in [*sorted(SOURCES.glob("*.yaml")), DATA / "mini" / "mini.yaml"]])


@pytest.mark.parametrize("include_text", [False, True])
def test_notebooks_are_byte_identical_to_nbformats(monkeypatch, include_text):
    from quizgen.writers import notebook

    banks = _banks()
    ours = {name: notebook.render_notebooks(bank, Path("nb"), include_text=include_text, source_text="A text.\n\nTwo *paragraphs*.",
                                            exam_too=True) for name, bank in banks.items()}
    # the same documents through nbformat itself (the writer makes plain dicts; document.dumps is its one writing call)
    monkeypatch.setattr(notebook.document, "dumps", lambda nb: nbformat.writes(nbformat.from_dict(nb)) + "\n")
    for name, bank in banks.items():
        theirs = notebook.render_notebooks(bank, Path("nb"), include_text=include_text, source_text="A text.\n\nTwo *paragraphs*.",
                                           exam_too=True)
        assert set(theirs) == set(ours[name])
        notebooks = [p for p in theirs if p.suffix == ".ipynb"]
        assert len(notebooks) == 4
        for path in notebooks:
            assert ours[name][path] == theirs[path], f"{name}: {path.name} differs from nbformat.writes"


def test_written_notebooks_are_valid(tmp_path):
    from quizgen.writers.notebook import write_notebooks

    for name, bank in _banks().items():
        for written in write_notebooks(bank, tmp_path / name, exam_too=True, include_text=False):
            if written.path.suffix == ".ipynb":
                nb = nbformat.read(written.path, as_version=4)
                nbformat.validate(nb)
                assert nb.nbformat == 4 and nb.nbformat_minor == 5


def test_cell_ids_must_be_valid():
    from quizgen import nbjson

    for bad in ("", "x" * 65, "a b", "é"):
        with pytest.raises(ValueError):
            nbjson.new_code_cell("x = 1", id=bad)
    cell = nbjson.new_markdown_cell("# hi\nthere", id="ok-1", metadata={"trusted": True})
    doc = nbjson.writes(nbjson.new_notebook(cells=[cell]))
    assert '"trusted"' not in doc and '"# hi\\n",' in doc
