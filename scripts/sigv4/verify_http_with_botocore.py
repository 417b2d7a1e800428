#!/usr/bin/env python3
"""Check SigV4-signed raw HTTP/1.1 requests against botocore.

Reads a stream of raw HTTP/1.1 request messages (as `plancc compile --emit http` writes
them): a request line, header lines, an empty line, then exactly Content-Length bytes of
body, one message after another. Lines may end in CRLF or LF.

For each message it rebuilds the request as botocore would hold it at signing time and
signs it again with botocore's own SigV4Auth.add_auth:

* URL: https://<Host header><request target>;
* the clock is frozen at the message's X-Amz-Date;
* region and service come from the credential scope of the message's Authorization header;
* credentials come from the options or the environment (AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN);
* headers that botocore only adds after signing are left out, as botocore's HTTP layer
  would add them later: Content-Length, amz-sdk-invocation-id, amz-sdk-request. The old
  Authorization, X-Amz-Date and X-Amz-Security-Token are replaced by add_auth itself.

The Authorization header botocore computes must equal the message's, byte for byte. A
message that carries X-Amz-Security-Token while no session token was given also fails
(botocore would sign that header as an ordinary one and agree, hiding the mistake).
Prints "N passed, M failed" and exits 0 only when every message matched; exits 1 on any
mismatch and 2 on input or usage errors (including an input with no message at all).
Secret keys and session tokens are never printed.

Usage:
    verify_http_with_botocore.py [FILE ...]          # '-' or no FILE reads stdin
      [--access-key-id ID] [--secret-access-key KEY] [--session-token TOKEN] [--quiet]
"""

import argparse
import datetime
import os
import sys
from unittest import mock

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

# Headers botocore adds after signing (so they are never in its canonical request).
ADDED_AFTER_SIGNING = {"content-length", "amz-sdk-invocation-id", "amz-sdk-request"}


class InputError(Exception):
    pass


class Message:
    def __init__(self, index, method, target, version, headers, body):
        self.index = index
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers  # [(name, value)] in order
        self.body = body

    def get(self, name):
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        if len(values) > 1:
            raise InputError("message %d: more than one %s header" % (self.index, name))
        return values[0] if values else None

    def label(self):
        return "message %d (%s %s, Host %s)" % (self.index, self.method, self.target, self.get("Host"))


def _read_line(data, pos, index):
    end = data.find(b"\n", pos)
    if end < 0:
        raise InputError("message %d: unexpected end of input in the header section" % index)
    line = data[pos:end]
    if line.endswith(b"\r"):
        line = line[:-1]
    return line.decode("utf-8"), end + 1


def parse_messages(data):
    """Splits a byte stream into Message objects. Raises InputError on malformed input."""
    messages = []
    pos = 0
    while pos < len(data):
        # Tolerate blank lines between messages (RFC 9112 §2.2).
        if data[pos:pos + 1] in (b"\r", b"\n"):
            pos += 1
            continue
        index = len(messages) + 1
        request_line, pos = _read_line(data, pos, index)
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            raise InputError("message %d: bad request line %r" % (index, request_line))
        method, target, version = parts
        headers = []
        while True:
            line, pos = _read_line(data, pos, index)
            if line == "":
                break
            if line[0] in " \t":
                raise InputError("message %d: obsolete header line folding is not allowed" % index)
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip():
                raise InputError("message %d: bad header line %r" % (index, line))
            headers.append((name, value.strip(" \t")))
        message = Message(index, method, target, version, headers, b"")
        length = message.get("Content-Length")
        if length is None:
            raise InputError("message %d: no Content-Length header" % index)
        if not length.isdigit():
            raise InputError("message %d: bad Content-Length %r" % (index, length))
        n = int(length)
        if pos + n > len(data):
            raise InputError("message %d: body is shorter than Content-Length (%d < %d)" % (index, len(data) - pos, n))
        message.body = data[pos:pos + n]
        pos += n
        messages.append(message)
    return messages


