"""Every request `plancc compile --emit http` prints for examples/ verifies under botocore's
SigV4 implementation (long-term and temporary credentials, several partitions)."""
import subprocess
import sys

import pytest

from conftest import ROOT, clean_env

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize("region,token", [
    ("us-east-1", None),
    ("eu-west-1", "FwoGZXIvYXdzEXAMPLE/token+x=="),
    ("cn-north-1", None),
    ("us-gov-west-1", "another-session-token"),
])
def test_examples_verify_under_botocore(plancc, region, token):
    env = clean_env(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION=region)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    http = subprocess.run([plancc, "compile", "examples", "--emit", "http"], cwd=ROOT, env=env,
                          capture_output=True, check=True).stdout
    assert SECRET.encode() not in http
    check = subprocess.run([sys.executable, ROOT / "scripts/sigv4/verify_http_with_botocore.py", "-"],
                           input=http, capture_output=True, env=env)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    assert b"5 passed, 0 failed" in check.stdout


def test_a_tampered_request_fails_under_botocore(plancc):
    env = clean_env(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION="us-east-1")
    http = subprocess.run([plancc, "compile", "examples/web/web-prod.plan.yaml", "--emit", "http"], cwd=ROOT, env=env,
                          capture_output=True, check=True).stdout
    tampered = http.replace(b'"web-prod"', b'"web-prox"', 1)
    check = subprocess.run([sys.executable, ROOT / "scripts/sigv4/verify_http_with_botocore.py", "-"],
                           input=tampered, capture_output=True, env=env)
    assert check.returncode == 1
