"""Files written so that a crash never leaves one half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def read_config_file(path: Path, what: str) -> tuple[bytes, str]:
    """The bytes and UTF-8 text of a file config.yaml names (`what`: "the glossary", …); a file
    that cannot be read or is not UTF-8 is one ConfigError naming it."""
    from .errors import ConfigError

    try:
        data = Path(path).read_bytes()
        return data, data.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: {what} is not UTF-8 text") from None


def file_stamp(path: Path) -> tuple | None:
    """What tells a rewritten file from the one read (its inode, size and time; None: not there).
    Every write here is a rename into place, so a file written since has another inode."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class RecordLock:
    """An exclusive lock on one article's record while it is read, checked and written: a batch
    writing the article and an editor's import-review of it take turns, so neither writes over a
    record the other wrote after reading it (the file stamps alone left a window between the check
    and the write). The lock file is kept in the system's temporary folder, named by the record's
    full path — nothing is added to the output folder — and never removed (a lock file removed while
    held locks nothing); without flock (or a folder it can use) there is no lock, and the file
    stamps still catch most."""

    def __init__(self, record: Path):
        import hashlib
        import tempfile

        key = hashlib.sha256(os.path.realpath(record).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        self.path = Path(tempfile.gettempdir()) / "tarjama-locks" / f"{key}.lock"
        self.handle: int | None = None

    def acquire(self) -> "RecordLock":
        try:
            import fcntl

            if not self.path.parent.is_dir():  # shared by every user's runs, as /tmp is (mkdir's mode meets the umask)
                self.path.parent.mkdir(exist_ok=True)
                os.chmod(self.path.parent, 0o1777)
            self.handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except (ImportError, OSError):
            self.release()
        return self

    def release(self) -> None:
        if self.handle is not None:
            os.close(self.handle)  # closing the file releases its lock
            self.handle = None

    def __enter__(self) -> "RecordLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def read_once_per_version(load):
    """`load(path)` memoised by the file's name and content: a run that builds its stages more than
    once (a check of the settings' files before the output folder is made, then the run's own)
    parses a terms or house-style file once, and an edited file is read again. (Its content, not
    its modification time: two writes within a clock tick share one.) What `load` returns must not
    be changed by its users (the glossary and the style are frozen)."""
    import functools
    import hashlib

    cache: dict[tuple, object] = {}

    @functools.wraps(load)
    def loaded(path):
        try:
            key = (str(path), hashlib.sha256(Path(path).read_bytes()).digest())
        except (OSError, TypeError, ValueError):
            return load(path)  # None, or a file that cannot be read: load says what is wrong
        if key not in cache:
            if len(cache) >= 16:
                cache.clear()
            cache[key] = load(path)
        return cache[key]

    return loaded


TEMPORARY_SUFFIX = ".part"


def _hold(handle: int) -> None:
    """An advisory lock on a temporary being written; the system drops it when the writer
    exits, killed or not."""
    try:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
    except (ImportError, OSError):  # no flock here (Windows, some network file systems): age alone decides
        pass


def abandoned(temporary: Path) -> bool:
    """Is nobody writing this temporary any more (its writer was killed)? False when unknown."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        handle = os.open(temporary, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:  # held: a write under way (or no flock on this file system)
        return False
    finally:
        os.close(handle)


def output_folder(path: Path, *, create: bool = True) -> Path:
    """`path` as a folder Tarjama can write into (made if missing, unless `create` is false: then
    made by the first write); OutputError (one line) if it cannot be."""
    from .errors import OutputError

    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder; choose another output folder")
    if not create and not path.exists():
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the output folder ({exc.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the output folder is not writable (permission denied)")
    return path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it into place.

    A reader (or a re-run after a kill) sees either the old file or the new one, never a part.
    An OSError while writing names `path`, not the hidden temporary the user never asked for.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{_shortened(path.name)}.", suffix=TEMPORARY_SUFFIX)
    except OSError as exc:  # a read-only or full folder
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        _hold(handle)  # until renamed: a later run removes a temporary nobody holds (a killed writer's)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.errno and exc.filename in (None, temporary):  # a full disk names no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


# A file name's limit on common file systems (bytes); mkstemp's temporary adds a dot, a dot, its 8
# random characters and TEMPORARY_SUFFIX to the name.
NAME_MAX = 255
_TEMPORARY_EXTRA = 2 + 8 + len(TEMPORARY_SUFFIX)


def _shortened(name: str) -> str:
    """`name` cut (at a character) so that its temporary's name is within NAME_MAX bytes: an
    output whose own name fits must not fail for its temporary's."""
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) + _TEMPORARY_EXTRA <= NAME_MAX:
        return name
    return encoded[:NAME_MAX - _TEMPORARY_EXTRA].decode("utf-8", "ignore")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
