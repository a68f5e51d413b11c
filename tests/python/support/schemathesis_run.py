"""Running schemathesis against one of the server's OpenAPI documents: the checks every answer
must pass, the bounds of a run, and the run itself.

The bounds (a fixed seed, one worker, examples per operation) keep a run to a minute or two;
`SCHEMATHESIS_SEED`, `SCHEMATHESIS_MAX_EXAMPLES` and `SCHEMATHESIS_TIMEOUT_S` widen it for a
local exploration. Credentials go into the configuration file, never on the command line, so they
stay out of schemathesis' output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Checks that apply to every answer of either document. Left out, and why:
# - positive_data_acceptance / negative_data_rejection: Codat's request schemas leave business
#   rules out (a company name needs a letter or digit, tag keys are 1 to 27 characters, a batch is
#   not empty, a webhook `url` must be absolute), so schema-valid bodies are rightly refused with
#   400 and some schema-invalid ones are rightly ignored.
# - allow_header_conformance: `…/bankFeedAccounts/batch` and `…/credentials` also answer PATCH and
#   DELETE, aimed at a source account whose id is that word (Codat's routing); their `Allow` header
#   says so, which this check reads as undocumented methods.
# - missing_required_header: no operation declares a required header besides the security scheme,
#   which `ignored_auth` covers.
# - use_after_free, ensure_resource_availability, object_level_authorization: deletion and tenancy
#   are asserted record by record in tenancy.rs, the test_sdk_* modules and test_fdx.py.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "unsupported_method",
]
RUN_TIMEOUT_S = int(os.environ.get("SCHEMATHESIS_TIMEOUT_S", "240"))


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def schemathesis_config(authorization: str, report: Path, max_examples: int, *more: str) -> str:
    """schemathesis.toml: the bounds, `authorization` on every request, [`CHECKS`] only, the
    JSON report at `report`, then the caller's own tables (`more`)."""
    lines = [
        f"seed = {int(os.environ.get('SCHEMATHESIS_SEED', '20240101'))}",
        "workers = 1",
        "continue-on-failure = true",
        "color = false",
        f"headers = {{ Authorization = {json.dumps(authorization)} }}",
        "[generation]",
        f"max-examples = {int(os.environ.get('SCHEMATHESIS_MAX_EXAMPLES', str(max_examples)))}",
        "[checks]",
        "enabled = false",
        *[f"{name}.enabled = true" for name in CHECKS],
        "[reports.json]",
        "enabled = true",
        f"path = {json.dumps(str(report))}",
        *more,
    ]
    return "\n".join(lines) + "\n"


def run_schemathesis(server, document: str, config_text: str, report: Path,
                     *args: str) -> tuple[dict, str]:
    """Runs schemathesis on `document` (a path on `server`) in the directory of `report`, where
    `config_text` asks for it, and returns that report and the output; fails the test when
    schemathesis found anything or the server died under it."""
    workdir = report.parent
    config_file = workdir / "schemathesis.toml"
    config_file.write_text(config_text)
    st = Path(sys.executable).with_name("st")
    proc = subprocess.run(
        [str(st), "--config-file", str(config_file), "run", *args,
         f"{server.base_url}{document}"],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S, cwd=workdir,
        env={**os.environ, "NO_COLOR": "1"},
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output + "\nserver stderr:\n" + server.stderr_tail()
    assert server.alive(), server.stderr_tail()
    return json.loads(report.read_text()), output
