"""Throughput: Tarjama against the naive way, in one run, on one folder of articles.

On a model of the real opus-mt-ar-en shape with seeded random weights (bench/build_random_model.py),
beam 4, every approach generating the same number of tokens (min = max new tokens = 1.1 × the
unit's source tokens: random weights would otherwise stop at arbitrary lengths):

1. naive: `MarianMTModel.generate` once per paragraph, batch 1 — what most users write first;
2. Tarjama, transformers backend (sentences, length-sorted token-budget batches of 32), no memory;
3. Tarjama, CTranslate2 int8 backend (batches of 16, two in flight: `inter_threads=2,
   intra_threads=1`), filling a fresh memory;
   and, right after it, CTranslate2 alone on the same sentences (Tarjama's CTranslate2Translator
   on the unique model inputs all at once, timed from the model loaded): what share of the backend's own
   speed the pipeline keeps end to end. The pair runs `--pairs` times (2), interleaved, and
   each side's best run is compared: runs of identical code varied by 17% on these machines;
4. Tarjama re-run on the unchanged folder (each `--pairs` times, the best run kept, as (3) is):
   (a) `--force`, every sentence from the memory;
   (b) a plain re-run, every article skipped as unchanged; (c) (a) again on a copy of the
   output whose memory holds the articles' human English (NTREX) instead of the random model's:
   what a re-run costs is mostly checking and writing the English, and random weights write
   degenerate English (one word looping, every check firing) that no trained model gives;
5. (2) and (3) again with a glossary of 200 terms enforced while translating (the (3) one
   `--pairs` times, the best kept, as (3) is), a third of the
   sentences holding a term (built here from the articles' own words, `glossary-200.yaml`):
   those sentences are decoded for 4 hypotheses and the best with the terms kept. Rows 1–4
   translate without a glossary.

Each approach runs in its own process, timed from start to exit (imports and model loading
included, as a user waits for them); peak RSS is that process's own (`os.wait4`). Runs vary by
about ±25% on these machines: compare the ratios within one run.

    python bench/throughput.py ../shared/data/ntrex-dev/articles --text ../shared/data/ntrex-dev ../shared/data/parallel
    python bench/throughput.py tests/data/ntrex-dev/articles --quick      # a smoke test: 3 articles
    python bench/throughput.py ../shared/data/ntrex-dev/articles --skip-naive   # (2), (3) and (5) only
    python bench/throughput.py ../shared/data/ntrex-dev/articles --only-ctranslate2  # (3), CTranslate2 alone, (4), (5b)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import bytecode_compiled, build_random_model, deal, fresh_copy, human_english, machine, random_model_parser  # noqa: E402

FORCE_RATIO = 1.1
BEAMS = 4
AIMS = {"transformers": 4.0, "ctranslate2": 15.0, "ctranslate2 tokens/s": 500.0, "rerun vs ctranslate2": 50.0,
        "ctranslate2 peak RSS MB": 1024.0, "glossary cost": 0.15, "share of the backend": 0.95}
GLOSSARY_TERMS, GLOSSARY_SHARE = 200, 1 / 3


def benchmark_glossary(articles: list[Path], path: Path) -> float:
    """A glossary of GLOSSARY_TERMS entries in which about GLOSSARY_SHARE of the articles'
    sentences have a term: words of the articles in at most 2% (or 3) of the sentences (names, places,
    organisations — not function words), those in most sentences first, each while it adds
    sentences, until that share is covered; the rest are words the articles do not have (a
    newsroom's glossary is mostly terms an article lacks). The English renderings are placeholders: a random model never writes them,
    so every such sentence pays for its hypotheses and keeps the best. Returns the share covered."""
    import re

    import yaml

    from pipeline.text.arabic import matching_form
    from pipeline.text.sentences import sentence_spans

    sentences = [matching_form(line[a:b]) for path_ in articles for line in path_.read_text(encoding="utf-8").splitlines()
                 for a, b in sentence_spans(line)]
    words = [set(re.findall(r"[\u0621-\u064a]{5,}", sentence)) for sentence in sentences]
    frequency: dict[str, int] = {}
    for found in words:
        for word in found:
            frequency[word] = frequency.get(word, 0) + 1
    chosen, covered = [], set()
    rare = [w for w in frequency if frequency[w] <= max(3, 0.02 * len(sentences))]
    for word in sorted(rare, key=lambda w: (-frequency[w], w)):
        if len(covered) >= GLOSSARY_SHARE * len(sentences) or len(chosen) == GLOSSARY_TERMS:
            break
        new = {n for n, found in enumerate(words) if word in found} - covered
        if new:
            chosen.append(word)
            covered |= new
    chosen += [f"مصطلح{chr(0x0628 + n % 20)}{chr(0x0628 + n // 20 % 20)}" for n in range(GLOSSARY_TERMS - len(chosen))]
    terms = [{"ar": word, "en": [f"Term{number}"]} for number, word in enumerate(chosen)]
    path.write_text(yaml.safe_dump({"terms": terms}, allow_unicode=True), encoding="utf-8")
    return len(covered) / len(sentences)


def naive_child(articles: list[Path], model_dir: Path) -> dict:
    """The naive way, in this (child) process: one generate call per paragraph."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    model = MarianMTModel.from_pretrained(str(model_dir)).eval()
    generated = paragraphs = 0
    with torch.inference_mode():
        for article in articles:
            for line in article.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                inputs = tokenizer(line, return_tensors="pt")
                length = math.ceil(FORCE_RATIO * inputs["input_ids"].shape[1])
                output = model.generate(**inputs, num_beams=BEAMS, min_new_tokens=length, max_new_tokens=length)
                tokenizer.decode(output[0], skip_special_tokens=True)
                generated += output.shape[1] - 1
                paragraphs += 1
    return {"generated_tokens": generated, "paragraphs": paragraphs}


def backend_child(ct2_dir: Path, records: Path) -> dict:
    """CTranslate2 alone, in this (child) process: the unique model inputs of a Tarjama run's
    records through Tarjama's CTranslate2Translator (its settings and batching rule), all in one
    call, timed from the model loaded to the last translation — what the pipeline around it is
    compared with. Tarjama plans batches per group of articles (batch.GROUP_UNITS), so smaller
    groups than the folder show here as a share lost."""
    from pipeline.config import Settings
    from pipeline.translate.base import GenerationOptions
    from pipeline.translate.ct2 import CTranslate2Translator

    settings = Settings()
    options = GenerationOptions.from_settings(settings.translation, num_beams=BEAMS, batch_size=settings.ctranslate2.batch_size)
    inputs = list(dict.fromkeys(
        sentence["model_input"] for path in sorted(records.glob("*.json")) if not path.name.startswith("_")
        for paragraph in json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
        for sentence in paragraph["sentences"] if sentence["origin"] == "model"))
    translator = CTranslate2Translator(ct2_dir, name="bench", options=options, inter_threads=2, intra_threads=1)
    started = time.perf_counter()
    results = translator.translate(inputs)
    return {"seconds": time.perf_counter() - started, "generated_tokens": sum(r.tokens for r in results),
            "units": len(inputs)}


def run_measured(command: list[str]) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) and stdout of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stdout, stderr = process.stdout.read().decode(), process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(map(str, command[:5]))} … failed:\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, stdout


