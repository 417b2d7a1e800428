#!/usr/bin/env python3
"""Drive plancc-emulator with botocore (the AWS SDK for Python), as a smoke test.

    plancc-emulator --catalog examples/emulator/catalog.yaml --port 4566 &
    python3 examples/emulator/try-with-botocore.py http://127.0.0.1:4566

Every request is signed by botocore with the demo catalog's access key, so this also checks
the emulator's SigV4 verification against the reference implementation. Talks only to the
URL given (use a loopback address).
"""
import sys
import urllib.request

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4566"


def client(key="AKIDEMULATOREXAMPLE", secret="emulator/secret/EXAMPLEKEY", token=None):
    return botocore.session.get_session().create_client(
        "servicecatalog", region_name="us-east-1", endpoint_url=URL,
        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
        config=Config(retries={"max_attempts": 1}))


def error(call, **kw):
    try:
        call(**kw)
        return "OK"
    except ClientError as e:
        return e.response["Error"]["Code"]


def main():
    sc = client()
    paths = sc.list_launch_paths(ProductId="prod-datapipe9k2m4")["LaunchPathSummaries"]
    assert [p["Name"] for p in paths] == ["Data Team", "Analytics"], paths

    plan = sc.create_provisioned_product_plan(
        PlanName="web-prod", PlanType="CLOUDFORMATION", ProductId="prod-webapp4xqv2ab",
        ProvisioningArtifactId="pa-webapp7zk3v2", ProvisionedProductName="web-prod-botocore",
        ProvisioningParameters=[{"Key": "InstanceType", "Value": "t3.large"}],
        Tags=[{"Key": "environment", "Value": "production"}])
    print("created", plan["PlanId"], "for", plan["ProvisionProductId"])

    changes, token = [], None
    while True:
        kw = {"PlanId": plan["PlanId"], **({"PageToken": token} if token else {})}
        page = sc.describe_provisioned_product_plan(**kw)
        status = page["ProvisionedProductPlanDetails"]["Status"]
        changes += page["ResourceChanges"]
        token = page.get("NextPageToken")
        if not token:
            break
    print("plan", status, "with", len(changes), "resource changes")

    if status == "CREATE_SUCCESS":
        record = sc.execute_provisioned_product_plan(PlanId=plan["PlanId"])["RecordDetail"]
        print("executing, record", record["RecordId"])
        detail = sc.describe_provisioned_product(Name="web-prod-botocore")["ProvisionedProductDetail"]
        print("provisioned product", detail["Status"])
        sc.delete_provisioned_product_plan(PlanId=plan["PlanId"])

    assert error(sc.describe_provisioned_product_plan, PlanId="pp-doesnotexist") == "ResourceNotFoundException"
    assert error(client(secret="wrong").list_launch_paths, ProductId="prod-webapp4xqv2ab") == "InvalidSignatureException"
    assert error(client(key="AKIDUNKNOWN").list_launch_paths, ProductId="prod-webapp4xqv2ab") == "UnrecognizedClientException"
    print("stats", urllib.request.urlopen(URL + "/_emulator/stats").read().decode())


if __name__ == "__main__":
    main()
