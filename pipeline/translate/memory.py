"""The translation memory: translations kept in SQLite so a re-run translates only what changed.

A machine translation is found by its exact key: the normalised model input, the fingerprint
of the model files (their content, not their name) and a hash of the resolved generation
settings, with a version that is bumped whenever normalisation or segmentation changes what a
key means. An approved human translation (an editor's, see the review import) is found by its
source alone and wins over any model.

Concurrent runs on one store are safe: SQLite's WAL mode lets readers go on while one writer
commits, writers wait for each other (busy timeout), and every batch of results is written in
one transaction, so a killed run leaves either all of a batch or none of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import TarjamaError
from ..text.arabic import normalize_for_model
from .base import GenerationOptions, Translation, model_input_of

# Bump when a key's meaning changes (normalisation, segmentation, length caps): old entries are then missed.
MEMORY_VERSION = "3"
HUMAN = "human"
# Pairs a TMX brings in that Tarjama itself marked as machine output (x-origin model): kept as
# reference (fuzzy offers), never served as an approved translation.
IMPORTED_MACHINE = "tmx"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    source TEXT NOT NULL,          -- request (normalised model input, glossary terms) or paragraph source
    level TEXT NOT NULL,           -- 'unit' or 'paragraph'
    model TEXT NOT NULL,           -- model fingerprint, or 'human'
    settings TEXT NOT NULL,        -- hash of generation settings and MEMORY_VERSION ('' for human)
    target TEXT NOT NULL,
    score REAL,
    hit_length_cap INTEGER NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL,          -- 'model' or 'human'
    created TEXT NOT NULL,
    note TEXT,                     -- human entries: article, paragraph id, editor; model: glossary choice
    PRIMARY KEY (source, level, model, settings)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class MemoryUnavailable(TarjamaError):
    """The memory file cannot be opened or is not a Tarjama memory."""


def settings_key(options: GenerationOptions) -> str:
    payload = json.dumps({"memory": MEMORY_VERSION, **options.signature()}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MemoryKey:
    """How an entry is found: written here once, used by the translate stage and the review import.

    A machine translation of a unit is found by the unit's model input (already normalised by
    segmentation), the model's fingerprint and the generation settings; an editor's approved
    translation by its source alone — a unit's model input, or a paragraph's text normalised the
    way the run normalised its units.
    """

    model: str                   # the model's fingerprint (its files' content)
    settings: str                # settings_key of the generation options
    strip_diacritics: bool = True

    @classmethod
    def of(cls, fingerprint: str, options: GenerationOptions, strip_diacritics: bool = True) -> "MemoryKey":
        return cls(fingerprint, settings_key(options), strip_diacritics)

    @staticmethod
    def unit(model_input: str) -> str:
        return model_input

    def paragraph(self, source: str) -> str:
        return normalize_for_model(source, strip_diacritics=self.strip_diacritics)


def _terms(note: str | None) -> dict | None:
    try:
        return json.loads(note).get("terms") if note else None
    except (ValueError, AttributeError):
        return None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class MemoryStats:
    lookups: int = 0
    hits: int = 0
    human_hits: int = 0
    paragraph_hits: int = 0  # whole paragraphs served as an editor's approved English (none of their sentences looked up)
    stored: int = 0
    unstored: int = 0  # translations the memory could not take (a full disk): used in the run, not kept


class _SharedConnection:
    """One SQLite connection for the threads of a run (the translate stage runs in its own thread
    while articles are written, batch.py): a statement, or a `with` transaction, holds it alone."""

    def __init__(self, path: Path):
        self._connection = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()

    def execute(self, *args) -> sqlite3.Cursor:
        with self._lock:
            return self._connection.execute(*args)

    def executemany(self, *args) -> sqlite3.Cursor:
        with self._lock:
            return self._connection.executemany(*args)

    def executescript(self, script: str) -> sqlite3.Cursor:
        with self._lock:
            return self._connection.executescript(script)

    def __enter__(self):
        self._lock.acquire()
        return self._connection.__enter__()

    def __exit__(self, *exc):
        try:
            return self._connection.__exit__(*exc)
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class TranslationMemory:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = _SharedConnection(self.path)
            self.db.execute("PRAGMA busy_timeout = 60000")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a crash loses at most the last commit
            self.db.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:  # a full disk, a read-only folder: the file is not to blame
            raise MemoryUnavailable(f"{self.path}: cannot write to the translation memory ({exc}); "
                                    "free some space, or translate with --no-cache") from None
        except sqlite3.DatabaseError as exc:
            raise MemoryUnavailable(f"{self.path}: not a usable translation memory ({exc}); "
                               "move it away (the next run starts a new one) or translate with --no-cache") from None
        self.stats = MemoryStats()

    def close(self) -> None:
        self.db.close()

    # --- machine translations ---------------------------------------------------------------
    def lookup(self, sources: Sequence[str], key: MemoryKey) -> dict[str, Translation]:
        """Known translations of `sources` (requests): an approved human one of the model input
        first, else this model's for the request (glossary terms and all, base.Request)."""
        found: dict[str, Translation] = {}
        unique = list(dict.fromkeys(sources))
        plain = {source: model_input_of(source) for source in unique}
        for start in range(0, len(unique), 250):  # SQLite caps the number of bound parameters
            chunk = unique[start:start + 250]
            wanted = list(dict.fromkeys([*chunk, *(plain[s] for s in chunk)]))
            marks = ",".join("?" * len(wanted))
            rows = self.db.execute(
                f"SELECT source, model, target, score, hit_length_cap, tokens, origin, note FROM translations "
                f"WHERE level = 'unit' AND source IN ({marks}) AND ((model = ? AND settings = ?) OR model = ?)",
                (*wanted, key.model, key.settings, HUMAN)).fetchall()
            human = {row[0]: row for row in rows if row[1] == HUMAN}
            machine = {row[0]: row for row in rows if row[1] != HUMAN}
            for source in chunk:
                row = human.get(plain[source]) or machine.get(source)
                if row is not None:
                    found[source] = Translation(row[2], row[3], bool(row[4]), row[5], origin=row[6], cached=True,
                                                terms=_terms(row[7]) if row[6] != HUMAN else None)
        self.stats.lookups += len(unique)
        self.stats.hits += len(found)
        self.stats.human_hits += sum(1 for t in found.values() if t.origin == HUMAN)
        return found

    def store(self, results: Iterable[tuple[str, Translation]], key: MemoryKey) -> None:
        """Write model translations, all in one transaction (with, for a glossary request, what was
        enforced: the record shows it on a later run too)."""
        rows = [(source, "unit", key.model, key.settings, t.text, t.score, int(t.hit_length_cap), t.tokens, "model",
                 _now(), json.dumps({"terms": t.terms}, ensure_ascii=False) if t.terms else None)
                for source, t in results]
        self._write(rows)

    # --- human translations (approved editor edits) -------------------------------------------
    def store_human(self, entries: Iterable[tuple[str, str, str, str]]) -> None:
        """(level, source, target, note) rows of approved human translations, one transaction."""
        self._write([(source, level, HUMAN, "", target, None, 0, 0, HUMAN, _now(), note)
                     for level, source, target, note in entries])

    def withdraw_human(self, article: str, paragraphs: Sequence[str]) -> int:
        """Forget the approved English an import stored for these paragraphs of `article` (both
        levels): an editor took the approval back, so the next run must not serve it as approved."""
        if not paragraphs:
            return 0
        marks = ",".join("?" * len(paragraphs))
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            cursor = self.db.execute(
                f"DELETE FROM translations WHERE model = ? AND json_valid(note) "
                f"AND json_extract(note, '$.article') = ? AND json_extract(note, '$.paragraph') IN ({marks})",
                (HUMAN, article, *paragraphs))
        return cursor.rowcount

    def human_paragraphs(self, sources: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
        """Approved paragraph translations: source → (English, flag codes the editor acknowledged)."""
        found = {}
        for source in dict.fromkeys(sources):
            row = self.db.execute("SELECT target, note FROM translations WHERE level = 'paragraph' AND model = ? "
                                  "AND source = ?", (HUMAN, source)).fetchone()
            if row:
                try:
                    acknowledged = list(json.loads(row[1] or "{}").get("acknowledged", []))
                except ValueError:
                    acknowledged = []
                found[source] = (row[0], acknowledged)
        self.stats.paragraph_hits += len(found)
        return found

    def reference_paragraphs(self, sources: Sequence[str]) -> dict[str, str]:
        """The English the memory holds for whole paragraphs / segments (editors' and imported):
        source → English, an editor's first."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            rows = self.db.execute(
                f"SELECT source, model, target FROM translations WHERE level = 'paragraph' AND model IN (?, ?) "
                f"AND source IN ({','.join('?' * len(chunk))})", (HUMAN, IMPORTED_MACHINE, *chunk)).fetchall()
            for source, model, target in sorted(rows, key=lambda r: r[1] != HUMAN):
                found.setdefault(source, target)
        return found

    def store_imported(self, entries: Iterable[tuple[str, str, str, str, str]]) -> None:
        """(level, source, target, origin, note) rows from a TMX, one transaction: origin "human"
        as an editor's approved translation, "model" as imported machine output (reference only)."""
        self._write([(source, level, HUMAN if origin == HUMAN else IMPORTED_MACHINE, "", target, None, 0, 0,
                      HUMAN if origin == HUMAN else "model", _now(), note)
                     for level, source, target, origin, note in entries])

    def reference_entries(self) -> list[tuple[str, str, str]]:
        """Every (source, English, origin) a fuzzy match may offer: paragraph-level entries of
        editors and of imported memories."""
        return self.db.execute("SELECT source, target, origin FROM translations WHERE level = 'paragraph' "
                               "AND model IN (?, ?)", (HUMAN, IMPORTED_MACHINE)).fetchall()

    def human_state(self) -> str | None:
        """A hash of every approved human translation and imported memory entry: changes whenever
        an editor's work or a TMX comes in (they decide what is served and offered). None when
        there is none (a run without a memory then has the same signature)."""
        digest, found = hashlib.sha256(), False
        for row in self.db.execute("SELECT level, source, target, note FROM translations WHERE origin = 'human' "
                                   "OR model = ? ORDER BY level, source", (IMPORTED_MACHINE,)):
            digest.update(json.dumps(row, ensure_ascii=False).encode())
            found = True
        return digest.hexdigest() if found else None

    def _write(self, rows: list[tuple]) -> None:
        """One transaction; MemoryUnavailable (one line) when the file cannot take it (a full
        disk, a read-only folder): the transaction is rolled back, the memory stays whole."""
        if not rows:
            return
        try:
            with self.db:  # BEGIN ... COMMIT, or ROLLBACK on an exception
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("INSERT OR REPLACE INTO translations VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        except sqlite3.OperationalError as exc:
            raise MemoryUnavailable(f"{self.path}: cannot write to the translation memory ({exc})") from None
        self.stats.stored += len(rows)

    # --- maintenance --------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT origin, level, COUNT(*) FROM translations GROUP BY origin, level").fetchall()
        return {f"{origin} {level}": n for origin, level, n in rows}

    def clear(self, *, keep_human: bool = True) -> int:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            cursor = self.db.execute("DELETE FROM translations" + (" WHERE origin != 'human'" if keep_human else ""))
        return cursor.rowcount

    def entries(self) -> Iterable[tuple]:
        return self.db.execute("SELECT source, level, model, target, origin, created, note FROM translations "
                               "ORDER BY origin, level, source")
