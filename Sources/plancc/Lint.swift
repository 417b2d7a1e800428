import ArgumentParser
import PlanCore
import PlanSyntax

struct Lint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check spec files offline: YAML, shape, every limit of the service model, tags, parameters.",
        discussion: """
            Prints one line per finding, `path:line:col: error: message [RULE-ID]` (or `warning:`), \
            with the source line and a caret under it when writing to a terminal, and a summary on stderr.
            Exit codes: 0 no errors; 1 errors (or warnings with --strict); 2 usage errors and unreadable paths.
            """
    )

    @OptionGroup var specs: SpecOptions

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(help: "Output format: text, json (one object per line) or github (workflow annotations).")
    var format: OutputFormat = .text

    @Flag(name: .customLong("quiet"), help: "Print errors only, no warnings and no summary.")
    var quiet = false

    func run() async throws {
        let options = try specs.compileOptions()
        let terminal = IO.isTerminal(1)
        let analysis = try analyzeSpecs(specs.pathsOrDefault, options: options, keepSources: terminal && format == .text)
        let printer = DiagnosticPrinter(format: format, snippets: terminal, color: format == .text && useColor(fd: 1))
        var out = Output(fd: 1)
        for d in analysis.diagnostics where !(quiet && d.severity != .error) {
            printer.render(d, source: analysis.sources[d.file], into: &out)
        }
        out.flush()
        if !quiet {
            var err = Output(fd: 2)
            err.line("plancc: " + summary(files: analysis.files.count, specs: analysis.specCount, errors: analysis.errorCount, warnings: analysis.warningCount))
            err.flush()
        }
        let failed = analysis.errorCount > 0 || (strict && analysis.warningCount > 0)
        // Exit with the analysis still alive: tearing down thousands of trees is work nobody needs.
        withExtendedLifetime(analysis) { Main.exit(failed ? Exit.failure : Exit.success) }
    }
}

extension OutputFormat: ExpressibleByArgument {}
