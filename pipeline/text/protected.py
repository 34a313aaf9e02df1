"""Text the model must not touch: URLs (with or without http:// or www.: «about.fb.com»), e-mail
addresses, @handles, #hashtags, emoji, and the glossary's do-not-translate terms (`keep`).

A Marian model rewrites or drops them, so the model never sees them: inside a sentence each
becomes a placeholder (`ZQ1`, `ZQ2`, …: Latin letters and a digit, no word in any language, the
kind of token a model copies), the sentence stays one unit, and after translation each
placeholder is replaced by the text as written. When the model dropped a placeholder, the text
is put back at the end of the sentence and the unit says so (the `protected_moved` flag), so
nothing the writer wrote is ever lost.

The translation memory keys on the model input, placeholders included: the same sentence with
another address is the same translation.
"""

from __future__ import annotations

import re
from typing import Sequence

from .arabic import BIDI_CONTROLS

PROTECTED = re.compile(
    # URLs (final punctuation stays outside, and the directional controls that set one apart in Arabic)
    r"(?:https?://|www\.)[^\s<>\"«»\u202a-\u202e\u2066-\u2069]+[^\s<>\"«».,;:!?؟،)\]}'’”\u202a-\u202e\u2066-\u2069]"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"  # e-mail addresses
    r"|(?<![\w@])@[A-Za-z0-9_]{1,30}"                                     # @handles
    r"|(?<![A-Za-z0-9_#&])#[\w\u064b-\u065f\u0670]+"                     # #hashtags, Arabic ones too («#غزة،»: not the comma)
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\U0001F3FB-\U0001F3FF]*"
)
# A character every PROTECTED match holds ("h" of http, "w" of www., "@", "#", an emoji): one
# scan for it is ten times faster than PROTECTED itself, and Arabic sentences rarely have one.
_MAYBE_PROTECTED = re.compile(r"[hw@#\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
# A web address without its scheme or www («about.fb.com», «bbc.co.uk/arabic»): a known top-level
# domain after lower-case Latin labels; looked for only where a Latin letter follows a dot.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:com|org|net|gov|edu|int|info|io|co|news|tv|me|ly|uk|fr|de|ru|tr|ir|il|ae|sa|eg|qa|kw|jo|lb|ma|tn|dz|iq|sy|"
    r"ps|om|bh|ye|sd)(?![\w-])(?:/[^\s<>\"«»]*[^\s<>\"«».,;:!?؟،)\]}'’”])?"
)
_LATIN_AFTER_DOT = re.compile(r"[a-z0-9]\.[a-z]")
# What the model may make of `ZQ3`: "ZQ3", "zq3", "ZQ 3".
_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])Z\s?Q\s?(\d{1,3})(?![0-9])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")


def placeholder(number: int) -> str:
    return f"ZQ{number}"


def protected_spans(text: str, keep: Sequence[re.Pattern] = ()) -> list[tuple[int, int]]:
    """Spans of `text` the model must not see: PROTECTED, and matches of the `keep` patterns
    (the glossary's do-not-translate terms) outside those, in order."""
    spans = [match.span() for match in PROTECTED.finditer(text)] if _MAYBE_PROTECTED.search(text) else []
    extra = [_BARE_DOMAIN] if _LATIN_AFTER_DOT.search(text) else []
    for pattern in (*extra, *keep):
        for match in pattern.finditer(text):
            if match.end() > match.start() and not any(a < match.end() and match.start() < b for a, b in spans):
                spans.append(match.span())
    return sorted(spans)


def with_placeholders(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by its placeholder, spaced off from letters and digits
    («علىinfo@x.com» → «على ZQ1»; «(info@x.com)» → «(ZQ1)»)."""
    parts, position = [], 0
    for number, (start, end) in enumerate(spans, start=1):
        before = text[position:start]
        parts.append(before)
        token = placeholder(number)
        if before[-1:].isalnum():
            token = " " + token
        if text[end:end + 1].isalnum():
            token += " "
        parts.append(token)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def restore(english: str, pieces: list[str]) -> tuple[str, list[str]]:
    """The model's English with every placeholder replaced by its text as written.

    Returns the English and the pieces whose placeholder the model dropped; those are put back
    at the end of the sentence (before its final punctuation). A placeholder the model repeated
    or invented is removed.
    """
    if not pieces:
        return english, []
    # A URL or handle set apart in Arabic text by directional controls goes into English without
    # them (English needs none, and the bidi_controls check would hold the article back for them).
    pieces = [BIDI_CONTROLS.sub("", piece) for piece in pieces]
    used: set[int] = set()

    def put_back(match: re.Match) -> str:
        number = int(match.group(1))
        if 1 <= number <= len(pieces) and number not in used:
            used.add(number)
            return pieces[number - 1]
        return ""

    restored = _PLACEHOLDER.sub(put_back, english)
    lost = [piece for number, piece in enumerate(pieces, start=1) if number not in used]
    if lost:
        end = _SENTENCE_END.search(restored)
        cut = end.start() if end else len(restored.rstrip())
        restored = f"{restored[:cut].rstrip()} {' '.join(lost)}{restored[cut:]}"
    return re.sub(r" {2,}", " ", restored).strip(), lost


def hide(english: str, pieces: list[str]) -> str | None:
    """The reverse of `restore` for a person's English: each piece replaced by its placeholder,
    so an approved sentence can serve the same sentence with another address. None when a piece
    is not in the English exactly once."""
    for number, piece in enumerate(pieces, start=1):
        if english.count(piece) != 1:
            return None
        english = english.replace(piece, placeholder(number))
    return english
