"""schemathesis hooks for tests/suites/openapi.sh (loaded through SCHEMATHESIS_HOOKS).

toky-mock runs there with --loopback-webhooks: it refuses every hook_url whose host is not
loopback, so that the webhooks schemathesis registers never make it POST off the machine.
A schema-valid hook_url with another host would then be refused with 400, which
schemathesis rightly reports as valid data rejected. So the generated body of
POST /webhooks keeps its scheme, port, path and query, and has its host replaced by
127.0.0.1 — a request that is valid stays valid, and an invalid one stays invalid.
The examples phase applies no hooks: the document's own example hook_url is a loopback one.
"""

import re
from urllib.parse import urlsplit, urlunsplit

import schemathesis

# The host part of WebhookCreate.hook_url's pattern in mock/openapi.yaml.
_VALID = re.compile(r"^https?://[^/?#:\[\]]+(?::[0-9]+)?(?:[/?#].*)?$", re.S)


def _loopback(url: str) -> str:
    if not _VALID.match(url):
        return url
    parts = urlsplit(url)
    netloc = "127.0.0.1" + (f":{parts.port}" if parts.port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@schemathesis.hook
def map_case(context, case):
    # map_case, not map_body: the coverage phase applies only case hooks.
    op = context.operation
    body = case.body
    if (
        op is not None
        and op.path == "/webhooks"
        and op.method.upper() == "POST"
        and isinstance(body, dict)
        and isinstance(body.get("hook_url"), str)
    ):
        case.body = dict(body, hook_url=_loopback(body["hook_url"]))
    return case
