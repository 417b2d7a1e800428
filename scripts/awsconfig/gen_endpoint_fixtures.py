#!/usr/bin/env python3
"""Asks botocore where Service Catalog and STS requests go, for a table of regions x FIPS x
dual-stack, and writes Tests/AWSConfigTests/Fixtures/endpoints.json.

Each request is captured just before it would be sent (nothing leaves the machine): the URL
and the region of the SigV4 credential scope. Rows where botocore refuses the combination
carry the error text instead. The partition table is written too, so the Swift test can check
that its copy of partitions.json matches.

Run:  python3 scripts/awsconfig/gen_endpoint_fixtures.py
"""
import json
import os
import re
import sys
import tempfile

import botocore
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

REGIONS = [
    "us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-southeast-7", "mx-central-1",
    "ca-west-1", "il-central-1", "sa-east-1", "af-south-1",
    "cn-north-1", "cn-northwest-1", "cn-south-9",
    "us-gov-west-1", "us-gov-east-1",
    "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1",
    "aws-global", "xx-unknown-1", "eu-future-9", "us-gov-1",
    "fips-us-east-1", "us-east-1-fips", "fips-us-gov-west-1", "cn-north-1-fips",
]


class _Capture(Exception):
    pass


class _Raw:
    def stream(self, **kwargs):
        yield b""


def resolve(session, service, region, fips, dualstack):
    config = Config(use_fips_endpoint=fips, use_dualstack_endpoint=dualstack, retries={"max_attempts": 0})
    try:
        client = session.create_client(
            service, region_name=region, config=config,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret")
    except Exception as error:  # botocore refuses the region itself
        return {"error": f"{type(error).__name__}: {error}"}
    captured = {}

    def hook(request, **kwargs):
        captured["url"] = request.url
        auth = request.headers.get("Authorization", b"")
        if isinstance(auth, bytes):
            auth = auth.decode()
        match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request", auth)
        if match:
            captured["signingRegion"] = match.group(1)
            captured["signingName"] = match.group(2)
        raise _Capture()

    client.meta.events.register("before-send", hook)
    try:
        if service == "servicecatalog":
            client.list_portfolios()
        else:
            client.assume_role(RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="fixture")
    except _Capture:
        pass
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return captured


def main():
    home = tempfile.mkdtemp()
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["HOME"] = home
    os.environ["AWS_CONFIG_FILE"] = os.path.join(home, "none")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(home, "none")
    session = botocore.session.Session()
    rows = []
    for service in ["servicecatalog", "sts"]:
        for region in REGIONS:
            for fips in (False, True):
                for dualstack in (False, True):
                    row = {"service": service, "region": region, "fips": fips, "dualstack": dualstack}
                    row.update(resolve(session, service, region, fips, dualstack))
                    rows.append(row)
    loader = session.get_component("data_loader")
    partitions = []
    for partition in loader.load_data("partitions")["partitions"]:
        outputs = partition["outputs"]
        partitions.append({
            "id": partition["id"],
            "regionRegex": partition["regionRegex"],
            "regions": sorted(partition["regions"].keys()),
            "dnsSuffix": outputs["dnsSuffix"],
            "dualStackDnsSuffix": outputs["dualStackDnsSuffix"],
            "supportsFIPS": outputs["supportsFIPS"],
            "supportsDualStack": outputs["supportsDualStack"],
            "implicitGlobalRegion": outputs["implicitGlobalRegion"],
        })
    out = {
        "generator": "scripts/awsconfig/gen_endpoint_fixtures.py",
        "botocore": botocore.__version__,
        "partitions": partitions,
        "rows": rows,
    }
    target = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "AWSConfigTests", "Fixtures", "endpoints.json")
    with open(os.path.normpath(target), "w") as handle:
        json.dump(out, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"wrote {len(rows)} rows to {os.path.normpath(target)}", file=sys.stderr)


if __name__ == "__main__":
    main()
