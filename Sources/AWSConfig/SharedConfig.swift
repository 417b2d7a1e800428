/// The shared AWS config and credentials files, combined the way botocore combines them.
///
/// * The config file (`AWS_CONFIG_FILE`, default `~/.aws/config`) names profiles `[default]`
///   and `[profile NAME]`, and `services` sections `[services NAME]`.
/// * The credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`) names
///   them `[NAME]`. Its settings are merged into the profile of the same name and win over
///   the config file's (botocore's `Session.full_config`).
/// * A missing file counts as empty.
public struct AWSSharedConfig: Sendable, Equatable {
    public var configFilePath: String
    public var credentialsFilePath: String
    /// Profiles of the config file alone (used by the "config-file" credential source).
    public var configProfiles: [String: [String: INIValue]]
    /// Sections of the credentials file alone (the "shared-credentials-file" source).
    public var credentialsSections: [String: [String: INIValue]]
    /// Config profiles with the credentials file merged in (everything else reads these).
    public var profiles: [String: [String: INIValue]]
    /// `[services NAME]` sections of the config file.
    public var services: [String: [String: INIValue]]
    public var configFileExists: Bool
    public var credentialsFileExists: Bool

    public init(
        configFilePath: String, credentialsFilePath: String,
        configFile: INIFile?, credentialsFile: INIFile?
    ) {
        self.configFilePath = configFilePath
        self.credentialsFilePath = credentialsFilePath
        self.configFileExists = configFile != nil
        self.credentialsFileExists = credentialsFile != nil
        var profiles: [String: [String: INIValue]] = [:]
        var services: [String: [String: INIValue]] = [:]
        for section in configFile?.sections ?? [] {
            if section.name.hasPrefix("profile") {
                if let parts = shellSplit(section.name), parts.count == 2 { profiles[parts[1]] = section.values }
            } else if section.name.hasPrefix("sso-session") {
                continue
            } else if section.name.hasPrefix("services") {
                if let parts = shellSplit(section.name), parts.count == 2 { services[parts[1]] = section.values }
            } else if section.name == "default" {
                profiles["default"] = section.values
            }
        }
        self.configProfiles = profiles
        var credentials: [String: [String: INIValue]] = [:]
        for section in credentialsFile?.sections ?? [] { credentials[section.name] = section.values }
        self.credentialsSections = credentials
        var merged = profiles
        for (name, values) in credentials {
            merged[name, default: [:]].merge(values) { _, fromCredentials in fromCredentials }
        }
        self.profiles = merged
        self.services = services
    }

    /// Reads both files from the locations the environment selects.
    public static func load(environment: AWSEnvironment) throws -> AWSSharedConfig {
        let configPath = environment.expandPath(environment.raw("AWS_CONFIG_FILE") ?? "~/.aws/config")
        let credentialsPath = environment.expandPath(
            environment.raw("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        let configFile = try environment.readText(configPath).map { try INIFile.parse($0, path: configPath) }
        let credentialsFile = try environment.readText(credentialsPath).map {
            try INIFile.parse($0, path: credentialsPath)
        }
        return AWSSharedConfig(
            configFilePath: configPath, credentialsFilePath: credentialsPath,
            configFile: configFile, credentialsFile: credentialsFile)
    }

    /// A text setting of a (merged) profile; nil when absent or a nested block.
    public func value(_ key: String, profile: String) -> String? {
        profiles[profile]?[key]?.text
    }

    public func hasProfile(_ name: String) -> Bool { profiles[name] != nil }
}

/// Which profile is active and why.
public struct ProfileSelection: Sendable, Equatable {
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// `--profile` on the command line (this disables the environment credential source,
        /// as in botocore).
        case commandLine
        /// `AWS_DEFAULT_PROFILE` or `AWS_PROFILE` (botocore reads them in that order).
        case environment(String)
        /// Nothing selected a profile: "default".
        case implicitDefault

        public var description: String {
            switch self {
            case .commandLine: return "--profile"
            case .environment(let name): return name
            case .implicitDefault: return "the default"
            }
        }
    }

    public var name: String
    public var origin: Origin

    public init(name: String, origin: Origin) {
        self.name = name
        self.origin = origin
    }

    /// `--profile`, then `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`, then "default".
    public static func select(commandLine: String?, environment: AWSEnvironment) -> ProfileSelection {
        if let name = commandLine, !name.isEmpty { return ProfileSelection(name: name, origin: .commandLine) }
        for variable in ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"] {
            if let name = environment[variable] { return ProfileSelection(name: name, origin: .environment(variable)) }
        }
        return ProfileSelection(name: "default", origin: .implicitDefault)
    }

    /// Whether the name was chosen explicitly (then the profile must exist).
    public var isExplicit: Bool { origin != .implicitDefault }
}

extension AWSSharedConfig: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "AWSSharedConfig(config: \(configFilePath)\(configFileExists ? "" : " (absent)"), profiles: \(profiles.keys.sorted().joined(separator: ", ")); "
            + "credentials: \(credentialsFilePath)\(credentialsFileExists ? "" : " (absent)"))"
    }
    public var debugDescription: String { description }
}
