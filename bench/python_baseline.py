"""What a team would script instead of plancc lint: PyYAML's libyaml loader plus botocore's
parameter validation of CreateProvisionedProductPlan, over every *.yaml file given."""
import pathlib
import sys

import botocore.session
import yaml
from botocore.validate import ParamValidator

model = botocore.session.get_session().get_service_model("servicecatalog")
shape = model.operation_model("CreateProvisionedProductPlan").input_shape
validator = ParamValidator()


def as_api(doc):
    """Map forms to the API's list forms, as a script would before validating."""
    doc = dict(doc)
    if isinstance(doc.get("Tags"), dict):
        doc["Tags"] = [{"Key": str(k), "Value": str(v)} for k, v in doc["Tags"].items()]
    params = doc.get("ProvisioningParameters")
    if isinstance(params, dict):
        out = []
        for k, v in params.items():
            out.append({"Key": str(k), **v} if isinstance(v, dict) else {"Key": str(k), "Value": str(v)})
        doc["ProvisioningParameters"] = out
    doc.setdefault("IdempotencyToken", "t")
    return doc


files = errors = 0
for root in sys.argv[1:]:
    for path in sorted(pathlib.Path(root).rglob("*.y*ml")):
        files += 1
        with path.open("rb") as f:
            for doc in yaml.load_all(f, Loader=yaml.CSafeLoader):
                if doc is None:
                    continue
                report = validator.validate(as_api(doc), shape)
                if report.has_errors():
                    errors += 1
print(f"{files} files, {errors} invalid documents")
