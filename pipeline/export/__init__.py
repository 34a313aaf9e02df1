"""Writers, and the readers of what they wrote: the per-article JSON record (record.py, read back
by `read_record`), the bilingual review DOCX (docx/: write.py, and read.py for an editor's
reviewed copy), TMX 1.4b (tmx.py), XLIFF 1.2 out and an edited .xlf back in (xliff.py), the
terms file as TBX-Basic or OmegaT's glossary (terms.py), and the published English article with
a bilingual page (publish.py)."""
