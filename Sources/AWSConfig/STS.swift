// STS AssumeRole and AssumeRoleWithWebIdentity over the query protocol: a form-encoded POST,
// an XML answer. AssumeRole is SigV4-signed for service "sts"; AssumeRoleWithWebIdentity is
// unsigned.

enum STS {
    /// The STS endpoint: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's services
    /// section or `endpoint_url`, else `https://sts.<region>.<partition suffix>` (the global
    /// `https://sts.amazonaws.com`, signed for us-east-1, when no region is set).
    static func endpoint(_ context: ChainContext) throws -> ResolvedEndpoint {
        let region = context.region.flatMap { $0.isEmpty ? nil : $0 } ?? "aws-global"
        var resolved = try context.configuration.resolveEndpoint(
            for: .sts, region: region, allowInsecureHTTP: context.options.allowInsecureHTTP)
        if resolved.signingRegion == "aws-global" { resolved.signingRegion = "us-east-1" }
        return resolved
    }

    /// Sends one STS action and returns the credentials of its `Credentials` element.
    static func call(
        action: String,
        parameters: [(String, String)],
        signWith signingCredentials: Credentials?,
        context: ChainContext,
        source: String
    ) async throws -> Credentials {
        let resolved = try endpoint(context)
        var body = "Action=\(action)&Version=2011-06-15"
        for (name, value) in parameters { body += "&\(name)=\(formEncode(value))" }
        let url = resolved.endpoint.url()
        let options = context.options
        var lastError: AWSConfigError? = nil
        for attempt in 0..<max(1, options.stsAttempts) {
            if attempt > 0 { try await options.sleep(options.stsRetryDelay * Double(1 << (attempt - 1))) }
            var request = CredentialsHTTPRequest(
                method: "POST", url: url,
                headers: [
                    HTTPHeaderField("Host", resolved.endpoint.hostHeader),
                    HTTPHeaderField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                ],
                body: Array(body.utf8), timeout: options.stsTimeout)
            if let signingCredentials {
                request = signSTSRequest(
                    request, path: resolved.endpoint.requestPath(), credentials: signingCredentials,
                    region: resolved.signingRegion, time: context.now)
            }
            let response: CredentialsHTTPResponse
            do {
                response = try await HTTPTransportCall.send(request, via: options.transport, source: source)
            } catch let error as AWSConfigError {
                lastError = error
                continue
            }
            if response.status == 200 {
                return try parseCredentials(response.body, action: action, source: source)
            }
            let failure = errorFailure(response, url: url)
            lastError = AWSConfigError.credentials(source: source, failure: failure)
            if !isRetryable(failure) { break }
        }
        throw lastError ?? AWSConfigError.credentials(source: source, failure: .malformedResponse("no attempt was made"))
    }

    static func isRetryable(_ failure: CredentialsFailure) -> Bool {
        switch failure {
        case .httpStatus(let status, _, _): return status >= 500 || status == 429
        case .service(let code, _, let status):
            return status >= 500 || status == 429
                || ["Throttling", "ThrottlingException", "RequestLimitExceeded", "IDPCommunicationError"].contains(code)
        default: return false
        }
    }

    static func parseCredentials(_ body: [UInt8], action: String, source: String) throws -> Credentials {
        let root: XMLElement
        do {
            root = try parseXML(body)
        } catch let error as XMLSyntaxError {
            throw AWSConfigError.credentials(source: source, failure: .malformedResponse("STS answer is not XML (\(error.message))"))
        }
        guard root.name == "\(action)Response" else {
            throw AWSConfigError.credentials(
                source: source, failure: .malformedResponse("STS answered <\(root.name)>, expected <\(action)Response>"))
        }
        guard let element = root.path("\(action)Result", "Credentials") else {
            throw AWSConfigError.credentials(
                source: source, failure: .malformedResponse("STS answer has no \(action)Result/Credentials"))
        }
        func field(_ name: String) throws -> String {
            guard let text = element.child(name)?.text.trimmingWhitespace(), !text.isEmpty else {
                throw AWSConfigError.credentials(source: source, failure: .malformedResponse("STS answer has no Credentials/\(name)"))
            }
            return text
        }
        let expirationText = try field("Expiration")
        guard let expiration = parseTimestamp(expirationText) else {
            throw AWSConfigError.credentials(
                source: source, failure: .malformedResponse("Expiration '\(expirationText)' is not an ISO 8601 time"))
        }
        return Credentials(
            accessKeyId: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
            sessionToken: try field("SessionToken"), expiration: expiration)
    }

