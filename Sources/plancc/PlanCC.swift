import ArgumentParser
import PlanCore
import PlanSyntax

/// Exit codes, the same for every command.
enum Exit {
    static let success: Int32 = 0
    /// Findings with errors (or warnings under --strict); a spec that failed in apply.
    static let failure: Int32 = 1
    /// Usage or configuration errors, unreadable paths.
    static let usage: Int32 = 2
    /// No credentials or no region.
    static let noCredentials: Int32 = 3
}

struct PlanCC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plancc",
        abstract: "Compile AWS Service Catalog plan specs (YAML) into CreateProvisionedProductPlan calls.",
        discussion: """
            Exit codes: 0 success; 1 errors found (lint, compile) or a spec failed (apply); \
            2 usage or configuration error, unreadable path; 3 no credentials or no region.
            """,
        version: "0.1.0",
        subcommands: [Lint.self, Compile.self, Apply.self, Explain.self]
    )
}

/// Raised by commands to end with a given exit code after they printed their own messages.
struct ExitWith: Error { var code: Int32 }

@main
struct Main {
    static func main() async {
        do {
            var command = try PlanCC.parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitWith {
            Main.exit(exit.code)
        } catch let failure as IOFailure {
            printError(failure.description)
            Main.exit(Exit.usage)
        } catch {
            let code = PlanCC.exitCode(for: error)
            let message = PlanCC.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Main.exit(0)
            }
            if !message.isEmpty {
                var err = Output(fd: 2)
                err.line(message)
                err.flush()
            }
            // ArgumentParser's usage errors (64) are plancc's 2.
            Main.exit(code == .validationFailure ? Exit.usage : code.rawValue == 64 ? Exit.usage : code.rawValue)
        }
    }

    static func exit(_ code: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options shared by the commands that read specs.
struct SpecOptions: ParsableArguments {
    @Argument(help: "Spec files or directories (searched recursively for *.yaml and *.yml). Default: the current directory.")
    var paths: [String] = []

    @Option(name: .customLong("disable"), help: ArgumentHelp("Turn off a rule (id or name); repeatable.", valueName: "rule"))
    var disabled: [String] = []

    func compileOptions() throws -> CompileOptions {
        var ids = Set<String>()
        for d in disabled {
            guard let rule = RuleRegistry.describe(d) else {
                throw ValidationError("unknown rule '\(d)'; `plancc explain` lists the rules")
            }
            if rule.id < "PC2" {
                throw ValidationError("rule \(rule.id) (\(rule.name)) reports input plancc cannot read and cannot be turned off")
            }
            ids.insert(rule.id)
        }
        return CompileOptions(disabledRules: ids)
    }

    var pathsOrDefault: [String] { paths.isEmpty ? ["."] : paths }
}