def tarjama(articles: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "translate", str(articles), "-o", str(out), "-q",
            "--set", f"translation.num_beams={BEAMS}",
            "--set", "translation.batch_size=32", "--set", "ctranslate2.batch_size=16",
            "--set", "ctranslate2.inter_threads=2", "--set", "ctranslate2.intra_threads=1", *extra]


MODEL_NAMES = {"base": "opus-mt-ar-en-random", "big": "opus-mt-tc-big-ar-en-random", "tiny": "tiny-random"}


def with_human_english(out: Path, articles: Path, copy: Path) -> int:
    """`copy`: the output folder `out` (records, documents, memory) with each sentence's memory entry
    holding the article's human English, dealt over the units as a model's would come back; how
    many entries were changed. A unit dealt no English keeps the model's."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    english_of: dict[str, str] = {}
    for record_file in sorted(copy.glob("*.json")):
        if record_file.name.startswith("_"):
            continue
        record = json.loads(record_file.read_text(encoding="utf-8"))
        english = human_english(articles / f"{record_file.stem}.txt")
        if english is None or len(english) != len(record["paragraphs"]):
            continue
        for paragraph, target in zip(record["paragraphs"], english):
            for sentence, share in zip(paragraph["sentences"], deal(target, len(paragraph["sentences"]))):
                if share:
                    english_of.setdefault(sentence["model_input"], share)
    report = json.loads((copy / "_batch.json").read_text(encoding="utf-8"))
    memory = copy / Path(report["translation"]["memory"]["path"]).resolve().relative_to(out.resolve())
    with sqlite3.connect(memory) as db:
        changed = db.executemany("UPDATE translations SET target = ? WHERE level = 'unit' AND source = ? AND model != 'human'",
                                 [(target, source) for source, target in english_of.items()]).rowcount
    return changed


def random_model(work: Path, text: list[Path], tiny: bool = False, shape: str = "base") -> tuple[Path, Path]:
    """The random-weights model under `work` and its CTranslate2 int8 conversion, built once.
    `tiny`: a small model of the same kind, so a smoke test takes seconds, not a quarter hour."""
    work.mkdir(parents=True, exist_ok=True)
    shape = "tiny" if tiny else shape
    name = MODEL_NAMES[shape]
    model_dir, ct2_dir = work / name, work / f"{name}-ct2-int8"
    stamp = model_dir / build_random_model.STAMP
    current = stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")) == {"build": build_random_model.BUILD}
    if not current:  # never built, or built by an older version of the script
        shutil.rmtree(ct2_dir, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "build_random_model.py"), str(model_dir), "--text",
                        *map(str, text), "--shape", shape], check=True)
    if not (ct2_dir / "model.bin").is_file():
        subprocess.run([sys.executable, "-m", "pipeline", "convert-model", str(model_dir), str(ct2_dir), "--force"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return model_dir, ct2_dir


def main() -> None:
    parser = random_model_parser(__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="the 3 shortest articles on a tiny model: a smoke test, not a measurement")
    parser.add_argument("--skip-naive", action="store_true", help="leave out (1) and (4): half an hour less")
    parser.add_argument("--only-ctranslate2", action="store_true",
                        help="no naive, no transformers: (3), CTranslate2 alone, (4) and (5b); with --skip-naive, "
                             "(3), CTranslate2 alone and (5b)")
    parser.add_argument("--pairs", type=int, default=2,
                        help="times (3) and CTranslate2 alone are run, interleaved; each side's best is compared")
    parser.add_argument("--child-naive", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--child-backend", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    bytecode_compiled()
    # Every Tarjama child generates exactly FORCE_RATIO × its source tokens (a benchmark-only switch).
    os.environ["TARJAMA_BENCH_FORCE_LENGTH_RATIO"] = str(FORCE_RATIO)

    if args.child_backend:  # CTranslate2 alone, in a child process of this script
        print(json.dumps(backend_child(*map(Path, args.child_backend))))
        return
    if args.child_naive:  # the naive approach, run in a child process of this script
        model_dir, *files = args.child_naive
        print(json.dumps(naive_child([Path(f) for f in files], Path(model_dir))))
        return

    work = args.work
    model_dir, ct2_dir = random_model(work, args.text or [args.articles.parent], tiny=args.quick)

    files = sorted(args.articles.glob("*.ar.txt"))
    if args.quick:  # the three shortest articles
        files = sorted(sorted(files, key=lambda p: p.stat().st_size)[:3])
    folder = fresh_copy(files, work / "input")
    for name in ("out-transformers", "out-ctranslate2", "out-transformers-glossary", "out-ctranslate2-glossary"):
        shutil.rmtree(work / name, ignore_errors=True)
    glossary = work / "glossary-200.yaml"
    share = benchmark_glossary(files, glossary)

    rows = {}
    naive = not (args.skip_naive or args.only_ctranslate2)
    reruns = not args.skip_naive
    if naive:
        wall, rss, stdout = run_measured([sys.executable, __file__, "x", "--child-naive", str(model_dir),
                                          *map(str, sorted(folder.glob("*.txt")))])
        rows["1. naive: generate per paragraph, batch 1"] = (wall, rss, json.loads(stdout)["generated_tokens"])

    def tarjama_row(name: str, out: str, *extra: str, times: int = 1, fresh: bool = False) -> dict:
        """Tarjama run `times` times, the best (shortest) run kept: the re-runs are timed as (3)
        is, the best of `--pairs`, so that a ratio of the two compares like with like. `fresh`:
        each run into an empty output folder (no memory: every sentence translated)."""
        for _ in range(times):
            if fresh:
                shutil.rmtree(work / out, ignore_errors=True)
            wall, rss, _ = run_measured(tarjama(folder, work / out, *extra))
            report = json.loads((work / out / "_batch.json").read_text(encoding="utf-8"))
            if name not in rows or wall < rows[name][0]:
                rows[name] = (wall, rss, report["translation"]["generated_tokens"])
        return report

    none, terms = ("--set", "review.glossary=null"), ("--set", f"review.glossary={glossary}")
    transformers = not args.only_ctranslate2
    if transformers:
        tarjama_row("2. Tarjama, transformers", "out-transformers", "--model", str(model_dir), "--no-cache", "--force", *none)
        # each pair back to back (with, then without the glossary), so slow drifts of the machine hit both alike
        tarjama_row("5a. (2) with the 200-term glossary enforced", "out-transformers-glossary", "--model", str(model_dir),
                    "--no-cache", "--force", *terms)
    # (3), then the backend alone on the same sentences right after it: the pipeline's share of its
    # speed. Runs of the same code on a shared machine vary by up to 17%, so the pair is run
    # `--pairs` times, interleaved, and each side's best run is compared (as timeit does).
    pair_shares, best = [], {}
    for _ in range(args.pairs):
        shutil.rmtree(work / "out-ctranslate2", ignore_errors=True)  # the memory too: every sentence translated
        report = tarjama_row("3. Tarjama, CTranslate2 int8", "out-ctranslate2", "--model", str(ct2_dir),
                             "--backend", "ctranslate2", "--force", *none)
        _, _, stdout = run_measured([sys.executable, __file__, "x", "--child-backend", str(ct2_dir), str(work / "out-ctranslate2")])
        alone = json.loads(stdout)
        wall, rss, tokens = rows["3. Tarjama, CTranslate2 int8"]
        pair_shares.append((tokens / wall) / (alone["generated_tokens"] / alone["seconds"]))
        if "tarjama" not in best or wall < best["tarjama"][0]:
            best["tarjama"] = (wall, rss, tokens)
        if "alone" not in best or alone["seconds"] < best["alone"]["seconds"]:
            best["alone"] = alone
    rows["3. Tarjama, CTranslate2 int8"] = best["tarjama"]
    alone = best["alone"]
    units = report["translation"]["units"]
    alone_speed = alone["generated_tokens"] / alone["seconds"]
    pipeline_speed = rows["3. Tarjama, CTranslate2 int8"][2] / rows["3. Tarjama, CTranslate2 int8"][0]
    if reruns:
        rerun = tarjama_row("4a. re-run, every sentence from memory (--force)", "out-ctranslate2",
                            "--model", str(ct2_dir), "--backend", "ctranslate2", "--force", *none, times=args.pairs)
        tarjama_row("4b. re-run, unchanged articles skipped", "out-ctranslate2", "--model", str(ct2_dir),
                    "--backend", "ctranslate2", *none, times=args.pairs)
        human = with_human_english(work / "out-ctranslate2", args.articles, work / "out-ctranslate2-human")
        tarjama_row("4c. (4a) with human English in the memory", "out-ctranslate2-human",
                    "--model", str(ct2_dir), "--backend", "ctranslate2", "--force", *none, times=args.pairs)
    enforced = tarjama_row("5b. (3) with the 200-term glossary enforced", "out-ctranslate2-glossary", "--model", str(ct2_dir),
                           "--backend", "ctranslate2", "--force", *terms, times=args.pairs, fresh=True)
    records = [json.loads(path.read_text(encoding="utf-8")) for path in (work / "out-ctranslate2-glossary").glob("*.json")
               if not path.name.startswith("_")]
    with_terms = sum(1 for r in records for p in r["paragraphs"] for s in p["sentences"] if s.get("glossary"))

    def cost(plain: str, glossed: str) -> float:
        """Throughput lost: 1 − (generated tokens/s with the glossary) / (without)."""
        return 1 - (rows[glossed][2] / rows[glossed][0]) / (rows[plain][2] / rows[plain][0])

    naive_wall = rows["1. naive: generate per paragraph, batch 1"][0] if naive else None
    print(f"{len(files)} articles, {units} source sentences; beam {BEAMS}; generated tokens forced to "
          f"{FORCE_RATIO} × source tokens; {machine()}\n")
    print("| approach | wall s | sentences/s | generated tokens | generated tokens/s | peak RSS MB | speed-up vs naive |")
    print("|---|---|---|---|---|---|---|")
    for name, (wall, rss, tokens) in rows.items():
        speedup = f"{naive_wall / wall:.1f}×" if naive_wall else "–"
        print(f"| {name} | {wall:.1f} | {units / wall:.1f} | {tokens:,} | {tokens / wall:.0f} | {rss:.0f} | {speedup} |")
    ct2_wall = rows["3. Tarjama, CTranslate2 int8"][0]
    glossary_costs = {backend: cost(plain, glossed) for backend, plain, glossed in (
        ("transformers", "2. Tarjama, transformers", "5a. (2) with the 200-term glossary enforced"),
        ("CTranslate2", "3. Tarjama, CTranslate2 int8", "5b. (3) with the 200-term glossary enforced")) if plain in rows}
    print(f"\nCTranslate2 alone on the same {alone['units']:,} sentences (all in one call, the model loaded): "
          f"{alone_speed:.0f} generated tokens/s in {alone['seconds']:.1f} s; Tarjama end to end (3) keeps "
          f"{pipeline_speed / alone_speed:.1%} of it (best run of {args.pairs} on each side; each pair: "
          + ", ".join(f"{share:.1%}" for share in pair_shares) + ")")
    print(f"glossary: {GLOSSARY_TERMS} terms, {share:.0%} of the sentences hold one ({with_terms} of "
          f"{enforced['translation']['units']} units enforced); throughput lost: "
          + ", ".join(f"{backend} {lost:.1%}" for backend, lost in glossary_costs.items()))
    checks = [(f"(5) {backend} loses ≤ 15%", lost <= AIMS["glossary cost"]) for backend, lost in glossary_costs.items()]
    checks.append(("(3) ≥ 95% of CTranslate2 alone", pipeline_speed / alone_speed >= AIMS["share of the backend"]))
    if reruns:
        hits = rerun["translation"]["memory"]["hits"]
        print(f"re-run from memory: {hits} of {rerun['translation']['memory']['lookups']} sentences found, model "
              f"{'loaded' if rerun['translation']['model_loaded'] else 'never loaded'}; "
              f"{ct2_wall / rows['4a. re-run, every sentence from memory (--force)'][0]:.0f}× faster than (3) with --force, "
              f"{ct2_wall / rows['4c. (4a) with human English in the memory'][0]:.0f}× with --force and human English "
              f"({human} memory entries), {ct2_wall / rows['4b. re-run, unchanged articles skipped'][0]:.0f}× as a plain re-run")
        checks = [
            ("(3) ≥ 500 generated tokens/s", rows["3. Tarjama, CTranslate2 int8"][2] / ct2_wall >= AIMS["ctranslate2 tokens/s"]),
            ("(4a) ≥ 50× faster than (3)", ct2_wall / rows["4a. re-run, every sentence from memory (--force)"][0] >= AIMS["rerun vs ctranslate2"]),
            ("(4c) ≥ 50× faster than (3)", ct2_wall / rows["4c. (4a) with human English in the memory"][0] >= AIMS["rerun vs ctranslate2"]),
            ("(3) peak RSS ≤ 1 GB", rows["3. Tarjama, CTranslate2 int8"][1] <= AIMS["ctranslate2 peak RSS MB"]),
            *checks,
        ]
    if naive:
        checks = [
            ("(2) ≥ 4× naive", naive_wall / rows["2. Tarjama, transformers"][0] >= AIMS["transformers"]),
            ("(3) ≥ 15× naive", naive_wall / ct2_wall >= AIMS["ctranslate2"]),
            *checks,
        ]
    print("aims: " + "; ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in checks))
    if args.quick:
        print("(quick mode: the 3 shortest articles on a tiny model, a smoke test; the figures above are not a measurement)")


if __name__ == "__main__":
    main()
