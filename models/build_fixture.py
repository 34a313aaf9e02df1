"""Build the tiny Arabic→English MarianMT fixture model used by tests and CI.

What the fixture is
-------------------
A *genuine* MarianMT model and tokenizer in the same on-disk layout as a real
``Helsinki-NLP/opus-mt-*`` checkpoint (``config.json``, ``generation_config.json``,
``model.safetensors``, ``source.spm``, ``target.spm``, ``vocab.json``,
``tokenizer_config.json``), only very small. Tests can therefore exercise the real
``transformers`` loading and generation code (and a CTranslate2 conversion) offline.
It knows nothing but its training pairs: it is trained until it reproduces every one
of them exactly, so a test can translate a known Arabic sentence and assert the
exact English. Anything else it translates into nonsense.

How it is built (all deterministic for a given input and seed)
--------------------------------------------------------------
1. Two unigram SentencePiece models, one per language, trained on the pair sources
   and targets; a shared ``vocab.json`` made from both piece lists in the Marian
   layout (``</s>`` = 0, ``<unk>`` = 1, ``<pad>`` = last id).
2. Every pair must survive a tokenizer encode/decode round trip unchanged, or the
   model could never reproduce it; offending pairs are reported and the build fails.
3. A small Marian transformer is trained full-batch with AdamW until greedy *and*
   4-beam decoding reproduce every pair, every right token ahead of the runner-up by at
   least MIN_MARGIN (so CTranslate2's int8 kernels, AVX-512 or AVX2, decode the same); the
   build fails if that does not happen within the step limit.
4. *Variants* (optional): a second English for a source of the pairs, trained at a quarter
   of a pair's weight, so the model's best translation stays the pair's English and the
   variant is among its 4 best hypotheses (the build checks both). That is how the sample
   gets a name whose n-best differ in spelling ("Pashinian" first, "Pashinyan" lower), on
   which glossary enforcement visibly picks a lower-ranked hypothesis.

Why the ``<pad>`` embedding row is kept at zero
-----------------------------------------------
Marian starts decoding from ``decoder_start_token_id`` = ``<pad>``. transformers
looks that row up in the embedding matrix, while CTranslate2 (which drops ``<pad>``
from the vocabulary on conversion) starts from a zero vector. Training would move
the row and the converted model would then translate differently. Resetting the
row to zero after every optimiser step keeps both backends in agreement.

Determinism
-----------
Same pairs + seed + machine → byte-identical output files (checked by sha256 over two
runs, torch 2.13 CPU, 2 threads). Other CPUs or torch versions may pick different
matmul kernels and give different weight bytes, though still a model that passes the
same exact-match checks; tests should assert translations, not file hashes.

Rebuilding
----------
    python models/build_fixture.py [--verify-ct2]

trains on the project's pairs (``models/fixture_pairs.py``: the sample article's
units with our English, then ~345 Tatoeba pairs, and the variants of
``fixture-data/variants.tsv``) and rewrites ``models/fixture-ar-en``, including
``training-pairs.tsv``, the exact pairs it learned, and ``training-variants.tsv``. ``--pairs FILE`` takes
any UTF-8 TSV of ``arabic<TAB>english`` lines instead (``#`` lines are comments).
About 360 pairs build in 1–3 minutes on 2 CPU cores.
``--verify-ct2`` additionally converts the result to CTranslate2 (int8 and float32)
and checks that greedy decoding there agrees with transformers.
"""

from __future__ import annotations

import os

# Must be set before transformers / huggingface_hub are imported: never touch the
# network, and keep the "Loading weights" progress bar out of the build log.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import argparse
import io
import json
import shutil
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import sentencepiece as spm
import torch
import torch.nn.functional as F
from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer
from transformers.models.marian.modeling_marian import shift_tokens_right

HERE = Path(__file__).resolve().parent

