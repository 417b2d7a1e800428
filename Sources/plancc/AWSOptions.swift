import ArgumentParser
import AWSConfig
import PlanWire
import SigV4

/// The standard AWS settings, for the commands that sign or send requests.
struct AWSOptions: ParsableArguments {
    @Option(help: "AWS region. Default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region.")
    var region: String?

    @Option(help: "Profile in the shared config and credentials files. Default: AWS_DEFAULT_PROFILE, AWS_PROFILE, then 'default'.")
    var profile: String?

    @Option(help: ArgumentHelp("Send requests to this URL instead of the AWS endpoint (e.g. the local emulator). Default: AWS_ENDPOINT_URL_SERVICE_CATALOG, AWS_ENDPOINT_URL, the config file, then AWS's endpoint rules.", valueName: "url"))
    var endpointURL: String?

    @Flag(help: "Allow a plain http:// endpoint for a host that is not loopback (signatures and session tokens would travel unencrypted).")
    var allowHTTP = false
}

/// Region, endpoint and credentials, resolved once per run.
struct AWSSetup {
    var region: String
    var regionSource: String
    var endpoint: ResolvedEndpoint
    var credentials: any CredentialsProvider
    /// Where the credentials came from ("environment", "web-identity", …), for messages.
    var credentialsSource: String

    var target: RequestTarget {
        RequestTarget(hostHeader: endpoint.endpoint.hostHeader, path: endpoint.endpoint.requestPath("/"))
    }
}

extension AWSOptions {
    /// Resolves region, endpoint and credentials the way the AWS CLI does. Prints a clear
    /// message and ends the command with exit 3 (no region or credentials) or 2 (bad
    /// configuration) when it cannot.
    func resolve(environment: AWSEnvironment = .current()) async throws -> AWSSetup {
        do {
            let configuration = try AWSConfiguration.load(profile: profile, environment: environment)
            let region = try configuration.resolveRegion(commandLine: region)
            let endpoint = try configuration.resolveEndpoint(region: region.name, commandLineURL: endpointURL, allowInsecureHTTP: allowHTTP)
            var options = CredentialsOptions()
            options.allowInsecureHTTP = allowHTTP
            let chain = DefaultCredentialsChain(configuration: configuration, region: region.name, options: options)
            // Resolve now, so a missing credential stops the run before any work.
            let resolved = try await chain.resolve()
            return AWSSetup(region: endpoint.signingRegion, regionSource: region.source, endpoint: endpoint,
                            credentials: chain, credentialsSource: resolved.source)
        } catch let error as AWSConfigError {
            printError(error.description)
            switch error {
            case .noRegion, .noCredentials, .credentials: throw ExitWith(code: Exit.noCredentials)
            default: throw ExitWith(code: Exit.usage)
            }
        } catch {
            printError(String(describing: error))
            throw ExitWith(code: Exit.usage)
        }
    }
}
