import ArgumentParser
import PlanCore
import PlanSyntax

enum EmitKind: String, ExpressibleByArgument, CaseIterable {
    case json, http
}

struct Compile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile specs to canonical CreateProvisionedProductPlan requests.",
        discussion: """
            --emit json (default) prints one canonical request object per spec document per line \
            (JSON Lines), in path order then document order; --out DIR writes one file per document instead \
            (DIR/<ProvisionedProductName>.json). Refuses to emit anything when a spec has errors.
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

    func run() async throws {
        let options = try specs.compileOptions()
        let files = try collectSpecFiles(specs.pathsOrDefault)
        let analysis = try analyze(files, options: options, keepSources: false)
        let printer = DiagnosticPrinter(format: .text, snippets: false, color: useColor(fd: 2))
        var err = Output(fd: 2)
        for d in analysis.diagnostics { printer.render(d, source: nil, into: &err) }
        if analysis.errorCount > 0 {
            err.line("plancc: " + summary(files: files.count, specs: analysis.specCount, errors: analysis.errorCount, warnings: analysis.warningCount) + "; nothing emitted")
            err.flush()
            throw ExitWith(code: Exit.failure)
        }
        err.flush()
        let salt = tokenSalt ?? IO.environment("PLANCC_TOKEN_SALT") ?? ""
        let requests = analysis.files.flatMap(\.specs).map { renderRequest($0, tokenSalt: salt) }
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
            printError("--emit http is not available in this build yet")
            throw ExitWith(code: Exit.usage)
        }
    }
}
