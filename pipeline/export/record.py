"""The per-article JSON record: the data model plus the run's signature, schema-versioned.

Written from the data model (`document_record`) and read back into it (`read_record`): the
review import, the TMX export and skip-unchanged work on `Document`, `Paragraph` and
`ParagraphReview`, never on raw JSON. Reading a record and writing it again gives the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import orjson

from ..fsutil import atomic_write_text
from ..model import Document, Flag, MemoryMatch, Paragraph, ParagraphReview, Sentence

SCHEMA_VERSION = "1.3"  # 1.2: sentences' glossary (enforced terms); 1.3: paragraphs' memory_match (fuzzy matches offered)


@dataclass
class RunInfo:
    """What produced a record: enough to reproduce it (the run signature)."""

    model_name: str
    model_fingerprint: str
    backend: str
    generation: dict
    pipeline: dict = field(default_factory=dict)
    created: str = ""  # ISO 8601 UTC; pinned by SOURCE_DATE_EPOCH for reproducible files


@lru_cache(maxsize=1)
def article_schema() -> dict:
    return json.loads(resources.files("pipeline.export").joinpath("article.schema.json").read_text("utf-8"))


def _flag(flag: Flag) -> dict:
    return {"code": flag.code, "severity": flag.severity, "message": flag.message, "evidence": flag.evidence}


def _sentence(unit: Sentence) -> dict:
    return {
        "id": unit.id,
        "source": unit.source,
        "source_span": list(unit.source_span),
        "model_input": unit.model_input,
        "target": unit.target,
        "target_span": list(unit.target_span or (0, 0)),
        "score": unit.score,
        "origin": unit.origin or "model",
        "budget_split": unit.budget_split,
        "hit_length_cap": unit.hit_length_cap,
        "source_tokens": unit.source_tokens,
        **({"protected": list(unit.protected)} if unit.protected else {}),
        **({"protected_moved": list(unit.protected_moved)} if unit.protected_moved else {}),
        **({"style": [dict(edit) for edit in unit.style]} if unit.style else {}),
        **({"glossary": dict(unit.glossary)} if unit.glossary else {}),
    }


def _paragraph(paragraph: Paragraph) -> dict:
    return {
        "id": paragraph.id,
        "index": paragraph.index,
        "kind": paragraph.kind,
        "kind_hint": paragraph.kind_hint,
        "source": paragraph.source,
        "target": paragraph.target,
        "sentences": [_sentence(unit) for unit in paragraph.sentences],
        "flags": [_flag(flag) for flag in paragraph.flags],
        "status": paragraph.status,
        **({"approved_flags": list(paragraph.approved_flags)} if paragraph.approved_flags else {}),
        **({"review": _review(paragraph.review)} if paragraph.review is not None else {}),
        **({"memory_match": _memory_match(paragraph.memory_match)} if paragraph.memory_match is not None else {}),
    }


def _memory_match(match: MemoryMatch) -> dict:
    return {"score": round(match.score, 2), "source": match.source, "target": match.target, "origin": match.origin,
            "memory_target": match.memory_target, "numbers": [list(pair) for pair in match.numbers],
            "carried": match.carried}


def _review(review: ParagraphReview) -> dict:
    return {"status": review.status, "editor_target": review.editor_target, "note": review.note,
            "editors": list(review.editors), "edited_at": review.edited_at, "tracked_changes": review.tracked_changes,
            **({"status_from_checks": True} if review.status_from_checks else {})}  # absent: an editor's choice


# Fields of a paragraph / sentence that exist before translation (what `tarjama segment --json` shows).
_SEGMENT_PARAGRAPH_FIELDS = ("id", "index", "kind", "kind_hint", "source", "sentences")
_SEGMENT_SENTENCE_FIELDS = ("id", "source", "source_span", "model_input", "budget_split", "source_tokens")


def segmentation_record(document: Document) -> dict:
    """The paragraph and sentence fields of the article record, without translations."""
    paragraphs = []
    for paragraph in document.paragraphs:
        data = _paragraph(paragraph)
        data["sentences"] = [{k: s[k] for k in _SEGMENT_SENTENCE_FIELDS} for s in data["sentences"]]
        data.pop("approved_flags", None)
        paragraphs.append({k: data[k] for k in _SEGMENT_PARAGRAPH_FIELDS})
    return {"document": {"id": document.id, "source_sha256": document.source_sha256, "format": document.format,
                         "encoding": document.encoding, "notices": list(document.notices)},
            "paragraphs": paragraphs}


def summary(document: Document) -> dict:
    flags = [flag for paragraph in document.paragraphs for flag in paragraph.flags]
    return {
        "paragraphs": len(document.paragraphs),
        "sentences": sum(len(p.sentences) for p in document.paragraphs),
        "flagged": sum(1 for p in document.paragraphs if p.status != "ok"),
        "by_code": dict(sorted(Counter(f.code for f in flags).items())),
        "by_severity": dict(sorted(Counter(f.severity for f in flags).items())),
    }


def document_record(document: Document, run: RunInfo) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "document": {
            "id": document.id,
            "source_path": document.source_path,
            "source_sha256": document.source_sha256,
            "format": document.format,
            "encoding": document.encoding,
            "source_lang": "ar",
            "target_lang": "en",
            "created": run.created,
            "notices": list(document.notices),
        },
        "model": {"name": run.model_name, "fingerprint": run.model_fingerprint, "backend": run.backend,
                  "generation": run.generation},
        "pipeline": dict(run.pipeline),
        "paragraphs": [_paragraph(paragraph) for paragraph in document.paragraphs],
        "summary": summary(document),
    }


# --- what a review row showed ----------------------------------------------------------------
# Short hashes of a row's English, status and note (6 hex each), as a review file shows them:
# the record keeps those of the DOCX it was written with (outputs.docx_rows) and an XLIFF unit
# carries its own (extradata), so an import takes only the cells an editor changed in that file
# (roundtrip.merge_review). Whitespace does not count: Word and CAT tools re-flow it.
CELL_HASH = 6
ROW_HASH = 3 * CELL_HASH


def _cell(text: str | None) -> str:
    import hashlib

    return hashlib.sha256(" ".join((text or "").split()).encode("utf-8")).hexdigest()[:CELL_HASH]


def row_cells(english: str | None, status: str | None, note: str | None) -> str:
    return _cell(english) + _cell(status) + _cell(note)


def review_hashes(lines: list[str]) -> str:
    """The Review column's lines as a DOCX shows them (Tarjama's own: the checks' status, reviews,
    flags), a short hash each: an import tells them from what an editor typed there."""
    return "".join(_cell(line) for line in lines if line.strip())


def split_hashes(hashes: str) -> set[str]:
    return {hashes[i:i + CELL_HASH] for i in range(0, len(hashes), CELL_HASH)}


def split_cells(cells: str) -> tuple[str, str, str]:
    return cells[:CELL_HASH], cells[CELL_HASH:2 * CELL_HASH], cells[2 * CELL_HASH:ROW_HASH]


# --- reading back --------------------------------------------------------------------------

@dataclass
class ArticleRecord:
    """An article record read back: the document with its translations, flags and reviews, the
    run that wrote it, and what its last review import recorded."""

    document: Document
    run: RunInfo
    created: str                       # document.created of the record
    signature: str | None = None       # pipeline.signature: what skip-unchanged compares
    review_import: dict | None = None  # file, sha256, counts … of the last `tarjama import-review`
    docx_sha256: str | None = None     # the DOCX written with this record (outputs.docx_sha256)
    orphaned_reviews: list[dict] = field(default_factory=list)  # reviews of paragraphs no longer in the article
    # What the DOCX written with this record (and the few before it) showed per row: [{created, rows}]
    docx_rows: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        record = document_record(self.document, self.run)
        record["document"]["created"] = self.created
        if self.signature is not None:
            record["pipeline"]["signature"] = self.signature
        if self.review_import is not None:
            record["review_import"] = self.review_import
        if self.docx_sha256 is not None:
            record["outputs"] = {"docx_sha256": self.docx_sha256}
            if self.docx_rows:
                record["outputs"]["docx_rows"] = self.docx_rows
        if self.orphaned_reviews:
            record["orphaned_reviews"] = self.orphaned_reviews
        return record


def read_record(path: Path) -> ArticleRecord:
    """An article record from its JSON (raises OSError, ValueError or KeyError when it is none)."""
    data = orjson.loads(Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf"))  # orjson: twice as fast; a BOM an editor's tool added is no matter
    meta = data["document"]
    document = Document(id=meta["id"], source_path=meta["source_path"], source_sha256=meta["source_sha256"],
                        format=meta["format"], encoding=meta.get("encoding"), notices=list(meta.get("notices", [])),
                        paragraphs=[_read_paragraph(p) for p in data["paragraphs"]])
    pipeline = dict(data.get("pipeline", {}))
    signature = pipeline.pop("signature", None)
    model = data["model"]
    run = RunInfo(model["name"], model["fingerprint"], model["backend"], model["generation"], pipeline,
                  created=meta.get("created", ""))
    outputs = data.get("outputs") or {}
    return ArticleRecord(document, run, meta.get("created", ""), signature, data.get("review_import"),
                         outputs.get("docx_sha256"), list(data.get("orphaned_reviews", [])),
                         list(outputs.get("docx_rows", [])))


def recorded_signature(path: Path) -> str | None:
    """The signature an article's JSON records, or None when it is unreadable or foreign."""
    try:
        return read_record(path).signature
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _read_paragraph(data: dict) -> Paragraph:
    review = data.get("review")
    return Paragraph(
        id=data["id"], index=data["index"], source=data["source"], kind=data["kind"], kind_hint=data.get("kind_hint"),
        sentences=[_read_sentence(s) for s in data["sentences"]], target=data["target"],
        flags=[Flag(f["code"], f["severity"], f["message"], f.get("evidence", {})) for f in data["flags"]],
        status=data["status"], approved_flags=list(data.get("approved_flags", [])),
        review=ParagraphReview(**review) if review is not None else None,
        memory_match=MemoryMatch(**data["memory_match"]) if data.get("memory_match") else None)


def _read_sentence(data: dict) -> Sentence:
    return Sentence(
        id=data["id"], source=data["source"], source_span=tuple(data["source_span"]), model_input=data["model_input"],
        target=data["target"], target_span=tuple(data["target_span"]), score=data["score"], origin=data["origin"],
        budget_split=data["budget_split"], hit_length_cap=data["hit_length_cap"], source_tokens=data.get("source_tokens"),
        verbatim=data["origin"] == "verbatim" and bool(data.get("protected")),
        protected=list(data.get("protected", [])), protected_moved=list(data.get("protected_moved", [])),
        style=[dict(edit) for edit in data.get("style", [])], glossary=data.get("glossary"))


def dumps(record: dict) -> str:
    """`record` as JSON, indented by 2, UTF-8 as written: what json.dumps(ensure_ascii=False,
    indent=2) writes, byte for byte, 9× faster (its indenting encoder is pure Python)."""
    return orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8") + "\n"


def write_json(path: Path, record: dict) -> None:
    atomic_write_text(path, dumps(record))
