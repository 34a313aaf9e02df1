"""Folders: which files of a folder are articles, where each one's outputs go, leftovers of killed runs.

Discovery walks folders recursively in a stable order without following symbolic links out of
them; output names mirror the input tree from one root (the input folder when every given path
lies inside it, so `input/world/x.txt` is `world/x` however it was named), never collide and stay what an article's record
already has; a killed run's temporary files are removed once no writer holds their lock (and
they are over 2 s old), and any over an hour old (the only rule where a file system has no locks).
"""

from __future__ import annotations

import errno
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .fsutil import TEMPORARY_SUFFIX, abandoned
from .ingest import SUPPORTED_SUFFIXES


@dataclass
class InputFile:
    path: Path           # where to read it
    rel: str             # its path relative to the run's tree root (tree_root; forward slashes)
    explicit: bool = False  # named on the command line (an unsupported kind is then an error)
    stem: str = ""          # output path without extension, relative to the output folder


@dataclass
class FileResult:
    input: str
    status: str                      # done | failed | skipped
    reason: str = ""
    outputs: list[str] = field(default_factory=list)
    paragraphs: int = 0
    sentences: int = 0
    flagged: int = 0
    by_code: dict[str, int] = field(default_factory=dict)  # flags per code (dialect, glossary …) in its record
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # what its reader did not translate (document.notices)


def _inside(path: Path, root: Path) -> bool:
    # os.path.realpath, not Path.resolve: on a link in a loop (a.txt → b.txt → a.txt) resolve
    # raises (RuntimeError up to Python 3.12), realpath stops there; reading it then fails alone.
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
        return True
    except ValueError:
        return False


NOT_REGULAR = "not a regular file (a named pipe, socket or device): not read"


def tree_root(paths: list[Path], root: Path | None = None) -> Path | None:
    """The folder every article's `rel` (and so its output name) is relative to.

    `root` (the configured input folder) when every given path lies inside it, so that
    `input/world/` or `input/world/x.txt` named alone comes out in `output/world/` as when the
    whole input folder is translated; otherwise, for several given paths, the folder they share
    (the common path of the given folders and of the given files' parents); otherwise None: one
    path outside the input folder is its own root (a folder) or its name (a file). A given path
    that is not there counts for nothing.
    Paths are compared as written (os.path.abspath), not through symbolic links.
    """
    given = [os.path.abspath(path) for path in paths if os.path.lexists(path)]  # a typo renames nothing
    if root is not None and os.path.isdir(root):
        top = os.path.abspath(root)
        if all(path == top or path.startswith(top.rstrip(os.sep) + os.sep) for path in given):
            return Path(top)
    if len(given) > 1:
        folders = [path if _is_dir(Path(path)) else os.path.dirname(path) for path in given]
        return Path(os.path.commonpath(folders))
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def discover(paths: list[Path], exclude: Path | None = None,
             root: Path | None = None) -> tuple[list[InputFile], list[FileResult]]:
    """Articles under `paths` in a stable order, and the files passed over with the reason.

    Each one's `rel` (its output name, and its name in reports and messages) is relative to one
    tree root (`tree_root`): the input folder `root` when every path lies inside it, else the
    folder several paths share, else a lone folder itself (a lone file: its name).
    Folders are walked recursively without following symbolic links to folders; a linked file
    is read only when its target lies inside the same given folder. Hidden files and Word's
    `~$` lock files are passed over. `exclude` (the output folder) is never walked. A file
    reached twice (`input` and `input/world` named together) is read once.
    """
    base = tree_root(paths, root)
    found: list[InputFile] = []
    passed: list[FileResult] = []
    for given in paths:
        try:
            is_file, is_dir = given.is_file(), given.is_dir()
        except OSError as exc:  # a folder on the way that cannot be entered
            passed.append(FileResult(str(given), "failed", f"cannot read it: {exc.strerror}"))
            continue
        if is_file:
            found.append(InputFile(given, _rel(given, base) if base is not None else given.name, explicit=True))
            continue
        if not is_dir:
            what = NOT_REGULAR if given.exists() else _missing(given)
            passed.append(FileResult(str(given), "failed", what))
            continue
        first = len(found)
        prefix = _rel(given, base) if base is not None else ""

        def rel_of(path: Path, folder: Path = given, prefix: str = prefix) -> str:
            inner = path.relative_to(folder).as_posix()
            return f"{prefix}/{inner}" if prefix and inner != "." else (prefix or inner)

        def unreadable(exc: OSError, folder: Path = given, rel_of=rel_of) -> None:
            # os.walk passes over a folder it cannot list; the user must hear of it.
            where = Path(exc.filename)
            shown = rel_of(where) if where != folder and _inside(where, folder) else str(where)
            passed.append(FileResult(shown or str(where), "failed", f"cannot read the folder: {exc.strerror}"))

        for folder, dirs, files in os.walk(given, onerror=unreadable):
            folder_path = Path(folder)
            walk = []
            for name in sorted(dirs):
                path = folder_path / name
                if path.is_symlink():
                    passed.append(FileResult(rel_of(path), "skipped", "symbolic link to a folder: not followed"))
                elif not name.startswith(".") and not (exclude is not None and _inside(path, exclude)):
                    walk.append(name)
            dirs[:] = walk
            for name in sorted(files):
                path = folder_path / name
                rel = rel_of(path)
                if name.startswith(".") or name.startswith("~$"):
                    continue
                if path.is_symlink() and not _inside(path, given):
                    passed.append(FileResult(rel, "skipped", "symbolic link out of the input folder: not followed"))
                elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    passed.append(FileResult(rel, "skipped", "not an article (.txt, .md and .docx are read)"))
                elif path.exists() and not path.is_file():  # reading a named pipe waits for a writer forever
                    passed.append(FileResult(rel, "skipped", NOT_REGULAR))
                else:
                    found.append(InputFile(path, rel))
        found[first:] = sorted(found[first:], key=lambda item: item.rel)
    if base is not None:  # one root: the same rel is the same file, named twice
        seen: set[str] = set()
        found = [item for item in found if not (item.rel in seen or seen.add(item.rel))]
        reported: set[tuple[str, str]] = set()
        passed = [item for item in passed if not ((item.input, item.reason) in reported
                                                  or reported.add((item.input, item.reason)))]
    return found, passed


