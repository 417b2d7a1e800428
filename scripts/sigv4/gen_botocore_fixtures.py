#!/usr/bin/env python3
"""Generate SigV4 reference fixtures with botocore for plancc's Swift signer.

Signs CreateProvisionedProductPlan requests with botocore's own ``SigV4Auth.add_auth``
(the code path the AWS CLI and boto3 use) under a frozen clock, and records for each
request the inputs (method, path, query, headers, body, credentials, region, service,
time) and every intermediate output (canonical request, string to sign, signature,
signed headers, Authorization header, final header list).

The bodies are compact canonical JSON, as plancc writes them: keys sorted, no
insignificant whitespace, non-ASCII written as UTF-8.

Everything is deterministic (no randomness, no real clock), so re-running the script
gives a byte-identical file. Usage:

    python3 scripts/sigv4/gen_botocore_fixtures.py            # writes the default file
    python3 scripts/sigv4/gen_botocore_fixtures.py --out -    # prints to stdout
    python3 scripts/sigv4/gen_botocore_fixtures.py --check    # fails if the file is stale

The Swift test Tests/SigV4Tests/BotocoreFixtureTests.swift checks the committed output,
so the Swift tests never need Python.
"""

import argparse
import base64
import datetime
import json
import os
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SigV4Tests", "Fixtures", "botocore.json")

SERVICE = "servicecatalog"
TARGET = "AWS242ServiceCatalogService.CreateProvisionedProductPlan"
CONTENT_TYPE = "application/x-amz-json-1.1"
USER_AGENT = "plancc/0.1 (fixture)"

# Example credentials only (AWS documentation examples); none of these is a real key.
CREDENTIALS = [
    ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("ASIAQXAMPLE2EXAMPLEZ", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
]
SESSION_TOKENS = [
    "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
    # The STS example token from AWS's test suite: contains '/', '+' and '='.
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpS"
    "PfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7"
    "WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FD"
    "rypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==",
]

# (name, region, endpoint URL). botocore derives the Host header from the URL: lowercased,
# default port dropped, any other port kept.
ENDPOINTS = [
    ("us-east-1", "us-east-1", "https://servicecatalog.us-east-1.amazonaws.com"),
    ("eu-west-1", "eu-west-1", "https://servicecatalog.eu-west-1.amazonaws.com"),
    ("ap-southeast-2", "ap-southeast-2", "https://servicecatalog.ap-southeast-2.amazonaws.com"),
    ("cn-north-1", "cn-north-1", "https://servicecatalog.cn-north-1.amazonaws.com.cn"),
    ("us-gov-west-1", "us-gov-west-1", "https://servicecatalog.us-gov-west-1.amazonaws.com"),
    ("fips-us-east-1", "us-east-1", "https://servicecatalog-fips.us-east-1.amazonaws.com"),
    ("local-port", "us-east-1", "http://127.0.0.1:4566"),
    ("custom-path", "eu-west-1", "https://localhost:8443/custom/"),
    ("default-port", "us-west-2", "https://servicecatalog.us-west-2.amazonaws.com:443"),
]

TIMES = [
    "2015-08-30T12:36:00Z",
    "2024-02-29T23:59:59Z",
    "2026-01-01T00:00:00Z",
    "1999-12-31T23:59:59Z",
]

LONG_VALUE = "v" * 4000
LONG_UNICODE = "\u00e9\u65e5\U0001F680" * 300


def base_plan(name, **extra):
    body = {
        "IdempotencyToken": "00000000-0000-4000-8000-%012d" % (len(name) * 7919 % 10**12),
        "PlanName": name,
        "PlanType": "CLOUDFORMATION",
        "ProductId": "prod-abcdefghijklm",
        "ProvisionedProductName": "pp-" + name.encode("ascii", "ignore").decode()[:20],
        "ProvisioningArtifactId": "pa-abcdefghijklm",
    }
    body.update(extra)
    return body


def params(*pairs):
    return [{"Key": k, "Value": v} for k, v in pairs]


BODIES = [
    ("minimal", base_plan("minimal")),
    ("empty-object", {}),
    ("params", base_plan("params", ProvisioningParameters=params(("InstanceType", "t3.micro"), ("KeyName", "ops")))),
    ("empty-lists", base_plan("empty-lists", ProvisioningParameters=[], Tags=[], NotificationArns=[])),
    ("unicode-tags", base_plan("unicode-tags", Tags=params(("\u00c9quipe", "Donn\u00e9es"), ("\u90e8\u7f72", "\u672c\u756a\u74b0\u5883"), ("team\U0001F680", "\U0001F9EA\u200d")))),
    ("combining", base_plan("combining", Tags=params(("cafe\u0301", "n\u0303o"), ("Zero\u200bWidth", "\ufeffbom")))),
    ("long-value", base_plan("long-value", Tags=params(("Long", LONG_VALUE)))),
    ("long-unicode", base_plan("long-unicode", Tags=params(("LongUnicode", LONG_UNICODE)))),
    ("escapes", base_plan("escapes", ProvisioningParameters=params(("Quote", 'say "hi"'), ("Backslash", "C:\\path\\x"), ("Newline", "a\nb\tc"), ("Control", "\u0001\u001f")))),
    ("notification-arns", base_plan("notification-arns", NotificationArns=["arn:aws:sns:us-east-1:123456789012:topic-a", "arn:aws:sns:us-east-1:123456789012:topic-b"])),
    ("path-id", base_plan("path-id", PathId="lpv2-abcdefghijklm", ProvisioningParameters=params(("Empty", ""), ("Spaces", "  padded  ")))),
    ("use-previous", base_plan("use-previous", ProvisioningParameters=[{"Key": "Env", "UsePreviousValue": True}, {"Key": "Size", "Value": "10"}])),
    ("many-tags", base_plan("many-tags", Tags=params(*[("k%02d" % i, "value-%02d" % i) for i in range(50)]))),
    ("accept-language", dict(base_plan("accept-language"), AcceptLanguage="jp")),
    ("unicode-plan-name", base_plan("\u8a08\u753b-\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9")),
]


def canonical_json(value):
    """Compact canonical JSON: sorted keys, no whitespace, UTF-8 (not \\u escapes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class RecordingSigV4Auth(SigV4Auth):
    """botocore's SigV4Auth, unchanged, remembering what each step returned."""

    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign

    def signature(self, string_to_sign, request):
        self.recorded_signature = super().signature(string_to_sign, request)
        return self.recorded_signature


def frozen(iso):
    moment = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment)


