// Credential sources that read the environment and the shared files.

let environmentLink = ChainLink(name: "environment") { context in try environmentLookup(context.environment) }

/// botocore's `EnvProvider`: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, a token from
/// `AWS_SECURITY_TOKEN` or `AWS_SESSION_TOKEN` (first non-empty), and an optional
/// `AWS_CREDENTIAL_EXPIRATION`.
func environmentLookup(_ environment: AWSEnvironment) throws -> Lookup {
    let source = "environment"
    guard let keyId = environment["AWS_ACCESS_KEY_ID"] else { return .notConfigured("AWS_ACCESS_KEY_ID is not set") }
    guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
        throw AWSConfigError.credentials(
            source: source, failure: .incomplete("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))
    }
    let token = environment["AWS_SECURITY_TOKEN"] ?? environment["AWS_SESSION_TOKEN"]
    var expiration: Double? = nil
    if let raw = environment["AWS_CREDENTIAL_EXPIRATION"] {
        guard let parsed = parseTimestamp(raw) else {
            throw AWSConfigError.credentials(
                source: source,
                failure: .invalidConfiguration("AWS_CREDENTIAL_EXPIRATION '\(raw)' is not an ISO 8601 time"))
        }
        expiration = parsed
    }
    let credentials = Credentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    return .found(FoundSource(source: source, fetch: { credentials }))
}

/// Static keys of a profile section (`aws_access_key_id`, `aws_secret_access_key`, and a
/// token from `aws_security_token` or `aws_session_token`).
func staticKeys(
    _ values: [String: INIValue], source: String, where location: String
) throws -> Credentials? {
    guard let keyEntry = values["aws_access_key_id"] else { return nil }
    guard let keyId = keyEntry.text, !keyId.isEmpty else {
        throw AWSConfigError.credentials(source: source, failure: .incomplete("aws_access_key_id in \(location) is empty"))
    }
    guard let secret = values["aws_secret_access_key"]?.text, !secret.isEmpty else {
        throw AWSConfigError.credentials(
            source: source, failure: .incomplete("\(location) has aws_access_key_id but no aws_secret_access_key"))
    }
    var token: String? = nil
    for key in ["aws_security_token", "aws_session_token"] {
        if let value = values[key] {
            token = value.text
            break
        }
    }
    if token?.isEmpty == true { token = nil }
    return Credentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token)
}

/// botocore's `SharedCredentialProvider`: section `[PROFILE]` of the credentials file.
func sharedCredentialsLookup(profile: String, context: ChainContext) throws -> Lookup {
    let files = context.files
    let path = files.credentialsFilePath
    guard files.credentialsFileExists else { return .notConfigured("\(path) does not exist") }
    guard let section = files.credentialsSections[profile] else {
        return .notConfigured("\(path) has no [\(profile)] section")
    }
    let source = "shared-credentials-file (profile \(profile))"
    guard let credentials = try staticKeys(section, source: source, where: "[\(profile)] of \(path)") else {
        return .notConfigured("[\(profile)] in \(path) has no aws_access_key_id")
    }
    return .found(FoundSource(source: source, fetch: { credentials }))
}

/// botocore's `ConfigProvider`: keys in the profile of the config file itself.
func configFileLookup(profile: String, context: ChainContext) throws -> Lookup {
    let files = context.files
    let path = files.configFilePath
    guard files.configFileExists else { return .notConfigured("\(path) does not exist") }
    guard let values = files.configProfiles[profile] else {
        return .notConfigured("\(path) has no profile '\(profile)'")
    }
    let source = "config-file (profile \(profile))"
    guard let credentials = try staticKeys(values, source: source, where: "profile '\(profile)' of \(path)") else {
        return .notConfigured("profile '\(profile)' in \(path) has no aws_access_key_id")
    }
    return .found(FoundSource(source: source, fetch: { credentials }))
}

/// IAM Identity Center (SSO) profiles need a browser login and a token cache; plancc does not
/// implement them and says so instead of silently using another source.
func ssoLookup(profile: String, context: ChainContext) throws -> Lookup {
    let values = context.files.profiles[profile] ?? [:]
    if values["sso_account_id"] != nil || values["sso_role_name"] != nil {
        throw AWSConfigError.credentials(
            source: "sso (profile \(profile))",
            failure: .invalidConfiguration(
                "profile '\(profile)' uses IAM Identity Center (sso_account_id/sso_role_name), which plancc does not support; "
                    + "run `aws sso login --profile \(profile)` and give plancc a profile with "
                    + "`credential_process = aws configure export-credentials --profile \(profile) --format process`"))
    }
    return .notConfigured("profile '\(profile)' has no sso_account_id or sso_role_name")
}

/// botocore's `ProcessProvider`: runs `credential_process` (split like a shell would, run
/// without a shell) and reads its JSON (`Version` 1, `AccessKeyId`, `SecretAccessKey`,
/// optional `SessionToken` and `Expiration`).
func processLookup(profile: String, context: ChainContext) throws -> Lookup {
    guard let command = context.profileValue("credential_process", profile), !command.isEmpty else {
        return .notConfigured("profile '\(profile)' has no credential_process")
    }
    let source = "credential-process (profile \(profile))"
    guard let arguments = shellSplit(command), !arguments.isEmpty else {
        throw AWSConfigError.credentials(
            source: source, failure: .invalidConfiguration("credential_process has an unclosed quote"))
    }
    let environment = context.environment.variables
    let timeout = context.options.processTimeout
    return .found(FoundSource(source: source, fetch: {
        try await runCredentialProcess(arguments: arguments, environment: environment, timeout: timeout, source: source)
    }))
}

func runCredentialProcess(arguments: [String], environment: [String: String], timeout: Double, source: String) async throws -> Credentials {
    let output: ProcessOutput
    do {
        output = try await runProcess(arguments: arguments, environment: environment, timeout: timeout)
    } catch ProcessRunError.timedOut {
        throw AWSConfigError.credentials(source: source, failure: .process("'\(arguments[0])' did not finish within \(formatSeconds(timeout)) and was killed"))
    } catch ProcessRunError.spawnFailed(let reason) {
        throw AWSConfigError.credentials(source: source, failure: .process(reason))
    }
    guard output.status == 0 else {
        var message = "'\(arguments[0])' exited with status \(output.status)"
        let stderr = String(decoding: output.stderr.suffix(600), as: UTF8.self).trimmingWhitespace()
        if !stderr.isEmpty { message += ": \(stderr)" }
        throw AWSConfigError.credentials(source: source, failure: .process(message))
    }
    let document: JSONValue
    do {
        document = try parseJSON(output.stdout)
    } catch let error as JSONSyntaxError {
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse("output is not JSON (\(error.message))"))
    }
    switch document["Version"] {
    case .number(let value, _)? where value == 1:
        break
    case .number(_, let text)?:
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse("unsupported Version \(text); plancc reads Version 1"))
    case nil:
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse("the output has no Version (expected 1)"))
    default:
        throw AWSConfigError.credentials(source: source, failure: .malformedResponse("Version must be the number 1"))
    }
    switch credentialsFromJSON(document, tokenKey: "SessionToken", requireToken: false, requireExpiration: false) {
    case .success(let credentials): return credentials
    case .failure(let failure): throw AWSConfigError.credentials(source: source, failure: failure)
    }
}