def parse_scope(authorization, index):
    """Returns (access_key_id, date, region, service) from an Authorization header."""
    prefix = "AWS4-HMAC-SHA256 "
    if not authorization or not authorization.startswith(prefix):
        raise InputError("message %d: Authorization is not AWS4-HMAC-SHA256" % index)
    fields = {}
    for item in authorization[len(prefix):].split(","):
        key, _, value = item.strip().partition("=")
        fields[key] = value
    parts = fields.get("Credential", "").split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise InputError("message %d: bad credential scope %r" % (index, fields.get("Credential")))
    return parts[0], parts[1], parts[2], parts[3]


class RecordingSigV4Auth(SigV4Auth):
    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request


def botocore_authorization(message, credentials):
    """Signs the message again with botocore; returns (authorization, canonical request)."""
    authorization = message.get("Authorization")
    if authorization is None:
        raise InputError("%s: no Authorization header" % message.label())
    _, date, region, service = parse_scope(authorization, message.index)
    amz_date = message.get("X-Amz-Date")
    if amz_date is None:
        raise InputError("%s: no X-Amz-Date header" % message.label())
    try:
        moment = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise InputError("%s: bad X-Amz-Date %r" % (message.label(), amz_date))
    host = message.get("Host")
    if host is None:
        raise InputError("%s: no Host header" % message.label())

    request = AWSRequest(method=message.method, url="https://" + host + message.target, data=message.body)
    for name, value in message.headers:
        if name.lower() in ADDED_AFTER_SIGNING:
            continue
        request.headers[name] = value  # HTTPHeaders keeps repeated names, in order
    auth = RecordingSigV4Auth(credentials, service, region)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment):
        auth.add_auth(request)
    return request.headers["Authorization"], auth.recorded_canonical_request


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", default=["-"], help="files of raw HTTP messages ('-' for stdin)")
    parser.add_argument("--access-key-id", default=os.environ.get("AWS_ACCESS_KEY_ID"))
    parser.add_argument("--secret-access-key", default=os.environ.get("AWS_SECRET_ACCESS_KEY"))
    parser.add_argument("--session-token", default=os.environ.get("AWS_SESSION_TOKEN") or None)
    parser.add_argument("--quiet", action="store_true", help="print only mismatches and the summary")
    args = parser.parse_args(argv)
    if not args.access_key_id or not args.secret_access_key:
        print("error: credentials are needed: --access-key-id/--secret-access-key or "
              "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", file=sys.stderr)
        return 2
    credentials = Credentials(args.access_key_id, args.secret_access_key, args.session_token)

    passed = failed = 0
    seen = 0
    try:
        for path in args.files:
            if path == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as f:
                    data = f.read()
            for message in parse_messages(data):
                seen += 1
                actual = message.get("Authorization")
                if message.get("X-Amz-Security-Token") is not None and not args.session_token:
                    # botocore would sign the header as an ordinary one and agree; but the
                    # message was made with temporary credentials that were not given here.
                    failed += 1
                    print("FAIL %s: the message has an X-Amz-Security-Token header but no session "
                          "token was given (--session-token or AWS_SESSION_TOKEN)" % message.label())
                    continue
                expected, canonical = botocore_authorization(message, credentials)
                if actual == expected:
                    passed += 1
                    if not args.quiet:
                        print("ok   %s" % message.label())
                    continue
                failed += 1
                print("FAIL %s: Authorization differs from botocore's" % message.label())
                print("  message:  %s" % actual)
                print("  botocore: %s" % expected)
                key_id = parse_scope(actual, message.index)[0]
                if key_id != args.access_key_id:
                    print("  note: the message was signed with access key id %s, not %s" % (key_id, args.access_key_id))
                print("  botocore's canonical request:")
                for line in canonical.split("\n"):
                    if line.startswith("x-amz-security-token:"):
                        line = "x-amz-security-token:<redacted>"
                    print("    " + line)
    except InputError as error:
        print("error: %s" % error, file=sys.stderr)
        print("%d passed, %d failed" % (passed, failed))
        return 2
    except OSError as error:
        print("error: %s" % error, file=sys.stderr)
        return 2
    if seen == 0:
        print("error: no HTTP messages in the input", file=sys.stderr)
        print("0 passed, 0 failed")
        return 2
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
