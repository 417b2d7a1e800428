/// Why a credential source failed after it was found to be configured.
public enum CredentialsFailure: Sendable, Equatable, CustomStringConvertible {
    /// Part of a key pair is present, part is missing (names the missing setting).
    case incomplete(String)
    /// The configuration for this source is wrong (message says what and where).
    case invalidConfiguration(String)
    /// The endpoint answered with an HTTP status other than the expected one.
    case httpStatus(Int, url: String, detail: String?)
    /// No answer within the timeout.
    case timeout(url: String, seconds: Double)
    /// The connection could not be made or broke.
    case connection(url: String, reason: String)
    /// The answer could not be understood.
    case malformedResponse(String)
    /// The source returned credentials that had already expired.
    case expired(expiration: Double, now: Double)
    /// STS answered with an error document.
    case service(code: String, message: String, status: Int)
    /// `credential_process` failed.
    case process(String)

    public var description: String {
        switch self {
        case .incomplete(let text): return text
        case .invalidConfiguration(let text): return text
        case .httpStatus(let status, let url, let detail):
            return "HTTP \(status) from \(url)" + (detail.map { ": \($0)" } ?? "")
        case .timeout(let url, let seconds):
            return "no response from \(url) within \(formatSeconds(seconds))"
        case .connection(let url, let reason):
            return "cannot connect to \(url): \(reason)"
        case .malformedResponse(let text): return "malformed response: \(text)"
        case .expired(let expiration, let now):
            return "returned credentials that expired at \(formatTimestamp(expiration)) (now \(formatTimestamp(now)))"
        case .service(let code, let message, let status):
            return "\(code) (HTTP \(status))" + (message.isEmpty ? "" : ": \(message)")
        case .process(let text): return text
        }
    }
}

/// One entry of the "no credentials" error: a source and why it did not apply.
public struct CredentialsAttempt: Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
    public var description: String { "\(source): \(reason)" }
}

/// Errors of AWS configuration, region, endpoint and credentials resolution.
///
/// Messages name the file, variable or source involved and never contain secret values
/// (secret access keys, session tokens, web identity tokens, authorization tokens).
public enum AWSConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case fileUnreadable(path: String, reason: String)
    case configSyntax(path: String, line: Int, message: String)
    case profileNotFound(profile: String, origin: String, configFile: String, credentialsFile: String)
    case invalidConfiguration(String)
    case noRegion(tried: [String])
    case invalidRegion(region: String, source: String)
    case invalidEndpoint(url: String, source: String, reason: String)
    case insecureEndpoint(url: String, source: String)
    case endpointRules(String)
    case noCredentials(tried: [CredentialsAttempt])
    case credentials(source: String, failure: CredentialsFailure)

    public var description: String {
        switch self {
        case .fileUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .configSyntax(let path, let line, let message):
            return "\(path):\(line): \(message)"
        case .profileNotFound(let profile, let origin, let configFile, let credentialsFile):
            return "the profile '\(profile)' (from \(origin)) is in neither \(configFile) nor \(credentialsFile)"
        case .invalidConfiguration(let text):
            return text
        case .noRegion(let tried):
            return "no region: tried \(tried.joined(separator: ", ")); set --region or AWS_REGION"
        case .invalidRegion(let region, let source):
            return "invalid region '\(region)' (from \(source)): a region is a DNS label such as us-east-1"
        case .invalidEndpoint(let url, let source, let reason):
            return "invalid endpoint URL '\(url)' (from \(source)): \(reason)"
        case .insecureEndpoint(let url, let source):
            return "refusing plain-http endpoint '\(url)' (from \(source)): it would send request signatures "
                + "and session tokens unencrypted; http is allowed only for loopback hosts "
                + "(127.0.0.0/8, ::1, localhost) unless --allow-http is given"
        case .endpointRules(let text):
            return text
        case .noCredentials(let tried):
            var text = "no AWS credentials found; tried, in order:"
            for attempt in tried { text += "\n  - \(attempt.source): \(attempt.reason)" }
            return text
        case .credentials(let source, let failure):
            return "credentials from \(source): \(failure)"
        }
    }
}

func formatSeconds(_ seconds: Double) -> String {
    if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
    return "\(seconds) s"
}
extension CredentialsFailure: Error {}
