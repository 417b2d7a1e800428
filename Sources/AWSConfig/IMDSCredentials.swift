// EC2 instance metadata credentials (botocore's InstanceMetadataProvider and IMDSFetcher).

let imdsLink = ChainLink(name: "imds") { context in try await imdsLookup(context) }

struct IMDSSettings: Sendable, Equatable {
    var disabled: Bool
    var baseURL: String
    var timeout: Double
    var attempts: Int
    var v1Disabled: Bool
    var v1DisabledBy: String
}

/// Reads the IMDS settings: `AWS_EC2_METADATA_DISABLED`; `AWS_EC2_METADATA_SERVICE_ENDPOINT`
/// / `ec2_metadata_service_endpoint`; `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
/// `ec2_metadata_service_endpoint_mode` (IPv4 or IPv6) or `AWS_IMDS_USE_IPV6`;
/// `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout` (default 1 s);
/// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts` (default 1);
/// `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled`.
func imdsSettings(_ context: ChainContext) throws -> IMDSSettings {
    let configuration = context.configuration
    let environment = context.environment
    func setting(_ variable: String, _ key: String) -> (String, String)? {
        if let value = environment.raw(variable) { return (value, variable) }
        if let value = configuration.setting(key) { return (value, "\(key) in profile '\(configuration.profile.name)'") }
        return nil
    }
    func invalid(_ text: String) -> AWSConfigError {
        AWSConfigError.credentials(source: "imds", failure: .invalidConfiguration(text))
    }
    let disabled = environment.raw("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true"
    var ipv6 = false
    if let (mode, from) = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") {
        switch mode.lowercased() {
        case "ipv4": ipv6 = false
        case "ipv6": ipv6 = true
        default: throw invalid("\(from) is '\(mode)'; use IPv4 or IPv6")
        }
    } else if let (value, _) = setting("AWS_IMDS_USE_IPV6", "imds_use_ipv6") {
        ipv6 = parseBoolean(value) ?? false
    }
    var base = ipv6 ? context.options.imdsDefaultIPv6Endpoint : context.options.imdsDefaultIPv4Endpoint
    if let (endpoint, from) = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint"), !endpoint.isEmpty {
        if case .failure(let error) = Endpoint.parse(endpoint) {
            throw invalid("\(from) '\(endpoint)' is not a valid URL: \(error.message)")
        }
        base = endpoint
    }
    var timeout = 1.0
    if let (text, from) = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
        guard let value = Double(text.trimmingWhitespace()), value > 0, value.isFinite else {
            throw invalid("\(from) '\(text)' is not a positive number of seconds")
        }
        timeout = value
    }
    var attempts = 1
    if let (text, from) = setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts") {
        guard let value = Int(text.trimmingWhitespace()), value >= 1, value <= 20 else {
            throw invalid("\(from) '\(text)' is not a whole number from 1 to 20")
        }
        attempts = value
    }
    var v1Disabled = false
    var v1DisabledBy = ""
    if let (text, from) = setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled") {
        v1Disabled = parseBoolean(text) ?? false
        v1DisabledBy = from
    }
    return IMDSSettings(
        disabled: disabled, baseURL: base, timeout: timeout, attempts: attempts, v1Disabled: v1Disabled,
        v1DisabledBy: v1DisabledBy)
}

enum IMDSOutcome: Sendable {
    case unavailable(String)
    case credentials(Credentials, role: String)
}

func imdsLookup(_ context: ChainContext) async throws -> Lookup {
    let settings = try imdsSettings(context)
    let transport = context.options.transport
    switch try await fetchIMDSCredentials(settings, transport: transport) {
    case .unavailable(let reason):
        return .notConfigured(reason)
    case .credentials(let credentials, let role):
        let source = "imds (role \(role))"
        return .found(FoundSource(source: source, initial: credentials, fetch: {
            switch try await fetchIMDSCredentials(settings, transport: transport) {
            case .unavailable(let reason):
                throw AWSConfigError.credentials(source: source, failure: .invalidConfiguration(reason))
            case .credentials(let credentials, _):
                return credentials
            }
        }))
    }
}

