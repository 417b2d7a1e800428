// Container credentials: ECS tasks, CodeBuild, EKS Pod Identity (botocore's ContainerProvider).

let containerLink = ChainLink(name: "container") { context in try containerLookup(context) }

/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (appended to http://169.254.170.2) or else
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must be https or name a loopback address,
/// 169.254.170.2, 169.254.170.23, fd00:ec2::23 or localhost. The `Authorization` header comes
/// from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read for every request) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
func containerLookup(_ context: ChainContext) throws -> Lookup {
    let source = "container"
    let environment = context.environment
    let url: String
    let display: String
    if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
        var base = context.options.containerBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        url = base + (relative.hasPrefix("/") ? relative : "/" + relative)
        display = "\(base) + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
    } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
        try validateContainerURL(full, source: source)
        url = full
        display = full
    } else {
        return .notConfigured("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
    }
    let options = context.options
    return .found(FoundSource(source: source, fetch: {
        var headers = [HTTPHeaderField("Accept", "application/json")]
        if let token = try containerAuthorizationToken(environment, source: source) {
            headers.append(HTTPHeaderField("Authorization", token))
        }
        let request = CredentialsHTTPRequest(
            method: "GET", url: url, headers: headers, timeout: options.containerTimeout, displayURL: display)
        var lastError: AWSConfigError? = nil
        for attempt in 0..<max(1, options.containerAttempts) {
            if attempt > 0 { try await options.sleep(options.containerRetryDelay) }
            let response: CredentialsHTTPResponse
            do {
                response = try await HTTPTransportCall.send(request, via: options.transport, source: source)
            } catch let error as AWSConfigError {
                lastError = error
                continue
            }
            guard response.status == 200 else {
                lastError = AWSConfigError.credentials(
                    source: source, failure: .httpStatus(response.status, url: display, detail: jsonErrorDetail(response.body)))
                continue
            }
            let document: JSONValue
            do {
                document = try parseJSON(response.body)
            } catch let error as JSONSyntaxError {
                lastError = AWSConfigError.credentials(
                    source: source, failure: .malformedResponse("the answer from \(display) is not JSON (\(error.message))"))
                continue
            }
            switch credentialsFromJSON(document, tokenKey: "Token", requireToken: true, requireExpiration: true) {
            case .success(let credentials): return credentials
            case .failure(let failure): throw AWSConfigError.credentials(source: source, failure: failure)
            }
        }
        throw lastError!
    }))
}

func validateContainerURL(_ text: String, source: String) throws {
    let endpoint: Endpoint
    let withoutQuery = String(text.prefix { $0 != "?" && $0 != "#" })
    switch Endpoint.parse(withoutQuery) {
    case .failure(let error):
        throw AWSConfigError.credentials(
            source: source,
            failure: .invalidConfiguration("AWS_CONTAINER_CREDENTIALS_FULL_URI '\(text)' is not a valid URL: \(error.message)"))
    case .success(let parsed):
        endpoint = parsed
    }
    if endpoint.scheme == "https" || isLoopbackHost(endpoint.host) { return }
    let allowedV4 = ["169.254.170.2", "169.254.170.23"]
    if allowedV4.contains(endpoint.host) { return }
    if let v6 = parseIPv6(endpoint.host), v6 == parseIPv6("fd00:ec2::23") { return }
    throw AWSConfigError.credentials(
        source: source,
        failure: .invalidConfiguration(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI host '\(endpoint.host)' is not allowed over http; use https, a loopback address, "
                + "169.254.170.2, 169.254.170.23, fd00:ec2::23 or localhost"))
}

func containerAuthorizationToken(_ environment: AWSEnvironment, source: String) throws -> String? {
    var token: String? = nil
    if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
        let expanded = environment.expandPath(path)
        do {
            guard let bytes = try environment.readFile(expanded) else {
                throw AWSConfigError.credentials(
                    source: source,
                    failure: .invalidConfiguration("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(expanded) does not exist"))
            }
            token = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        } catch AWSConfigError.fileUnreadable(_, let reason) {
            throw AWSConfigError.credentials(
                source: source,
                failure: .invalidConfiguration("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(expanded): \(reason)"))
        }
    } else if let value = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
        token = value
    }
    if let token, token.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
        throw AWSConfigError.credentials(
            source: source, failure: .invalidConfiguration("the container authorization token contains a line break"))
    }
    return token
}

/// `message`/`Message` (and `code`/`Code`) of a JSON error body, if any.
func jsonErrorDetail(_ body: [UInt8]) -> String? {
    guard let document = try? parseJSON(body) else { return nil }
    let code = document["Code"]?.string ?? document["code"]?.string
    let message = document["Message"]?.string ?? document["message"]?.string
    let parts = [code, message].compactMap { $0 }.map { $0.count > 300 ? String($0.prefix(300)) + "…" : $0 }
    return parts.isEmpty ? nil : parts.joined(separator: ": ")
}
