// Placeholder until the SigV4 signer lands (branch sigv4).
func signSTSRequest(
    _ request: CredentialsHTTPRequest, path: String, credentials: Credentials, region: String, time: Double
) -> CredentialsHTTPRequest {
    request
}
