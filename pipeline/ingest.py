"""Read an article file into a `Document` of raw paragraphs, nothing dropped.

- `.txt`: every non-blank line is one paragraph (newsroom copy and NTREX both use one
  paragraph per line), but in a hard-wrapped file (blank lines between paragraphs, lines broken
  mid-sentence inside them) a paragraph's lines are joined, and a notice says so. The encoding
  is detected, not assumed (`decode_text`): a byte-order mark, else UTF-16 without one, else
  strict UTF-8, else UTF-8 with words pasted from Windows-1256 (or Windows-1252 inside Latin
  words) read word by word, else UTF-8 with a few damaged bytes kept as U+FFFD (a notice says
  so), else charset-normalizer, which must name an Arabic-capable encoding (a DOS code page it
  names for a short ISO-8859-6 file gives way to ISO-8859-6), else, for a short file, Windows-1256
  or ISO-8859-6 that decodes into mostly Arabic letters and no Latin letter with a diacritic
  beside an Arabic one.
- `.md`: CommonMark blocks (markdown-it-py): headings, paragraphs, list items, quotes, table
  cells, code lines. A paragraph's soft-wrapped lines are joined with a space.
- `.docx`: body paragraphs and table cells in document order, those inside content controls
  (w:sdt) and custom XML included, with all tracked changes accepted; heading/title/list/
  quote/caption styles become kind hints, and so do numbering properties (a bullet or a
  number; a decimal number kept in the text); a hyperlink keeps its web address after its
  text. Text the reader does not take (text boxes, footnotes, comments, pictures, headers and
  footers) is named in `notices`.

A paragraph's `source` is its text as written, without the line's surrounding whitespace.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import zipfile
from pathlib import Path

from .text.arabic import FORMAT_CONTROLS, LIST_ITEM_OPENING, OTHER_CONTROLS, arabic_share, has_arabic
from .errors import InputError, UnsupportedInput
from .model import Document, Paragraph, paragraph_id

TEXT_SUFFIXES = {".txt"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | DOCX_SUFFIXES


def format_of(path: Path) -> str:
    """How an article is read, by its suffix, as its record's `document.format` says: txt, md, docx."""
    return path.suffix.lower().lstrip(".").replace("markdown", "md")


