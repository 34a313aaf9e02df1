"""Benchmarks: measurements, not tests. Figures are claimed in README from their full runs."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
from pathlib import Path


def machine() -> str:
    """The CPU a figure was measured on, as figures must name it: model, cores, vector units."""
    name, flags = platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and name == platform.machine():
                name = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    vectors = "AVX-512 VNNI" if "avx512_vnni" in flags else "AVX-512" if "avx512f" in flags else \
        "AVX2, no AVX-512" if "avx2" in flags else "no AVX2"
    return f"{name} ({vectors}), {os.cpu_count()} cores, Python {platform.python_version()}"


def bytecode_compiled() -> None:
    """Tarjama's modules compiled to bytecode, as an installed package has them. Where
    PYTHONDONTWRITEBYTECODE is set (these machines), every timed child process would otherwise
    compile them again: about 0.3 s, a tenth of a re-run served from the memory."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "pipeline", quiet=1)


def fresh_copy(files: list[Path], folder: Path) -> Path:
    """`folder`, emptied, holding copies of `files`: a benchmark's input, never the user's own."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def random_model_parser(doc: str | None) -> argparse.ArgumentParser:
    """The arguments of the benchmarks that run the random-weights models: the articles, the
    text to train their tokenizers on, the scratch folder."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="folder of *.ar.txt articles (NTREX: ntrex-dev/articles)")
    parser.add_argument("--text", type=Path, nargs="*", help="folders to train the random models' tokenizers on "
                                                             "(default: the parent of ARTICLES)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/tarjama-bench"), help="scratch folder (models, outputs)")
    return parser


def human_english(arabic_file: Path) -> list[str] | None:
    """The human English of an NTREX article, one entry per non-blank Arabic line (paragraph),
    from the `.en.txt` beside it (line n translates line n); None when there is none."""
    from pipeline.ingest import is_blank

    english_file = arabic_file.with_name(arabic_file.name.replace(".ar.", ".en."))
    if not english_file.is_file():
        return None
    lines = zip(arabic_file.read_text(encoding="utf-8").splitlines(), english_file.read_text(encoding="utf-8").splitlines())
    return [e.strip() for a, e in lines if not is_blank(a)]


def deal(english: str, units: int) -> list[str]:
    """A paragraph's English sentences dealt out over its `units` translation units in order, as a
    model's would come back (the last takes what is left; a unit may get none)."""
    from pipeline.text.sentences import english_sentences

    sentences = english_sentences(english)
    shares, start = [], 0
    for n in range(units):
        end = max(len(sentences) * (n + 1) // units, start)
        shares.append(" ".join(sentences[start:end]))
        start = end
    return shares
