"""The per-article JSON record: the data model plus the run's signature, schema-versioned."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..fsutil import atomic_write_text
from ..model import Document, Flag, Paragraph, Sentence

SCHEMA_VERSION = "1.0"


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
    }


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


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def write_json(path: Path, record: dict) -> None:
    atomic_write_text(path, dumps(record))