/// IMDSv2: `PUT /latest/api/token` (TTL 21600), then the role list and the role's credentials
/// with the token. A 403, 404 or 405 (or no answer) to the token request falls back to IMDSv1
/// unless that is disabled; a 400 is fatal. "No metadata service here" and "no role attached"
/// are `.unavailable`; anything else once the service has answered is an error.
func fetchIMDSCredentials(_ settings: IMDSSettings, transport: any CredentialsHTTPTransport) async throws -> IMDSOutcome {
    let source = "imds"
    if settings.disabled { return .unavailable("disabled by AWS_EC2_METADATA_DISABLED") }
    func url(_ path: String) -> String {
        settings.baseURL.hasSuffix("/") ? settings.baseURL + path : settings.baseURL + "/" + path
    }
    var anyAnswer = false
    var transportProblem: String? = nil
    func note(_ error: CredentialsHTTPError, _ target: String) {
        switch error {
        case .timeout: transportProblem = "no response from \(target) within \(formatSeconds(settings.timeout))"
        case .connection(let reason): transportProblem = "cannot connect to \(target): \(reason)"
        }
    }

    // 1. Token.
    var token: String? = nil
    var tokenProblem = "no answer"
    let tokenURL = url("latest/api/token")
    tokenLoop: for _ in 0..<settings.attempts {
        do {
            let response = try await transport.send(CredentialsHTTPRequest(
                method: "PUT", url: tokenURL, headers: [HTTPHeaderField("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
                timeout: settings.timeout))
            anyAnswer = true
            switch response.status {
            case 200:
                let text = String(decoding: response.body, as: UTF8.self).trimmingWhitespace()
                if !text.isEmpty { token = text }
                break tokenLoop
            case 403, 404, 405:
                tokenProblem = "HTTP \(response.status)"
                break tokenLoop
            case 400:
                throw AWSConfigError.credentials(
                    source: source, failure: .httpStatus(400, url: tokenURL, detail: "the IMDSv2 token request was rejected"))
            default:
                tokenProblem = "HTTP \(response.status)"
            }
        } catch let error as CredentialsHTTPError {
            note(error, tokenURL)
            tokenProblem = error == .timeout ? "timeout" : "connection failed"
            if error == .timeout { break tokenLoop }
        }
    }
    if token == nil && settings.v1Disabled {
        if !anyAnswer, let transportProblem { return .unavailable(transportProblem) }
        throw AWSConfigError.credentials(
            source: source,
            failure: .invalidConfiguration(
                "no IMDSv2 token (\(tokenProblem)) and IMDSv1 is disabled by \(settings.v1DisabledBy)"))
    }
    var headers: [HTTPHeaderField] = []
    if let token { headers.append(HTTPHeaderField("x-aws-ec2-metadata-token", token)) }

    // 2. Role name, 3. role credentials; both retried up to `attempts` times.
    func get(_ target: String, validate: (CredentialsHTTPResponse) -> Bool) async throws -> CredentialsHTTPResponse? {
        var last: CredentialsHTTPResponse? = nil
        for _ in 0..<settings.attempts {
            do {
                let response = try await transport.send(CredentialsHTTPRequest(
                    method: "GET", url: target, headers: headers, timeout: settings.timeout))
                anyAnswer = true
                last = response
                if response.status == 200, !response.body.isEmpty, validate(response) { return response }
            } catch let error as CredentialsHTTPError {
                note(error, target)
            }
        }
        return last
    }
    let roleListURL = url("latest/meta-data/iam/security-credentials/")
    guard let roleResponse = try await get(roleListURL, validate: { _ in true }) else {
        if !anyAnswer { return .unavailable(transportProblem ?? "no instance metadata service at \(settings.baseURL)") }
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse(transportProblem ?? "no answer from \(roleListURL)"))
    }
    if roleResponse.status == 404 {
        return .unavailable("no IAM role is attached to this instance (HTTP 404 from \(roleListURL))")
    }
    guard roleResponse.status == 200 else {
        throw AWSConfigError.credentials(source: source, failure: .httpStatus(roleResponse.status, url: roleListURL, detail: nil))
    }
    let role = String(decoding: roleResponse.body, as: UTF8.self)
        .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map { $0.trimmingWhitespace() } ?? ""
    guard !role.isEmpty else {
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse("the role list at \(roleListURL) is empty"))
    }
    let credentialsURL = roleListURL + role
    guard let response = try await get(credentialsURL, validate: { (try? parseJSON($0.body)) != nil }) else {
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse(transportProblem ?? "no answer from \(credentialsURL)"))
    }
    guard response.status == 200 else {
        throw AWSConfigError.credentials(source: source, failure: .httpStatus(response.status, url: credentialsURL, detail: nil))
    }
    let document: JSONValue
    do {
        document = try parseJSON(response.body)
    } catch let error as JSONSyntaxError {
        throw AWSConfigError.credentials(
            source: source, failure: .malformedResponse("the answer from \(credentialsURL) is not JSON (\(error.message))"))
    }
    if let code = document["Code"]?.string, code != "Success" {
        throw AWSConfigError.credentials(
            source: source, failure: .service(code: code, message: document["Message"]?.string ?? "", status: 200))
    }
    switch credentialsFromJSON(document, tokenKey: "Token", requireToken: true, requireExpiration: true) {
    case .success(let credentials): return .credentials(credentials, role: role)
    case .failure(let failure): throw AWSConfigError.credentials(source: source, failure: failure)
    }
}
