"""Translation regression suites: `tarjama regress SUITE`.

A suite is plain files a newsroom keeps in its own repository:

- a folder with `suite.yaml` (settings and cases, or `cases:` naming a JSONL/TSV file), or
- a single `.jsonl` file (first line `{"settings": {...}}` optional, then one case per line), or
- a single `.tsv` file (header `id  source  reference  must_contain  must_not_contain`; lists
  separated by `|`; an optional first line `# settings: {json}`).

A case has an `id`, an Arabic `source` (a sentence or a paragraph; newlines separate paragraphs)
or a `source_file` (a whole article, read like `tarjama translate` reads it), an optional English
`reference` (or `reference_file`), and optional expectations: `must_contain`, `must_not_contain`
(strings, e.g. a name or a number), `expect_flags`, `forbid_flags` (review flag codes).

The suite is translated with the pipeline's own segmentation, translator and checks (the
translation memory is bypassed unless asked for), scored with sacrebleu (BLEU, chrF, TER, with
their signatures) and compared with a stored baseline: the outputs and scores of an accepted
run, tied to the model's fingerprint. Changed outputs fail with a word diff; a metric that drops
by more than its allowed delta fails when sacrebleu's paired bootstrap resampling says the drop
is significant; a violated expectation fails.
"""

from .run import (BaselineError, CaseRun, Outcome, Report, check_case, check_metrics, evaluate, read_baseline, regress,
                  render, run_suite, score, word_diff, write_baseline, write_junit)
from .suite import BASELINE_NAME, Case, MetricGate, Suite, SuiteError, SuiteSettings, load_suite, suite_settings

__all__ = ["BASELINE_NAME", "BaselineError", "Case", "CaseRun", "MetricGate", "Outcome", "Report", "Suite", "SuiteError", "SuiteSettings",
           "check_case", "check_metrics", "evaluate", "load_suite", "read_baseline", "regress", "render", "run_suite", "score", "suite_settings",
           "word_diff", "write_baseline", "write_junit"]
