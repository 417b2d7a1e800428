@_exported import SigV4

/// Credentials together with the name of the source that produced them
/// ("environment", "shared-credentials-file (profile ci)", "web-identity", …).
/// `description` shows the source and the access key id only.
public struct ResolvedCredentials: Sendable, Equatable, CustomStringConvertible {
    public var credentials: Credentials
    public var source: String
    public init(credentials: Credentials, source: String) {
        self.credentials = credentials
        self.source = source
    }
    public var description: String {
        var text = "\(credentials.accessKeyId) from \(source)"
        if let expiration = credentials.expiration { text += ", expires \(formatTimestamp(expiration))" }
        return text
    }
}

/// Anything that yields AWS credentials.
public protocol CredentialsProvider: Sendable {
    /// Current credentials (refreshed when needed) and their source.
    func resolve() async throws -> ResolvedCredentials
}

extension CredentialsProvider {
    public func credentials() async throws -> Credentials { try await resolve().credentials }
}

/// Fixed credentials (e.g. for `--signing-time` reproducible output or tests).
public struct StaticCredentialsProvider: CredentialsProvider {
    public var resolved: ResolvedCredentials
    public init(_ credentials: Credentials, source: String = "static") {
        resolved = ResolvedCredentials(credentials: credentials, source: source)
    }
    public func resolve() async throws -> ResolvedCredentials { resolved }
}

/// Caches the credentials of one source and fetches new ones before they expire.
///
/// * Credentials without an expiration are fetched once.
/// * Temporary credentials are fetched again once less than `refreshWindow` seconds remain
///   (for credentials that arrive with less than that left, halfway to their expiration).
/// * Concurrent callers share one fetch.
/// * A fetch that returns already-expired credentials fails with `.expired`, naming the source.
/// * When a refresh fails while the cached credentials still have more than
///   `failureGrace` seconds left, the cached ones are returned and the next call tries again.
public actor RefreshingCredentialsProvider: CredentialsProvider {
    public nonisolated let source: String
    public nonisolated let refreshWindow: Double
    public nonisolated let failureGrace: Double
    private let fetch: @Sendable () async throws -> Credentials
    private let clock: @Sendable () -> Double
    private var cached: Credentials?
    private var refreshAt: Double = -Double.infinity
    private var inFlight: Task<Credentials, any Error>?
    /// How many fetches were started (for diagnostics and tests).
    public private(set) var fetchCount = 0

    public init(
        source: String,
        refreshWindow: Double = 300,
        failureGrace: Double = 60,
        clock: @escaping @Sendable () -> Double = AWSEnvironment.systemClock,
        initial: Credentials? = nil,
        fetch: @escaping @Sendable () async throws -> Credentials
    ) {
        self.source = source
        self.refreshWindow = refreshWindow
        self.failureGrace = failureGrace
        self.clock = clock
        self.fetch = fetch
        if let initial {
            cached = initial
            refreshAt = Self.nextRefresh(for: initial, now: clock(), window: refreshWindow)
        }
    }

    public func resolve() async throws -> ResolvedCredentials {
        let now = clock()
        if let cached, now < refreshAt {
            return ResolvedCredentials(credentials: cached, source: source)
        }
        let task: Task<Credentials, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let fetch = self.fetch
            let clock = self.clock
            let source = self.source
            task = Task {
                let fresh = try await fetch()
                try Self.validate(fresh, now: clock(), source: source)
                return fresh
            }
            inFlight = task
            fetchCount += 1
        }
        do {
            let fresh = try await task.value
            if inFlight == task {
                inFlight = nil
                cached = fresh
                refreshAt = Self.nextRefresh(for: fresh, now: clock(), window: refreshWindow)
            }
            return ResolvedCredentials(credentials: fresh, source: source)
        } catch {
            if inFlight == task { inFlight = nil }
            if let cached, let expiration = cached.expiration, expiration - clock() > failureGrace {
                return ResolvedCredentials(credentials: cached, source: source)
            }
            throw error
        }
    }

    static func validate(_ credentials: Credentials, now: Double, source: String) throws {
        if credentials.accessKeyId.isEmpty || credentials.secretAccessKey.isEmpty {
            throw AWSConfigError.credentials(
                source: source, failure: .malformedResponse("the access key id or secret access key is empty"))
        }
        if let expiration = credentials.expiration, expiration <= now {
            throw AWSConfigError.credentials(source: source, failure: .expired(expiration: expiration, now: now))
        }
    }

    static func nextRefresh(for credentials: Credentials, now: Double, window: Double) -> Double {
        guard let expiration = credentials.expiration else { return Double.infinity }
        let planned = expiration - window
        if planned > now { return planned }
        return now + max(0, expiration - now) / 2
    }
}
