"""Small statistics shared by training's evaluation, the impact case and the monitors.

Pure functions on counts; no model, no I/O.
"""

from __future__ import annotations

import math

#: Wilson interval z for 95%.
Z95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of ``k`` successes out of ``n`` (None when ``n`` is 0)."""
    if n <= 0:
        return None
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate_with_ci(k: int, n: int) -> dict[str, object]:
    """``{"k", "n", "rate", "ci"}`` for ``k`` out of ``n`` (rate and ci None when ``n`` is 0)."""
    ci = wilson_interval(k, n)
    return {"k": int(k), "n": int(n), "rate": k / n if n else None,
            "ci": list(ci) if ci else None}
