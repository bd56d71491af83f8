"""Helpers shared by the benchmarks: timing, percentiles and the result row."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def row(name: str, value: float, unit: str, target: str = "", ok: bool | None = None
        ) -> dict[str, Any]:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "ok": ok}


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (0.5 = median, 0.99 = p99) of ``samples``."""
    if len(samples) == 1:
        return samples[0]
    cuts = statistics.quantiles(samples, n=1000, method="inclusive")
    return cuts[min(len(cuts) - 1, max(0, round(fraction * 1000) - 1))]


def time_ms(function: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples
