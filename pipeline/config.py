"""config.yaml + command-line overrides → validated settings.

The file is the single source of truth. Every key is checked; an unknown key or a bad value is
a one-line `ConfigError` naming the key. Relative paths are resolved against the folder of the
config file, so a run behaves the same from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

DEFAULT_CONFIG_NAME = "config.yaml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


_EMPTY_PATH = "an empty path names the folder the command runs in; give a path"


def _a_path(value: Any) -> Any:
    """A path setting given as "" (`--set paths.output=`, `glossary: ''`): pathlib takes it for the
    current folder, which nobody means."""
    if isinstance(value, str) and not value.strip():
        raise ValueError(_EMPTY_PATH)
    return value


def _a_path_or_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{_EMPTY_PATH}, or null for none")
    return value


def _a_path_or_default(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{_EMPTY_PATH}, or null for the default")
    return value


class PathSettings(_Section):
    input: Path = Path("input")
    output: Path = Path("output")
    models: Path = Path("models")

    _not_empty = field_validator("input", "output", "models", mode="before")(_a_path)


class ModelSettings(_Section):
    name: str = Field("Helsinki-NLP/opus-mt-tc-big-ar-en", min_length=1)
    backend: Literal["transformers", "ctranslate2"] = "transformers"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    allow_download: bool = True


class TransformersSettings(_Section):
    # Like CTranslate2's: batches decoded side by side, each on few threads. One batch on every
    # core collapses when another process takes a core (OpenMP threads wait for each other).
    inter_threads: int = Field(2, ge=1, le=64)  # batches decoded in parallel
    intra_threads: int = Field(1, ge=0, le=64)  # torch threads per batch (0: torch's default, all cores)


class CTranslate2Settings(_Section):
    quantization: Literal["int8", "int8_float32", "int8_float16", "int16", "float16", "float32"] = "int8"
    inter_threads: int = Field(2, ge=1, le=64)  # batches decoded in parallel
    intra_threads: int = Field(1, ge=0, le=64)  # threads per batch (0: all cores)
    batch_size: int = Field(16, ge=1, le=1024)  # sentences per batch (in place of translation.batch_size)


class LimitSettings(_Section):
    max_input_mb: float = Field(50, gt=0)            # a larger input file is refused
    max_docx_unzipped_mb: float = Field(200, gt=0)   # a .docx that unzips to more is refused (zip bomb)


class ExecutorSettings(_Section):
    kind: Literal["local", "ray"] = "local"
    ray_address: str | None = None   # null: a local Ray instance; "auto" or "ray://head:10001": a cluster
    actors: int = Field(2, ge=1, le=4096)          # model replicas, each loads the model once
    cpus_per_actor: int = Field(1, ge=1, le=512)
    gpus_per_actor: float = Field(0, ge=0, le=16)
    max_retries: int = Field(2, ge=0, le=20)       # attempts after the first for a work item whose worker died or that raised


class MemorySettings(_Section):
    enabled: bool = True
    path: Path | None = None  # default: <output>/.tarjama/memory.sqlite
    _not_empty = field_validator("path", mode="before")(_a_path_or_default)  # null: <output>/.tarjama/memory.sqlite
    # A paragraph without an exact memory translation is offered the memory's nearest one at or
    # above this similarity (pipeline/fuzzy.py); 1.0 offers only matches differing in numbers.
    fuzzy_threshold: float = Field(0.75, ge=0.5, le=1.0)


class TranslationSettings(_Section):
    num_beams: int = Field(4, ge=1, le=16)
    batch_size: int = Field(32, ge=1, le=1024)
    batch_tokens: int = Field(6000, ge=64)
    max_new_tokens_ratio: float = Field(2.0, gt=0, le=10)
    max_new_tokens: int = Field(512, ge=8, le=4096)
    enforce_glossary: bool = True   # a sentence with glossary terms: the best of n hypotheses that has them
    glossary_hypotheses: int = Field(4, ge=2, le=16)  # n (the beam is widened to n when narrower)


class SegmentationSettings(_Section):
    max_unit_tokens: int = Field(200, ge=16, le=512)  # Marian models have 512 positions
    strip_diacritics: bool = True


class ReviewSettings(_Section):
    glossary: Path | None = None   # terms file (YAML, CSV or TBX), see pipeline/glossary.py
    checks: dict[str, dict] = Field(default_factory=dict)  # per check: enabled, thresholds
    consistency: bool = True       # the same Arabic said two ways, a name in two spellings, across the batch
    # `tarjama translate`: processes that run the checks while the run's own writes documents
    # (pipeline/finishing.py); 0: all in the run's own. From 8 articles up (one takes ~0.4 s to start).
    processes: int = Field(1, ge=0, le=64)

    _not_empty = field_validator("glossary", mode="before")(_a_path_or_none)

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: dict) -> dict:
        from .checks import validate_check_settings  # the checks own their parameter models

        return validate_check_settings(value)


class StyleSettings(_Section):
    rules: Path | None = None  # house-style rules (YAML or CSV), see pipeline/style.py

    _not_empty = field_validator("rules", mode="before")(_a_path_or_none)


class DocumentSettings(_Section):
    """How the review document looks: a newsroom's own faces and sizes."""
    arabic_font: str = Field("Arial", min_length=1)
    arabic_size: float = Field(12, ge=6, le=40)            # points; headlines +2
    arabic_line_spacing: float = Field(1.15, ge=1, le=3)   # a multiple of single spacing: room for marks
    english_font: str = Field("Calibri", min_length=1)
    english_size: float = Field(10.5, ge=6, le=40)