def _missing(path: Path) -> str:
    """Why a path named on the command line is not there: missing, or a symbolic link in a loop."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            return f"cannot read it: {exc.strerror}"
    return "no such file or folder"


def _rel(path: Path, root: Path) -> str:
    """`path` relative to `root` as written (both made absolute, links not resolved)."""
    rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    return "" if rel == "." else rel


def plan_outputs(files: list[InputFile], reserved: tuple[str, ...] = (), output_dir: Path | None = None) -> None:
    """Set each input's output stem (relative, no extension); two inputs never share one.

    `a.txt` → `a`. When `a.txt` and `a.md` sit in one folder both keep their extension
    (`a.txt`, `a.md`) so neither overwrites the other; remaining clashes get `-2`, `-3`, and so
    does an input whose stem is `reserved` (the run report's, `_batch`: `_batch.txt` → `_batch-2`).

    An input keeps the name its record in `output_dir` already has (`<name>.json` whose
    `document.source_path` is the input's path), so the editors' reviews stay with it whatever
    arrives beside it or goes: `a.txt`, translated alone as `a`, stays `a` when `a.md` comes
    (`a.md` → `a.md`); one translated as `a.txt` beside `a.md` stays `a.txt` once `a.md` is gone
    (unless `a.json` is its record too: then `a`). Records are read only where a name is
    contested or a with-extension record exists; one that cannot be read counts as none.
    Reserved names are never claimed, and names differing only in case count as one.
    """
    def stem(rel: str) -> str:
        return rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel

    by_stem: dict[str, list[InputFile]] = {}
    for item in files:
        by_stem.setdefault(stem(item.rel).lower(), []).append(item)
    used: set[str] = {name.lower() for name in reserved}
    kept: dict[int, str] = {}  # id(item) → the name its record already has
    if output_dir is not None:
        owners: dict[str, str | None] = {}  # name → its record's source_path, read once

        def owner(name: str) -> str | None:
            if name not in owners:
                owners[name] = _recorded_source(output_dir / f"{name}.json")
            return owners[name]

        for group in by_stem.values():
            if len(group) > 1:  # contested: the input whose record is under the plain stem keeps it
                for item in group:
                    plain = stem(item.rel)
                    if plain != item.rel and plain.lower() not in used and owner(plain) == item.rel:
                        kept[id(item)] = plain
                        used.add(plain.lower())
                        break
            else:
                item = group[0]
                plain = stem(item.rel)
                # Names it may have had in an earlier clash: with its extension, or numbered (LEAD.txt
                # beside lead.txt made it lead.txt-2). A stat each, the usual case; a record is read
                # only where one exists, and the plain stem's own record wins.
                earlier = [name for name in _earlier_names(plain, item.rel)
                           if name.lower() not in used and _is_file(output_dir / f"{name}.json")]
                if not earlier or owner(plain) == item.rel:
                    continue
                own = next((name for name in earlier if owner(name) == item.rel), None)
                if own is not None:
                    kept[id(item)] = own
                    used.add(own.lower())
    for item in files:
        if id(item) in kept:
            item.stem = kept[id(item)]
            continue
        name = stem(item.rel) if len(by_stem[stem(item.rel).lower()]) == 1 else item.rel
        candidate, number = name, 2
        while candidate.lower() in used:
            candidate, number = f"{name}-{number}", number + 1
        used.add(candidate.lower())
        item.stem = candidate


def _earlier_names(plain: str, rel: str) -> list[str]:
    """The names an input of stem `plain` and path `rel` gets in a clash (plan_outputs): `rel`,
    then either numbered (-2 … -4: a clash of three or four names is already rare)."""
    names = [rel] if rel != plain else []
    return names + [f"{base}-{number}" for base in dict.fromkeys((plain, rel)) for number in range(2, 5)]


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _recorded_source(path: Path) -> str | None:
    """The `document.source_path` of the record at `path`; None when there is none to read."""
    try:
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):  # missing, unreadable, not JSON (UnicodeDecodeError is a ValueError)
        return None
    document = record.get("document") if isinstance(record, dict) else None
    source = document.get("source_path") if isinstance(document, dict) else None
    return source if isinstance(source, str) else None


STALE_AFTER_SECONDS = 3600
FRESH_SECONDS = 2


def remove_stale_temporaries(output_dir: Path) -> None:
    """Temporary files of writes that a killed run never finished (`.name.xxxx.part`).

    A writer holds a lock on its temporary until it is renamed into place; one nobody holds is
    a killed writer's (a few seconds' grace for one just made). Without locks (a file system
    that has none), only old ones go: a run on the same folder may be writing a fresh one."""
    now = time.time()
    for path in output_dir.rglob(f".*{TEMPORARY_SUFFIX}"):
        try:
            if not path.is_file():
                continue
            age = now - path.stat().st_mtime
            if age > STALE_AFTER_SECONDS or (age > FRESH_SECONDS and abandoned(path)):
                path.unlink()
        except OSError:
            pass


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