    static func errorFailure(_ response: CredentialsHTTPResponse, url: String) -> CredentialsFailure {
        if let root = try? parseXML(response.body), let error = root.name == "Error" ? root : root.child("Error"),
           let code = error.child("Code")?.text.trimmingWhitespace(), !code.isEmpty {
            var message = error.child("Message")?.text.trimmingWhitespace() ?? ""
            if message.count > 500 { message = String(message.prefix(500)) + "…" }
            return .service(code: code, message: message, status: response.status)
        }
        return .httpStatus(response.status, url: url, detail: nil)
    }
}

/// `application/x-www-form-urlencoded` as botocore writes it: everything but the RFC 3986
/// unreserved characters percent-encoded.
func formEncode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF".unicodeScalars)
            out.unicodeScalars.append("%")
            out.unicodeScalars.append(hex[Int(byte >> 4)])
            out.unicodeScalars.append(hex[Int(byte & 15)])
        }
    }
    return out
}

func defaultSessionName(_ context: ChainContext) -> String {
    context.options.defaultRoleSessionName ?? "plancc-session-\(Int(context.now))"
}

// MARK: - Web identity

/// botocore's `AssumeRoleWithWebIdentityProvider`: each of the token file, role ARN and session
/// name comes from its variable (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
/// `AWS_ROLE_SESSION_NAME`; not read when `--profile` was given) or else from the profile
/// (`web_identity_token_file`, `role_arn`, `role_session_name`). The token file is read again
/// for every refresh (Kubernetes and CI runners rotate it).
func webIdentityLookup(profile: String, useEnvironment: Bool, context: ChainContext) throws -> Lookup {
    var fromEnvironment = false
    func setting(_ key: String, _ variable: String) -> String? {
        if useEnvironment, let value = context.environment.raw(variable) {
            fromEnvironment = true
            return value
        }
        return context.profileValue(key, profile)
    }
    guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE"), !tokenFile.isEmpty else {
        return .notConfigured(
            useEnvironment
                ? "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile '\(profile)' has no web_identity_token_file"
                : "profile '\(profile)' has no web_identity_token_file")
    }
    let source = fromEnvironment ? "web-identity" : "web-identity (profile \(profile))"
    guard let roleArn = setting("role_arn", "AWS_ROLE_ARN"), !roleArn.isEmpty else {
        throw AWSConfigError.credentials(
            source: source,
            failure: .invalidConfiguration(
                "a web identity token file is configured but no role ARN; set AWS_ROLE_ARN or role_arn in profile '\(profile)'"))
    }
    let sessionName = setting("role_session_name", "AWS_ROLE_SESSION_NAME").flatMap { $0.isEmpty ? nil : $0 }
        ?? defaultSessionName(context)
    let path = context.environment.expandPath(tokenFile)
    return .found(FoundSource(source: source, fetch: {
        let token: String
        do {
            guard let bytes = try context.environment.readFile(path) else {
                throw AWSConfigError.credentials(
                    source: source, failure: .invalidConfiguration("the web identity token file \(path) does not exist"))
            }
            token = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        } catch AWSConfigError.fileUnreadable(_, let reason) {
            throw AWSConfigError.credentials(
                source: source, failure: .invalidConfiguration("cannot read the web identity token file \(path): \(reason)"))
        }
        guard !token.isEmpty else {
            throw AWSConfigError.credentials(
                source: source, failure: .invalidConfiguration("the web identity token file \(path) is empty"))
        }
        return try await STS.call(
            action: "AssumeRoleWithWebIdentity",
            parameters: [("RoleArn", roleArn), ("RoleSessionName", sessionName), ("WebIdentityToken", token)],
            signWith: nil, context: context, source: source)
    }))
}

// MARK: - Assume role

/// botocore's `AssumeRoleProvider` for the active profile: applies when the profile has
/// `role_arn` and no `web_identity_token_file`.
func assumeRoleLookup(profile: String, context: ChainContext) async throws -> Lookup {
    let values = context.files.profiles[profile] ?? [:]
    guard values["role_arn"] != nil else { return .notConfigured("profile '\(profile)' has no role_arn") }
    guard values["web_identity_token_file"] == nil else {
        return .notConfigured("profile '\(profile)' has web_identity_token_file (see web-identity)")
    }
    var visited = [profile]
    return .found(try await assumeRoleSource(profile: profile, visited: &visited, context: context))
}

