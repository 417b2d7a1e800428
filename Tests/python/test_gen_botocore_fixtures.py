"""The committed botocore fixtures are exactly what scripts/sigv4/gen_botocore_fixtures.py makes."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "sigv4", "gen_botocore_fixtures.py")


def test_committed_fixtures_are_up_to_date():
    result = subprocess.run([sys.executable, SCRIPT, "--check"], capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()


def test_stale_fixtures_are_detected(tmp_path):
    stale = tmp_path / "botocore.json"
    stale.write_text("{}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, SCRIPT, "--check", "--out", str(stale)], capture_output=True, timeout=300)
    assert result.returncode == 1
    assert b"is stale" in result.stderr
