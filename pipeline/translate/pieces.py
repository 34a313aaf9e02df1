"""Marian's tokenization with sentencepiece alone: token counts for every run, pieces for the
CTranslate2 backend.

CTranslate2 takes source pieces and returns target pieces; MarianTokenizer (transformers) makes
and reads them, but importing transformers takes about a second at every start of a run that
translates, a second the backend itself never needs. `MarianPieces` does what MarianTokenizer
does for this (its `_tokenize`, vocabulary look-up, `</s>`, `convert_tokens_to_string`) with the
model's own files; tests/e2e/test_ctranslate2.py checks it gives MarianTokenizer's pieces and
text on every sentence of the test data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

SPIECE_UNDERLINE = "▁"


def _processor(path: Path):
    """A sentencepiece model of the Marian model; a missing or damaged one is the model's
    one-line error (sentencepiece raises a bare RuntimeError)."""
    import sentencepiece

    from ..errors import ModelNotAvailable

    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (RuntimeError, OSError) as exc:
        raise ModelNotAvailable(f"{path.parent}: cannot load {path.name} ({str(exc).splitlines()[0][:160]})") from None


class SentencePieceCounter:
    """Marian source tokens of a text (pieces + </s>), with sentencepiece alone.

    The same count as MarianTokenizer (tested) without importing transformers, which takes
    seconds: a re-run served from the memory never needs it.
    """

    def __init__(self, model_dir: Path, processor=None):
        """`processor`: the model's source sentencepiece model when already loaded (MarianPieces.source)."""
        if processor is None:
            processor = _processor(Path(model_dir) / "source.spm")
        self.processor = processor
        self._counts: dict[str, int] = {}

    def __call__(self, texts: Sequence[str]) -> list[int]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._counts]
        if missing:
            pieces = self.processor.encode(missing, out_type=int)  # ids: cheaper than strings
            self._counts.update((text, len(p) + 1) for text, p in zip(missing, pieces))
        return [self._counts[t] for t in texts]


class MarianPieces:
    """Source pieces in, target text out, as MarianTokenizer makes and reads them."""

    def __init__(self, model_dir: Path):
        model_dir = Path(model_dir)
        config = _read_json(model_dir / "tokenizer_config.json") or {}
        self.eos = _content(config.get("eos_token"), "</s>")
        self.unk = _content(config.get("unk_token"), "<unk>")
        self.special = {self.eos, self.unk, _content(config.get("pad_token"), "<pad>")}
        # the source side's vocabulary (a missing file is an OSError: the model is not usable)
        self.vocabulary = set(json.loads((model_dir / "vocab.json").read_text(encoding="utf-8")))
        self.source = _processor(model_dir / "source.spm")
        self.target = _processor(model_dir / "target.spm")
        # A special token written in the text is that token, not letters (the tokenizer's split).
        self._special = re.compile("(" + "|".join(map(re.escape, sorted(self.special, key=len, reverse=True))) + ")")

    def source_tokens(self, text: str) -> list[str]:
        """The pieces the model reads: a language code in front (>>fra<<) kept whole, the rest
        cut by the source model, pieces outside the vocabulary as <unk>, then </s>."""
        tokens: list[str] = []
        for part in self._special.split(text):
            if part in self.special:
                tokens.append(part)
            elif part:
                tokens.extend(self._pieces(part))
        return [token if token in self.vocabulary else self.unk for token in tokens] + [self.eos]

    def _pieces(self, text: str) -> list[str]:
        code = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:
            code, text = [text[:end + 2]], text[end + 2:]
        return code + self.source.encode(text, out_type=str)

    def text(self, tokens: list[str]) -> str:
        """English from target pieces (special tokens as written, between decoded stretches)."""
        out, stretch = "", []
        for token in tokens:
            if token in self.special:
                out += self.target.decode_pieces(stretch) + token + " "
                stretch = []
            else:
                stretch.append(token)
        out += self.target.decode_pieces(stretch)
        return out.replace(SPIECE_UNDERLINE, " ").strip()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _content(token, default: str) -> str:
    """A special token as tokenizer_config.json gives it: a string or {"content": …}."""
    if isinstance(token, dict):
        return token.get("content", default)
    return token or default
