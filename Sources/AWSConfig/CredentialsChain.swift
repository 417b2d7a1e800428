import AsyncHTTPClient

/// Knobs of the credential sources. The defaults follow botocore 1.43.11; tests shorten the
/// timeouts and delays and point the fixed addresses at loopback stand-ins.
public struct CredentialsOptions: Sendable {
    /// HTTP for STS, container and IMDS requests.
    public var transport: any CredentialsHTTPTransport
    /// Refresh temporary credentials when less than this many seconds remain.
    public var refreshWindow: Double = 300
    /// Accept a plain-http STS endpoint override on a non-loopback host.
    public var allowInsecureHTTP: Bool = false
    /// Base of `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`.
    public var containerBaseURL: String = "http://169.254.170.2"
    public var containerTimeout: Double = 2
    public var containerAttempts: Int = 3
    public var containerRetryDelay: Double = 1
    /// IMDS base URL when neither `AWS_EC2_METADATA_SERVICE_ENDPOINT` nor the IPv6 mode is set.
    public var imdsDefaultIPv4Endpoint: String = "http://169.254.169.254/"
    public var imdsDefaultIPv6Endpoint: String = "http://[fd00:ec2::254]/"
    /// Per-request STS deadline, attempts (throttling, 5xx and connection errors are retried),
    /// and the base delay between attempts (doubled each time).
    public var stsTimeout: Double = 30
    public var stsAttempts: Int = 3
    public var stsRetryDelay: Double = 0.5
    /// `credential_process` gets this long before it is killed.
    public var processTimeout: Double = 120
    /// `RoleSessionName` when the profile or `AWS_ROLE_SESSION_NAME` sets none;
    /// default "plancc-session-<epoch seconds>".
    public var defaultRoleSessionName: String? = nil
    /// Asked for the current MFA code of an `mfa_serial`; without it such profiles fail.
    public var mfaTokenProvider: (@Sendable (_ serialNumber: String) async throws -> String)? = nil
    /// Sleeps between retries (tests make it instant).
    public var sleep: @Sendable (Double) async throws -> Void = { seconds in
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }

    public init(transport: any CredentialsHTTPTransport = AsyncHTTPClientTransport()) {
        self.transport = transport
    }
}

/// What the chain needs while it looks for credentials.
struct ChainContext: Sendable {
    var configuration: AWSConfiguration
    var region: String?
    var options: CredentialsOptions

    var environment: AWSEnvironment { configuration.environment }
    var files: AWSSharedConfig { configuration.files }
    var now: Double { configuration.environment.clock() }

    func profileValue(_ key: String, _ profile: String) -> String? { files.value(key, profile: profile) }

    func refreshing(_ found: FoundSource) -> RefreshingCredentialsProvider {
        RefreshingCredentialsProvider(
            source: found.source, refreshWindow: options.refreshWindow, clock: environment.clock,
            initial: found.initial, fetch: found.fetch)
    }
}

/// A configured source: its name, how to fetch, and credentials already fetched, if any.
struct FoundSource: Sendable {
    var source: String
    var initial: Credentials? = nil
    var fetch: @Sendable () async throws -> Credentials
}

enum Lookup: Sendable {
    case notConfigured(String)
    case found(FoundSource)
}

/// One link of the chain: a source name (for the "tried" list) and its lookup.
struct ChainLink: Sendable {
    var name: String
    var lookup: @Sendable (ChainContext) async throws -> Lookup
}

