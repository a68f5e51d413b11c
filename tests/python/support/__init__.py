"""Everything the Python tests share, so no test module imports from another (or from conftest):

- `support.api`: the Basic scheme, plain HTTP beside the SDK, the SDK exchange recorder, error bodies;
- `support.server`: the `feedbridge` binary (`serve`, `apikey create`) on the backend under test;
- `support.sdk`: Codat's formats and the companies, connections and accounts tests start from;
- `support.ofx`: feed servers, linkable connections, OFX requests (ofxtools and 1.0.2 SGML), parsing;
- `support.webhooks`: the recording webhook receiver;
- `support.schemathesis_run`: schemathesis runs against either OpenAPI document.
"""

from .api import Exchange, RawApi, Recorder, assert_error_message, basic, unique
from .server import (
    PG_SERVER, FeedbridgeServer, backend_env, create_api_key, drop_test_databases,
)
from .webhooks import Receiver

__all__ = [
    "Exchange", "FeedbridgeServer", "PG_SERVER", "RawApi", "Receiver", "Recorder",
    "assert_error_message", "backend_env", "basic", "create_api_key", "drop_test_databases",
    "unique",
]
