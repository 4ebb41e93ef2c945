"""schemathesis hooks for scripts/fuzz-live.sh (loaded through SCHEMATHESIS_HOOKS).

Generated Idempotency-Keys repeat ("0", "comment"): the server then replays the first answer
or refuses the key with another body (422), as it should. Counted by schemathesis as refusals
of valid data, those 422s made most write operations look as if the schema hid a rule
("Schema validation mismatch"). A real client sends a fresh key per request; so does this
hook, unless the header itself is the invalid part of a negative case. tests/fuzz/test_fuzz_api.py
does the same in-process.
"""

from __future__ import annotations

import uuid

import schemathesis
from schemathesis.core.parameters import ParameterLocation


@schemathesis.hook
def before_call(ctx, case, **kwargs) -> None:
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    if case.headers and "Idempotency-Key" in case.headers and not negative_headers:
        case.headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4()}"
