/// An AWS service as endpoint configuration names it.
public struct AWSService: Sendable, Equatable, Hashable {
    /// The model's `serviceId`, e.g. "Service Catalog".
    public var serviceId: String
    /// The host prefix of the endpoint rules, e.g. "servicecatalog".
    public var endpointPrefix: String
    /// The SigV4 signing name.
    public var signingName: String

    public init(serviceId: String, endpointPrefix: String, signingName: String) {
        self.serviceId = serviceId
        self.endpointPrefix = endpointPrefix
        self.signingName = signingName
    }

    public static let serviceCatalog = AWSService(
        serviceId: "Service Catalog", endpointPrefix: "servicecatalog", signingName: "servicecatalog")
    public static let sts = AWSService(serviceId: "STS", endpointPrefix: "sts", signingName: "sts")

    /// "SERVICE_CATALOG": the suffix of `AWS_ENDPOINT_URL_<SUFFIX>`.
    public var environmentSuffix: String { snakeCaseId.uppercased() }
    /// "service_catalog": the key inside a `[services NAME]` section.
    public var configKey: String { snakeCaseId }

    private var snakeCaseId: String {
        serviceId.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).joined(separator: "_")
    }
}

/// The loaded AWS configuration of one run: environment, active profile and shared files.
/// Region, endpoints and credentials are resolved from it.
public struct AWSConfiguration: Sendable {
    public var environment: AWSEnvironment
    public var profile: ProfileSelection
    public var files: AWSSharedConfig

    public init(environment: AWSEnvironment, profile: ProfileSelection, files: AWSSharedConfig) {
        self.environment = environment
        self.profile = profile
        self.files = files
    }

    /// Selects the profile (`--profile`, `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, "default"), reads
    /// the config and credentials files, and checks that an explicitly named profile exists.
    public static func load(profile commandLineProfile: String?, environment: AWSEnvironment) throws -> AWSConfiguration {
        let selection = ProfileSelection.select(commandLine: commandLineProfile, environment: environment)
        let files = try AWSSharedConfig.load(environment: environment)
        if selection.isExplicit, !files.hasProfile(selection.name) {
            throw AWSConfigError.profileNotFound(
                profile: selection.name, origin: selection.origin.description,
                configFile: files.configFilePath, credentialsFile: files.credentialsFilePath)
        }
        return AWSConfiguration(environment: environment, profile: selection, files: files)
    }

    /// A text setting of the active profile.
    public func setting(_ key: String) -> String? {
        files.value(key, profile: profile.name)
    }

    /// A boolean from an environment variable (when set at all) or else the profile,
    /// with botocore's reading ("true" in any case is true, anything else false).
    func flag(environment variable: String, profileKey: String) -> (value: Bool, source: String)? {
        if let raw = environment.raw(variable) { return (parseBoolean(raw) ?? false, variable) }
        if let text = setting(profileKey) {
            return (parseBoolean(text) ?? false, "\(profileKey) in profile '\(profile.name)'")
        }
        return nil
    }

    var profileDescription: String { "profile '\(profile.name)' in \(files.configFilePath)" }
}

extension AWSConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "AWSConfiguration(profile: \(profile.name) (from \(profile.origin)), \(files), \(environment))"
    }
    public var debugDescription: String { description }
}

// MARK: - Region

public struct ResolvedRegion: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// Where it came from: "--region", "AWS_REGION", "AWS_DEFAULT_REGION" or
    /// "profile 'NAME' in PATH".
    public var source: String
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
    public var description: String { "\(name) (from \(source))" }
}

extension AWSConfiguration {
    /// `--region`, then `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the active profile's
    /// `region`. Empty values are skipped. Returns nil when none is set.
    public func region(commandLine: String?) -> ResolvedRegion? {
        if let value = commandLine, !value.isEmpty { return ResolvedRegion(name: value, source: "--region") }
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[variable] { return ResolvedRegion(name: value, source: variable) }
        }
        if let value = setting("region"), !value.isEmpty {
            return ResolvedRegion(name: value, source: profileDescription)
        }
        return nil
    }

    /// Like `region(commandLine:)`, but a missing or malformed region is an error that lists
    /// the places tried.
    public func resolveRegion(commandLine: String?) throws -> ResolvedRegion {
        guard let region = region(commandLine: commandLine) else {
            throw AWSConfigError.noRegion(tried: ["--region", "AWS_REGION", "AWS_DEFAULT_REGION", profileDescription])
        }
        guard isValidRegionName(region.name) else {
            throw AWSConfigError.invalidRegion(region: region.name, source: region.source)
        }
        return region
    }
}

