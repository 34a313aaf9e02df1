"""bench/dialect.py runs on a tiny input (a smoke test: the figures are claimed from full runs in
docs/checks.md). Its own file, apart from tests/e2e/test_bench_smoke.py: it is quick enough for the
default run."""

import sys

from ..helpers import DATA, ROOT, run_process


def test_dialect_benchmark_runs_on_a_tiny_input(tmp_path):
    dialects, ntrex = tmp_path / "dialects", tmp_path / "ntrex"
    (ntrex / "articles").mkdir(parents=True), dialects.mkdir()
    for source in (DATA / "dialects").glob("flores200.dev-half.*"):  # documents of both halves
        (dialects / source.name).write_text("\n".join(source.read_text(encoding="utf-8").split("\n")[:40]) + "\n",
                                            encoding="utf-8")
    for name in ("ntrex.dev.ar", "ntrex.dev.docids"):
        (ntrex / name).write_text("\n".join((DATA / "ntrex-dev" / name).read_text(encoding="utf-8").split("\n")[:40]) + "\n",
                                  encoding="utf-8")
    for article in sorted((DATA / "ntrex-dev" / "articles").glob("*.ar.txt"))[:6]:
        (ntrex / "articles" / article.name).write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_process([sys.executable, str(ROOT / "bench" / "dialect.py"), str(dialects), str(ntrex)], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    figures, naming = result.stdout.split("The variety the message names")
    rows = [line.split(" | ")[0] for line in figures.splitlines() if line.startswith("| ") and not line.startswith("| set |")]
    assert rows == ["| Egyptian (`arz`)", "| North Levantine (`apc`)", "| South Levantine (`ajp`)", "| Iraqi (`acm`)",
                    "| Tunisian (`aeb`)", "| Moroccan (`ary`)", "| Najdi (no aim) (`ars`)", "| MSA news sentences (NTREX)",
                    "| FLORES MSA sentences (`arb`)", "| news paragraphs with a spoken quotation",
                    "| all NTREX paragraphs (clean)"]
    assert "sentences judged in" in result.stdout and "| pooled |" in result.stdout
    named = [line.split(" | ")[0] for line in naming.splitlines() if line.startswith("| ") and "flagged" not in line]
    assert named[0] == "| Egyptian (`arz`, as Egyptian)" and named[-1] == "| **six spoken varieties**" and len(named) == 8