class Settings(_Section):
    paths: PathSettings = PathSettings()
    model: ModelSettings = ModelSettings()
    transformers: TransformersSettings = TransformersSettings()
    ctranslate2: CTranslate2Settings = CTranslate2Settings()
    translation: TranslationSettings = TranslationSettings()
    memory: MemorySettings = MemorySettings()
    limits: LimitSettings = LimitSettings()
    executor: ExecutorSettings = ExecutorSettings()
    segmentation: SegmentationSettings = SegmentationSettings()
    review: ReviewSettings = ReviewSettings()
    document: DocumentSettings = DocumentSettings()
    style: StyleSettings = StyleSettings()

    # Not a key of the file: where it was read from, for messages and relative paths.
    source: str = Field("built-in defaults", exclude=True)


def _describe(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key '{key}'"
    given = error.get("input")
    shown = f" (got {given!r})" if not isinstance(given, (dict, list)) else ""
    message = error["msg"].removeprefix("Value error, ")
    return f"{key}: {message[0].lower()}{message[1:]}{shown}"


def _validate(data: dict, origin: str) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {_describe(exc.errors()[0])}") from None


# Settings that name a file or folder: given with --set, a relative one is relative to the folder
# the command runs in (where the user typed it), not to the config file's.
_PATH_KEYS = {("paths", "input"), ("paths", "output"), ("paths", "models"), ("memory", "path"),
              ("review", "glossary"), ("style", "rules")}


def _parse_override(text: str) -> tuple[list[str], Any]:
    if "=" not in text:
        raise ConfigError(f"--set {text}: expected KEY=VALUE, e.g. translation.num_beams=1")
    key, _, raw = text.partition("=")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    key_path = key.strip().split(".")
    if isinstance(value, str) and value and not Path(value).is_absolute() and (
            tuple(key_path) in _PATH_KEYS or key_path == ["model", "name"] and Path(value).is_dir()):
        value = str(Path(value).resolve())  # a model id (Helsinki-NLP/…) is not a folder here: left as it is
    return key_path, value


def _apply_override(data: dict, path: list[str], value: Any, text: str) -> None:
    node = data
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"--set {text}: '{part}' is not a section")
        node = child
    node[path[-1]] = value


CONFIG_ENV = "TARJAMA_CONFIG"


def find_config(config_file: str | Path | None = None) -> Path | None:
    """The config file in force: the one given, else $TARJAMA_CONFIG, else ./config.yaml when
    present, else none (built-in defaults)."""
    if config_file is not None:
        return Path(config_file)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    return Path(DEFAULT_CONFIG_NAME) if Path(DEFAULT_CONFIG_NAME).is_file() else None


def yaml_line(exc: yaml.YAMLError) -> str:
    """" at line N" where PyYAML found the problem ("" when it does not say)."""
    where = getattr(exc, "problem_mark", None)
    return f" at line {where.line + 1}" if where else ""


# --- YAML from anyone ----------------------------------------------------------------------

MAX_YAML_CHARS = 10 * 2**20       # a glossary of 100,000 terms is 4 MB; PyYAML reads about 0.15 MB a second
MAX_YAML_ALIAS_VALUES = 1_000_000  # values that aliases (*name) may add by repeating anchored ones


class YAMLRefused(yaml.YAMLError):
    """YAML that safe_load would read, but at a cost out of proportion to its size."""


