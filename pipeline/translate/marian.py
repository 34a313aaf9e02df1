"""MarianMT through Hugging Face transformers: the reference backend."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Sequence

from ..errors import ModelNotAvailable
from .base import GenerationOptions, Translation
from .batching import plan_batches
from .resolve import fingerprint, has_weights

log = logging.getLogger(__name__)


def quiet_hub() -> None:
    """No progress bars from huggingface_hub or transformers ("Loading weights") over ours."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def pick_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelNotAvailable("model.device is 'cuda' but no CUDA device is available; use 'auto' or 'cpu'")
    return requested


def load_marian_tokenizer(model_dir: Path):
    """MarianTokenizer without its warning about the optional sacremoses package."""
    quiet_hub()
    from transformers import MarianTokenizer
    from transformers.utils import logging as hf_logging

    previous = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        with warnings.catch_warnings():
            # MarianTokenizer recommends sacremoses at every construction; Tarjama does not need it.
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    except (OSError, ValueError, TypeError) as exc:
        raise ModelNotAvailable(f"{model_dir}: cannot load the Marian tokenizer ({str(exc).splitlines()[0][:160]})") from None
    finally:
        hf_logging.set_verbosity(previous)
    # Counting the tokens of a long paragraph is how the budget is enforced; the tokenizer's
    # "longer than the maximum sequence length" warning would fire on exactly that. Units
    # sent to the model are within the budget (segmentation.max_unit_tokens ≤ 512).
    tokenizer.model_max_length = 1_000_000
    return tokenizer


class TokenCounter:
    """Source tokens per text, </s> included (what the encoder's window must hold); cached."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self._counts: dict[str, int] = {}

    def __call__(self, texts: Sequence[str]) -> list[int]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._counts]
        if missing:
            encoded = self.tokenizer(missing, add_special_tokens=True)["input_ids"]
            self._counts.update(zip(missing, map(len, encoded)))
        return [self._counts[t] for t in texts]


class MarianTranslator:
    """Translator backed by `MarianMTModel.generate` (beam search, batched, scored)."""

    backend = "transformers"

    def __init__(self, model_dir: Path, *, name: str, options: GenerationOptions, device: str = "auto"):
        quiet_hub()
        import torch
        from transformers import MarianConfig, MarianMTModel

        try:
            config = MarianConfig.from_pretrained(str(model_dir))
        except (OSError, ValueError) as exc:
            raise ModelNotAvailable(f"{model_dir}: cannot read the model config ({str(exc).splitlines()[0][:160]})") from None
        if config.model_type != "marian":
            raise ModelNotAvailable(f"{model_dir}: not a MarianMT model (model_type is '{config.model_type}')")
        if not has_weights(model_dir):
            raise ModelNotAvailable(f"{model_dir}: no model weights (model.safetensors or pytorch_model.bin)")
        self.name = name
        self.model_dir = model_dir
        self.options = options
        self.fingerprint = fingerprint(model_dir)
        self.device = pick_device(device)
        self.tokenizer = load_marian_tokenizer(model_dir)
        self.model = MarianMTModel.from_pretrained(str(model_dir)).to(self.device).eval()
        self._torch = torch
        self.count_tokens = TokenCounter(self.tokenizer)

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        texts = list(texts)
        lengths = self.count_tokens(texts)
        results: list[Translation | None] = [None] * len(texts)
        for batch in plan_batches(lengths, self.options.batch_size, self.options.batch_tokens):
            longest = max(lengths[i] for i in batch)
            forced = self.options.forced_length(longest)
            cap = forced or self.options.cap_for(longest)
            for index, translation in zip(batch, self._generate([texts[i] for i in batch], cap, forced is not None)):
                results[index] = translation
        return results  # type: ignore[return-value]

    def _generate(self, texts: list[str], max_new_tokens: int, forced: bool = False) -> list[Translation]:
        torch = self._torch
        inputs = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        beams = self.options.num_beams
        with torch.inference_mode():
            out = self.model.generate(
                **inputs,
                num_beams=beams,
                do_sample=False,
                max_new_tokens=max_new_tokens,
                min_new_tokens=max_new_tokens if forced else None,
                output_scores=True,
                return_dict_in_generate=True,
            )
            # Per-token log-probabilities of the chosen sequence. Beam scores are already
            # log-softmaxed; greedy ones are logits and need normalising.
            token_scores = self.model.compute_transition_scores(
                out.sequences, out.scores, getattr(out, "beam_indices", None), normalize_logits=beams == 1
            )
        eos = self.model.config.eos_token_id
        generated = out.sequences[:, 1:]  # drop the decoder start token
        results = []
        for row, scores in zip(generated.tolist(), token_scores):
            length = row.index(eos) + 1 if eos in row else len(row)
            finite = scores[:length][torch.isfinite(scores[:length])]
            mean = float(finite.mean()) if len(finite) else None
            results.append(Translation(
                text="",
                score=round(mean, 4) if mean is not None else None,
                # Marian configs force </s> at the last allowed step, so a sequence that used every
                # allowed token was cut, whether or not it ends in </s>.
                hit_length_cap=length >= max_new_tokens,
                tokens=length,
            ))
        decoded = self.tokenizer.batch_decode(out.sequences, skip_special_tokens=True)
        for result, text in zip(results, decoded):
            result.text = text.strip()
        return results