# --- hyper-parameters --------------------------------------------------------------
SPM_VOCAB_SIZE = 8000  # a ceiling: with hard_vocab_limit=False sentencepiece stops at
#                        what the data supports (~1,000 pieces for ~300 pairs)
MODEL_SHAPE = dict(
    d_model=128,
    encoder_layers=2,
    decoder_layers=2,
    encoder_attention_heads=4,
    decoder_attention_heads=4,
    encoder_ffn_dim=256,
    decoder_ffn_dim=256,
    max_position_embeddings=512,  # long news sentences run to ~200 pieces
)
LEARNING_RATE = 3e-3
WARMUP_STEPS = 20  # post-LayerNorm transformers dislike a cold start at this lr
GRAD_CLIP = 1.0
MAX_STEPS = 1500
BATCH_TOKENS = 6000  # padded source+target tokens per forward pass (memory, not maths)
CHECK_EVERY = 10  # minimum steps between two (comparatively slow) decoding checks
MIN_MARGIN = 3.0  # nats between each right token and the runner-up, so int8 kernels of any CPU decode the same
#                  (a pair with a variant is left out: there the variant is the runner-up, by design ~1.4)
VARIANT_WEIGHT = 0.25  # a variant's loss weight against its pair's 1: ~20% of the probability where they differ
DECODE_BATCH = 64
THREADS = 2


# --- data --------------------------------------------------------------------------
def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Read a UTF-8 TSV of ``source<TAB>target`` lines (blank and ``#`` lines skipped)."""
    pairs = []
    text = path.read_text(encoding="utf-8-sig")  # tolerate a BOM from Windows editors
    # split("\n"), not splitlines(): the latter also breaks at U+2028, U+0085 and friends
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):  # "#": licence/provenance notes
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise ValueError(f"{path}:{lineno}: expected 2 tab-separated fields, got {len(fields)}")
        pairs.append((fields[0], fields[1]))
    return pairs


def check_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Validate pairs and drop exact duplicates (order kept).

    A source listed with two different targets cannot be memorised, so it is an error.
    """
    if not pairs:
        raise ValueError("no training pairs given")
    seen: dict[str, str] = {}
    unique = []
    for src, tgt in pairs:
        if not src.strip() or not tgt.strip():
            raise ValueError(f"empty side in pair {(src, tgt)!r}")
        if any(c in src + tgt for c in "\t\n\r"):
            raise ValueError(f"tab or newline inside pair {(src, tgt)!r}")
        if src in seen:
            if seen[src] != tgt:
                raise ValueError(f"source {src!r} has two targets: {seen[src]!r} and {tgt!r}")
            continue
        seen[src] = tgt
        unique.append((src, tgt))
    return unique


def check_variants(variants: list[tuple[str, str]], pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A variant is a second English for a source of the pairs (never the same English)."""
    english = dict(pairs)
    for source, target in variants:
        if source not in english:
            raise ValueError(f"variant source is not a pair's source: {source!r}")
        if english[source] == target:
            raise ValueError(f"variant is the pair's own English: {target!r}")
    return list(dict.fromkeys(variants))


# --- tokenizer ---------------------------------------------------------------------
def train_spm(sentences: list[str], seed: int) -> bytes:
    """Train a unigram SentencePiece model in memory and return its serialized bytes."""
    spm.set_random_generator_seed(seed)
    model = io.BytesIO()
    with open(os.devnull, "w") as quiet:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(sentences),
            model_writer=model,
            model_type="unigram",
            vocab_size=SPM_VOCAB_SIZE,
            hard_vocab_limit=False,  # take what the (tiny) corpus supports
            character_coverage=1.0,  # every character seen must get a piece
            byte_fallback=False,
            bos_id=-1,  # Marian never uses <s>
            num_threads=1,  # multi-threaded EM is not reproducible
            input_sentence_size=0,  # use every sentence: no sampling ...
            shuffle_input_sentence=False,  # ... and no shuffling
            max_sentence_length=1 << 16,  # default 4192 bytes: longer sentences would be skipped
            logstream=quiet,
        )
    return model.getvalue()