private func hasStaticKeys(_ values: [String: INIValue]) -> Bool {
    values["aws_access_key_id"] != nil || values["aws_secret_access_key"] != nil
}

private func hasAssumeRoleSettings(_ values: [String: INIValue]) -> Bool {
    values["role_arn"] != nil && values["web_identity_token_file"] == nil
}

func assumeRoleSource(profile: String, visited: inout [String], context: ChainContext) async throws -> FoundSource {
    let source = "assume-role (profile \(profile))"
    let values = context.files.profiles[profile] ?? [:]
    func configError(_ text: String) -> AWSConfigError {
        AWSConfigError.credentials(source: source, failure: .invalidConfiguration(text))
    }
    guard let roleArn = values["role_arn"]?.text, !roleArn.isEmpty else { throw configError("role_arn in profile '\(profile)' is empty") }
    let sourceProfile = values["source_profile"]?.text
    let credentialSource = values["credential_source"]?.text
    let sourceProvider: RefreshingCredentialsProvider
    switch (sourceProfile, credentialSource) {
    case (.some, .some):
        throw configError("profile '\(profile)' has both source_profile and credential_source; keep one")
    case (nil, nil):
        throw configError("profile '\(profile)' has role_arn but neither source_profile nor credential_source")
    case (nil, .some(let named)):
        let link: ChainLink
        switch named {
        case "Environment": link = environmentLink
        case "EcsContainer": link = containerLink
        case "Ec2InstanceMetadata": link = imdsLink
        default:
            throw configError("credential_source '\(named)' in profile '\(profile)' is not one of Environment, Ec2InstanceMetadata, EcsContainer")
        }
        switch try await link.lookup(context) {
        case .notConfigured(let reason):
            throw configError("credential_source \(named) of profile '\(profile)' has no credentials: \(reason)")
        case .found(let found):
            sourceProvider = context.refreshing(found)
        }
    case (.some(let name), nil):
        guard let sourceValues = context.files.profiles[name] else {
            throw configError("the source_profile '\(name)' of profile '\(profile)' does not exist")
        }
        if visited.contains(name) {
            if name != profile || !hasStaticKeys(sourceValues) {
                throw configError("source_profile loop: \((visited + [name]).map { "'\($0)'" }.joined(separator: " -> "))")
            }
        }
        visited.append(name)
        if hasStaticKeys(sourceValues) || !hasAssumeRoleSettings(sourceValues) {
            var tried: [String] = []
            var found: FoundSource? = nil
            for link in DefaultCredentialsChain.profileLinks(profile: name, disableEnvironment: true) {
                switch try await link.lookup(context) {
                case .notConfigured(let reason): tried.append("\(link.name): \(reason)")
                case .found(let f): found = f
                }
                if found != nil { break }
            }
            guard let found else {
                throw configError("the source_profile '\(name)' of profile '\(profile)' has no credentials (\(tried.joined(separator: "; ")))")
            }
            sourceProvider = context.refreshing(found)
        } else {
            sourceProvider = context.refreshing(try await assumeRoleSource(profile: name, visited: &visited, context: context))
        }
    }

    var parameters: [(String, String)] = [("RoleArn", roleArn)]
    let sessionName = values["role_session_name"]?.text.flatMap { $0.isEmpty ? nil : $0 } ?? defaultSessionName(context)
    parameters.append(("RoleSessionName", sessionName))
    if let externalId = values["external_id"]?.text { parameters.append(("ExternalId", externalId)) }
    if let duration = values["duration_seconds"]?.text, let seconds = Int(duration.trimmingWhitespace()) {
        parameters.append(("DurationSeconds", String(seconds)))
    }
    let mfaSerial = values["mfa_serial"]?.text
    let fixed = parameters
    let mfaProvider = context.options.mfaTokenProvider
    if mfaSerial != nil, mfaProvider == nil {
        throw configError("profile '\(profile)' needs an MFA code (mfa_serial), and plancc cannot ask for one here; use credentials obtained beforehand")
    }
    return FoundSource(source: source, fetch: {
        let sourceCredentials = try await sourceProvider.credentials()
        var parameters = fixed
        if let mfaSerial, let mfaProvider {
            parameters.append(("SerialNumber", mfaSerial))
            parameters.append(("TokenCode", try await mfaProvider(mfaSerial)))
        }
        return try await STS.call(
            action: "AssumeRole", parameters: parameters, signWith: sourceCredentials, context: context, source: source)
    })
}
