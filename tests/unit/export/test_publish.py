"""Publishing the reviewed English (export/publish.py) on the sample article, without a model:
the English is set by hand where a model would have written it."""

import io
from html.parser import HTMLParser

import docx
import pytest

from pipeline.config import SegmentationSettings
from pipeline.export.publish import blockers, publish, to_bilingual_html, to_docx, to_html, to_markdown
from pipeline.export.record import ArticleRecord, RunInfo
from pipeline.ingest import read_document
from pipeline.model import Flag, ParagraphReview
from pipeline.segment import segment_document

from ...helpers import SAMPLE_ARTICLE


@pytest.fixture
def article(tmp_path):
    """The sample article under a headline: headline, body, a heading, site text, a caption, a source line."""
    path = tmp_path / "karabakh.txt"
    path.write_text("محادثات بوتين وباشينيان في موسكو\n" + SAMPLE_ARTICLE.read_text("utf-8"), "utf-8")
    document = segment_document(read_document(path, "karabakh.txt"), SegmentationSettings())
    for paragraph in document.paragraphs:
        paragraph.target = f"English of {paragraph.id}."
    return document


def kinds(document):
    return [p.kind for p in document.paragraphs]


def test_a_rejection_note_of_several_paragraphs_is_named_on_one_line(article):
    """A note of two paragraphs (a Word comment, text typed in the # column) made publish's
    "not published" line three lines."""
    article.paragraphs[11].review = ParagraphReview(status="rejected", note="Wrong credit.\n\nAsk the photo desk.")
    assert blockers(article) == ["p0012 is rejected («Wrong credit. Ask the photo desk.»)"]


def test_rejections_and_open_errors_block_publishing_until_approved(article):
    article.paragraphs[4].review = ParagraphReview(status="rejected", note="Wrong year.")
    article.paragraphs[6].flags = [Flag("length_cap", "error", "the English stopped at the length limit")]
    article.paragraphs[7].flags = [Flag("length_ratio", "warning", "long")]           # a warning does not block
    assert blockers(article) == ["p0005 is rejected («Wrong year.»)", "p0007 has an open error (length_cap)"]
    assert kinds(article)[0] == "headline" and "boilerplate" in kinds(article)
    article.paragraphs[4].review = ParagraphReview(status="approved", editor_target="The editor's English.")
    article.paragraphs[6].review = ParagraphReview(status="approved")                # the editor accepts it
    assert blockers(article) == []


def test_markdown_has_the_article_structure_and_the_editors_english(article):
    article.paragraphs[5].review = ParagraphReview(status="approved", editor_target="The editor's English.")
    markdown = to_markdown(article)
    blocks = markdown.strip().split("\n\n")
    assert blocks[0] == "# English of p0001." and kinds(article)[0] == "headline"
    heading = kinds(article).index("heading")
    assert blocks[heading] == f"## English of p{heading + 1:04d}."
    assert "The editor's English." in blocks and "English of p0006." not in markdown
    assert kinds(article)[-1] == "source" and blocks[-1] == f"*English of {article.paragraphs[-1].id}.*"
    assert len(blocks) == len(article.paragraphs) - kinds(article).count("boilerplate")   # site text left out
    assert to_markdown(article, unreviewed=True).startswith("> **Unreviewed machine translation")