def build_vocab(*spm_protos: bytes) -> dict[str, int]:
    """Shared Marian vocabulary: ``</s>``=0, ``<unk>``=1, all pieces, ``<pad>`` last."""
    vocab = {"</s>": 0, "<unk>": 1}
    for proto in spm_protos:
        sp = spm.SentencePieceProcessor(model_proto=proto)
        for i in range(sp.get_piece_size()):
            if sp.is_control(i) or sp.is_unknown(i):
                continue
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    return vocab


@contextmanager
def no_sacremoses_nag():
    """Silence MarianTokenizer's 'Recommended: pip install sacremoses' warning.

    sacremoses would only add Moses punctuation normalisation, which the fixture does
    not need; the nag is a plain ``warnings.warn`` issued at every construction.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        yield


def load_tokenizer(model_dir: Path) -> MarianTokenizer:
    """Load the Marian tokenizer from a model directory, quietly."""
    with no_sacremoses_nag():
        return MarianTokenizer.from_pretrained(str(model_dir))


def write_tokenizer(pairs: list[tuple[str, str]], out_dir: Path, seed: int) -> MarianTokenizer:
    """Train both SentencePiece models, write the tokenizer files into ``out_dir``."""
    src_proto = train_spm([s for s, _ in pairs], seed)
    tgt_proto = train_spm([t for _, t in pairs], seed)
    (out_dir / "source.spm").write_bytes(src_proto)
    (out_dir / "target.spm").write_bytes(tgt_proto)
    vocab = build_vocab(src_proto, tgt_proto)
    # Same format as MarianTokenizer.save_vocabulary (ASCII-escaped, indent 2), which
    # rewrites this file below anyway.
    (out_dir / "vocab.json").write_text(json.dumps(vocab, indent=2), encoding="utf-8")
    with no_sacremoses_nag():
        tok = MarianTokenizer(
            source_spm=str(out_dir / "source.spm"),
            target_spm=str(out_dir / "target.spm"),
            vocab=str(out_dir / "vocab.json"),
            source_lang="ar",
            target_lang="en",
            model_max_length=MODEL_SHAPE["max_position_embeddings"],
        )
    tok.save_pretrained(str(out_dir))  # adds tokenizer_config.json
    return load_tokenizer(out_dir)  # use exactly what a consumer will load


def check_round_trip(tok: MarianTokenizer, pairs: list[tuple[str, str]]) -> None:
    """Raise if a source or target does not survive encode → decode unchanged.

    SentencePiece normalises (NFKC, collapsed whitespace), so such text could never be
    reproduced verbatim; the caller must fix the data instead.
    """
    unk = tok.unk_token_id
    bad = []
    for src, tgt in pairs:
        src_ids = tok(src).input_ids
        back = tok.decode(src_ids, skip_special_tokens=True, use_source_tokenizer=True)
        if back != src or unk in src_ids:
            bad.append(f"source  {src!r}\n   ->   {back!r}")
        tgt_ids = tok(text_target=tgt).input_ids
        back = tok.decode(tgt_ids, skip_special_tokens=True)  # the path translations take
        if back != tgt or unk in tgt_ids:
            bad.append(f"target  {tgt!r}\n   ->   {back!r}")
    if bad:
        raise ValueError(
            f"{len(bad)} text(s) do not survive a SentencePiece round trip; fix the pairs:\n" + "\n".join(bad)
        )


def check_lengths(tok: MarianTokenizer, pairs: list[tuple[str, str]]) -> None:
    """Raise if a text needs more pieces than the model has positions."""
    limit = MODEL_SHAPE["max_position_embeddings"]
    too_long = [
        text
        for src, tgt in pairs
        for text, n in ((src, len(tok(src).input_ids)), (tgt, len(tok(text_target=tgt).input_ids)))
        if n > limit
    ]
    if too_long:
        raise ValueError(f"{len(too_long)} text(s) exceed {limit} pieces; split them:\n" + "\n".join(too_long))


# --- model -------------------------------------------------------------------------
def make_model(vocab_size: int, pad_id: int) -> MarianMTModel:
    """A freshly initialised tiny Marian with opus-mt conventions (call after seeding)."""
    config = MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        **MODEL_SHAPE,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        dropout=0.0,  # memorisation, not generalisation
        attention_dropout=0.0,
        activation_dropout=0.0,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=None,
    )
    model = MarianMTModel(config)
    # Callers pass max_new_tokens; a max_length here would warn on every such call.
    model.generation_config = GenerationConfig(
        num_beams=4,
        bad_words_ids=[[pad_id]],
        decoder_start_token_id=pad_id,
        pad_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
    )
    zero_pad_row(model)
    return model


def zero_pad_row(model: MarianMTModel) -> None:
    """Reset the <pad> embedding (= decoder start) to zero; see module docstring."""
    with torch.no_grad():
        model.get_input_embeddings().weight[model.config.pad_token_id].zero_()


def make_batches(tok: MarianTokenizer, pairs: list[tuple[str, str]],
                 variants: list[tuple[str, str]] = ()) -> list[dict[str, torch.Tensor]]:
    """Length-sorted padded batches of about BATCH_TOKENS tokens (little padding waste); each row
    has its loss weight (1 for a pair, VARIANT_WEIGHT for a variant)."""
    weights = [1.0] * len(pairs) + [VARIANT_WEIGHT] * len(variants)
    varied = {source for source, _ in variants}
    margined = [source not in varied for source, _ in pairs] + [False] * len(variants)
    enc = [(tok(s).input_ids, tok(text_target=t).input_ids) for s, t in [*pairs, *variants]]
    order = sorted(range(len(enc)), key=lambda i: (len(enc[i][0]) + len(enc[i][1]), i))
    groups, group, width = [], [], 0
    for i in order:
        w = max(width, len(enc[i][0]) + len(enc[i][1]))
        if group and w * (len(group) + 1) > BATCH_TOKENS:
            groups.append(group)
            group, w = [], len(enc[i][0]) + len(enc[i][1])
        group.append(i)
        width = w
    groups.append(group)
    pad = tok.pad_token_id
    batches = []
    for group in groups:
        src_len = max(len(enc[i][0]) for i in group)
        tgt_len = max(len(enc[i][1]) for i in group)
        ids = torch.full((len(group), src_len), pad)
        mask = torch.zeros((len(group), src_len), dtype=torch.long)
        labels = torch.full((len(group), tgt_len), -100)  # -100: ignored by the loss
        for row, i in enumerate(group):
            s, t = enc[i]
            ids[row, : len(s)] = torch.tensor(s)
            mask[row, : len(s)] = 1
            labels[row, : len(t)] = torch.tensor(t)
        weight = torch.tensor([weights[i] for i in group])
        margin = torch.tensor([margined[i] for i in group])
        batches.append({"input_ids": ids, "attention_mask": mask, "labels": labels, "weight": weight, "margin": margin})
    return batches


def train_step(model, optimizer, batches, step: int) -> tuple[float, int, float]:
    """Full-batch AdamW step number ``step`` (1-based; gradients summed over the buckets).

    Returns the mean token loss, the number of target tokens of the pairs (variants are meant
    to lose) whose teacher-forced argmax is wrong, and the smallest margin of a right token
    over the runner-up (measured before the update, for free from the same forward pass).
    """
    cfg = model.config
    n_tokens = sum(float(((b["labels"] != -100) * b["weight"][:, None]).sum()) for b in batches)
    for group in optimizer.param_groups:
        group["lr"] = LEARNING_RATE * min(1.0, step / WARMUP_STEPS)
    optimizer.zero_grad(set_to_none=True)
    total_loss, wrong, margin = 0.0, 0, float("inf")
    for b in batches:
        dec_in = shift_tokens_right(b["labels"], cfg.pad_token_id, cfg.decoder_start_token_id)
        out = model(input_ids=b["input_ids"], attention_mask=b["attention_mask"], decoder_input_ids=dec_in)
        logits = out.logits
        per_token = F.cross_entropy(logits.flatten(0, 1), b["labels"].flatten(), ignore_index=-100, reduction="none")
        loss = (per_token.view_as(b["labels"]) * b["weight"][:, None]).sum()
        (loss / n_tokens).backward()
        total_loss += loss.item()
        keep = (b["labels"] != -100) & (b["weight"][:, None] == 1.0)
        wrong += int((logits.argmax(-1)[keep] != b["labels"][keep]).sum())
        with torch.no_grad():
            measured = keep & b["margin"][:, None]
            chosen = logits[measured]
            right = chosen.gather(-1, b["labels"][measured].unsqueeze(-1)).squeeze(-1)
            others = chosen.scatter(-1, b["labels"][measured].unsqueeze(-1), float("-inf")).max(-1).values
            margin = min(margin, float((right - others).min()))
    torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
    optimizer.step()
    zero_pad_row(model)
    return total_loss / n_tokens, wrong, margin


@torch.no_grad()
def translate(model, tok, sources: list[str], num_beams: int, max_new_tokens: int) -> list[str]:
    """Batched translation in input order (length-sorted internally to limit padding)."""
    was_training = model.training
    model.eval()
    order = sorted(range(len(sources)), key=lambda i: (len(sources[i]), i))
    out: list[str] = [""] * len(sources)
    for start in range(0, len(order), DECODE_BATCH):
        idx = order[start : start + DECODE_BATCH]
        enc = tok([sources[i] for i in idx], return_tensors="pt", padding=True)
        gen = model.generate(**enc, num_beams=num_beams, do_sample=False, max_new_tokens=max_new_tokens)
        for i, text in zip(idx, tok.batch_decode(gen, skip_special_tokens=True)):
            out[i] = text
    model.train(was_training)
    return out


def exact_matches(model, tok, pairs, num_beams: int, max_new_tokens: int) -> tuple[int, list]:
    """Count pairs reproduced exactly; also return the misses as (source, expected, got)."""
    got = translate(model, tok, [s for s, _ in pairs], num_beams, max_new_tokens)
    misses = [(s, t, g) for (s, t), g in zip(pairs, got) if g != t]
    return len(pairs) - len(misses), misses


@torch.no_grad()
def variants_in_nbest(model, tok, variants, max_new_tokens: int, n: int = 4) -> list[tuple[str, str]]:
    """The variants that are not among their source's n best beam hypotheses."""
    model.eval()
    missing = []
    for source, target in variants:
        enc = tok([source], return_tensors="pt")
        gen = model.generate(**enc, num_beams=n, num_return_sequences=n, do_sample=False, max_new_tokens=max_new_tokens)
        if target not in tok.batch_decode(gen, skip_special_tokens=True):
            missing.append((source, target))
    model.train()
    return missing


