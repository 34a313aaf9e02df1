"""XML that comes from outside (an XLIFF back from a CAT tool, a TMX from another team), read safely.

Interchange files travel between companies and tools; a hostile or broken one must not make
Tarjama read local files or the network (external entities), expand a few bytes into gigabytes
(entity bombs) or build a huge tree. So: a size limit before parsing, lxml with entities left
unresolved, no network, no DTD loading, libxml2's own tree limits kept on (huge_tree=False), and
any entity declared in the document refused outright — CAT tools never need one.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .errors import InputError

DEFAULT_MAX_BYTES = 200 * 2**20  # larger than any real TMX of a newsroom, far below a bomb


class UnsafeXML(InputError):
    """An interchange file that is not well-formed, too large, or plays tricks with entities."""


def parse_untrusted(path: Path, what: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    """The parsed file, or UnsafeXML naming the file and the problem in one line. `what` names
    the kind of file expected ("an XLIFF file", "a TMX file") for the messages."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnsafeXML(path, f"cannot read it ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise UnsafeXML(path, f"{size / 2**20:.1f} MB is more than the {max_bytes / 2**20:.0f} MB allowed for {what}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise UnsafeXML(path, f"not {what}: not well-formed XML (line {exc.lineno}: {exc.msg})") from None
    except OSError as exc:
        raise UnsafeXML(path, f"cannot read it ({exc})") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXML(path, "declares XML entities (refused: they can read local files or expand without bound)")
    if any(isinstance(node, etree._Entity) for node in tree.getroot().iter()):
        raise UnsafeXML(path, "uses XML entities that are not declared (refused)")
    return tree


# Inline codes of XLIFF 1.2 and TMX 1.4b hold the original format's markup ("&lt;b&gt;"), not
# text; <g>, <mrk>, <hi>, <sub> wrap text and keep it. A code that stands for a line break
# (ctype / type "lb", or the code of a <br>) is a newline.
INLINE_CODES = {"bpt", "ept", "it", "ph", "x", "bx", "ex", "ut"}
_BREAK_CODE = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)


def text_without_codes(element) -> str:
    """An interchange segment's text as a reader sees it: wrapping elements flattened, inline
    codes left out but for a line break, which is a newline."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            if etree.QName(child).localname not in INLINE_CODES:
                parts.append(text_without_codes(child))
            elif "lb" in (child.get("ctype"), child.get("type")) or _BREAK_CODE.fullmatch("".join(child.itertext())):
                parts.append("\n")
        parts.append(child.tail or "")
    return "".join(parts)
