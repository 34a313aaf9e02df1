"""Where a model comes from: local directory → models/<name> → Hugging Face cache → download.

Offline with nothing found, the user gets one message that names the model and says how to
get it; never a traceback from deep inside huggingface_hub.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from ..errors import ModelNotAvailable

# The files a MarianMT model directory needs; TF/Flax/Rust weights are never fetched.
MODEL_FILES = ["config.json", "generation_config.json", "*.safetensors", "pytorch_model.bin", "*.spm",
               "vocab.json", "tokenizer_config.json", "special_tokens_map.json", "README.md"]
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def _is_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file()


def _how_to_get(name: str) -> str:
    return (f"run `tarjama fetch-model {name}` on a connected machine (it downloads into models/) "
            f"and copy that folder here, or pass --model PATH to a local model directory")


def resolve_model(name: str, models_dir: Path, *, allow_download: bool = True) -> Path:
    """The local directory of model `name`. Raises ModelNotAvailable with the way out."""
    given = Path(name).expanduser()
    for candidate in (given, models_dir / name, models_dir / name.rsplit("/", 1)[-1]):
        if candidate.is_dir():
            if not _is_model_dir(candidate):
                raise ModelNotAvailable(f"{candidate}: not a model directory (no config.json inside)")
            return candidate.resolve()
    if not _HUB_ID.match(name):
        raise ModelNotAvailable(f"model directory not found: {name}")

    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError

    try:
        return Path(snapshot_download(name, allow_patterns=MODEL_FILES, local_files_only=True))
    except (OSError, HFValidationError):
        pass  # not in the cache
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    if not allow_download or offline:
        why = "downloads are off (model.allow_download: false)" if not allow_download else "HF_HUB_OFFLINE is set"
        raise ModelNotAvailable(f"model '{name}' is not available here: not a local directory, not in "
                                f"{models_dir}, not in the Hugging Face cache, and {why}; {_how_to_get(name)}")
    try:
        return _download(name, local_dir=None)
    except Exception as exc:  # network errors come in many types; the message says what failed
        raise ModelNotAvailable(f"model '{name}' is not available here and could not be downloaded "
                                f"({_first_line(exc)}); {_how_to_get(name)}") from None


def _first_line(exc: Exception, limit: int = 200) -> str:
    """The error's first line, cut at a sentence end when it is long (never mid-word)."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    if len(line) <= limit:
        return line
    end = line.rfind(". ", 0, limit)
    return line[:end + 1] if end > 0 else line[:limit].rsplit(" ", 1)[0] + " …"


def _download(name: str, local_dir: Path | None) -> Path:
    """Fetch safetensors weights when the repo has them, else the PyTorch .bin (never both).

    Two snapshot calls rather than a file listing first: the listing API retries for half a
    minute when the network is down, snapshot_download fails at once.
    """
    from huggingface_hub import snapshot_download

    path = Path(snapshot_download(name, allow_patterns=[p for p in MODEL_FILES if p != "pytorch_model.bin"],
                                  local_dir=local_dir))
    if not has_weights(path):
        path = Path(snapshot_download(name, allow_patterns=MODEL_FILES, local_dir=local_dir))
    return path


def fetch_model(name: str, models_dir: Path) -> Path:
    """Download hub model `name` into models_dir/<last part of name> (for copying offline)."""
    from ..errors import UsageError

    if Path(name).expanduser().exists():
        raise UsageError(f"{name}: is a local path, already on this machine; fetch-model takes a hub id "
                         f"(Helsinki-NLP/opus-mt-ar-en); use the folder with --model {name}")
    target = models_dir / name.rsplit("/", 1)[-1]
    try:
        return _download(name, local_dir=target)
    except Exception as exc:
        raise ModelNotAvailable(f"cannot download '{name}' ({_first_line(exc)}); "
                                f"check the network and the model id") from None


_fingerprints: dict[str, str] = {}
_FINGERPRINT_CACHE_SIZE = 64  # model directories remembered on disk


def fingerprint(model_dir: Path) -> str:
    """sha256 over the names and bytes of the files that decide the model's output.

    Hashing content, not names, means a re-trained or re-downloaded model with the same name
    never serves stale translations from the memory. Hashing the default model's 963 MB took
    2.5 s a run, so the digest is kept by (path, names, sizes, mtimes), in this process and in
    the user's cache folder (fingerprint_cache_file): a file rewritten in any way that changes
    its size or time is hashed again (rsync's and make's rule).
    """
    files = sorted(p for p in model_dir.iterdir()
                   if p.is_file() and (p.suffix in (".json", ".spm", ".safetensors", ".bin", ".model")
                                       and p.name != "README.md"))
    stats = [(p.name, p.stat()) for p in files]
    key = "|".join([str(model_dir.resolve()), *(f"{name}:{st.st_size}:{st.st_mtime_ns}" for name, st in stats)])
    if key not in _fingerprints:
        stored = _read_fingerprints()
        if key not in stored:
            digest = hashlib.sha256()
            for path in files:
                digest.update(path.name.encode() + b"\0")
                with path.open("rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
            stored[key] = "sha256:" + digest.hexdigest()
            _write_fingerprints(stored)
        _fingerprints[key] = stored[key]
    return _fingerprints[key]


def fingerprint_cache_file() -> Path:
    """$XDG_CACHE_HOME/tarjama/fingerprints.json (~/.cache when unset)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tarjama" / "fingerprints.json"


def _read_fingerprints() -> dict[str, str]:
    try:
        stored = json.loads(fingerprint_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, unreadable or damaged: hashed again
        return {}
    return {k: v for k, v in stored.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(stored, dict) else {}


def _write_fingerprints(stored: dict[str, str]) -> None:
    from ..fsutil import atomic_write_text

    kept = dict(list(stored.items())[-_FINGERPRINT_CACHE_SIZE:])  # the newest entries
    try:
        path = fingerprint_cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(kept, indent=1))
    except OSError:  # a read-only home: the digest is only kept for this process
        pass


def has_weights(model_dir: Path) -> bool:
    return any((model_dir / name).is_file() for name in _WEIGHT_FILES)