def test_english_that_looks_like_markdown_stays_text_in_a_commonmark_renderer(article):
    """Whatever the English says, the published Markdown renders it as text (markdown-it-py, the
    CommonMark reference behaviour): no emphasis, link, code, raw HTML or list it did not mean."""
    import html as html_module
    import re

    from markdown_it import MarkdownIt

    tricky = ["1998. The war began in February.", "# not a heading", "- not a list", "+ nor this",
              "2) nor a numbered item", "> not a quotation", "*not emphasis* and _nor this_ ~~not struck~~ | not a table |",
              "<script>alert(1)</script> stays text", "AT&T, [not a link](http://x), `not code`, a \\ backslash"]
    body = [p for p in article.paragraphs if p.kind == "body"]
    assert len(body) >= len(tricky)
    for paragraph, text in zip(body, tricky):
        paragraph.target = text
    for kind in ("headline", "list_item", "quote", "caption"):
        article.paragraphs[0].kind, article.paragraphs[0].target = kind, "*starred* <b>bold</b> 1. [x](y)"
        rendered = MarkdownIt("commonmark").render(to_markdown(article))
        # (captions and credit lines are set in italics on purpose: whole paragraphs, never a word)
        assert "<em>starred</em>" not in rendered and "<em>not emphasis</em>" not in rendered
        assert "<em>nor this</em>" not in rendered and "<strong>" not in rendered
        assert not re.search(r"<(script|b|a|code|ol|del)\b", rendered), (kind, rendered)
        assert rendered.count("<ul>") == (kind == "list_item")  # the list item it is, no other
        assert rendered.count("<h2>") == kinds(article).count("heading")  # the article's own sub-heading only
        text = html_module.unescape(re.sub(r"<[^>]+>", "", rendered))
        for line in tricky:
            assert line in text, (kind, line)
        assert "*starred* <b>bold</b> 1. [x](y)" in text


def test_the_editors_line_breaks_are_published_in_markdown_as_in_html(article):
    """An editor's Enter / Shift+Enter in a cell (one "\\n" in the record) is a hard line break
    in the rendered Markdown, as <br> in the HTML: never run together with a space."""
    from markdown_it import MarkdownIt

    body = [p for p in article.paragraphs if p.kind == "body"]
    body[0].review = ParagraphReview(status="approved", editor_target="First line.\n# second line\n1. third line")
    for kind in ("body", "quote", "list_item", "caption"):
        body[0].kind = kind
        rendered = MarkdownIt("commonmark").render(to_markdown(article))
        assert "First line.<br />\n# second line<br />\n1. third line" in rendered, (kind, rendered)
        assert "<h1>second" not in rendered and "<ol>" not in rendered
    assert "First line.<br># second line<br>1. third line" in to_html(article)
    body[0].kind = "body"
    body[0].review = ParagraphReview(status="approved", editor_target="Final score\n=====")  # not a heading's underline
    rendered = MarkdownIt("commonmark").render(to_markdown(article))
    assert rendered.count("<h1>") == 1 and "Final score<br />\n=====" in rendered  # the headline's only