# Encodings we accept from detection; anything else is more likely a wrong guess than a
# real Arabic newsroom file.
ARABIC_CAPABLE = {"cp1256", "windows-1256", "iso8859_6", "iso-8859-6", "cp720", "cp864", "mac_arabic"}
ENCODING_NAMES = {"cp1256": "Windows-1256", "iso8859_6": "ISO-8859-6", "cp720": "DOS-720",
                  "cp864": "IBM-864", "mac_arabic": "MacArabic"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85|\x0b|\x0c")

DEFAULT_MAX_INPUT_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_DOCX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Characters XML 1.0 cannot hold (so no .docx can): C0 controls but tab/newline/CR, the
# non-characters U+FFFE/U+FFFF and lone surrogates. They come from corrupted exports; they are
# shown as U+FFFD (the replacement character) everywhere, and the article says how many.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def displayable(text: str) -> str:
    """`text` with the characters no document can hold replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def is_blank(text: str) -> bool:
    """True for text a reader would call empty: whitespace and invisible format marks only."""
    return not FORMAT_CONTROLS.sub("", text).strip()


def read_document(
    path: Path,
    doc_id: str,
    *,
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    max_docx_unzipped_bytes: int = DEFAULT_MAX_DOCX_UNZIPPED_BYTES,
) -> Document:
    """Read one article. Raises InputError (or UnsupportedInput) with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f"'{path.suffix}' files" if path.suffix else "files without an extension"
        raise UnsupportedInput(path, f"not an article: {what} are not read (.txt, .md, .docx are)")
    try:
        size = path.stat().st_size
        if size > max_input_bytes:
            raise InputError(path, f"too large: {size:,} bytes (limit {max_input_bytes:,}, see limits in config.yaml)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(path, "empty")

    document = Document(id=doc_id, source_path=doc_id, source_sha256=hashlib.sha256(data).hexdigest(),
                        format=format_of(path))
    if suffix in DOCX_SUFFIXES:
        blocks = _read_docx(path, data, document, max_docx_unzipped_bytes)
    else:
        text, document.encoding = decode_text(path, data, document.notices)
        blocks = (_read_markdown(text, document.notices) if suffix in MARKDOWN_SUFFIXES
                  else _read_plain(text, document.notices))

    replaced = 0
    for source, hint in blocks:
        if is_blank(source):
            continue
        shown = displayable(source)
        replaced += sum(1 for a, b in zip(source, shown) if a != b)
        index = len(document.paragraphs) + 1
        document.paragraphs.append(Paragraph(id=paragraph_id(index), index=index, source=shown, kind_hint=hint))
    if not document.paragraphs:
        raise InputError(path, "empty (whitespace only)")
    if not any(has_arabic(p.source) for p in document.paragraphs):
        raise InputError(path, "no Arabic text (nothing to translate)")
    if replaced:
        document.notices.append(f"{replaced} control character(s) that no document can hold shown as \ufffd")
    return document


def document_from_lines(lines: list[str], doc_id: str, targets: list[str] | None = None) -> Document:
    """A document from text in memory (a regression case, a string to translate, a pair to
    check): every non-blank line one paragraph, stripped; `targets` line-aligned English."""
    document = Document(id=doc_id, source_path=doc_id, source_sha256="", format="txt")
    for number, line in enumerate(lines):
        if is_blank(line):
            continue
        index = len(document.paragraphs) + 1
        target = targets[number].strip() if targets is not None else ""
        document.paragraphs.append(Paragraph(id=paragraph_id(index), index=index, source=line.strip(), target=target))
    return document


# --- text --------------------------------------------------------------------------------

def decode_text(path: Path, data: bytes, notices: list[str] | None = None) -> tuple[str, str]:
    """Bytes → text and the encoding's name. Raises InputError when no Arabic text encoding fits.
    A UTF-8 file with a few damaged bytes (one flipped, the last letter cut off) is UTF-8 with
    them shown as U+FFFD, said in `notices` — not a wrong guess of Windows-1256, which would
    garble every letter."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.replace("-sig", "")), encoding.upper().replace("-SIG", " with BOM")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid {encoding} text after its byte-order mark (byte {exc.start})") from None
    utf16 = _utf16_without_mark(data)
    if utf16 is not None:
        return utf16
    if data.count(b"\x00") * 10 <= len(data):  # many NUL bytes: UTF-16 without a mark, not UTF-8
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
        mixed = _utf8_with_windows_1256_words(data)
        if mixed is not None:
            text, by_encoding = mixed
            if notices is not None:
                for encoding, lines in by_encoding.items():
                    shown = ", ".join(map(str, lines[:8])) + (f" and {len(lines) - 8} more" if len(lines) > 8 else "")
                    notices.append(f"the file mixes two encodings: words on line(s) {shown} are not UTF-8 and were "
                                   f"read as {encoding}, the rest as UTF-8")
            return text, "UTF-8 and " + " and ".join(by_encoding)
        text = data.decode("utf-8", errors="replace")
        damaged = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
        if damaged <= max(4, len(text) // 1000) and arabic_share(text) >= 0.3:
            if notices is not None:
                notices.append(f"{damaged} byte sequence(s) not valid UTF-8 (a damaged or cut-off file) shown as "
                               f"{REPLACEMENT}")
            return text, "UTF-8"
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 files need it

    for match in from_bytes(data):
        name = match.encoding.lower()
        if name in ARABIC_CAPABLE and _mostly_arabic_beyond_ascii(str(match)) and not _LATIN_IN_ARABIC.search(str(match)):
            if name in _DOS_PAGES:
                # On a short file charset-normalizer takes ISO-8859-6 for a DOS code page: DOS-720
                # turns «ولكني لم» into «كغعµم غف», IBM-864 writes the letters as presentation forms
                # in the wrong shapes («وقد تم» as «ﻭﻗﺩ ﺗﻣ»). Text that is ISO-8859-6 is taken as that.
                iso = _as_iso_8859_6(data)
                if iso is not None:
                    return iso, ENCODING_NAMES["iso8859_6"]
            return str(match), ENCODING_NAMES.get(name, match.encoding)
        if name.startswith("utf_16") and b"\x00" in data:
            return str(match), ENCODING_NAMES.get(name, match.encoding)
    # On a very short file (a one-line caption) charset-normalizer can prefer a CJK code page, or
    # Windows-1256 for ISO-8859-6 (and MacArabic, whose letters are ISO-8859-6's): text that decodes
    # cleanly into mostly Arabic letters, none of them beside a Latin one, is in that code page.
    for encoding in ("cp1256", "iso8859_6"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if (arabic_share(text) >= 0.6 and not OTHER_CONTROLS.search(text.replace("\t", ""))
                and not _LATIN_IN_ARABIC.search(text)):
            return text, ENCODING_NAMES[encoding]
    raise InputError(path, "not UTF-8/UTF-16/Windows-1256 text")


# DOS code pages charset-normalizer can name for a short ISO-8859-6 file.
_DOS_PAGES = {"cp720", "cp864"}


def _as_iso_8859_6(data: bytes) -> str | None:
    """`data` read as ISO-8859-6 when it is that cleanly (every byte defined) and mostly Arabic
    letters; else None."""
    try:
        text = data.decode("iso8859_6")
    except UnicodeDecodeError:
        return None
    if arabic_share(text) >= 0.6 and not OTHER_CONTROLS.search(text.replace("\t", "")):
        return text
    return None


# An Arabic letter touching a Latin one with a diacritic («انرئêس»): ISO-8859-6 read as
# Windows-1256, whose bytes for ل ق ك … are «á â ç è é ê» there. No Arabic text writes that, nor an
# Arabic letter followed by «¬» or «¿», Windows-1256's bytes for ISO-8859-6's «،» and «؟» («لا¬ لا¬»).
_LATIN_IN_ARABIC = re.compile("[\u0621-\u064a][\u00c0-\u00ff\u00ac\u00bf]|[\u00c0-\u00ff][\u0621-\u064a]")


_HIGH_BYTES = re.compile(rb"[\x80-\xff]+")
# Control bytes no text file holds (tab, line and page breaks aside): a few come from corrupted
# exports, one in ten of the bytes of a compressed or encrypted file is one.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CP1256_PUNCTUATION = (0xA1, 0xBA, 0xBF)  # «،» «؛» «؟»: in UTF-8's continuation range, common in Arabic


# UTF-8 marks that may touch a Windows-1256 word in one run of non-ASCII bytes: «», “”, ‘’, –, —, …, no-break space
_UTF8_MARKS = tuple(mark.encode("utf-8") for mark in "«»“”‘’–—…\u00a0")


def _peel_utf8_marks(raw: bytes) -> tuple[bytes, str, str]:
    """`raw` without the UTF-8 marks at its ends («الاقتصاد» with its word in Windows-1256), and them."""
    before = after = ""
    while (mark := next((m for m in _UTF8_MARKS if raw.startswith(m) and len(raw) > len(m)), None)) is not None:
        before, raw = before + mark.decode("utf-8"), raw[len(mark):]
    while (mark := next((m for m in _UTF8_MARKS if raw.endswith(m) and len(raw) > len(m)), None)) is not None:
        after, raw = mark.decode("utf-8") + after, raw[:-len(mark)]
    return raw, before, after


def _utf8_with_windows_1256_words(data: bytes) -> tuple[str, dict[str, list[int]]] | None:
    """A UTF-8 file with words pasted from a Windows-1256 one (or the other way round): each run
    of non-ASCII bytes (a word, as both encodings keep ASCII spaces and punctuation) is read in
    the encoding it is valid in — a non-UTF-8 run inside a Latin word as Windows-1252 («Sánchez»).
    The text and, per other encoding used, its lines; None when the file is not such a mixture (no
    Arabic UTF-8 word, or no word in another encoding: plain damage).

    A Windows-1256 Arabic word is letters 0xC1–0xFE with almost no byte in 0x80–0xBF but its
    punctuation; UTF-8 Arabic is half such continuation bytes, still so when one byte is damaged."""
    if len(_BINARY_BYTES.findall(data)) > max(8, len(data) // 100):
        return None  # compressed, encrypted or random bytes, whose short runs pass as UTF-8 Arabic: no text
    pieces, cp1256_lines, latin_lines, utf8_letters = [], set(), set(), 0
    at = 0
    for run in _HIGH_BYTES.finditer(data):
        pieces.append(data[at:run.start()].decode("ascii"))
        at = run.end()
        raw, before, after = _peel_utf8_marks(run.group())
        pieces.append(before)
        try:
            as_utf8 = raw.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = None
        as_cp1256 = raw.decode("cp1256", errors="replace")
        in_latin_word = any(data[i:i + 1].isalpha() for i in (run.start() - 1, run.end()) if 0 <= i < len(data))
        if as_utf8 is not None and (has_arabic(as_utf8) or not has_arabic(as_cp1256)):
            pieces.append(as_utf8)
            utf8_letters += sum(1 for ch in as_utf8 if has_arabic(ch))
        elif in_latin_word:  # «Sánchez» pasted from a Windows file: Latin, never Arabic letters inside a Latin word
            latin = raw.decode("cp1252", errors="replace")
            if all(ch.isalpha() for ch in latin):
                pieces.append(latin)
                latin_lines.add(data.count(b"\n", 0, run.start()) + 1)
            else:
                pieces.append(raw.decode("utf-8", errors="replace"))
        elif (sum(1 for byte in raw if 0x80 <= byte <= 0xBF and byte not in _CP1256_PUNCTUATION) < 0.2 * len(raw)
              and REPLACEMENT not in as_cp1256 and all(has_arabic(ch) or not ch.isalpha() for ch in as_cp1256)):
            pieces.append(as_cp1256)
            cp1256_lines.add(data.count(b"\n", 0, run.start()) + 1)
        else:
            pieces.append(raw.decode("utf-8", errors="replace"))
        pieces.append(after)
    pieces.append(data[at:].decode("ascii"))
    if not (cp1256_lines or latin_lines) or utf8_letters < 4:
        return None
    found = {"Windows-1256": sorted(cp1256_lines), "Windows-1252": sorted(latin_lines)}
    return "".join(pieces), {encoding: lines for encoding, lines in found.items() if lines}


def _utf16_without_mark(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark: Arabic (U+06xx) and ASCII put 0x06 or 0x00 in
    every other byte, which no 8-bit Arabic text does. (Read as UTF-8 its ASCII halves pass.)"""
    if len(data) < 4 or len(data) % 2:
        return None
    for encoding, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if sum(1 for byte in high if byte in (0, 6)) >= 0.9 * len(high):
            try:
                return data.decode(encoding), encoding.upper() + " without byte-order mark"
            except UnicodeDecodeError:
                continue
    return None


def _mostly_arabic_beyond_ascii(text: str) -> bool:
    """In an 8-bit Arabic code page the bytes above ASCII are mostly Arabic letters; a Latin-1
    file read as Windows-1256 («straße» → «straكe») has mostly Latin ones."""
    beyond = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    return not beyond or sum(1 for ch in beyond if has_arabic(ch)) >= 0.5 * len(beyond)


# A line that ends a sentence (or introduces what follows).
_ENDS_SENTENCE = re.compile(r"[.!?؟…:][\"'”’»)\]]*$")


def _read_plain(text: str, notices: list[str] | None = None) -> list[tuple[str, str | None]]:
    """One paragraph per line — unless the file is hard-wrapped: blank lines between its
    paragraphs and, inside them, lines broken mid-sentence. Then, in a block that ends a
    sentence, a line that fills the width (two thirds of the longest line or
    more: a title or a dateline does not) and was full — the next line's first word would not
    have fitted after it, within a tenth of the longest line (`fmt` balances its lines) — is
    joined with the next, and the article says so. Lengths are taken in characters and in
    UTF-8 bytes, either: `fold -w` counts bytes, two to an Arabic letter. Only when the file as
    a whole looks wrapped (below)."""
    lines = [line.strip() for line in LINE_BREAKS.split(text)]
    chars = max(map(len, lines))
    octets = max(len(line.encode("utf-8")) for line in lines)

    def wide(line: str) -> bool:
        return 3 * len(line) >= 2 * chars or 3 * len(line.encode("utf-8")) >= 2 * octets

    def full(line: str, word: str) -> bool:
        return (len(line) + 1 + len(word) > 0.9 * chars
                or len(line.encode("utf-8")) + 1 + len(word.encode("utf-8")) > 0.9 * octets)

    wrapped = [False] * len(lines)
    if any(not line for line in lines[1:-1]):  # blank lines between paragraphs
        block_end = ""
        for i in range(len(lines) - 2, -1, -1):  # backwards: each line knows its block's last line
            line, after = lines[i], lines[i + 1]
            block_end = (after if not block_end else block_end) if after else ""
            # A line that ends a sentence goes on too when it was full: the tool would have put the
            # next word after it had it fitted («… أسرى الحرب.⏎وأشار البيان …» is one paragraph).
            wrapped[i] = (bool(line) and bool(after) and bool(_ENDS_SENTENCE.search(block_end))
                          and wide(line) and full(line, after.split()[0]) and not LIST_ITEM_OPENING.match(after))
    # Lines a block goes on after, list items aside (a list's items end sentences in any file).
    inner = [line for line, after in zip(lines, lines[1:])
             if line and after and not LIST_ITEM_OPENING.match(line) and not LIST_ITEM_OPENING.match(after)]
    ending = sum(1 for line in inner if _ENDS_SENTENCE.search(line))
    # The file as a whole looks wrapped: a tool's width (50 characters or 90 bytes or more — lines
    # are measured stripped: `fold -s -w 100` leaves 99 bytes —, not a short article's longest
    # line: a headline over its dateline, a question over its answer, lines of verse), two joins
    # at least, and few lines inside a block ending a sentence (one paragraph a line, a blank
    # after the headline: they mostly do).
    if chars < 50 and octets < 90 or sum(wrapped) < 2 or 3 * ending > len(inner):
        return [(line, None) for line in lines]
    blocks: list[tuple[str, str | None]] = []
    joining = False
    for line, goes_on in zip(lines, wrapped):
        if joining:
            blocks[-1] = (f"{blocks[-1][0]} {line}", None)
        else:
            blocks.append((line, None))
        joining = goes_on
    if notices is not None:
        notices.append(f"the file is hard-wrapped: {sum(wrapped)} line break(s) inside paragraphs (blank lines "
                       f"between them) joined, each paragraph read whole")
    return blocks


# YAML front matter (Jekyll, Hugo): a block between two '---' lines at the very top.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$", re.DOTALL | re.MULTILINE)
# A site's title, author, tags, summary: a few KB at most. A longer block is not parsed as YAML
# (pure-Python PyYAML: 8 MB of "front matter" took 44 s and 680 MB), it is read as text.
MAX_FRONT_MATTER_CHARS = 64 * 1024


def _front_matter(text: str):
    """The YAML front matter at the top of a Markdown file, when its block is a YAML mapping (an
    article may open with a `---` rule and have another further down: that is text) of at most
    MAX_FRONT_MATTER_CHARS, read as any YAML from outside is (config.load_yaml)."""
    import yaml

    from .config import load_yaml

    found = _FRONT_MATTER.match(text)
    if found is None or len(found.group(1)) > MAX_FRONT_MATTER_CHARS:
        return None
    try:
        return found if isinstance(load_yaml(found.group(1)), dict) else None
    except yaml.YAMLError:
        return None


def _read_markdown(text: str, notices: list[str] | None = None) -> list[tuple[str, str | None]]:
    from markdown_it import MarkdownIt

    front = _front_matter(text)
    if front:  # the site's metadata (title, author, tags), not the article (it was read as one heading)
        text = text[front.end():]
        if notices is not None:
            notices.append(f"front matter not translated ({front.group().count(chr(10)) + 1} lines of metadata "
                           f"at the top of the file)")
    parser = MarkdownIt("commonmark").enable("table")
    blocks: list[tuple[str, str | None]] = []
    context: list[str] = []  # open container blocks: heading level, list item, blockquote
    number = ""  # an ordered list item's own number («1.»), which the text keeps as a .txt does
    for token in parser.parse(text):
        if token.nesting == 1:
            context.append(token.tag if token.type == "heading_open" else token.type)
            if token.type == "list_item_open":
                number = f"{token.info}{token.markup} " if token.info else ""
        elif token.nesting == -1:
            context.pop()
        elif token.type == "inline":
            # A picture alone in its paragraph: its alt text describes it, a caption (it was a heading).
            alone = all(c.type == "image" or (c.type in ("text", "softbreak") and not c.content.strip())
                        for c in token.children or ()) and any(c.type == "image" for c in token.children or ())
            blocks.append((number + _inline_text(token), "caption" if alone else _markdown_hint(context)))
            number = ""
        elif token.type in ("fence", "code_block"):
            blocks.extend((line.strip(), None) for line in token.content.split("\n"))
        elif token.type == "html_block":  # «<div>…</div>»: its text, not its tags
            blocks.extend((line.strip(), None) for line in _HTML_TAG.sub(" ", token.content).split("\n"))
    return blocks


_HTML_TAG = re.compile(r"<[^<>]*>")


def _inline_text(token) -> str:
    """A Markdown paragraph as a reader sees it: emphasis marks, image syntax and inline HTML tags
    gone («**نيروبي - خاص**» is «نيروبي - خاص»), a link as its text with its address after it
    («[التقرير](https://x.org/r.pdf)» is «التقرير (https://x.org/r.pdf)»: the address is not lost),
    code kept as written, wrapped lines joined."""
    parts, links = [], []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)  # its alt text
        elif child.type == "link_open":
            links.append((child.attrs.get("href") or "", len(parts)))
        elif child.type == "link_close" and links:
            href, start = links.pop()
            shown = "".join(parts[start:])
            if href.startswith(("http://", "https://", "www.", "mailto:")) and href.removeprefix("mailto:") != shown:
                parts.append(f" ({href.removeprefix('mailto:')})")  # the address, kept and protected like any URL
        elif child.type == "html_inline" and not _HTML_TAG_NAME.match(child.content):
            parts.append(child.content)  # «x<y>z» is text, not a tag
    return " ".join("".join(parts).split())


_HTML_TAG_NAME = re.compile(r"</?(?:a|abbr|b|br|code|del|div|em|font|i|img|ins|mark|p|q|s|small|span|strong|sub|sup|u)\b",
                            re.IGNORECASE)


def _markdown_hint(context: list[str]) -> str | None:
    if "h1" in context:
        return "headline"
    if any(tag in context for tag in ("h2", "h3", "h4", "h5", "h6")):
        return "heading"
    if "list_item_open" in context:
        return "list_item"
    if "blockquote_open" in context:
        return "quote"
    if "table_open" in context:
        return "table_cell"
    return None


# --- docx --------------------------------------------------------------------------------

# "subtitle" before "title", which it ends with: a subtitle is a sub-heading, not a second headline.
_STYLE_HINTS = (("subtitle", "heading"), ("title", "headline"), ("heading", "heading"),
                ("list", "list_item"), ("quote", "quote"), ("caption", "caption"))


def _style_hint(style_name: str | None) -> str | None:
    name = (style_name or "").lower()
    for prefix, hint in _STYLE_HINTS:
        if name.startswith(prefix) or name.endswith(prefix):
            return hint
    return None


def _a_review_document(data: bytes) -> bool:
    """A review DOCX Tarjama wrote (its core properties name the article: layout.ARTICLE_SUBJECT),
    found in a folder of articles that holds an earlier run's outputs: its table of Arabic and
    English is no article. A tool that saves the document again without its core properties (an
    online editor) leaves the title and the review table's header, which no article has."""
    from .export.docx.layout import ARTICLE_SUBJECT, COLUMNS, TITLE_PREFIX
    from .ooxml import read_core_properties

    if (read_core_properties(data).subject or "").startswith(ARTICLE_SUBJECT + " "):
        return True
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # its size is checked already (_check_zip)
        body = archive.read("word/document.xml") if "word/document.xml" in archive.NameToInfo else b""
    return TITLE_PREFIX.encode() in body and all(label.encode() in body for label, _ in COLUMNS[:3])


def _check_zip(path: Path, data: bytes, limit: int) -> None:
    """The package as a whole, before python-docx reads any of it (ooxml.check_package: a zip bomb,
    members that unzip to more than their headers say, two members of one name, a DTD in a part …)."""
    from .ooxml import PackageProblem, PackageTooLarge, check_package

    try:
        check_package(data, limit)
    except PackageTooLarge as exc:
        raise InputError(path, f"not read: {exc}") from None
    except PackageProblem as exc:
        raise InputError(path, f"not a valid .docx: {exc}") from None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/document.xml" not in archive.NameToInfo:
            raise InputError(path, "not a valid .docx: no word/document.xml inside")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Content controls (w:sdt, their text in w:sdtContent) and custom XML (w:customXml) wrap
# paragraphs, tables, rows and cells; a reader sees their text where they stand, so the walk goes
# through them (python-docx's iter_inner_content and cell.paragraphs see only direct children).
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml"}


def _unwrapped(parent, *tags: str):
    """`parent`'s children with one of `tags`, in order, those inside content controls included."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _unwrapped(child, *tags)


def _docx_blocks(container, in_table: bool = False):
    """Every w:p of a body or a cell in document order, and whether it sits in a table; a table's
    rows and cells as LibreOffice shows them. Each w:tc once: a cell merged across columns is one
    w:tc (w:gridSpan), one merged down rows holds its text in its first row and its continuations
    (w:vMerge) are empty — python-docx's row.cells repeats both."""
    for child in _unwrapped(container, _W + "p", _W + "tbl"):
        if child.tag == _W + "p":
            yield child, in_table
        else:
            for row in _unwrapped(child, _W + "tr"):
                for cell in _unwrapped(row, _W + "tc"):
                    yield from _docx_blocks(cell, in_table=True)


class _Numbering:
    """Bullets and numbers a .docx gives by numbering properties (w:numPr on the paragraph or its
    style), as LibreOffice and most editors write lists on a Normal or Text Body paragraph. A
    decimal number is counted as Word shows it (per list, a level restarting under a new item of
    the level above, w:start honoured) and kept in the text, «1. البند», as a numbered Markdown
    item keeps it; other formats (letters, Roman, abjad) are not worked out and the item is
    read without its number. A level of format "none" (LibreOffice's outline numbering of
    headings) is no list."""

    def __init__(self, word) -> None:
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError):  # no numbering part: no lists by numbering
            root = None
        self._levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (list, level) → format, text, start
        if root is not None:
            abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
            for num in root.iter(_W + "num"):
                definition = abstract.get(_child_val(num, "abstractNumId"))
                for lvl in definition.iter(_W + "lvl") if definition is not None else ():
                    self._levels[(num.get(_W + "numId"), int(lvl.get(_W + "ilvl") or 0))] = (
                        _child_val(lvl, "numFmt") or "decimal", _child_val(lvl, "lvlText") or "",
                        int(_child_val(lvl, "start") or 1))
        self._counters: dict[str, dict[int, int]] = {}  # per list: the number each level shows now

    def label(self, p_element, style) -> tuple[bool, str]:
        """Is the paragraph a list item, and the number it shows («3. »; "" for a bullet)."""
        num_pr = p_element.pPr.numPr if p_element.pPr is not None else None
        while num_pr is None and style is not None:
            num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
            style = style.base_style
        num_id = _child_val(num_pr, "numId") if num_pr is not None else None
        if num_id is None or num_id == "0":  # numId 0 takes a style's numbering away
            return False, ""
        level = int(_child_val(num_pr, "ilvl") or 0)
        fmt, text, _ = self._level(num_id, level)
        if fmt == "none":
            return False, ""
        counters = self._counters.setdefault(num_id, {})
        for deeper in [d for d in counters if d > level]:
            del counters[deeper]  # a deeper level starts again under this item
        counters[level] = counters[level] + 1 if level in counters else self._level(num_id, level)[2]

        def number(match: re.Match) -> str:
            shown = int(match.group(1)) - 1
            if shown > level or self._level(num_id, shown)[0] != "decimal":
                return match.group(0)
            return str(counters.get(shown, self._level(num_id, shown)[2]))

        shown = re.sub(r"%([1-9])", number, text) if fmt == "decimal" else ""
        return True, shown + " " if shown and "%" not in shown else ""

    def _level(self, num_id: str, level: int) -> tuple[str, str, int]:
        return self._levels.get((num_id, level), ("", "", 1))