def sign_case(index, body_name, body_value, endpoint, time_iso, creds, token, with_user_agent):
    endpoint_name, region, url = endpoint
    access_key, secret_key = creds
    body = canonical_json(body_value)
    headers = [("X-Amz-Target", TARGET), ("Content-Type", CONTENT_TYPE)]
    if with_user_agent:
        headers.append(("User-Agent", USER_AGENT))
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    auth = RecordingSigV4Auth(Credentials(access_key, secret_key, token), SERVICE, region)
    with frozen(time_iso):
        auth.add_auth(request)

    host = botocore.auth._host_from_url(request.url)
    split = botocore.compat.urlsplit(request.url)
    path = split.path or "/"
    signed_headers = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    # The Host header plancc sends is the one botocore's HTTP layer would send.
    input_headers = [["Host", host]] + [[k, v] for k, v in headers]
    assert "\nhost:%s\n" % host in auth.recorded_canonical_request, (host, auth.recorded_canonical_request)
    name = "%02d-%s-%s-%s%s" % (index, body_name, endpoint_name, time_iso[:10], "-token" if token else "")
    return {
        "name": name,
        "input": {
            "method": "POST",
            "url": url,
            "path": path,
            "query": split.query,
            "headers": input_headers,
            "body_base64": base64.b64encode(body).decode("ascii"),
            "body_utf8": body.decode("utf-8"),
            "credentials": {
                "access_key_id": access_key,
                "secret_access_key": secret_key,
                "session_token": token,
            },
            "region": region,
            "service": SERVICE,
            "time": time_iso,
        },
        "output": {
            "canonical_request": auth.recorded_canonical_request,
            "string_to_sign": auth.recorded_string_to_sign,
            "signature": auth.recorded_signature,
            "signed_headers": signed_headers,
            "authorization": request.headers["Authorization"],
            # Headers after add_auth, in botocore's order (Host is added later by the HTTP layer).
            "headers": [[k, v] for k, v in request.headers.items()],
        },
    }


def generate():
    cases = []
    # Every body with every endpoint would be 135 requests per time; walk them with
    # co-prime strides instead so each body, endpoint, time, credential and token choice
    # appears many times in different combinations.
    count = 72
    for i in range(count):
        body_name, body_value = BODIES[i % len(BODIES)]
        endpoint = ENDPOINTS[(i * 4 + i // len(ENDPOINTS)) % len(ENDPOINTS)]
        time_iso = TIMES[(i // 2) % len(TIMES)]
        creds = CREDENTIALS[i % len(CREDENTIALS)]
        token = SESSION_TOKENS[(i // 2) % len(SESSION_TOKENS)] if i % 2 == 1 else None
        with_user_agent = i % 3 == 0
        cases.append(sign_case(i, body_name, body_value, endpoint, time_iso, creds, token, with_user_agent))
    return {
        "about": "SigV4 signatures made by botocore's SigV4Auth.add_auth with a frozen clock. "
        "Generated by scripts/sigv4/gen_botocore_fixtures.py; do not edit by hand. "
        "All credentials are AWS documentation examples, not real keys.",
        "botocore_version": botocore.__version__,
        "cases": cases,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=DEFAULT_OUT, help="output file, or - for stdout (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare with the existing file instead of writing it")
    args = parser.parse_args()
    text = json.dumps(generate(), indent=1, ensure_ascii=False) + "\n"
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            if f.read() != text:
                print("%s is stale: re-run %s" % (args.out, sys.argv[0]), file=sys.stderr)
                return 1
        print("%s is up to date" % args.out)
        return 0
    if args.out == "-":
        sys.stdout.write(text)
    else:
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote %d cases to %s" % (len(json.loads(text)["cases"]), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
