import SigV4

/// Signs an STS query-protocol request with SigV4 for service "sts" (as botocore does:
/// `content-type`, `host` and `x-amz-date` signed, plus `x-amz-security-token` for temporary
/// credentials).
func signSTSRequest(
    _ request: CredentialsHTTPRequest, path: String, credentials: Credentials, region: String, time: Double
) -> CredentialsHTTPRequest {
    let signable = SignableRequest(
        method: request.method, path: path, query: "",
        headers: request.headers.map { HTTPHeader($0.name, $0.value) }, body: request.body)
    let signed = SigV4Signer(service: AWSService.sts.signingName, region: region)
        .sign(signable, credentials: credentials, time: SigningTime(secondsSince1970: Int64(time.rounded(.down))))
    var out = request
    out.headers = signed.headers.map { HTTPHeaderField($0.name, $0.value) }
    return out
}
