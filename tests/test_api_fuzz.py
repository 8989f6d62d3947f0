"""Schemathesis over the whole OpenAPI schema, in-process through WSGI, as every role and as nobody.

Bounded and deterministic: a fixed number of generated cases per operation and generation mode
(valid input, invalid input), derandomized, no example database, no network. Each case is sent
once with the token of every persona and once without credentials. Every answer must be JSON,
none may be a server error, and each status must be one the operation declares in the OpenAPI.
Writes land in the test's transaction and are rolled back with it.

`FUZZ_CASES=100 .venv/bin/pytest tests/test_api_fuzz.py` runs the same with more cases (the suite runs a few).
"""

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import content_type_conformance, not_a_server_error, status_code_conformance

from conftest import PERSONAS
from deskpilkada.accounts.actions import create_api_token

CASES = int(os.environ.get("FUZZ_CASES", "4"))  # per operation and generation mode
# No 5xx; every status is one the operation declares, with the declared (JSON) content type.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


def json_answer(ctx, response, case):
    """Every answer of the API is JSON, errors included (never Django's HTML pages)."""
    content_type = response.headers.get("content-type", [""])[0]
    if not content_type.startswith("application/json"):
        raise AssertionError(f"{case.method} {case.formatted_path} answered {response.status_code} {content_type!r}")


SHARDS = 4  # the operations are shared out, so that the suite's workers run the fuzzing side by side


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_generated_input_gets_a_server_error_or_an_answer_that_is_not_json(
    shard, db, persona, capsys, connections_kept_open
):
    from deskpilkada.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    callers = {"anonymous": {}}
    for name in PERSONAS:
        _token, raw = create_api_token(by=None, user=persona(name), name="schemathesis")
        callers[name] = {"Authorization": f"Bearer {raw}"}
    started, operations, cases, requests = time.monotonic(), 0, 0, 0
    for index, result in enumerate(schema.get_all_operations()):
        if index % SHARDS != shard:
            continue
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=CASES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                nonlocal cases, requests
                cases += 1
                for headers in callers.values():
                    requests += 1
                    response = case.call(headers=headers)
                    case.validate_response(response, checks=CHECKS, additional_checks=[json_answer])

            try:
                run()
            except Unsatisfiable:
                # No invalid input exists when every parameter is a string in the path (or there is none).
                assert mode is GenerationMode.NEGATIVE, operation.label
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nschemathesis, part {shard + 1} of {SHARDS}: {operations} operations, {cases} cases, "
            f"{requests} requests "
            f"({len(callers)} callers), every answer JSON and declared, none 5xx, {seconds:.1f} s"
        )
    assert operations >= 3 and cases >= operations
