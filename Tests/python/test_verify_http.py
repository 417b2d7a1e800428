"""Self-test of scripts/sigv4/verify_http_with_botocore.py (run: python3 -m pytest Tests/python).

Messages are produced here by botocore itself (and from the committed botocore fixtures), so
a correct checker must accept them, and must reject the same messages once tampered with.
"""

import datetime
import json
import os
import subprocess
import sys
from collections import defaultdict
from unittest import mock

import pytest

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "sigv4", "verify_http_with_botocore.py")
FIXTURES = os.path.join(ROOT, "Tests", "SigV4Tests", "Fixtures", "botocore.json")

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLE/session+token=="
TARGET = "AWS242ServiceCatalogService.CreateProvisionedProductPlan"


def botocore_message(body, host="servicecatalog.us-east-1.amazonaws.com", region="us-east-1",
                     token=None, when="2015-08-30T12:36:00Z", path="/", eol=b"\r\n"):
    """A request signed by botocore, rendered as plancc renders one (Host first, Content-Length last)."""
    scheme = "http" if host.startswith("127.") else "https"
    request = AWSRequest(method="POST", url="%s://%s%s" % (scheme, host, path), data=body, headers={
        "X-Amz-Target": TARGET,
        "Content-Type": "application/x-amz-json-1.1",
        "User-Agent": "plancc/0.1",
    })
    moment = datetime.datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment):
        SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, token), "servicecatalog", region).add_auth(request)
    headers = [("Host", host)] + list(request.headers.items()) + [
        ("amz-sdk-invocation-id", "5a7c1e0e-0000-4000-8000-000000000001"),
        ("amz-sdk-request", "attempt=1; max=3"),
        ("Content-Length", str(len(body))),
    ]
    head = ["POST %s HTTP/1.1" % path] + ["%s: %s" % h for h in headers]
    return eol.join(line.encode("utf-8") for line in head) + eol + eol + body


def run(stdin=None, files=(), token=None, secret=SECRET_KEY, extra=()):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=secret)
    env.pop("AWS_SESSION_TOKEN", None)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    result = subprocess.run([sys.executable, SCRIPT, *extra, *files], input=stdin, env=env,
                            capture_output=True, timeout=120)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


BODY = '{"PlanName":"p\u00e9","PlanType":"CLOUDFORMATION","Tags":[{"Key":"\u65e5","Value":"\U0001F680"}]}'.encode()


def test_accepts_a_botocore_message_from_a_file(tmp_path):
    path = tmp_path / "one.http"
    path.write_bytes(botocore_message(BODY))
    code, out, err = run(files=[str(path)])
    assert code == 0, out + err
    assert out.strip().endswith("1 passed, 0 failed")


def test_rejects_a_tampered_body():
    message = botocore_message(BODY)
    tampered = message.replace(b'"PlanName":"p', b'"PlanName":"q')
    assert tampered != message and len(tampered) == len(message)
    code, out, _ = run(stdin=tampered)
    assert code == 1
    assert "FAIL message 1" in out and "Authorization differs from botocore's" in out
    assert out.strip().endswith("0 passed, 1 failed")


def test_stream_with_token_mixed_line_endings_and_endpoints():
    stream = b"".join([
        botocore_message(BODY, token=TOKEN),
        botocore_message(b"{}", token=TOKEN, eol=b"\n", host="127.0.0.1:4566", when="2024-02-29T23:59:59Z"),
        botocore_message(BODY, token=TOKEN, host="localhost:8443", path="/custom/", region="eu-west-1"),
        botocore_message(BODY, token=TOKEN, host="servicecatalog.cn-north-1.amazonaws.com.cn", region="cn-north-1"),
    ])
    code, out, err = run(stdin=stream, token=TOKEN)
    assert code == 0, out + err
    assert out.strip().endswith("4 passed, 0 failed")


def test_one_bad_message_in_a_stream_fails_the_run():
    good = botocore_message(BODY)
    bad = botocore_message(BODY).replace(b"CreateProvisionedProductPlan", b"DeleteProvisionedProductPlan")
    code, out, _ = run(stdin=good + bad + good)
    assert code == 1
    assert "FAIL message 2" in out
    assert out.strip().endswith("2 passed, 1 failed")


def test_wrong_secret_or_missing_token_fails():
    assert run(stdin=botocore_message(BODY), secret="not-the-secret")[0] == 1
    assert run(stdin=botocore_message(BODY, token=TOKEN))[0] == 1


def test_secrets_are_not_printed_on_failure():
    bad = botocore_message(BODY, token=TOKEN).replace(b"p\xc3\xa9", b"pe\xcc\x81"[:3])
    code, out, err = run(stdin=bad, token=TOKEN)
    assert code == 1
    assert SECRET_KEY not in out + err
    assert TOKEN not in out + err


@pytest.mark.parametrize("stream, needle", [
    (botocore_message(BODY)[:-3], "shorter than Content-Length"),
    (botocore_message(BODY).replace(b"Content-Length", b"X-Length"), "no Content-Length"),
    (b"GARBAGE\r\n\r\n", "bad request line"),
    (b"", "no HTTP messages"),
])
def test_malformed_input_is_an_error(stream, needle):
    code, out, err = run(stdin=stream)
    assert code == 2
    assert needle in err


def test_missing_credentials_is_a_usage_error():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run([sys.executable, SCRIPT], input=b"", env=env, capture_output=True, timeout=120)
    assert result.returncode == 2
    assert b"credentials are needed" in result.stderr


def test_every_committed_botocore_fixture_passes(tmp_path):
    """The Swift fixture file, rendered as HTTP, checks out with botocore (one run per key)."""
    with open(FIXTURES, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    groups = defaultdict(list)
    for case in cases:
        c = case["input"]["credentials"]
        body = case["input"]["body_utf8"].encode("utf-8")
        headers = [("Host", case["input"]["headers"][0][1])] + [tuple(h) for h in case["output"]["headers"]]
        headers.append(("Content-Length", str(len(body))))
        head = ["POST %s HTTP/1.1" % case["input"]["path"]] + ["%s: %s" % h for h in headers]
        groups[(c["access_key_id"], c["secret_access_key"], c["session_token"])].append(
            "\r\n".join(head).encode("utf-8") + b"\r\n\r\n" + body)
    total = 0
    for (key_id, secret, token), messages in groups.items():
        env = dict(os.environ, AWS_ACCESS_KEY_ID=key_id, AWS_SECRET_ACCESS_KEY=secret)
        env.pop("AWS_SESSION_TOKEN", None)
        if token:
            env["AWS_SESSION_TOKEN"] = token
        result = subprocess.run([sys.executable, SCRIPT, "--quiet"], input=b"".join(messages), env=env,
                                capture_output=True, timeout=300)
        assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
        assert result.stdout.decode().strip().endswith("%d passed, 0 failed" % len(messages))
        total += len(messages)
    assert total == len(cases) >= 60
