"""Writers: the per-article JSON record and the bilingual DOCX."""