def _child_val(element, tag: str) -> str | None:
    child = element.find(_W + tag) if element is not None else None
    return child.get(_W + "val") if child is not None else None


def _read_docx(path: Path, data: bytes, document: Document, unzipped_limit: int) -> list[tuple[str, str | None]]:
    import docx
    from docx.text.paragraph import Paragraph as WordParagraph

    from .ooxml import paragraph_text

    _check_zip(path, data, unzipped_limit)
    if _a_review_document(data):
        raise UnsupportedInput(path, "a Tarjama review document (the output of a run), not an article: translate the "
                                     "article it was made from")
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(path, f"not a valid .docx: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")) from None

    numbering = _Numbering(word)

    def read(container) -> list[tuple[str, str | None]]:
        blocks = []
        for element, in_table in _docx_blocks(container):
            style = WordParagraph(element, word._body).style
            listed, number = numbering.label(element, style)
            text = _with_link_addresses(element, paragraph_text(element), word.part.rels).strip()
            if in_table:
                hint = "table_cell"
            else:
                hint = _style_hint(style.name if style is not None else None) or ("list_item" if listed else None)
            blocks.append((number + text if text else text, hint))
        return blocks

    blocks = read(word.element.body)

    body = word.element.body
    text_boxes = body.xpath(".//w:txbxContent[not(ancestor::w:txbxContent)]")
    # A text box usually appears twice (DrawingML + its VML fallback); count the DrawingML ones.
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    text_boxes = [box for box in text_boxes if not any(a.tag == fallback for a in box.iterancestors())]
    if text_boxes and all(is_blank(text) for text, _ in blocks):
        # A layout made of frames (a LibreOffice page of text boxes): the boxes are the article.
        for box in text_boxes:
            blocks.extend(read(box))
        document.notices.append(f"the body has no text: its {len(text_boxes)} text box(es) read as the article, "
                                f"in the order they are anchored")
    elif text_boxes:
        document.notices.append(f"{len(text_boxes)} text box(es) not translated")
    for kind in ("footnotes", "endnotes"):
        count = _count_notes(word, kind)
        if count:
            document.notices.append(f"{count} {kind[:-1] if count == 1 else kind} not translated")
    comments = _count_notes(word, "comments")
    if comments:
        document.notices.append(f"{comments} reviewer's comment(s) not translated")
    parts = list(word.part.package.iter_parts())
    linked = any(rel.is_external and rel.reltype.endswith("/image") for part in parts for rel in part.rels.values())
    if linked or any(part.partname.startswith("/word/media/") for part in parts):  # embedded or linked
        document.notices.append("pictures kept out (images are not translated)")
    # Every header and footer part: the default one, and a first page's or even pages' one.
    if any(re.fullmatch(r"/word/(?:header|footer)\d*\.xml", part.partname)
           and not is_blank("".join(t.text or "" for t in part.element.iter(_W + "t"))) for part in parts):
        document.notices.append("page headers/footers not translated")
    return blocks


