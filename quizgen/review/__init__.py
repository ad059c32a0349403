"""quizgen review: one self-contained HTML page per source for the teacher, with every question as students see
it, its key, quote and automated flags, the default quiz, and (with --stats) the last item analysis."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..bank import Bank, Question
from ..quiz import Quiz, QuizItem
from .flags import KINDS, Flag, bank_flags
from .summary import SourceSummary, summarise

__all__ = ["SourceReview", "build_review", "review_pack", "render_page", "write_reviews", "load_stats", "KINDS", "Flag"]


@dataclass(frozen=True)
class SourceReview:
    """Everything the page of one source shows."""

    pack: object
    bank: Bank
    summary: SourceSummary
    flags: dict[str, list[Flag]]                          # question id -> its flags
    warnings: dict[str, list[str]] = field(default_factory=dict)   # record id ('' for the file) -> validate warnings
    stats: dict[str, dict] | None = None                  # question id -> its last item statistics
    stats_note: str = ""
    stats_flag_text: dict[str, str] = field(default_factory=dict)
    docs_href: str | None = None                          # link to docs/fact-records.md from the page, if found
    version: str = ""

    @property
    def quiz_items(self) -> dict[str, QuizItem]:
        return {item.question.id: item for item in self.summary.quiz.items}

    @property
    def group_items(self) -> list[Question]:
        """Items built from several records (a matching, an ordering, a select-all of several records)."""
        return [q for q in self.bank if len(q.fact_ids) > 1]

    def flag_counts(self) -> dict[str, int]:
        """How many flags of each kind, in KINDS order."""
        counts = {kind: 0 for kind in KINDS}
        for flags in self.flags.values():
            for f in flags:
                counts[f.kind] += 1
        return counts


def build_review(facts_path: Path | str, stats: dict[str, dict] | None = None, out_dir: Path | None = None,
                 seed: str | None = None) -> SourceReview:
    """Load and check one fact file, build its bank and default quiz, and find every flag.

    stats: the item statistics of quizgen.analysis.load_item_stats (optional). out_dir: where the page will be
    written (to link the documentation relative to it). Raises InputError on a fact file with errors."""
    from ..facts import check_pack

    pack, report = check_pack(Path(facts_path))
    report.raise_if_errors()
    return review_pack(pack, report.warnings, stats, out_dir, seed)


def review_pack(pack, warnings_found=(), stats: dict[str, dict] | None = None, out_dir: Path | None = None,
                seed: str | None = None) -> SourceReview:
    """The review of a loaded source (warnings_found: validate's diagnostics for it, shown at their records)."""
    from .. import __version__
    from ..generate import build_bank
    from ..lint import lint_bank
    from ..quiz import select_quiz

    bank = build_bank(pack, seed)
    # a source whose records give no question yet still gets its page: it says why for each record
    from ..build import quiz_options

    # the quiz `quizgen build` makes: the fact file's source.quiz setting applies here too
    quiz = select_quiz(bank, **quiz_options(pack)) if len(bank) else Quiz(pack.name, pack.meta.deck_name or pack.meta.title, (), bank.seed)
    summary = summarise(pack, bank, quiz)
    flags = bank_flags(pack, bank, [item.question for item in quiz.items])
    flags = {qid: sorted(fs, key=lambda f: (list(KINDS).index(f.kind), f.message)) for qid, fs in sorted(flags.items())}
    warnings: dict[str, list[str]] = {}
    record_ids = {f.id for f in pack.facts}
    for d in [*warnings_found, *lint_bank(pack, bank).warnings]:
        if d.message.startswith("possible giveaway"):
            continue          # shown as a flag on the question itself
        place = f"line {d.line}: " if d.line else ""
        warnings.setdefault(d.record if d.record in record_ids else "", []).append(place + d.message)
    for w in bank.warnings:
        warnings.setdefault("", []).append(w)
    matched, note = _match_stats(bank, stats) if stats is not None else (None, "")
    return SourceReview(pack, bank, summary, flags, warnings, matched, note, _flag_text() if stats is not None else {},
                        _docs_href(pack, out_dir), __version__)


def render_page(review: SourceReview) -> str:
    from .page import render_page as render

    return render(review)


def load_stats(path: Path | str) -> dict[str, dict]:
    """The item statistics of a quizgen analyse report (item_statistics.csv or its folder), by question id.
    Raises UsageError when this quizgen has no item analysis, InputError on a malformed file."""
    from ..errors import UsageError

    try:
        from ..analysis import load_item_stats
    except ModuleNotFoundError as exc:
        if exc.name not in ("quizgen.analysis", f"{__package__.rsplit('.', 1)[0]}.analysis"):
            raise UsageError(f"--stats needs item analysis, which cannot be loaded here (missing: {exc.name})") from None
        raise UsageError(f"--stats {path}: this version of quizgen has no item analysis (quizgen.analysis, which "
                         "writes item_statistics.csv); run quizgen review without --stats") from None
    return load_item_stats(path)


def _flag_text() -> dict[str, str]:
    try:
        from ..analysis.stats import FLAG_TEXT
    except ImportError:
        return {}
    return dict(FLAG_TEXT)


def _match_stats(bank: Bank, stats: dict[str, dict]) -> tuple[dict[str, dict] | None, str]:
    """The statistics of this source's questions. A statistics file is about one quiz, and question ids are only
    unique within a source: the file counts as this source's when most of its questions are in this bank."""
    by_id = {q.id: q for q in bank}
    found = [qid for qid in stats if qid in by_id]
    if not stats or 2 * len(found) < len(stats):
        return None, (f"The item statistics are not about this source: {len(found)} of their {len(stats)} questions "
                      "are in this bank. No statistics are shown.")
    matched = {}
    for qid in sorted(found):
        entry = dict(stats[qid])
        prompt = entry.get("prompt") or ""
        entry["changed"] = bool(prompt) and prompt != by_id[qid].prompt
        matched[qid] = entry
    missing = len(stats) - len(found)
    note = (f"Item statistics shown for {len(matched)} question{'s' if len(matched) != 1 else ''} (the quiz they come "
            "from); the others were not in it.")
    if missing:
        note += f" {missing} question{'s' if missing != 1 else ''} of the statistics file no longer exist in the bank."
    return matched, note


def _docs_href(pack, out_dir: Path | None) -> str | None:
    """A relative link from the page's folder to the project's docs/fact-records.md, when there is one."""
    from ..course import project_root_of

    root = project_root_of(pack.facts_path)
    doc = root / "docs" / "fact-records.md" if root else None
    if doc is None or not doc.is_file() or out_dir is None:
        return None
    return Path(os.path.relpath(doc, Path(out_dir).resolve())).as_posix()


def write_reviews(sources: list[str] | None, out_dir: Path, stats_path: Path | None = None) -> list[tuple[object, SourceReview]]:
    """Write out_dir/NAME.html for each source (default: every fact file under source_texts/). Every page is
    built before the first is written, so bad input leaves nothing half-done. Returns (Written, review) pairs."""
    from ..atomic import write_text
    from ..sources import resolve_sources

    paths = resolve_sources(sources)
    stats = load_stats(stats_path) if stats_path is not None else None
    reviews = [build_review(p, stats, out_dir) for p in paths]
    pages = [(Path(out_dir) / f"{r.pack.name}.html", render_page(r)) for r in reviews]
    return [(write_text(path, text, make_parents=True), r) for (path, text), r in zip(pages, reviews)]

