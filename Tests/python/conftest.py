"""Shared helpers for the Python-side checks: where the repository and the built binary are."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def plancc_binary() -> pathlib.Path:
    override = os.environ.get("PLANCC_BIN")
    if override:
        return pathlib.Path(override)
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True)
    return pathlib.Path(out.stdout.strip()) / "plancc"


@pytest.fixture(scope="session")
def plancc():
    binary = plancc_binary()
    if not binary.exists():
        pytest.fail(f"{binary} is missing: run `swift build` first (scripts/test does)")
    return binary


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "PLANCC_TOKEN_SALT"}
    env["NO_COLOR"] = "1"
    env["AWS_EC2_METADATA_DISABLED"] = "true"  # never reach for a real instance metadata service
    env["HOME"] = "/nonexistent-home"
    env.update(extra)
    return env
