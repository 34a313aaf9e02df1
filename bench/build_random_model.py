"""A MarianMT model of a real OPUS-MT shape with seeded random weights, for measuring cost.

The real weights never load on the development machines, and speed and memory depend on the
shape, not on the values: d_model 512, 6 + 6 layers, 8 heads, FFN 2048, swish, a shared
vocabulary of 62,834 entries, 512 positions — 76.8 M parameters, like Helsinki-NLP/opus-mt-ar-en
(`--shape big`: transformer-big, like Helsinki-NLP/opus-mt-tc-big-ar-en, 241.7 M).
The tokenizer is a pair of unigram SentencePiece models trained on the Arabic and English text
of the folders given (so sentences split into a realistic number of pieces); vocab.json is
padded with filler entries to the real vocabulary size so the output layer costs what it costs.
The output layer's bias shuts out every entry but the English pieces and </s>, as a trained
model's weights would: the English that comes back is random English pieces, of English's length
and letters. (It used to be mostly `<filler_51670>` entries — 14 characters and a five-digit
number each — which made the checks and documents of a re-run twice as costly as real English.)
The bias costs nothing: the layer multiplies the whole vocabulary either way.

Never commit the result (about 300 MB): it is rebuilt, byte for byte the same, from the seed.

    python bench/build_random_model.py OUT_DIR --text ../shared/data/ntrex-dev ../shared/data/parallel
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

VOCAB_SIZE = 62_834
SPM_PIECES = 16_000  # per language; both together stay under VOCAB_SIZE
SEED = 1234
BUILD = 2  # bumped when the same arguments build a different model: benchmarks rebuild older ones
STAMP = "tarjama-random-model.json"  # {"build": BUILD} in the model's folder
SHAPE = dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
             encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512, activation_function="swish")
# `--shape big`: Helsinki-NLP/opus-mt-tc-big-ar-en, README's default model: Marian's transformer-big
# (OPUS-MT "tc-big" models, Tatoeba Challenge): 6 + 6 layers, d_model 1024, 16 heads, FFN 4096,
# ReLU. With a vocabulary of the same size it has 241.7 M parameters, the published ~239 M.
BIG = dict(SHAPE, d_model=1024, encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
           decoder_ffn_dim=4096, activation_function="relu")
# `--tiny`: the same kind of model, small enough to build and run in seconds (benchmark smoke tests).
TINY = dict(SHAPE, d_model=64, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
            encoder_ffn_dim=128, decoder_ffn_dim=128)
TINY_PIECES = 2_000
SHAPES = {"base": SHAPE, "big": BIG, "tiny": TINY}


def read_text(folders: list[Path]) -> tuple[list[str], list[str]]:
    """Arabic and English lines from NTREX-style (*.ar / *.en, *.ar.txt / *.en.txt) files."""
    arabic, english = [], []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            name = path.name
            if not path.is_file():
                continue
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            if name.endswith(".ar") or name.endswith(".ar.txt"):
                arabic += lines
            elif name.endswith(".en") or name.endswith(".en.txt"):
                english += lines
    return arabic, english


def train_spm(lines: list[str], vocab_size: int = SPM_PIECES) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, model_type="unigram", vocab_size=vocab_size,
        hard_vocab_limit=False, character_coverage=1.0, num_threads=1, seed_sentencepiece_size=200_000,
        shuffle_input_sentence=False, bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, eos_piece="</s>", unk_piece="<unk>",
        minloglevel=2)
    return model.getvalue()


def pieces(model: bytes) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def build(out: Path, folders: list[Path], shape_name: str = "base") -> Path:
    import torch
    from transformers import MarianConfig, MarianMTModel

    arabic, english = read_text(folders)
    if not arabic or not english:
        raise SystemExit(f"no *.ar / *.en text under {', '.join(map(str, folders))}")
    out.mkdir(parents=True, exist_ok=True)
    tiny = shape_name == "tiny"
    shape, spm_pieces, vocab_size = SHAPES[shape_name], *((TINY_PIECES, 2 * TINY_PIECES + 2) if tiny else (SPM_PIECES, VOCAB_SIZE))
    source, target = train_spm(arabic, spm_pieces), train_spm(english, spm_pieces)
    (out / "source.spm").write_bytes(source)
    (out / "target.spm").write_bytes(target)
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces(source) + pieces(target):
        vocab.setdefault(piece, len(vocab))
    while len(vocab) < vocab_size - 1:  # filler entries: the real vocabulary's size
        vocab[f"<filler_{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = vocab_size - 1
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "MarianTokenizer", "source_lang": "ar", "target_lang": "en", "model_max_length": 512,
        "separate_vocabs": False, "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}), encoding="utf-8")
    config = MarianConfig(vocab_size=vocab_size, pad_token_id=vocab_size - 1, eos_token_id=0,
                          decoder_start_token_id=vocab_size - 1, forced_eos_token_id=0, scale_embedding=True,
                          share_encoder_decoder_embeddings=True, **shape)
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    english = sorted({vocab[piece] for piece in pieces(target)} - {vocab["<unk>"]} | {vocab["</s>"]})
    with torch.no_grad():
        model.model.shared.weight[vocab_size - 1].zero_()  # the pad row, as trained models have it
        model.final_logits_bias.fill_(-100.0)  # only English pieces and </s> come out (docstring)
        model.final_logits_bias[0, english] = 0.0
    model.generation_config.num_beams = 4
    model.generation_config.bad_words_ids = [[vocab_size - 1]]
    model.save_pretrained(str(out))
    (out / STAMP).write_text(json.dumps({"build": BUILD}), encoding="utf-8")
    print(f"{out}: {sum(p.numel() for p in model.parameters()):,} parameters, vocabulary {vocab_size:,} "
          f"({len(pieces(source)):,} Arabic + {len(pieces(target)):,} English pieces)", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="directory to write (never commit it)")
    parser.add_argument("--text", type=Path, nargs="+", required=True,
                        help="folders with Arabic/English text files to train the tokenizers on")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="base",
                        help="base: opus-mt-ar-en; big: opus-mt-tc-big-ar-en; tiny: smoke tests, not costs")
    parser.add_argument("--tiny", action="store_true", help="the same as --shape tiny")
    args = parser.parse_args()
    build(args.out, args.text, "tiny" if args.tiny else args.shape)


if __name__ == "__main__":
    main()