class Page(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.tags, self.doctype, self.external = [], None, []
        self.feed(text)

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for name in ("src", "href"):
            if attrs.get(name):
                self.external.append(attrs[name])


def valid_html5(text: str) -> None:
    """A strict HTML5 parse (the WHATWG algorithm, html5lib): any parse error raises."""
    import html5lib

    html5lib.HTMLParser(strict=True).parse(text)


def test_the_bilingual_page_pairs_every_paragraph_right_to_left_beside_english(article):
    valid_html5(to_bilingual_html(article))
    valid_html5(to_bilingual_html(article, unreviewed=True))
    page = Page(to_bilingual_html(article))
    assert page.doctype == "DOCTYPE html" and page.external == []          # no request leaves the page
    assert not [t for t, _ in page.tags if t in ("script", "link", "img", "iframe")]
    html_tag = dict(page.tags)["html"]
    assert (html_tag["lang"], html_tag["dir"]) == ("en", "ltr")
    rows = [a for t, a in page.tags if t == "section"]
    arabic = [a for t, a in page.tags if t == "p" and a.get("lang") == "ar"]
    english = [a for t, a in page.tags if t == "p" and a.get("lang") == "en"]
    assert [r["id"] for r in rows] == [p.id for p in article.paragraphs]
    assert len(arabic) == len(english) == len(article.paragraphs)
    assert all(a["dir"] == "rtl" for a in arabic) and all(a["dir"] == "ltr" for a in english)
    text = to_bilingual_html(article)
    assert all(p.source.split()[0] in text for p in article.paragraphs)   # the Arabic as written (escaped HTML)


def test_the_english_html_and_docx(article):
    valid_html5(to_html(article))
    page = Page(to_html(article))
    assert [t for t, _ in page.tags].count("h1") == 1 and page.external == []
    word = docx.Document(io.BytesIO(to_docx(article)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "English of p0001." and word.paragraphs[0].style.name == "Title"
    assert len(texts) == len(article.paragraphs) - kinds(article).count("boilerplate")


def test_publish_writes_per_article_and_holds_back_what_is_not_reviewed(tmp_path, article):
    (tmp_path / "out" / "desk").mkdir(parents=True)
    record = ArticleRecord(article, RunInfo("m", "f", "transformers", {}), "2024-01-01T00:00:00Z")
    (tmp_path / "out" / "desk" / "karabakh.json").write_text(__import__("json").dumps(record.to_dict()), "utf-8")
    [done] = publish(tmp_path / "out", tmp_path / "pub", "html")
    assert done.blockers == [] and [p.name for p in done.written] == ["karabakh.en.html", "karabakh.bilingual.html"]
    assert (tmp_path / "pub" / "desk" / "karabakh.en.html").is_file()
    article.paragraphs[2].review = ParagraphReview(status="rejected")
    (tmp_path / "out" / "desk" / "karabakh.json").write_text(__import__("json").dumps(record.to_dict()), "utf-8")
    [held] = publish(tmp_path / "out", tmp_path / "held", "md")
    assert held.blockers == ["p0003 is rejected"] and held.written == [] and not (tmp_path / "held").exists()
    [marked] = publish(tmp_path / "out", tmp_path / "marked", "md", allow_unreviewed=True)
    assert "Unreviewed" in (tmp_path / "marked" / "desk" / "karabakh.en.md").read_text(encoding="utf-8")


def test_an_approval_does_not_publish_the_arabic_as_the_english(article):
    # A CAT tool's "confirm all" sets segments left as the source to final: the approval holds for
    # every other error, not for this one.
    article.paragraphs[4].flags = [Flag("untranslated", "error", "the English is the Arabic")]
    article.paragraphs[4].review = ParagraphReview(status="approved", editor_target=article.paragraphs[4].source)
    article.paragraphs[6].flags = [Flag("length_cap", "error", "the English stopped at the length limit")]
    article.paragraphs[6].review = ParagraphReview(status="approved")
    assert blockers(article) == ["p0005 is approved, but its English is the Arabic (untranslated)"]


def test_an_editors_paragraphs_are_paragraphs_in_every_format(article):
    body = next(p for p in article.paragraphs if p.kind == "body")
    body.review = ParagraphReview(status="approved", editor_target="One.\n\nTwo,\nthree.")
    quote = next(p for p in article.paragraphs if p.kind != "headline" and p is not body)
    quote.kind, quote.review = "quote", ParagraphReview(status="approved", editor_target="Said.\n\nSaid again.")
    markdown = to_markdown(article)
    assert "One.\n\nTwo,\\\nthree.\n" in markdown and "> Said.\n>\n> Said again.\n" in markdown
    assert "<p>One.</p><p>Two,<br>three.</p>" in to_html(article)
    assert "<blockquote><p>Said.</p><p>Said again.</p></blockquote>" in to_html(article)
    word = docx.Document(io.BytesIO(to_docx(article)))
    texts = [p.text for p in word.paragraphs]
    assert texts[texts.index("One.") + 1] == "Two,\nthree." and texts[texts.index("Said.") + 1] == "Said again."


def test_a_heading_ending_in_a_hash_keeps_it_and_an_emptied_headline_is_no_empty_title(article):
    """A publishing trial: CommonMark takes a heading's closing «#» for markup ("ranked #" lost
    its «#»); a headline an editor emptied gave an empty <title>, which HTML forbids."""
    from markdown_it import MarkdownIt

    article.paragraphs[0].target = "Jordanian start-up raises $10 million, ranked #"
    heading = next(p for p in article.paragraphs if p.kind == "heading")
    heading.target = "#"
    rendered = MarkdownIt("commonmark").render(to_markdown(article))
    assert "<h1>Jordanian start-up raises $10 million, ranked #</h1>" in rendered and "<h2>#</h2>" in rendered
    article.paragraphs[0].review = ParagraphReview(status="approved", editor_target="")
    assert "<title>karabakh</title>" in to_html(article)
    assert "<title>karabakh — Arabic and English</title>" in to_bilingual_html(article)


def test_a_line_without_arabic_reads_left_to_right_on_the_bilingual_page(article):
    article.paragraphs[1].source = "By John Smith, Reuters."
    page = to_bilingual_html(article)
    assert '<p class="ar" lang="en" dir="ltr">By John Smith, Reuters.</p>' in page
    assert page.count('dir="rtl"') == len(article.paragraphs) - 1


def test_hostile_text_in_the_arabic_the_english_and_the_names_is_text_on_every_page(article):
    """An agency's Arabic, an editor's or a CAT tool's English, a file's name: whatever they hold,
    the HTML shows it as text — no element, attribute or link is made from it."""
    hostile = ['"><script>alert(1)</script>', "<img src=x onerror=alert(2)>", "' onmouseover='alert(3)",
               '<a href="javascript:alert(4)">click</a>', "javascript:alert(5)", "&lt;script&gt; &amp;"]
    for paragraph, text in zip(article.paragraphs[1:], hostile):
        paragraph.source = f"{paragraph.source} {text}"
        paragraph.review = ParagraphReview(status="approved", editor_target=f"English {text}", note=text)
    article.paragraphs[0].target = ""  # no headline: the title falls back on the file's name
    article.id = article.source_path = '"><img src=x onerror=alert(6)>.txt'
    for page_text in (to_html(article), to_bilingual_html(article)):
        valid_html5(page_text)
        page = Page(page_text)
        assert not [t for t, _ in page.tags if t in ("script", "img", "a", "iframe", "link")], page.tags
        assert not [name for _, attributes in page.tags for name in attributes if name.startswith("on")]
        assert page.external == []
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_text and "&amp;lt;script&amp;gt;" in page_text
    assert "<title>&quot;&gt;&lt;img src=x onerror=alert(6)&gt;</title>" in to_html(article)


def test_english_holding_a_bidi_control_is_not_published_even_approved(article):
    # Shown as "15", read as 51 (by the checks, search engines, screen readers and whoever copies it).
    article.paragraphs[3].review = ParagraphReview(status="approved", editor_target="Killed \u202e51\u202c people.")
    assert blockers(article) == ["p0004's English holds U+202C (pop directional formatting), U+202E (right-to-left "
                                 "override): it can show in another order than it reads; retype the text around it"]
    article.paragraphs[3].review = ParagraphReview(status="approved", editor_target="Killed 51 \u200epeople.")
    assert blockers(article) == []  # a mark (LRM) reorders nothing


def test_an_open_error_on_site_text_left_out_of_the_article_holds_nothing_back(article):
    """A boilerplate row is not published, so its open error blocked an article for nothing (a
    code review: a line of hashtags, flagged, held the article back); a body row's still does."""
    from pipeline.model import Flag

    furniture = next(p for p in article.paragraphs if p.kind == "boilerplate")
    furniture.flags.append(Flag("empty_target", "error", "no English"))
    assert blockers(article) == []
    body = next(p for p in article.paragraphs if p.kind == "body")
    body.flags.append(Flag("empty_target", "error", "no English"))
    assert blockers(article) == [f"{body.id} has an open error (empty_target)"]