/// botocore's `validate_region_name`: a DNS label of letters, digits and hyphens, not all
/// digits, not starting or ending with a hyphen, at most 63 characters.
public func isValidRegionName(_ name: String) -> Bool {
    guard !name.isEmpty, name.count <= 63 else { return false }
    guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
    else { return false }
    if name.hasPrefix("-") || name.hasSuffix("-") { return false }
    if name.allSatisfy({ $0.isNumber }) { return false }
    return true
}

// MARK: - Endpoint

public struct ResolvedEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var endpoint: Endpoint
    /// The region to sign with (a FIPS pseudo-region such as "fips-us-east-1" is normalised).
    public var signingRegion: String
    /// Where the endpoint came from: "--endpoint-url", "AWS_ENDPOINT_URL_SERVICE_CATALOG",
    /// "AWS_ENDPOINT_URL", "services section 'x' in PATH", "endpoint_url in profile 'p'",
    /// or "endpoint rules (aws, fips)".
    public var source: String
    public init(endpoint: Endpoint, signingRegion: String, source: String) {
        self.endpoint = endpoint
        self.signingRegion = signingRegion
        self.source = source
    }
    public var description: String { "\(endpoint) (from \(source), signing region \(signingRegion))" }
}

extension AWSConfiguration {
    /// The configured endpoint URL for a service, if any, with its source:
    /// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section,
    /// the profile's `endpoint_url`. All are ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
    /// (or the profile's `ignore_configured_endpoint_urls`) is true.
    public func configuredEndpointURL(for service: AWSService) throws -> (url: String, source: String)? {
        if let ignore = flag(environment: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", profileKey: "ignore_configured_endpoint_urls"),
           ignore.value {
            return nil
        }
        let serviceVariable = "AWS_ENDPOINT_URL_\(service.environmentSuffix)"
        if let url = environment[serviceVariable] { return (url, serviceVariable) }
        if let url = environment["AWS_ENDPOINT_URL"] { return (url, "AWS_ENDPOINT_URL") }
        if let sectionName = setting("services") {
            guard let section = files.services[sectionName] else {
                throw AWSConfigError.invalidConfiguration(
                    "profile '\(profile.name)' uses services section '\(sectionName)', but \(files.configFilePath) has no [services \(sectionName)] section")
            }
            if let entry = section[service.configKey] {
                guard let nested = entry.nested else {
                    throw AWSConfigError.invalidConfiguration(
                        "[services \(sectionName)] in \(files.configFilePath): '\(service.configKey)' must be followed by indented settings such as '  endpoint_url = https://…'")
                }
                if let url = nested["endpoint_url"], !url.isEmpty {
                    return (url, "services section '\(sectionName)' (\(service.configKey)) in \(files.configFilePath)")
                }
            }
        }
        if let url = setting("endpoint_url"), !url.isEmpty {
            return (url, "endpoint_url in profile '\(profile.name)'")
        }
        return nil
    }

    /// Whether FIPS endpoints are selected (`AWS_USE_FIPS_ENDPOINT`, `use_fips_endpoint`).
    public var useFIPSEndpoint: Bool {
        flag(environment: "AWS_USE_FIPS_ENDPOINT", profileKey: "use_fips_endpoint")?.value ?? false
    }

    /// Whether dual-stack endpoints are selected (`AWS_USE_DUALSTACK_ENDPOINT`, `use_dualstack_endpoint`).
    public var useDualStackEndpoint: Bool {
        flag(environment: "AWS_USE_DUALSTACK_ENDPOINT", profileKey: "use_dualstack_endpoint")?.value ?? false
    }

    /// The endpoint for `service`: `--endpoint-url` (always wins), then the configured
    /// endpoint URLs, then AWS's endpoint rules for the region with the FIPS and dual-stack
    /// settings. An http URL is refused unless its host is loopback or `allowInsecureHTTP`.
    public func resolveEndpoint(
        for service: AWSService = .serviceCatalog,
        region: String?,
        commandLineURL: String? = nil,
        allowInsecureHTTP: Bool = false
    ) throws -> ResolvedEndpoint {
        let normalized = region.map(normalizeFIPSRegion)
        let signingRegion = normalized?.region
        func custom(_ url: String, _ source: String) throws -> ResolvedEndpoint {
            let endpoint = try Endpoint.validated(url, source: source, allowInsecureHTTP: allowInsecureHTTP)
            guard let signingRegion else {
                throw AWSConfigError.noRegion(tried: ["--region", "AWS_REGION", "AWS_DEFAULT_REGION", profileDescription])
            }
            return ResolvedEndpoint(endpoint: endpoint, signingRegion: signingRegion, source: source)
        }
        if let url = commandLineURL, !url.isEmpty { return try custom(url, "--endpoint-url") }
        if let (url, source) = try configuredEndpointURL(for: service) { return try custom(url, source) }
        guard let normalized else {
            throw AWSConfigError.noRegion(tried: ["--region", "AWS_REGION", "AWS_DEFAULT_REGION", profileDescription])
        }
        guard isValidRegionName(normalized.region) else {
            throw AWSConfigError.invalidRegion(region: region ?? "", source: "the region setting")
        }
        let fips = useFIPSEndpoint || normalized.fips
        let dualStack = useDualStackEndpoint
        let rule = try EndpointRules.resolve(service: service, region: normalized.region, useFIPS: fips, useDualStack: dualStack)
        return ResolvedEndpoint(endpoint: rule.endpoint, signingRegion: rule.signingRegion, source: rule.source)
    }
}

/// botocore's `_normalize_fips_region`: "fips-us-east-1" and "us-east-1-fips" mean us-east-1
/// with FIPS on.
func normalizeFIPSRegion(_ region: String) -> (region: String, fips: Bool) {
    var r = region
    r = r.replacingFirst("fips-", with: "", all: true)
    r = r.replacingFirst("-fips", with: "", all: true)
    return (r, r != region)
}

extension String {
    func replacingFirst(_ target: String, with replacement: String, all: Bool) -> String {
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
            if !all { break }
        }
        out += rest
        return out
    }
}