def load_yaml(text: str):
    """`yaml.safe_load(text)` for files that may come from outside (config, glossary, house style,
    a regression suite, an article's front matter): no Python tags (safe_load), and refused
    (YAMLRefused) when larger than MAX_YAML_CHARS, nested deeper than PyYAML's recursion can go,
    or when its aliases repeat more than MAX_YAML_ALIAS_VALUES values — nine lines of anchors
    make a "billion laughs" of 10^9 values that PyYAML shares, but every reader that walks them
    (a glossary's message, a house-style rule's text, a suite's strings) spent minutes and
    gigabytes. A recursive alias (`&a [*a]`) is refused too."""
    if len(text) > MAX_YAML_CHARS:
        raise YAMLRefused(f"{len(text):,} characters, more than the {MAX_YAML_CHARS:,} read from a YAML file")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_alias_bombs(node)
        return loader.construct_document(node)
    except RecursionError:
        raise YAMLRefused("nested too deeply to be read") from None
    finally:
        loader.dispose()


def _refuse_alias_bombs(root) -> None:
    """Count the document's values as its readers see them, aliases expanded (each node visited
    once, its expanded size remembered); refuse when aliases add more than the limit, or a node
    contains itself."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YAMLRefused("an alias (*name) refers to the value that contains it")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    if sizes[id(root)] - len(sizes) > MAX_YAML_ALIAS_VALUES:
        raise YAMLRefused(f"its aliases (*name) repeat more than {MAX_YAML_ALIAS_VALUES:,} values (a YAML bomb)")


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def yaml_problem(exc: yaml.YAMLError) -> str:
    """What is wrong with a YAML file, for a one-line message after its name: "not valid YAML at
    line N", saying so when it is a Python tag safe_load does not read, or why it is refused."""
    if isinstance(exc, YAMLRefused):
        return f"refused: {exc}"
    problem = getattr(exc, "problem", None) or ""
    tag = problem.split("tag:yaml.org,2002:", 1)[1].rstrip("'") if "tag:yaml.org,2002:python/" in problem else None
    return f"not valid YAML{yaml_line(exc)}" + (f" (a !!{tag} tag: only plain YAML is read)" if tag else "")


def load_settings(config_file: str | Path | None = None, overrides: list[str] = ()) -> Settings:
    """Read the config file in force (`find_config`) and apply `KEY=VALUE` overrides."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip() and not epoch.strip().isdigit():
        # Ignored here it would still break the model's import (numpy reads it): said at once.
        raise ConfigError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970 (got {epoch!r}); set a number or unset it")
    config_file = find_config(config_file)
    data: dict = {}
    base = Path.cwd()
    origin = "built-in defaults"
    if config_file is not None:
        path = Path(config_file)
        origin = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file ({exc})") from None
        try:
            loaded = load_yaml(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: {yaml_problem(exc)}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected a mapping of sections at the top level")
        data = loaded or {}
        base = path.resolve().parent
    for text in overrides:
        key_path, value = _parse_override(text)
        _apply_override(data, key_path, value, text)
    settings = _validate(data, origin if not overrides else f"{origin} (with --set)")
    settings.source = str(base / Path(origin).name) if config_file is not None else origin
    return resolve_paths(settings, base)


def resolve_paths(settings: Settings, base: Path) -> Settings:
    """Make folder settings absolute against `base` (the config file's folder)."""
    for name in ("input", "output", "models"):
        value = getattr(settings.paths, name)
        if not value.is_absolute():
            setattr(settings.paths, name, (base / value).resolve())
    if settings.memory.path is not None and not settings.memory.path.is_absolute():
        settings.memory.path = (base / settings.memory.path).resolve()
    if settings.review.glossary is not None and not settings.review.glossary.is_absolute():
        settings.review.glossary = (base / settings.review.glossary).resolve()
    if settings.style.rules is not None and not settings.style.rules.is_absolute():
        settings.style.rules = (base / settings.style.rules).resolve()
    # A model named by a path relative to the config file: make it absolute too.
    candidate = base / settings.model.name
    if not Path(settings.model.name).is_absolute() and candidate.is_dir():
        settings.model.name = str(candidate.resolve())
    return settings


def apply_overrides(settings: Settings, overrides: list[str]) -> Settings:
    """`KEY=VALUE` overrides on top of already-resolved settings (command line over a suite)."""
    if not overrides:
        return settings
    data = settings.model_dump()
    for text in overrides:
        key_path, value = _parse_override(text)
        _apply_override(data, key_path, value, text)
    updated = _validate(data, "--set")
    updated.source = settings.source
    return updated


def with_updates(settings: Settings, *, origin: str = "command line", **sections: dict) -> Settings:
    """A copy of `settings` with some values replaced, validated like the file (CLI flags; a
    regression suite's settings block: `origin` names it in errors)."""
    data = settings.model_dump()
    for section, values in sections.items():
        data[section].update({k: v for k, v in values.items() if v is not None})
    updated = _validate(data, origin)
    updated.source = settings.source
    return updated
