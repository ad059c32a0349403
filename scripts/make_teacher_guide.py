"""Write notebooks/teacher_guide.ipynb (without outputs); the tests execute it in a real kernel."""
from pathlib import Path

import nbformat
from nbformat import v4

cells = [
    v4.new_markdown_cell(
        "# quizgen: a teacher's guide\n\n"
        "This notebook walks through quizgen's Python API on the shipped article (VOA, 29 August 2003): "
        "load the fact records, build the question bank, look at a few questions, and write a deck and a quiz.\n\n"
        "Every record in `source_texts/*.yaml` quotes the sentence of the text that supports it; "
        "`quizgen validate` checks each quote against the text.", id="intro"),
    v4.new_code_cell(
        "from pathlib import Path\n\nimport quizgen\n\n"
        "# the guide runs from notebooks/ or from the project folder\n"
        "ROOT = Path.cwd() if (Path.cwd() / \"source_texts\").is_dir() else Path.cwd().parent\n"
        "pack = quizgen.load(ROOT / \"source_texts\" / \"six_party_talks_2003.yaml\")\n"
        "facts = quizgen.facts_dataframe(pack)\n"
        "facts[[\"id\", \"kind\", \"answer\"]].head(10)", id="load"),
    v4.new_markdown_cell("## The question bank\n\nOne immutable bank feeds every output. The same records and seed always give the same bank.", id="bank-md"),
    v4.new_code_cell("bank = quizgen.build_bank(pack)\nprint(len(bank), \"questions\")\nbank.to_dataframe().groupby(\"type\").size()", id="bank"),
    v4.new_code_cell("from IPython.display import display\n\nfor qtype in [\"mcq\", \"cloze\", \"ordering\"]:\n"
                     "    display(bank.filter(types=[qtype]).questions[0])", id="preview"),
    v4.new_markdown_cell("## Writing a deck and a quiz\n\nHere into a temporary folder; `quizgen build` writes the committed ones.", id="write-md"),
    v4.new_code_cell(
        "import tempfile\n\nout = Path(tempfile.mkdtemp())\n"
        "deck = quizgen.write_deck(bank, out / \"talks.apkg\")\nprint(deck)\n"
        "for written in quizgen.write_quiz(bank, out / \"quiz\"):\n    print(written)", id="write"),
    v4.new_markdown_cell("## Round trip through a spreadsheet\n\nThe CSV opens safely in Excel, LibreOffice or Google Sheets and reads back unchanged.", id="csv-md"),
    v4.new_code_cell("quizgen.write_csv(bank, out / \"bank.csv\")\nagain = quizgen.read_csv(out / \"bank.csv\")\n"
                     "assert [q.id for q in again] == [q.id for q in bank]\nagain.to_dataframe().head(3)", id="csv"),
]
nb = v4.new_notebook(cells=cells)
nb.nbformat_minor = 5
nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python"}}
Path("notebooks/teacher_guide.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