/// AWS's endpoint rule sets for the services plancc calls (Service Catalog 2015-12-10 and
/// STS), evaluated for region, FIPS and dual-stack as botocore 1.43.11 does.
public enum EndpointRules {
    public struct Result: Sendable, Equatable {
        public var endpoint: Endpoint
        public var signingRegion: String
        public var source: String
    }

    public static func resolve(service: AWSService, region: String, useFIPS: Bool, useDualStack: Bool) throws -> Result {
        let partition = AWSPartition.of(region: region)
        let prefix = service.endpointPrefix
        var signingRegion = region
        // botocore also consults its older endpoints.json, which has no dual-stack variants for
        // these partitions; it refuses dual-stack there (EndpointVariantError).
        if useDualStack, ["aws-iso-e", "aws-iso-f"].contains(partition.id) {
            throw AWSConfigError.endpointRules(
                "dual-stack endpoints are not available for \(service.endpointPrefix) in partition \(partition.id) (region \(region))")
        }
        if service == .sts, region == "aws-global" { signingRegion = "us-east-1" }
        let host: String
        if useFIPS && useDualStack {
            guard partition.supportsFIPS && partition.supportsDualStack else {
                throw AWSConfigError.endpointRules("FIPS and DualStack are enabled, but partition \(partition.id) does not support one or both")
            }
            host = "\(prefix)-fips.\(region).\(partition.dualStackDnsSuffix)"
        } else if useFIPS {
            guard partition.supportsFIPS else {
                throw AWSConfigError.endpointRules("FIPS is enabled but partition \(partition.id) does not support FIPS")
            }
            if service == .sts, partition.id == "aws-us-gov" {
                host = "sts.\(region).\(partition.dnsSuffix)"
            } else {
                host = "\(prefix)-fips.\(region).\(partition.dnsSuffix)"
            }
        } else if useDualStack {
            guard partition.supportsDualStack else {
                throw AWSConfigError.endpointRules("DualStack is enabled but partition \(partition.id) does not support DualStack")
            }
            host = "\(prefix).\(region).\(partition.dualStackDnsSuffix)"
        } else if service == .sts, region == "aws-global" {
            host = "sts.amazonaws.com"
        } else {
            host = "\(prefix).\(region).\(partition.dnsSuffix)"
        }
        var flags: [String] = [partition.id]
        if useFIPS { flags.append("fips") }
        if useDualStack { flags.append("dualstack") }
        return Result(
            endpoint: Endpoint(scheme: "https", host: host, port: nil, basePath: ""),
            signingRegion: signingRegion,
            source: "endpoint rules (\(flags.joined(separator: ", ")))")
    }
}
