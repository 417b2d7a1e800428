#!/usr/bin/env python3
"""Asks botocore how it reads a set of shared config and credentials files, and writes
Tests/AWSConfigTests/Fixtures/config_parsing.json.

For each case: the config file text as botocore's `load_config` sees it (profiles and services
sections) or the error class it raises, and the credentials file as `raw_config_parse` sees it.

Run:  python3 scripts/awsconfig/gen_config_fixtures.py
"""
import json
import os
import sys
import tempfile

import botocore
import botocore.configloader
import botocore.exceptions

CASES = {
    "basic": "[default]\nregion = us-east-1\noutput=json\n\n[profile ci]\nregion=eu-west-1\n",
    "comments": "# leading comment\n; another\n[default]\n  # indented comment\nregion = us-west-2 # not a comment\nkey: colon-value\n",
    "case_and_space": "[default]\n  Region   =   ap-south-1  \nAWS_Access_Key_ID = AKID\n",
    "continuation": "[default]\nregion = us-east-1\nnote = first\n   second\n\n   third\n",
    "nested_services": (
        "[profile dev]\nservices = local\n\n[services local]\nservice_catalog =\n  endpoint_url = http://127.0.0.1:4566\n"
        "  # comment inside\n  Other_Key = v\nsts =\n endpoint_url = http://127.0.0.1:4567\n"
    ),
    "quoted_profile": "[profile \"my profile\"]\nregion = eu-north-1\n[profile 'single q']\nregion = eu-south-1\n",
    "not_profiles": "[preview]\nx = 1\n[profile]\nregion = a\n[profile a b]\nregion = b\n[profilefoo bar]\nregion = c\n",
    "default_both": "[default]\nregion = one\n[profile default]\nregion = two\n",
    "defaults_section": "[DEFAULT]\nregion = from-defaults\n[default]\noutput = json\n[profile x]\nregion = own\n",
    "crlf": "[default]\r\nregion = us-east-2\r\n[profile p]\r\nregion = eu-west-3\r\n",
    "empty_value": "[default]\nregion =\noutput = \n",
    "equals_in_value": "[default]\ncredential_process = /bin/echo a=b c:d\nweb = x == y\n",
    "duplicate_section": "[default]\nregion = a\n[default]\nregion = b\n",
    "duplicate_key": "[default]\nregion = a\nregion = b\n",
    "key_before_section": "region = a\n[default]\n",
    "bogus_line": "[default]\nthis line has no delimiter\n",
    "nested_without_equals": "[services s]\nsts =\n  endpoint_url\n",
    "empty_key": "[default]\n= value\n",
    "unicode": "[profile ünï]\nregion = eu-central-1\nnote = ✓ ok\n",
    "header_trailing_text": "[default] trailing\nregion = x\n",
    "bracket_in_header": "[profile a]b]\nregion = x\n",
    "tabs": "[default]\nregion\t=\tus-east-1\nnested =\n\tendpoint_url = http://x\n",
}


def to_jsonable(value):
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def main():
    tmp = tempfile.mkdtemp()
    results = {}
    for name, text in sorted(CASES.items()):
        path = os.path.join(tmp, name)
        with open(path, "w", newline="") as handle:
            handle.write(text)
        entry = {"text": text}
        try:
            loaded = botocore.configloader.load_config(path)
            entry["profiles"] = to_jsonable(loaded["profiles"])
            entry["services"] = to_jsonable(loaded["services"])
        except botocore.exceptions.BotoCoreError as error:
            entry["error"] = type(error).__name__
        try:
            entry["raw"] = to_jsonable(botocore.configloader.raw_config_parse(path))
        except botocore.exceptions.BotoCoreError as error:
            entry["rawError"] = type(error).__name__
        results[name] = entry
    out = {"generator": "scripts/awsconfig/gen_config_fixtures.py", "botocore": botocore.__version__, "cases": results}
    target = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "AWSConfigTests", "Fixtures", "config_parsing.json")
    with open(os.path.normpath(target), "w") as handle:
        json.dump(out, handle, indent=1, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
    print(f"wrote {len(results)} cases to {os.path.normpath(target)}", file=sys.stderr)


if __name__ == "__main__":
    main()
