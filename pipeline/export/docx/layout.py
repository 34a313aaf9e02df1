"""What the review document looks like, as data: shared by the writer and the reader.

Change a column, a word, a colour or a status here and both sides follow: the writer lays the
table out from these, and `tarjama import-review` finds the rows, columns and statuses by them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump when the document's layout or content changes: part of every article's run signature.
DOCX_VERSION = "6"  # 6: a line without Arabic left to right, reviews of rewritten paragraphs shown; 5: written as strings


@dataclass(frozen=True)
class DocxOptions:
    """The look of the review document (config.yaml `document:`)."""

    arabic_font: str = "Arial"
    arabic_size: float = 12
    arabic_line_spacing: float = 1.15
    english_font: str = "Calibri"
    english_size: float = 10.5
    author: str = "Tarjama"  # of the document and its comments; comments by anyone else are the editor's

    @classmethod
    def from_settings(cls, document) -> "DocxOptions":
        """From config.DocumentSettings."""
        return cls(**document.model_dump())


TITLE_PREFIX = "Bilingual review — "  # the document's title, before the article's name

# The table: one row per paragraph. Column widths in twips (1 cm = 567), 26.7 cm of A4
# landscape. Editors write in English, Status and Editor's note; the import reads those three.
COLUMNS = (("#", 820), ("Arabic (do not edit)", 4560), ("English", 4560), ("Status", 1250),
           ("Editor's note", 1850), ("Review", 2099))
ID, ARABIC, ENGLISH, STATUS, NOTE, REVIEW = range(len(COLUMNS))
HEADER_FILL = "D9D9D9"
INFO_COLUMNS = (2600, 12539)  # the title block's two columns
PAGE_CM = (29.7, 21.0)        # A4 landscape
MARGINS_CM = {"side": 1.5, "top_bottom": 1.4}

# Rows shaded by their worst flag; the legend's words for the severities.
SHADING = {"error": "F8D7DA", "warning": "FFF1C2", "info": "E3EEF9"}
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Note"}
SEVERITY_MEANINGS = {"error": "must be fixed before publishing", "warning": "check against the Arabic",
                     "info": "for information"}
# The title block's "To do": rows counted by their worst flag.
ROW_WORDS = {"error": "red rows to fix before publishing", "warning": "amber rows to check against the Arabic",
             "info": "blue rows with notes"}
GREY = (0x6B, 0x6B, 0x6B)     # credits, captions, the kind under the id, an empty English
KIND_WORDS = {"headline": "headline", "heading": "sub-heading", "body": "", "quote": "quotation",
              "list_item": "list item", "dateline": "dateline", "byline": "byline", "caption": "photo caption",
              "source": "source line", "boilerplate": "site text"}
NO_TRANSLATION = "[no translation]"  # shown in an empty English cell; read back as empty

# Statuses: how the writer shows the checks' status or the editor's, what an editor may type
# or pick from the Status drop-down, how it is read.
STATUS_WORDS = {"ok": "ok", "needs_review": "needs review", "approved": "approved", "rejected": "rejected"}
EDITOR_STATUSES = ("ok", "needs review", "approved", "rejected")
STATUS_CONTROL = {"tag": "tarjama-status", "alias": "Status"}
# The review column's words for an editor's review carried into a re-generated document.
REVIEW_WORDS = {"approved": "Approved", "rejected": "Rejected", "needs_review": "Edited", "ok": "Edited"}
DRAFT_WORDS = "Editor's draft, not approved. The machine's English was:"
STATUS_ALIASES = {"ok": "ok", "needs review": "needs_review", "needs_review": "needs_review",
                  "approved": "approved", "approve": "approved", "rejected": "rejected", "reject": "rejected"}

# Kept through an editor's saves: a bookmark around each row's visible id (Word and LibreOffice
# keep bookmarks), and the article's identity ("tarjama-review <sha256> <id>") in the core properties.
ROW_BOOKMARK = "tarjama_"
ARTICLE_SUBJECT = "tarjama-review"
# A row taller than a page cannot be kept on one page; let long rows break.
KEEP_ROW_MAX_CHARS = 1400
GUIDANCE = ("Edit only the English column. Set Status to approved or rejected (or leave ok / needs review) and write "
            "any remark under Editor's note. Do not change the Arabic or the # column, and keep the rows in order: "
            "`tarjama import-review` reads this document back by those ids. Track changes is fine.")
LEGEND_NOTE = ("Each warning and error, and each match offered from the translation memory, is also a Word comment "
               "on the English.")


def status_of(text: str) -> str | None:
    """What an editor typed in the Status column, as a review status (None: not one of them)."""
    return STATUS_ALIASES.get(" ".join(text.lower().replace("_", " ").split()))
