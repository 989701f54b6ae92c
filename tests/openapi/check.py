"""Checks of the OpenAPI document that schemathesis does not make (tests/suites/openapi.sh).

Usage: check.py MOCK_URL API_KEY

- the document served at MOCK_URL/openapi.json (no key) is mock/openapi.yaml, with the mock's
  own /v1 as the first server, and it is a valid OpenAPI 3.1 document;
- it covers every /v1 operation of the contract and every webhook event;
- every operation, parameter, header, response, schema and schema property carries
  `x-toky-source` with DOC, SEEN or DECIDED;
- the `filter` patterns agree with toky-mock's filter parser on a fixed set of filters
  (accepted by the pattern <=> 200 from the mock).
"""

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
TAGS = {"DOC", "SEEN", "DECIDED"}
OPERATIONS = {
    ("get", "/agents"),
    ("get", "/contacts"),
    ("post", "/contacts"),
    ("get", "/contacts/{phone}"),
    ("put", "/contacts/{phone}"),
    ("post", "/sms/send"),
    ("get", "/sms"),
    ("get", "/voicemails"),
    ("get", "/voicemails/{id}"),
    ("get", "/cdrs"),
    ("get", "/recordings/{callid}"),
    ("get", "/webhooks"),
    ("post", "/webhooks"),
    ("delete", "/webhooks/{id}"),
}
EVENTS = {
    "new_call",
    "new_voicemail",
    "new_sms",
    "inbound_call_answered",
    "inbound_call_ended",
    "outbound_call",
    "outbound_call_ended",
}
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}

failures = []


def fail(msg):
    failures.append(msg)


def get(url, key=None):
    req = urllib.request.Request(url, headers={"X-Toky-Key": key} if key else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def tagged(where, node):
    if node.get("x-toky-source") not in TAGS:
        fail(f"{where}: x-toky-source is {node.get('x-toky-source')!r}, not one of DOC/SEEN/DECIDED")


def walk_schema(where, schema):
    if not isinstance(schema, dict):
        return
    for name, prop in (schema.get("properties") or {}).items():
        tagged(f"{where}.{name}", prop)
        walk_schema(f"{where}.{name}", prop)
    for key in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(schema.get(key) or []):
            walk_schema(f"{where}.{key}[{i}]", sub)
    if isinstance(schema.get("items"), dict):
        walk_schema(f"{where}[]", schema["items"])


def main(url, key):
    committed = yaml.safe_load((ROOT / "mock/openapi.yaml").read_text())
    status, headers, body = get(f"{url}/openapi.json")
    if status != 200 or not headers.get("content-type", "").startswith("application/json"):
        fail(f"GET /openapi.json without a key: {status} {headers.get('content-type')}")
        return
    served = json.loads(body)
    validate(served)
    first = served["servers"][0]["url"]
    if first != f"{url}/v1":
        fail(f"served servers[0] is {first}, expected {url}/v1")
    if dict(served, servers=served["servers"][1:]) != committed:
        fail("the served document differs from mock/openapi.yaml (other than servers[0])")

    doc = committed
    ops = {(m, p) for p, item in doc["paths"].items() for m in item if m in METHODS}
    if ops != OPERATIONS:
        fail(f"operations: missing {sorted(OPERATIONS - ops)}, unexpected {sorted(ops - OPERATIONS)}")
    if set(doc["webhooks"]) != EVENTS:
        fail(f"webhooks: {sorted(doc['webhooks'])} != {sorted(EVENTS)}")

    for path, item in list(doc["paths"].items()) + [(f"webhook {k}", v) for k, v in doc["webhooks"].items()]:
        for p in item.get("parameters", []):
            if "$ref" not in p:
                tagged(f"{path} parameter {p['name']}", p)
        for m, op in item.items():
            if m not in METHODS:
                continue
            tagged(f"{m.upper()} {path}", op)
            for p in op.get("parameters", []):
                if "$ref" not in p:
                    tagged(f"{m.upper()} {path} parameter {p['name']}", p)
    comp = doc["components"]
    for kind in ("parameters", "headers", "responses", "securitySchemes"):
        for name, node in comp[kind].items():
            tagged(f"components.{kind}.{name}", node)
    for name, schema in comp["schemas"].items():
        tagged(f"components.schemas.{name}", schema)
        walk_schema(f"components.schemas.{name}", schema)

    # limit: the document must describe the clamp (no maximum), as the mock accepts any n >= 1
    limit = comp["parameters"]["limit"]["schema"]
    if limit.get("minimum") != 1 or "maximum" in limit:
        fail(f"limit schema {limit} does not describe what toky-mock does (1 up, clamped to 500)")
    status, _, body = get(f"{url}/v1/agents?limit=501", key)
    if status != 200:
        fail(f"limit=501 gave {status}")

    for pname, path, field in (("filter", "sms", "created_at"), ("cdrFilter", "cdrs", "init_dt")):
        pattern = re.compile(
            next(
                s["pattern"]
                for s in [comp["schemas"][comp["parameters"][pname]["schema"]["$ref"].rsplit("/", 1)[1]]]
            )
        )
        samples = [
            "",
            "   ",
            f"({field} >= 2026-01-01) AND ({field} <= 2026-01-31)",
            f"({field} <= 2026-01-31) and ({field} >= 2026-01-01)",
            f"{field}>=2026-01-01 10:00:00",
            f"{field} = '2026-02-28'",
            f'( {field} < "2026-03-01T00:00:00Z" )',
            f"\u3000{field} > 2026-01-01\u3000",
            f"{field} >= 2026-02-30",
            f"{field} >= 2026-13-01",
            f"{field} >= 2026-01-01 24:00:00",
            f"{field} >= yesterday",
            f"({field} >= 2026-01-01",
            f"{field} 2026-01-01",
            f"{field} >= 2026-01-01 AND",
            f"{field} >= 2026-01-01 AND {field} <= 2026-02-01 AND {field} > 2026-01-02",
            f"(({field} >= 2026-01-01))",
            "updated_at >= 2026-01-01",
            f"{field}x >= 2026-01-01",
            f"{field} => 2026-01-01",
            f"{field} >= ' 2026-01-01 '",
        ]
        for f in samples:
            q = urllib.parse.urlencode({"filter": f, "limit": 1})
            status, _, body = get(f"{url}/v1/{path}?{q}", key)
            accepted = status == 200
            if status not in (200, 400):
                fail(f"/{path} filter {f!r}: HTTP {status}")
            if bool(pattern.search(f)) != accepted:
                fail(f"/{path} filter {f!r}: pattern says {bool(pattern.search(f))}, toky-mock says {status}")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
    for f in failures:
        print(f"FAIL {f}")
    print(f"openapi document checks: {'ok' if not failures else f'{len(failures)} failed'}")
    sys.exit(1 if failures else 0)