def _with_link_addresses(p_element, text: str, rels) -> str:
    """`text` with each web address a hyperlink points to after the link's text, «موقعه الرسمي
    (https://www.imf.org/ar/News)», as the Markdown reader keeps a link's address: it is not lost."""
    from .ooxml import paragraph_text

    at = 0
    for link in p_element.iter(_W + "hyperlink"):
        rel = rels.get(link.get(_R_ID) or "")
        shown = paragraph_text(link)
        # not a link in a text box anchored here (its text is not this paragraph's), nor deleted
        if rel is None or not rel.is_external or not shown.strip() or any(
                a.tag in (_W + "del", _W + "moveFrom", _W + "txbxContent") for a in link.iterancestors()):
            continue
        address = rel.target_ref.removeprefix("mailto:")
        found = text.find(shown, at)
        if found < 0 or not rel.target_ref.startswith(("http://", "https://", "www.", "mailto:")) or address == shown.strip():
            continue
        at = found + len(shown)
        text = f"{text[:at]} ({address}){text[at:]}"
        at += len(address) + 3
    return text


def _count_notes(word, kind: str) -> int:
    """Notes written by the author (every notes part also holds separator notes, w:type set), or
    reviewers' comments."""
    from lxml import etree

    for part in word.part.package.iter_parts():
        if part.partname == f"/word/{kind}.xml":
            root = etree.fromstring(part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
            return len(root.xpath(f"w:{kind[:-1]}[not(@w:type)]", namespaces={"w": root.nsmap.get("w", "")}))
    return 0
