"""On a terminal, lint draws the source line with a caret under each finding, in colour
unless NO_COLOR is set; in a pipe it prints the plain one-line form only."""
import os
import pty
import subprocess

from conftest import ROOT, clean_env

SPEC = "Tests/PlanCoreTests/Fixtures/bad/parameters.yaml"


def run_on_terminal(plancc, env):
    main, child = pty.openpty()
    p = subprocess.Popen([plancc, "lint", SPEC], cwd=ROOT, stdout=child, stderr=subprocess.DEVNULL, env=env)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return p.wait(), out.decode().replace("\r\n", "\n")


def test_caret_snippet_on_a_terminal(plancc):
    status, out = run_on_terminal(plancc, clean_env())
    assert status == 1
    assert out.startswith(
        f"{SPEC}:9:10: error: duplicate parameter key 'Size' (first at 7:10) [PC4001]\n"
        "  - Key: Size\n"
        "         ^\n")


def test_colour_unless_no_color(plancc):
    env = clean_env()
    del env["NO_COLOR"]
    env["TERM"] = "xterm"
    status, out = run_on_terminal(plancc, env)
    assert status == 1
    assert "\x1b[1;31merror:\x1b[0m" in out


def test_plain_in_a_pipe(plancc):
    r = subprocess.run([plancc, "lint", SPEC], cwd=ROOT, capture_output=True, text=True, env=clean_env())
    assert r.returncode == 1
    assert "^" not in r.stdout and "\x1b" not in r.stdout
