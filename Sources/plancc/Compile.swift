import ArgumentParser
import AWSConfig
import PlanCore
import PlanSyntax
import PlanWire
import SigV4

enum EmitKind: String, ExpressibleByArgument, CaseIterable {
    case json, http
}

struct Compile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile specs to canonical CreateProvisionedProductPlan requests.",
        discussion: """
            --emit json (default) prints one canonical request object per spec document per line \
            (JSON Lines), in path order then document order; --out DIR writes one file per document instead \
            (DIR/<ProvisionedProductName>.json). --emit http prints the same requests as SigV4-signed raw \
            HTTP/1.1 messages, one after another (--out DIR: DIR/<ProvisionedProductName>.http); it needs \
            credentials and a region, found as the AWS CLI finds them. Refuses to emit anything when a spec has errors.
            Exit codes: 0 emitted; 1 a spec has errors; 2 usage errors and unreadable paths; 3 no credentials or region (http).
            """
    )

    @OptionGroup var specs: SpecOptions

    @Option(help: "What to emit: json (canonical request JSON) or http (SigV4-signed raw HTTP/1.1 requests).")
    var emit: EmitKind = .json

    @Option(help: ArgumentHelp("Write one file per spec document into this directory instead of standard output.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Salt for derived idempotency tokens (e.g. the commit id). Default: $PLANCC_TOKEN_SALT, else none.", valueName: "salt"))
    var tokenSalt: String?

    @Option(help: ArgumentHelp("With --emit http: sign as of this time (ISO 8601, e.g. 2026-01-01T00:00:00Z) instead of now, for reproducible output.", valueName: "time"))
    var signingTime: String?

    @OptionGroup var aws: AWSOptions

    func validate() throws {
        if let signingTime, SigningTime(iso8601: signingTime) == nil {
            throw ValidationError("--signing-time '\(signingTime)' is not an ISO 8601 time such as 2026-01-01T00:00:00Z")
        }
        if emit == .json && (signingTime != nil || aws.region != nil || aws.profile != nil || aws.endpointURL != nil) {
            throw ValidationError("--signing-time, --region, --profile and --endpoint-url apply to --emit http only")
        }
    }

    func run() async throws {
        let options = try specs.compileOptions()
        let analysis = try analyzeSpecs(specs.pathsOrDefault, options: options, keepSources: false)
        let printer = DiagnosticPrinter(format: .text, snippets: false, color: useColor(fd: 2))
        var err = Output(fd: 2)
        for d in analysis.diagnostics { printer.render(d, source: nil, into: &err) }
        if analysis.errorCount > 0 {
            err.line("plancc: " + summary(files: analysis.files.count, specs: analysis.specCount, errors: analysis.errorCount, warnings: analysis.warningCount) + "; nothing emitted")
            err.flush()
            throw ExitWith(code: Exit.failure)
        }
        err.flush()
        let salt = tokenSalt ?? IO.environment("PLANCC_TOKEN_SALT") ?? ""
        let requests = parallelMap(analysis.files.flatMap(\.specs)) { renderRequest($0, tokenSalt: salt) }
        switch emit {
        case .json:
            if let out {
                try IO.makeDirectory(out)
                for r in requests {
                    try IO.write(out + "/" + r.provisionedProductName + ".json", r.body + [0x0A])
                }
            } else {
                var stdout = Output(fd: 1)
                for r in requests { stdout.write(bytes: r.body); stdout.write("\n") }
                stdout.flush()
            }
        case .http:
            let setup = try await aws.resolve()
            let credentials = try await setup.credentials.resolve().credentials
            let time = signingTime.flatMap(SigningTime.init(iso8601:)) ?? SigningTime.now()
            let target = setup.target
            let region = setup.region
            // Every request has the same headers, credentials and clock: build the headers and
            // prepare the signing once, then set and sign each body.
            let template = makeRequest(operation: "CreateProvisionedProductPlan", body: [], target: target)
            let signing = prepareSigning(region: region, credentials: credentials, time: time)
            let messages = parallelMap(requests) { r in
                var request = template
                request.body = r.body
                return renderHTTP(signRequest(request, with: signing))
            }
            if let out {
                try IO.makeDirectory(out)
                for (r, message) in zip(requests, messages) { try IO.write(out + "/" + r.provisionedProductName + ".http", message) }
            } else {
                var stdout = Output(fd: 1)
                for message in messages { stdout.write(bytes: message) }
                stdout.flush()
            }
            // Exit with the results still alive, as lint does: tearing down thousands of
            // specs, requests and messages is work nobody needs. Everything is written.
            withExtendedLifetime((analysis, requests, messages)) { Main.exit(Exit.success) }
        }
        withExtendedLifetime((analysis, requests)) { Main.exit(Exit.success) }
    }
}
