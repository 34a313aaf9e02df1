"""Tarjama: Arabic→English news translation into bilingual DOCX and JSON with review flags."""

__version__ = "0.1.0"
