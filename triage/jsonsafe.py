"""The one JSON sanitiser: anything the project reports, as strict JSON values.

Manifests, ``triage evaluate --json`` and ``GET /v1/model`` all go through ``json_safe``:
NaN and infinities become null (strict JSON has neither), tuples lists, NumPy scalars and
arrays Python values, datetimes ISO 8601 text, pydantic models and dataclasses their fields,
mapping keys text; anything else its ``str``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date
from typing import Any


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON values (see the module docstring)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "tolist") and callable(value.tolist):  # NumPy arrays and scalars
        return json_safe(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return json_safe(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    return str(value)
