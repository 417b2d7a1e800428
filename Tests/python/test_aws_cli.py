"""The AWS CLI (v1, botocore's reference implementation) accepts plancc's canonical JSON as is,
and sends exactly that request body (compared as parsed JSON) to an endpoint."""
import http.server
import json
import subprocess
import threading

from conftest import ROOT, clean_env


def compiled(plancc, tmp_path):
    out = tmp_path / "out"
    subprocess.run([plancc, "compile", "examples", "--out", out], cwd=ROOT, check=True, env=clean_env())
    files = sorted(out.glob("*.json"))
    assert len(files) == 5
    return files


def aws(*args, **env):
    base = clean_env(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret/EXAMPLE",
                     AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
                     AWS_SHARED_CREDENTIALS_FILE="/dev/null", **env)
    return subprocess.run(["aws", "servicecatalog", "create-provisioned-product-plan", *args],
                          capture_output=True, text=True, env=base, timeout=120)


def test_cli_validates_every_request(plancc, tmp_path):
    for f in compiled(plancc, tmp_path):
        r = aws("--cli-input-json", f"file://{f}", "--generate-cli-skeleton", "output")
        assert r.returncode == 0, f"{f.name}: {r.stderr}"


def test_cli_rejects_a_broken_request(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"PlanName": "p", "PlanType": "CLOUDFORMATION"}))
    r = aws("--cli-input-json", f"file://{bad}", "--generate-cli-skeleton", "output")
    assert r.returncode != 0 and "ProductId" in r.stderr


class Recorder(http.server.BaseHTTPRequestHandler):
    bodies = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.bodies.append((self.headers["X-Amz-Target"], body))
        answer = json.dumps({"PlanId": "pp-recorded", "PlanName": "x"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def test_cli_sends_the_same_body(plancc, tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for f in compiled(plancc, tmp_path):
            Recorder.bodies.clear()
            r = aws("--cli-input-json", f"file://{f}", "--endpoint-url", f"http://127.0.0.1:{server.server_port}")
            assert r.returncode == 0, r.stderr
            assert len(Recorder.bodies) == 1
            target, body = Recorder.bodies[0]
            assert target == "AWS242ServiceCatalogService.CreateProvisionedProductPlan"
            assert json.loads(body) == json.loads(f.read_bytes()), f.name
    finally:
        server.shutdown()