def train_until_exact(model, tok, pairs, log, variants: list[tuple[str, str]] = ()) -> dict:
    """Train until greedy and beam-4 decoding reproduce every pair and every variant is among
    its source's 4 best hypotheses, or raise."""
    batches = make_batches(tok, pairs, variants)
    max_new = max(int(b["labels"].shape[1]) for b in batches) + 32  # generous cap
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.98), weight_decay=0.0)
    model.train()
    log(f"training on {len(pairs)} pairs in {len(batches)} length buckets, "
        f"{sum(int((b['labels'] != -100).sum()) for b in batches)} target tokens")
    last_check = -CHECK_EVERY
    greedy = beam = 0
    misses: list = []
    for step in range(1, MAX_STEPS + 1):
        loss, wrong, margin = train_step(model, optimizer, batches, step)
        if step == 1 or step % 25 == 0:
            log(f"step {step:4d}  loss {loss:.4f}  teacher-forced errors {wrong}  smallest margin {margin:.2f}")
        # Greedy decoding can only be exact once every teacher-forced argmax is right (by a
        # margin that survives int8 rounding), so the slow decoding check waits for that free signal.
        if wrong or margin < MIN_MARGIN or step - last_check < CHECK_EVERY:
            continue
        last_check = step
        greedy, misses = exact_matches(model, tok, pairs, 1, max_new)
        log(f"step {step:4d}  loss {loss:.4f}  greedy exact {greedy}/{len(pairs)}")
        if misses:
            continue
        beam, misses = exact_matches(model, tok, pairs, 4, max_new)
        log(f"step {step:4d}  beam-4 exact {beam}/{len(pairs)}")
        if misses:
            continue
        lost = variants_in_nbest(model, tok, variants, max_new)
        if not lost:
            return {"steps": step, "final_loss": round(loss, 5), "smallest_margin": round(margin, 2),
                    "greedy_exact": greedy, "beam4_exact": beam, "variants_in_4best": len(variants)}
        misses = [(s, t, "not in the 4 best") for s, t in lost]
    detail = f"e.g. {misses[:3]}" if misses else "teacher-forced errors remain"
    raise RuntimeError(
        f"no exact memorisation after {MAX_STEPS} steps (last check: greedy {greedy}, "
        f"beam-4 {beam} of {len(pairs)}); {detail}"
    )


