#!/usr/bin/python3
"""Validates security-profiles-operator SeccompProfile resources (JSON)
against the CRD's OpenAPI v3 schema (tests/data/spo/), as the Kubernetes
API server would, with python3-jsonschema:

  spo_validate.py SCHEMA.json RESOURCE.json...

The CRD's schema says what a field may hold; the API server adds what
the schema implies for a structural schema (k8s.io/apiextensions-apiserver):
kubectl's default strict field validation refuses unknown fields, lists
marked x-kubernetes-list-type: set refuse duplicates, and format int32 /
int64 bound integers.  These are added here, and metadata is checked as
ObjectMeta is (name a DNS-1123 subdomain, annotations strings), since the
CRD leaves it to the server.  Prints one line per file; exit 1 if any is
invalid, 2 on bad usage.
"""
import copy
import json
import sys

import jsonschema

API_VERSIONS = ("security-profiles-operator.x-k8s.io/v1beta1",
                "security-profiles-operator.x-k8s.io/v1")
DNS1123_SUBDOMAIN = (r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                     r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def strict(node):
    """The schema as the API server applies it (see the module doc)."""
    if isinstance(node, list):
        return [strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: strict(v) for k, v in node.items()}
    if "properties" in out and not out.get("x-kubernetes-preserve-unknown-fields"):
        out.setdefault("additionalProperties", False)
    if out.get("x-kubernetes-list-type") == "set":
        out["uniqueItems"] = True
    return out


def with_object_meta(schema):
    s = copy.deepcopy(schema)
    s["required"] = sorted(set(s.get("required", [])) |
                           {"apiVersion", "kind", "metadata", "spec"})
    s["properties"]["apiVersion"]["enum"] = list(API_VERSIONS)
    s["properties"]["kind"]["enum"] = ["SeccompProfile"]
    s["properties"]["metadata"] = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 253,
                     "pattern": DNS1123_SUBDOMAIN},
            "annotations": {"type": "object",
                            "additionalProperties": {"type": "string"}},
            "labels": {"type": "object",
                       "additionalProperties": {"type": "string"}},
        },
        "additionalProperties": False,
    }
    return s


def format_checker():
    fc = jsonschema.FormatChecker()

    def bounded(bits):
        def check(v):
            if not isinstance(v, int) or isinstance(v, bool):
                return True  # "type" says what is wrong
            return -(1 << (bits - 1)) <= v < (1 << (bits - 1))
        return check
    fc.checks("int32")(bounded(32))
    fc.checks("int64")(bounded(64))
    return fc


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = with_object_meta(strict(json.load(f)))
    validator = jsonschema.Draft7Validator(schema, format_checker=format_checker())
    bad = 0
    for path in argv[2:]:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if not errors:
            print("valid: %s" % path)
            continue
        bad += 1
        for e in errors:
            where = ".".join(str(p) for p in e.path) or "(top)"
            print("invalid: %s: %s: %s" % (path, where, e.message))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