/// The default credential chain, in botocore's order:
///
/// 1. environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`); skipped
///    when `--profile` was given (as botocore does, also when all three are set);
/// 2. assume-role profile (`role_arn` with `source_profile` or `credential_source`);
/// 3. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN` or the profile's keys);
/// 4. IAM Identity Center (SSO) profiles: not supported, an error that says so;
/// 5. shared credentials file; 6. `credential_process`; 7. config file keys;
/// 8. container credentials (ECS, CodeBuild, EKS Pod Identity); 9. EC2 instance metadata.
///
/// The first configured source wins and is used (and refreshed) from then on. When none is
/// configured the error lists every source and why it did not apply.
public actor DefaultCredentialsChain: CredentialsProvider {
    public nonisolated let configuration: AWSConfiguration
    public nonisolated let region: String?
    public nonisolated let options: CredentialsOptions
    private var selected: RefreshingCredentialsProvider?
    private var searching: Task<RefreshingCredentialsProvider, any Error>?

    public init(configuration: AWSConfiguration, region: String?, options: CredentialsOptions = CredentialsOptions()) {
        self.configuration = configuration
        self.region = region
        self.options = options
    }

    /// The source that supplied credentials, once one did.
    public var selectedSource: String? { selected?.source }

    public func resolve() async throws -> ResolvedCredentials {
        if let selected { return try await selected.resolve() }
        let task: Task<RefreshingCredentialsProvider, any Error>
        if let searching {
            task = searching
        } else {
            let context = ChainContext(configuration: configuration, region: region, options: options)
            task = Task { try await Self.search(context) }
            searching = task
        }
        do {
            let provider = try await task.value
            if searching == task {
                searching = nil
                selected = provider
            }
            return try await provider.resolve()
        } catch {
            if searching == task { searching = nil }
            throw error
        }
    }

    static func search(_ context: ChainContext) async throws -> RefreshingCredentialsProvider {
        var tried: [CredentialsAttempt] = []
        for link in defaultLinks(context) {
            switch try await link.lookup(context) {
            case .notConfigured(let reason):
                tried.append(CredentialsAttempt(source: link.name, reason: reason))
            case .found(let found):
                return context.refreshing(found)
            }
        }
        throw AWSConfigError.noCredentials(tried: tried)
    }

    static func defaultLinks(_ context: ChainContext) -> [ChainLink] {
        let profile = context.configuration.profile
        let explicit = profile.origin == .commandLine
        var links: [ChainLink] = []
        if explicit {
            links.append(ChainLink(name: "environment") { _ in .notConfigured("not used because --profile was given") })
        } else {
            links.append(environmentLink)
        }
        links.append(ChainLink(name: "assume-role") { context in
            try await assumeRoleLookup(profile: profile.name, context: context)
        })
        links += profileLinks(profile: profile.name, disableEnvironment: explicit)
        links.append(containerLink)
        links.append(imdsLink)
        return links
    }

    /// botocore's `ProfileProviderBuilder.providers` (without login).
    static func profileLinks(profile: String, disableEnvironment: Bool) -> [ChainLink] {
        [
            ChainLink(name: "web-identity") { context in
                try webIdentityLookup(profile: profile, useEnvironment: !disableEnvironment, context: context)
            },
            ChainLink(name: "sso") { context in try ssoLookup(profile: profile, context: context) },
            ChainLink(name: "shared-credentials-file") { context in
                try sharedCredentialsLookup(profile: profile, context: context)
            },
            ChainLink(name: "credential-process") { context in try processLookup(profile: profile, context: context) },
            ChainLink(name: "config-file") { context in try configFileLookup(profile: profile, context: context) },
        ]
    }
}

/// The default credential chain for a configuration (see `DefaultCredentialsChain`).
public func defaultCredentialsProvider(
    configuration: AWSConfiguration, region: String?, options: CredentialsOptions = CredentialsOptions()
) -> DefaultCredentialsChain {
    DefaultCredentialsChain(configuration: configuration, region: region, options: options)
}

/// Loads the configuration for `profile` and returns its default credential chain.
public func defaultCredentialsProvider(
    profile: String?, region: String?, environment: AWSEnvironment,
    options: CredentialsOptions = CredentialsOptions()
) throws -> DefaultCredentialsChain {
    let configuration = try AWSConfiguration.load(profile: profile, environment: environment)
    return DefaultCredentialsChain(configuration: configuration, region: region, options: options)
}

/// Loads the configuration for `profile` and returns its default credential chain, sending
/// STS, container and IMDS requests through `httpClient`.
public func defaultCredentialsProvider(
    profile: String?, region: String?, environment: AWSEnvironment, httpClient: HTTPClient,
    allowInsecureHTTP: Bool = false
) throws -> DefaultCredentialsChain {
    var options = CredentialsOptions(transport: AsyncHTTPClientTransport(client: httpClient))
    options.allowInsecureHTTP = allowInsecureHTTP
    return try defaultCredentialsProvider(profile: profile, region: region, environment: environment, options: options)
}