# --- orchestration -----------------------------------------------------------------
@contextmanager
def reproducible_torch(seed: int):
    """Seed torch and pin its CPU maths; restore the caller's settings afterwards.

    build() may be imported by a test session, which should not inherit our seed,
    thread count or deterministic-algorithms flag.
    """
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        torch.set_num_threads(THREADS)  # reduction order depends on the thread count
        torch.use_deterministic_algorithms(True)
        try:
            yield
        finally:
            torch.set_num_threads(threads)
            torch.use_deterministic_algorithms(deterministic)


def make_readable(directory: Path) -> None:
    """Give every file ordinary permissions (safetensors writes 0600 files)."""
    umask = os.umask(0)
    os.umask(umask)
    for f in directory.iterdir():
        f.chmod(0o666 & ~umask)


def check_replaceable(out_dir: Path) -> None:
    """Refuse (before any work) to overwrite a directory that is not a model directory."""
    if not out_dir.exists():
        return
    is_model = (out_dir / "config.json").exists() or not any(out_dir.iterdir())
    if not out_dir.is_dir() or not is_model:
        raise FileExistsError(f"{out_dir} exists and does not look like a model directory")


def replace_dir(tmp: Path, out_dir: Path) -> None:
    """Move the finished build into place, replacing a previous build."""
    check_replaceable(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tmp.rename(out_dir)


def build(pairs: list[tuple[str, str]], out_dir: Path, *, seed: int = 0, log=print,
          variants: list[tuple[str, str]] = ()) -> dict:
    """Train the fixture model on ``pairs`` (arabic, english) and save it to ``out_dir``.

    Returns stats: pairs, vocab size, parameters, steps, seconds, greedy/beam-4 exact
    counts. Raises ValueError for unusable pairs, RuntimeError if memorisation fails.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    pairs = check_pairs(list(pairs))
    variants = check_variants(list(variants), pairs)
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.building"  # sibling, so the final move is a rename
    shutil.rmtree(tmp, ignore_errors=True)  # leftover of an interrupted build
    tmp.mkdir()
    try:
        tok = write_tokenizer([*pairs, *variants], tmp, seed)
        check_round_trip(tok, [*pairs, *variants])
        check_lengths(tok, [*pairs, *variants])
        with reproducible_torch(seed):
            model = make_model(len(tok.get_vocab()), tok.pad_token_id)
            n_params = sum(p.numel() for p in model.parameters())
            log(f"vocab {len(tok.get_vocab())}, {n_params:,} parameters")
            stats = train_until_exact(model, tok, pairs, log, variants)
        model.save_pretrained(str(tmp))
        # Provenance: exactly what the model was trained on (tests read the known translations here).
        (tmp / "training-pairs.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
        if variants:
            (tmp / "training-variants.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in variants), encoding="utf-8")
        make_readable(tmp)
        replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stats = {"pairs": len(pairs), "vocab": len(tok.get_vocab()), "parameters": n_params, **stats,
             "seconds": round(time.perf_counter() - started, 1)}
    log(f"saved {out_dir}: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    return stats


# --- optional CTranslate2 check ----------------------------------------------------
def verify_ctranslate2(model_dir: Path, pairs: list[tuple[str, str]], log=print) -> dict:
    """Convert to CTranslate2 (int8 and float32) and compare greedy output with transformers.

    Returns, per quantisation, how many pairs agree with transformers greedy output and
    how many reproduce the reference exactly.
    """
    import ctranslate2

    model_dir = Path(model_dir)
    pairs = check_pairs(list(pairs))
    tok = load_tokenizer(model_dir)
    model = MarianMTModel.from_pretrained(str(model_dir))
    max_new = max(len(tok(text_target=t).input_ids) for _, t in pairs) + 32
    reference = translate(model, tok, [s for s, _ in pairs], 1, max_new)
    tokens = [tok.convert_ids_to_tokens(tok(s).input_ids) for s, _ in pairs]
    results = {"pairs": len(pairs)}
    with tempfile.TemporaryDirectory() as tmp:
        for quant in ("int8", "float32"):
            ct2_dir = Path(tmp) / quant
            with no_sacremoses_nag():  # the converter loads the tokenizer itself
                converter = ctranslate2.converters.TransformersConverter(str(model_dir))
                converter.convert(str(ct2_dir), quantization=quant)
            translator = ctranslate2.Translator(str(ct2_dir), device="cpu", intra_threads=THREADS)
            hyps = translator.translate_batch(
                tokens, beam_size=1, max_decoding_length=max_new, max_batch_size=DECODE_BATCH
            )
            texts = [
                tok.decode(tok.convert_tokens_to_ids(h.hypotheses[0]), skip_special_tokens=True) for h in hyps
            ]
            agree = sum(a == b for a, b in zip(texts, reference))
            exact = sum(a == t for a, (_, t) in zip(texts, pairs))
            results[quant] = {"agree_with_transformers": agree, "exact": exact}
            log(f"ctranslate2 {quant}: greedy agrees with transformers on {agree}/{len(pairs)}, "
                f"exact {exact}/{len(pairs)}")
    return results


def project_pairs() -> list[tuple[str, str]]:
    """The sample article's units with our English, then the selected Tatoeba pairs."""
    sys.path.insert(0, str(HERE))
    from fixture_pairs import all_pairs

    return all_pairs()


def project_variants() -> list[tuple[str, str]]:
    sys.path.insert(0, str(HERE))
    from fixture_pairs import variant_pairs

    return variant_pairs()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pairs", type=Path, help="UTF-8 TSV source<TAB>target (default: the project's pairs, "
                                   "collected by models/fixture_pairs.py from models/fixture-data/)")
    parser.add_argument("--variants", type=Path, help="UTF-8 TSV source<TAB>second-best target "
                                                          "(default: the project's, with its pairs)")
    parser.add_argument("--out", type=Path, default=HERE / "fixture-ar-en", help="model directory to (re)write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--verify-ct2", action="store_true", help="also check CTranslate2 int8/float32 greedy agreement"
    )
    args = parser.parse_args(argv)
    try:
        pairs = read_pairs(args.pairs) if args.pairs else project_pairs()
        variants = read_pairs(args.variants) if args.variants else [] if args.pairs else project_variants()
        stats = build(pairs, args.out, seed=args.seed, variants=variants)
    except (ValueError, RuntimeError, FileExistsError) as err:  # bad data, no memorisation, wrong --out
        print(f"build_fixture: {err}", file=sys.stderr)
        return 1
    if args.verify_ct2:
        ct2 = verify_ctranslate2(args.out, pairs)
        if any(ct2[q]["agree_with_transformers"] != ct2["pairs"] for q in ("int8", "float32")):
            print("CTranslate2 disagrees with transformers", file=sys.stderr)
            return 1
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
