"""The shipped .pre-commit-hooks.yaml works with the real pre-commit tool: the plancc-lint hook
passes clean specs and fails (with the diagnostics) on broken ones."""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, clean_env

GOOD = (ROOT / "examples/web/web-prod.plan.yaml").read_text()
BAD = GOOD.replace("ProductId: prod-webapp4xqv2ab", "ProductId: prod webapp!")


@pytest.fixture
def repo(tmp_path, plancc):
    if shutil.which("pre-commit") is None:
        pytest.fail("pre-commit is not installed (pip install pre-commit; .ci/run does)")
    env = clean_env(PATH=f"{plancc.parent}{os.pathsep}{os.environ['PATH']}",
                    PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_CONFIG_NOSYSTEM="1")
    work = tmp_path / "specs-repo"
    work.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    (work / "notes.yaml").write_text("not: [a spec\n")  # not *.plan.yaml: the hook must skip it
    return work, env


def try_repo(work, env, *files):
    return subprocess.run(["pre-commit", "try-repo", str(ROOT), "plancc-lint", "--files", *files],
                          cwd=work, capture_output=True, text=True, env=env, timeout=300)


def test_hook_passes_clean_specs(repo):
    work, env = repo
    (work / "web.plan.yaml").write_text(GOOD)
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    r = try_repo(work, env, "web.plan.yaml", "notes.yaml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "plancc lint" in r.stdout and "Passed" in r.stdout


def test_hook_fails_broken_specs(repo):
    work, env = repo
    (work / "web.plan.yaml").write_text(BAD)
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    r = try_repo(work, env, "web.plan.yaml")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Failed" in r.stdout
    assert "web.plan.yaml:8:12: error: 'ProductId' 'prod webapp!' contains a space" in r.stdout
