public import PlanSyntax

/// What the pipeline makes of one file: its specs and every problem found on the way.
public struct FileAnalysis: Sendable {
    public var file: String
    public var specs: [PlanSpec]
    public var diagnostics: [Diagnostic]
    /// The YAML could not be read to the end; specs after the error are unknown.
    public var complete: Bool
}

public struct CompileOptions: Sendable {
    public var disabledRules: Set<String>
    public var limits: ParseLimits
    public init(disabledRules: Set<String> = [], limits: ParseLimits = .default) {
        self.disabledRules = disabledRules
        self.limits = limits
    }
}

/// parse → lower → check one file. Pure: the caller reads the bytes.
public func analyzeFile(_ bytes: [UInt8], file: String, options: CompileOptions = CompileOptions()) -> FileAnalysis {
    let yaml = parseYAML(bytes, file: file, limits: options.limits)
    var diagnostics = yaml.diagnostics
    var specs: [PlanSpec] = []
    specs.reserveCapacity(yaml.documents.count)
    for document in yaml.documents {
        if let spec = lowerPlanSpec(document, file: file, into: &diagnostics) {
            RuleRegistry.check(spec, disabled: options.disabledRules, into: &diagnostics)
            specs.append(spec)
        }
    }
    if !options.disabledRules.isEmpty {
        diagnostics.removeAll { options.disabledRules.contains($0.ruleID) && $0.ruleID >= "PC2" }
    }
    return FileAnalysis(file: file, specs: specs, diagnostics: diagnostics, complete: yaml.complete)
}

/// The checks across every spec of a run. Call with the files in the order they are reported.
public func analyzeProject(_ files: [FileAnalysis], options: CompileOptions = CompileOptions()) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    RuleRegistry.check(project: files, disabled: options.disabledRules, into: &diagnostics)
    return diagnostics
}
