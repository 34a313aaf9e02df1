"""Benchmarks: measurements, not tests. Figures are claimed in README from their full runs."""

from __future__ import annotations

import os
import platform
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
