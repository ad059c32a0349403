"""What the LMS writers (QTI, Moodle XML) share: question order, titles, feedback HTML and deterministic zips."""
from __future__ import annotations

import html
import io
import zipfile
from typing import Iterable

from ..bank import Bank, Question

TITLE_LENGTH = 60
# a fixed timestamp, so the same package is always the same bytes (zip stores local times)
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def in_text_order(bank: Bank) -> list[Question]:
    """The bank's questions by source, then in the order of the text (Bank.in_text_order)."""
    return bank.in_text_order()


def common_problem(q: Question) -> str:
    """Why a question cannot be written as an LMS item at all, whatever the platform ("" if it can)."""
    from ..bank import BLANK

    if q.type == "numeric":
        try:
            float(q.answer)
        except ValueError:
            return f"the answer '{q.answer}' is not a number"
    if q.type == "cloze" and q.prompt.count(BLANK) != 1:
        return f"the sentence must hold one blank {BLANK} (has {q.prompt.count(BLANK)})"
    return ""


def numeric_words_dropped(q: Question, platform: str) -> list[str]:
    """A numeric question's accepted answers in words ("six") cannot be carried by a numeric-only platform."""
    from ..answers import is_number

    words = [a for a in q.alternates if not is_number(a)] if q.type == "numeric" else []
    return [f"accepted words ({', '.join(words)}) not carried: {platform} numeric answers take numbers only"] if words else []


def by_source(bank: Bank) -> dict[str, list[Question]]:
    out: dict[str, list[Question]] = {}
    for q in in_text_order(bank):
        out.setdefault(q.source, []).append(q)
    return out


def source_title(questions: list[Question]) -> str:
    c = questions[0].citation
    return c.name or c.title or questions[0].source


def question_title(q: Question) -> str:
    """A name for the question bank's list: the start of the stem, which the student sees anyway (never the id,
    which can name the answer)."""
    text = " ".join(q.prompt.split())
    # matching and ordering stems are all alike: name them by what is shown first (which gives nothing away)
    if q.type == "matching" and q.options:
        text = f"Matching: {' '.join(q.options[0].split())}"
    elif q.type == "ordering" and q.display:
        text = f"Ordering: {' '.join(q.options[q.display[0]].split())}"
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def escape(text: str) -> str:
    """Text as HTML: &, < and > escaped; quotes left as they are (they are text, not attributes)."""
    return html.escape(text, quote=False)


def paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part.strip())


def answer_words(q: Question) -> str:
    """The correct answer in words, without letters (LMSs shuffle and letter the options their own way)."""
    if q.type == "mcq":
        return q.answer
    if q.type == "multi":
        return "; ".join(q.answers)
    if q.type in ("matching", "ordering", "tf", "numeric"):
        return q.answer_text
    return q.answer


def feedback_html(q: Question) -> str:
    """What a student reads after answering: the explanation, the answer, and the quote from the text."""
    parts = []
    if q.explanation:
        parts.append(paragraphs(q.explanation))
    parts.append(f"<p>Answer: {escape(answer_words(q))}</p>")
    if q.evidence:
        parts.append(f"<blockquote><p>{escape(q.evidence)}</p></blockquote>")
    c = q.citation
    source = ", ".join(x for x in (c.title, c.publisher, c.date) if x)
    if source:
        parts.append(f"<p>Source: {escape(source)}</p>")
    return "".join(parts)


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) in the given order, with fixed dates and permissions: same files, same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine built it
            z.writestr(info, data, compresslevel=6)
    return buf.getvalue()
