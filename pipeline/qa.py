"""QA of an existing translation: two line-aligned files through the review checks.

Newsrooms run this on human translations as well as on machine output: SOURCE and TARGET hold
one paragraph per line, line N of one translating line N of the other.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, TarjamaError
from .export.record import ArticleRecord, RunInfo, dumps, summary
from .ingest import decode_text, displayable, document_from_lines, is_blank
from .model import Document, Paragraph, Sentence, sentence_id
from .segment import assign_kinds
from .stages import Stages


class MisalignedFiles(TarjamaError):
    """SOURCE and TARGET do not have the same number of lines."""


class EditedReviewSheet(TarjamaError):
    """The review sheet at --docx holds an editor's edits that are not imported: not overwritten."""


class UnusableFile(TarjamaError):
    """SOURCE or TARGET is missing, unreadable or empty: exit 2, apart from `--strict`'s 1
    ("needs review"), so CI can tell a broken job from flagged text."""


@dataclass
class CheckedPair:
    paragraph: Paragraph
    line: int  # 1-based line number in both files


# Lines as `wc -l`, `paste` and sacrebleu count them: a U+2028 or a form feed inside a line (a
# CAT tool's or a word processor's) is not a line of its own here, as it is in an article.
_ALIGNED_LINES = re.compile(r"\r\n|\r|\n")
_IN_LINE_BREAKS = re.compile("[\u2028\u2029\x85\x0b\x0c]")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        raise InputError(path, "no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    text, _ = decode_text(path, data)
    # a page break or U+2028 inside a line is a space here; what no document can hold, U+FFFD
    lines = [displayable(_IN_LINE_BREAKS.sub(" ", line)) for line in _ALIGNED_LINES.split(text)]
    if len(lines) > 1 and lines[-1] == "":  # the newline that ends the last line starts no line
        lines.pop()
    return lines


def _lines_word(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _last_text_line(lines: list[str]) -> int:
    """How many lines count: up to the last one with text (blank lines after it end the file)."""
    return max((number for number, line in enumerate(lines, start=1) if not is_blank(line)), default=0)


def check_files(source: Path, target: Path, stages: Stages) -> tuple[Document, list[CheckedPair]]:
    """The checks (stages.check) on two line-aligned files."""
    try:
        arabic, english = _lines(source), _lines(target)
    except InputError as exc:
        raise UnusableFile(str(exc)) from None
    if not _last_text_line(arabic):
        raise UnusableFile(f"{source}: empty (no paragraph to check)")
    # The Arabic decides how many lines there are. English lines may be empty, at the end too
    # (an untranslated last paragraph is an empty_target flag, not a misaligned file); only
    # English text past the Arabic's last line, or English missing lines, is a misalignment.
    count = _last_text_line(arabic)
    # English opposite one of the Arabic's lines, blank ones after its text too (as `wc -l` counts
    # them): a blank Arabic line with English is said as such, below; past the Arabic's end, or
    # English missing lines the Arabic has text on, the counts are.
    if len(english) < count or _last_text_line(english) > max(count, len(arabic)):
        found = _last_text_line(english) if _last_text_line(english) > count else len(english)
        total = len(arabic) if found > count else count
        raise MisalignedFiles(f"{source} has {_lines_word(total)} but {target} has {_lines_word(found)}: "
                              "the files must be line-aligned, one paragraph per line")
    stray = next((n for n, (ar, en) in enumerate(zip(arabic, english), start=1) if is_blank(ar) and not is_blank(en)), None)
    if stray is not None:  # the English would be dropped with the blank line: a line added or moved
        raise MisalignedFiles(f"{target}:{stray} has English where {source} has a blank line: "
                              "the files must be line-aligned, one paragraph per line")
    arabic, english = arabic[:count], english[:count]
    document = document_from_lines(arabic, source.name, english)
    document.source_path = str(source)
    document.source_sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    lines = [number for number, line in enumerate(arabic, start=1) if not is_blank(line)]
    assign_kinds(document.paragraphs)
    stages.check(document)
    return document, [CheckedPair(paragraph, line) for paragraph, line in zip(document.paragraphs, lines)]


def report_record(document: Document, pairs: list[CheckedPair], source: Path, target: Path, config: str = "") -> dict:
    """The flags per paragraph, as the same objects as in the article JSON, and a summary;
    `config` names the settings in force (a file, or the built-in defaults)."""
    return {
        "source": str(source),
        "target": str(target),
        "config": config,
        "paragraphs": [{"id": p.paragraph.id, "line": p.line, "kind": p.paragraph.kind, "status": p.paragraph.status,
                        "flags": [{"code": f.code, "severity": f.severity, "message": f.message, "evidence": f.evidence}
                                  for f in p.paragraph.flags]}
                       for p in pairs],
        "summary": summary(document),
    }


def _keep_approved_english(document: Document, previous: ArticleRecord) -> None:
    """An approval is of the English the editor saw: when the translation file's line for that
    Arabic has changed since, the approved English stays the paragraph's (as the editor's, the
    file's new line shown beside it), as `translate` serves an approval instead of a new
    translation — never the approval moved onto text nobody reviewed."""
    approved = {p.source: p.target for p in previous.document.paragraphs}
    for paragraph in document.paragraphs:
        review = paragraph.review
        if review is not None and review.status == "approved" and review.editor_target is None:
            before = approved.get(paragraph.source)
            if before is not None and before != paragraph.target:
                review.editor_target = before


def write_review_sheet(document: Document, target: Path, docx_path: Path, created: str,
                       options=None) -> tuple[Path, Path]:
    """The bilingual review DOCX of a checked human translation, and its article record beside it
    (`<name>.json`), so that `tarjama import-review` takes the editor's work back as for a
    machine translation. The "model" is the translation file: its sha256 is the fingerprint."""
    import hashlib

    from . import __version__
    from .export.docx import build_docx
    from .export.record import read_record
    from .fsutil import atomic_write_bytes, atomic_write_text
    from .roundtrip import carry_reviews, docx_rows, follow_ids, unimported_edits
    from .segment import SEGMENTER_VERSION

    # As `translate` does: an editor's DOCX whose edits are not imported is never overwritten, and
    # the reviews imported from it carry over into the new sheet.
    json_path = docx_path.with_suffix(".json")
    try:
        previous = read_record(json_path) if json_path.is_file() else None
    except (ValueError, KeyError, TypeError):
        previous = None
    edited = unimported_edits(docx_path, previous)
    if edited is not None:
        raise EditedReviewSheet(edited)

    for paragraph in document.paragraphs:  # one unit per paragraph: a human translation is aligned by paragraph
        if not paragraph.sentences:
            paragraph.sentences = [Sentence(sentence_id(paragraph.id, 1), paragraph.source, (0, len(paragraph.source)),
                                            paragraph.source, target=paragraph.target,
                                            target_span=(0, len(paragraph.target)), origin="human")]
    run = RunInfo(model_name=f"human translation ({target.name})",
                  model_fingerprint="sha256:" + hashlib.sha256(target.read_bytes()).hexdigest(), backend="human",
                  generation={}, pipeline={"tarjama_version": __version__, "segmenter_version": SEGMENTER_VERSION},
                  created=created)
    moved: dict[str, str] = {}
    orphans = carry_reviews(document, previous, moved) if previous is not None else []
    if previous is not None:
        _keep_approved_english(document, previous)
    data = build_docx(document, run, options) if options is not None else build_docx(document, run)
    record = ArticleRecord(document, run, created, review_import=follow_ids(previous.review_import, moved) if previous is not None else None,
                           docx_sha256=hashlib.sha256(data).hexdigest(), orphaned_reviews=orphans,
                           docx_rows=docx_rows(document, created, previous))
    atomic_write_bytes(docx_path, data)
    atomic_write_text(json_path, dumps(record.to_dict()))
    return docx_path, json_path
