"""The JSON Schema in schemas/ is a real draft-07 schema, every example validates against it,
and broken specs do not (so the check can fail)."""
import json
import pathlib

import jsonschema
import regex
import yaml

from conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "plan-spec.schema.json").read_text())


def unicode_pattern(validator, pattern, instance, schema):
    """JSON Schema patterns are ECMA-262 regexes with \\p{..} classes (as editors run them);
    Python's re lacks \\p, so check them with the `regex` module instead."""
    if isinstance(instance, str) and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": unicode_pattern})


def documents(path: pathlib.Path):
    with path.open("rb") as f:
        return [d for d in yaml.load_all(f, Loader=yaml.CSafeLoader) if d is not None]


def example_files():
    files = sorted((ROOT / "examples").rglob("*.plan.yaml"))
    assert len(files) >= 4
    return files


def test_schema_is_valid_draft07():
    # The metaschema requires every pattern to be a valid regex; check them as ECMA-262
    # regexes with \p{..} classes (the `regex` module), since Python's re lacks \p.
    formats = jsonschema.FormatChecker()
    formats.checks("regex", raises=regex.error)(lambda p: regex.compile(p) is not None)
    jsonschema.Draft7Validator(jsonschema.Draft7Validator.META_SCHEMA, format_checker=formats).validate(SCHEMA)
    bad = dict(SCHEMA, properties={"X": {"type": "string", "pattern": "[unclosed"}})
    assert list(jsonschema.Draft7Validator(jsonschema.Draft7Validator.META_SCHEMA, format_checker=formats).iter_errors(bad))


def test_every_example_validates():
    validator = Validator(SCHEMA)
    count = 0
    for path in example_files():
        for doc in documents(path):
            errors = sorted(validator.iter_errors(doc), key=str)
            assert errors == [], f"{path}: {[e.message for e in errors]}"
            count += 1
    assert count == 5


def test_good_fixtures_validate():
    validator = Validator(SCHEMA)
    for path in sorted((ROOT / "Tests/PlanCoreTests/Fixtures/good").glob("*.yaml")):
        for doc in documents(path):
            assert list(validator.iter_errors(doc)) == [], path


def test_broken_specs_fail():
    validator = Validator(SCHEMA)
    base = {"PlanName": "p", "PlanType": "CLOUDFORMATION", "ProductId": "prod-a",
            "ProvisioningArtifactId": "pa-a", "ProvisionedProductName": "pp"}
    bad = [
        {**base, "Tag": {"a": "b"}},
        {k: v for k, v in base.items() if k != "ProductId"},
        {**base, "ProductId": "bad id!"},
        {**base, "ProvisionedProductName": "-bad"},
        {**base, "PlanType": "cloudformation"},
        {**base, "AcceptLanguage": "ja"},
        {**base, "Tags": {f"k{i}": "v" for i in range(51)}},
        {**base, "Tags": {"AWS:team": "x"}},
        {**base, "Tags": {"team": ""}},
        {**base, "Tags": {"emoji": "🚀"}},
        {**base, "NotificationArns": ["x"] * 6},
        {**base, "ProvisioningParameters": [{"Key": "a", "Value": "1", "UsePreviousValue": True}]},
        {**base, "ProvisioningParameters": {"a": {"Value": "1", "UsePreviousValue": True}}},
    ]
    for doc in bad:
        assert list(validator.iter_errors(doc)) != [], doc
