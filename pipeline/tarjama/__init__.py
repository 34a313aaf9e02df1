"""`import tarjama`: Tarjama's Python API under the product's name.

pyproject.toml installs this folder as the package `tarjama`; the functions live in
pipeline/api.py, whose docstring (below, and README.md "Python API") shows how to use them.
"""

from pipeline import __version__, api
from pipeline.api import Tarjama, check, import_review, translate_file, translate_folder, translate_text
from pipeline.errors import ConfigError, InputError, ModelNotAvailable, ReviewImportError, TarjamaError, UsageError
from pipeline.model import Document, Flag, Paragraph, Sentence

__doc__ = f"{__doc__}\n{api.__doc__}"
__all__ = ["Tarjama", "translate_text", "translate_file", "translate_folder", "check", "import_review",
           "Document", "Paragraph", "Sentence", "Flag", "TarjamaError", "ConfigError", "InputError",
           "ModelNotAvailable", "ReviewImportError", "UsageError", "__version__"]
