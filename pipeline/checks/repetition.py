"""The usual Marian hallucinations: a phrase looping, a sentence said twice, letters or subwords
looping inside a word ("itititit", "sincencencence", "fffff")."""

from __future__ import annotations

import re

from pydantic import Field

from ..model import Flag, Paragraph
from ..text.sentences import english_sentences, sentence_spans
from .base import Params

# A number as written is one word ("15,000,000,000", not «000» three times); a chain of groups
# longer than a trillion's, or of decimal points, is split, so a loop of digits is still a loop.
_WORD = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3}){1,4}(?![,\d])|(?<![\d.])\d+(?:\.\d+)?(?![.\d])|[\w'’-]+", re.UNICODE)


class RepetitionParams(Params):
    min_repeats: int = Field(3, ge=2)        # a phrase this many times in a row is a loop
    max_phrase_words: int = Field(8, ge=1)
    min_sentence_words: int = Field(4, ge=1)  # shorter repeated sentences («No.») are left alone
    error_repeats: int = Field(6, ge=2)      # a loop this long (or one that ran to the length cap) is an error
    # a phrase of this many words or more said twice in a row ("in the first quarter in the first
    # quarter"): a model's stutter, never English style; 0 turns it off
    doubled_phrase_words: int = Field(4, ge=0)


class CharacterLoopParams(Params):
    # Letters (not digits) of 1 to `max_unit` characters repeated this many times in a row inside
    # a word. English words repeat a letter at most twice ("committee") and a 2-3 letter piece at
    # most twice ("Mississippi", "banana"): four is a subword loop of the model.
    min_repeats: int = Field(4, ge=3)
    max_unit: int = Field(4, ge=1)


def _loop(words: list[str], min_repeats: int, max_len: int, min_len: int = 1) -> tuple[str, int] | None:
    for size in range(min_len, max_len + 1):
        for start in range(0, len(words) - size * min_repeats + 1):
            if words[start + size] != words[start]:
                continue  # not even said twice (min_repeats is at least 2)
            phrase = words[start:start + size]
            repeats = 1
            while words[start + repeats * size:start + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats >= min_repeats:
                return " ".join(phrase), repeats
    return None


def _doubled(english: str, min_words: int, max_words: int) -> tuple[str, int] | None:
    """A phrase of `min_words` or more said twice with nothing but a space between ("in the first
    quarter in the first quarter"): a stutter; "I didn't do it, I didn't do it", with its comma, is
    rhetoric and stays."""
    pattern = rf"(?<![\w'’-])((?:[\w'’-]+\s+){{{min_words - 1},{max_words - 1}}}?[\w'’-]+)\s+\1(?![\w'’-])"
    match = re.search(pattern, english, re.IGNORECASE)
    return (" ".join(match.group(1).lower().split()), 2) if match else None


def repetition(paragraph: Paragraph, params: RepetitionParams) -> list[Flag]:
    flags = []
    words = [w.lower() for w in _WORD.findall(paragraph.target)]
    source_words = _WORD.findall(paragraph.source)
    found, doubled = _loop(words, params.min_repeats, params.max_phrase_words), False
    if not found and params.doubled_phrase_words:
        found = _doubled(paragraph.target, params.doubled_phrase_words, max(params.max_phrase_words, params.doubled_phrase_words))
        doubled = found is not None
    # «لا لا لا» → "no no no" is faithful: only loops the Arabic does not have count.
    if found and not (_loop(source_words, 2, params.max_phrase_words, 2) if doubled
                      else _loop(source_words, params.min_repeats, params.max_phrase_words)):
        phrase, repeats = found
        capped = any(unit.hit_length_cap for unit in paragraph.sentences)
        if capped or repeats >= params.error_repeats:  # a runaway loop: the sentence's meaning is lost
            flags.append(Flag("repetition", "error", f"«{phrase}» repeats {repeats} times in a row"
                              + (" up to the length limit" if capped else "") + ": a model loop, retranslate",
                              {"phrase": phrase, "repeats": repeats, "hit_length_cap": capped}))
        else:
            said = "is said twice in a row" if doubled else f"repeats {repeats} times in a row"
            flags.append(Flag("repetition", "warning", f"«{phrase}» {said}: a model loop?",
                              {"phrase": phrase, "repeats": repeats}))
    seen: dict[str, int] = {}
    for sentence in english_sentences(paragraph.target):
        key = " ".join(w.lower() for w in _WORD.findall(sentence))
        if len(key.split()) >= params.min_sentence_words:
            seen[key] = seen.get(key, 0) + 1
    repeated = [s for s, n in seen.items() if n > 1]
    arabic = [" ".join(_WORD.findall(paragraph.source[a:b])) for a, b in sentence_spans(paragraph.source)] \
        if repeated else []
    if repeated and len(set(arabic)) == len(arabic):
        flags.append(Flag("repeated_sentence", "warning", f"a sentence appears twice in the English: «{repeated[0][:60]}»",
                          {"sentences": repeated}))
    return flags



def _character_loop(text: str, params: CharacterLoopParams) -> re.Match | None:
    pattern = re.compile(rf"([^\W\d_]{{1,{params.max_unit}}}?)\1{{{params.min_repeats - 1},}}", re.UNICODE | re.IGNORECASE)
    return pattern.search(text)


def character_loop(paragraph: Paragraph, params: CharacterLoopParams) -> list[Flag]:
    found = _character_loop(paragraph.target, params)
    # «ههههه» (laughter) may come out as "hahaha…": faithful when the Arabic loops too.
    if found is None or _character_loop(paragraph.source, params):
        return []
    start = paragraph.target.rfind(" ", 0, found.start()) + 1
    end = paragraph.target.find(" ", found.end())
    word = paragraph.target[start:end if end >= 0 else None][:40]
    return [Flag("character_loop", "error", f"«{word}»: letters loop inside a word, a garbled translation",
                 {"word": word, "unit": found.group(1)})]
