"""MarianMT through Hugging Face transformers: the reference backend."""

from __future__ import annotations

import logging
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from ..errors import ModelNotAvailable
from .base import LENGTH_STEP, Abandoned, GenerationOptions, Pending, Request, Stop, Translation, by_beam, choose
from .batching import padded_length, plan_batches
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
    except Exception as exc:  # OSError, ValueError; sentencepiece's RuntimeError for a missing or damaged .spm
        raise ModelNotAvailable(f"{model_dir}: cannot load the Marian tokenizer "
                                f"({(str(exc).splitlines() or [type(exc).__name__])[0][:160]})") from None
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


def _stopping_on(stop: Stop | None):
    """What `generate` asks after each decoding step: raises Abandoned once the run's stop is
    asked (a batch of long sentences takes a minute on a CPU with the full-size model; a stop should
    not wait for it), else never ends the search — the results are those of a search without it."""
    if stop is None:
        return None
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class StopAsked(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            if stop():
                raise Abandoned
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([StopAsked()])


class MarianTranslator:
    """Translator backed by `MarianMTModel.generate` (beam search, batched, scored)."""

    backend = "transformers"

    def __init__(self, model_dir: Path, *, name: str, options: GenerationOptions, device: str = "auto",
                 inter_threads: int = 1, intra_threads: int = 0):
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
        try:
            self.model = MarianMTModel.from_pretrained(str(model_dir)).to(self.device).eval()
        except Exception as exc:  # a truncated or damaged weights file (SafetensorError, UnpicklingError …)
            raise ModelNotAvailable(f"{model_dir}: cannot load the model weights ({type(exc).__name__}: "
                                    f"{(str(exc).splitlines() or [''])[0][:160]})") from None
        self._torch = torch
        self.count_tokens = TokenCounter(self.tokenizer)
        if intra_threads and self.device == "cpu":
            torch.set_num_threads(intra_threads)  # the process's torch: the translator is its user
        # Batches side by side on threads of their own (torch releases the GIL while it computes).
        self.inter_threads = inter_threads if self.device == "cpu" else 1
        self._workers: ThreadPoolExecutor | None = None

    def translate(self, texts: Sequence[str]) -> list[Translation]:
        return self.submit(texts)()

    def submit(self, texts: Sequence[str], stop: Stop | None = None) -> Pending:
        """Queue the batches of `texts` on the inter_threads workers and return at once (with one
        worker: translate them now); what waits for their results (base.submit). Once `stop()` is
        true, a batch not started is given up, and a running one between two decoding steps: its
        inputs' results are None."""
        requests = [Request.parse(text) for text in texts]
        inputs = [request.text for request in requests]
        lengths = self.count_tokens(inputs)
        batches = [[members[j] for j in planned] for _, members in by_beam(requests, self.options)
                   for planned in plan_batches([lengths[i] for i in members], self.options.batch_size,
                                               self.options.batch_tokens, step=LENGTH_STEP)]

        def run(batch: list[int]) -> list[Translation] | None:
            forced = self.options.forced_length([lengths[i] for i in batch])
            cap = forced or self.options.cap_for(lengths[batch[0]])  # one padded length per batch: one cap
            pad_to = padded_length(lengths[batch[0]], LENGTH_STEP)
            hypotheses = max(requests[i].hypotheses for i in batch)
            try:
                if stop is not None and stop():
                    raise Abandoned
                return self._generate([inputs[i] for i in batch], cap, pad_to, forced is not None,
                                      [requests[i] for i in batch], hypotheses, stop)
            except Abandoned:
                return None

        if self.inter_threads > 1:
            if self._workers is None:  # kept for the translator's life: the next work queues behind this one
                self._workers = ThreadPoolExecutor(self.inter_threads, thread_name_prefix="tarjama-batch")
            futures = [self._workers.submit(run, batch) for batch in batches]
            generated = lambda: [future.result() for future in futures]  # noqa: E731
        else:
            done = [run(batch) for batch in batches]
            generated = lambda: done  # noqa: E731

        def results() -> list[Translation]:
            found: list[Translation | None] = [None] * len(texts)
            for batch, translations in zip(batches, generated()):
                for index, translation in zip(batch, translations or ()):  # None: given up at a stop
                    found[index] = translation
            return found

        return results

    def _generate(self, texts: list[str], max_new_tokens: int, pad_to: int, forced: bool,
                  requests: list[Request], hypotheses: int = 1, stop: Stop | None = None) -> list[Translation]:
        """One translation per text: the best, or with glossary terms the best of `hypotheses`
        that has them (base.choose). Abandoned between two decoding steps once `stop()` is true."""
        torch = self._torch
        # Padded to the batch's step length whatever its sentences: the same shapes, alone or in a batch.
        inputs = self.tokenizer(texts, return_tensors="pt", padding="max_length", max_length=pad_to).to(self.device)
        with torch.inference_mode():
            # No output_scores: it keeps a batch × beams × vocabulary tensor for every step
            # (gigabytes for a 60k vocabulary); the chosen tokens are scored afterwards instead.
            sequences = self.model.generate(**inputs, num_beams=self.options.beams_for(hypotheses), do_sample=False,
                                            num_return_sequences=hypotheses, max_new_tokens=max_new_tokens,
                                            min_new_tokens=max_new_tokens if forced else None,
                                            stopping_criteria=_stopping_on(stop))
            decoded = [text.strip() for text in self.tokenizer.batch_decode(sequences, skip_special_tokens=True)]
            # generate returns each input's hypotheses together, best first; only the kept one is scored
            rows, accounts = [], []
            for number, request in enumerate(requests):
                kept, terms = choose(request, decoded[number * hypotheses:(number + 1) * hypotheses])
                rows.append(number * hypotheses + kept)
                accounts.append(terms)
            sequences = sequences[rows]
            scores = self._mean_log_probs(inputs, sequences)
        eos = self.model.config.eos_token_id
        results = []
        for row, text, score, terms in zip(sequences[:, 1:].tolist(), [decoded[r] for r in rows], scores, accounts):
            length = row.index(eos) + 1 if eos in row else len(row)
            results.append(Translation(
                text=text,
                score=score,
                # Marian configs force </s> at the last allowed step, so a sequence that used every
                # allowed token was cut, whether or not it ends in </s>.
                hit_length_cap=length >= max_new_tokens,
                tokens=length,
                terms=terms,
            ))
        return results

    def _mean_log_probs(self, inputs, sequences) -> list[float | None]:
        """Mean log-probability of each generated sequence's tokens (one per input), </s> included,
        in one teacher-forced pass over them, in chunks that keep the logits under ~256 MB."""
        torch = self._torch
        decoder_input, labels = sequences[:, :-1], sequences[:, 1:]
        keep = labels != self.model.config.pad_token_id  # positions after </s> are padding
        encoder = self.model.get_encoder()(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"])
        hidden, attention = encoder.last_hidden_state, inputs["attention_mask"]
        rows = max(1, (64 << 20) // max(1, labels.shape[1] * self.model.config.vocab_size))
        means: list[float | None] = []
        for start in range(0, labels.shape[0], rows):
            part = slice(start, start + rows)
            logits = self.model(encoder_outputs=(hidden[part],), attention_mask=attention[part],
                                decoder_input_ids=decoder_input[part]).logits
            chosen = torch.log_softmax(logits.float(), dim=-1).gather(-1, labels[part].unsqueeze(-1)).squeeze(-1)
            mask = keep[part]
            for values, row_mask in zip(chosen, mask):
                count = int(row_mask.sum())
                means.append(round(float(values[row_mask].sum()) / count, 4) if count else None)
        return means
