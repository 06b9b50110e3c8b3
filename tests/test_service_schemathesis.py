"""Property-based API testing with schemathesis (v4) against the REAL service under uvicorn.

Schemathesis reads the service's own OpenAPI document and sends generated requests, valid and
invalid, to every operation with an admin key (which may call every route). Whatever it sends,
the service must not answer 5xx. Bounded: 50 examples per operation and generation mode,
no deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from service_support import Server, make_env, running

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("schemathesis")]


@pytest.fixture(scope="module")
def st_server(tmp_path_factory: pytest.TempPathFactory,
              trained_models_dir: Path) -> Iterator[Server]:
    env = make_env(tmp_path_factory.mktemp("schemathesis"), trained_models_dir)
    with running(env, "schemathesis") as srv:
        yield srv


def test_no_request_makes_a_server_error(st_server: Server) -> None:
    """Every operation, positive and negative generation, 50 examples each.

    (The operations are driven from one test with hypothesis' ``given`` because schemathesis'
    pytest loader ``from_fixture`` does not work with pytest 9; the checks are the same.)
    """
    schema = schemathesis.openapi.from_url(f"{st_server.url}/openapi.json")
    headers = st_server.env.keys.auth("admin")
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert {"POST /v1/triage", "POST /v1/triage/batch", "POST /v1/triage/{suggestion_id}/outcome",
            "GET /v1/model", "POST /v1/admin/reload", "GET /readyz"} <= labels
    failures: list[str] = []
    calls = 0
    for op in operations:
        raw = op.definition.raw
        takes_input = bool(raw.get("parameters")) or "requestBody" in raw
        # An operation without parameters or body has no invalid input to generate.
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if takes_input else [])
        for mode in modes:

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck),
                      derandomize=True, database=None, phases=[Phase.explicit, Phase.generate])
            def run(case: Any) -> None:
                nonlocal calls
                calls += 1
                case.call_and_validate(
                    base_url=st_server.url, headers=headers, checks=[not_a_server_error],
                    timeout=30,
                )

            try:
                run()
            except Exception as exc:  # collect every operation's failure, then report all
                failures.append(f"{op.label} [{mode.value}]: {exc}")
    assert failures == [], "\n\n".join(failures)
    assert calls >= len(operations) * 2
    text = st_server.logs()
    assert '"status":500' not in text
