public import PlanCore
public import PlanSyntax

/// One spec document as apply sees it: where it is, its canonical request, and whether lint
/// found errors in it (then no call is made for it).
public struct ApplySpec: Sendable {
    public var file: String
    /// 0-based document index in the file; -1 for a file that yielded no spec at all.
    public var documentIndex: Int
    /// Line where the document starts.
    public var line: Int
    public var provisionedProductName: String
    public var planName: String
    public var productId: String
    /// The canonical request members (without PathId when the spec gives none).
    public var request: JSONValue
    public var token: String
    public var pathId: String?
    /// Why the spec is not sent (its first lint error), or nil.
    public var lintError: String?

    public init(file: String, documentIndex: Int, line: Int, provisionedProductName: String, planName: String, productId: String,
                request: JSONValue, token: String, pathId: String?, lintError: String? = nil) {
        self.file = file
        self.documentIndex = documentIndex
        self.line = line
        self.provisionedProductName = provisionedProductName
        self.planName = planName
        self.productId = productId
        self.request = request
        self.token = token
        self.pathId = pathId
        self.lintError = lintError
    }

    /// `path:line` of the document, for messages.
    public var location: String { "\(file):\(line)" }

    /// What `--shard` hashes: the ProvisionedProductName (unique in a run, by lint rule), or
    /// `path#document` for a spec without one.
    public var shardKey: String {
        provisionedProductName.isEmpty ? "\(file)#\(documentIndex)" : provisionedProductName
    }

    /// The request with `PathId` set, as canonical bytes.
    public func body(pathId: String?) -> [UInt8] {
        guard let pathId, self.pathId == nil, case .object(var members) = request else { return request.canonicalBytes }
        members.append(("PathId", .string(pathId)))
        return JSONValue.object(members).canonicalBytes
    }
}

/// The specs of analysed files, in file order then document order, with lint errors
/// attributed to the document they are in: an error belongs to the spec whose document
/// starts last at or before it. When that cannot be told (the YAML could not be read to
/// the end, or a document is not a spec at all) every spec of the file is held back; a
/// file with errors and no spec is one failed entry of its own.
public func makeApplySpecs(files: [FileAnalysis], diagnostics: [Diagnostic], tokenSalt: String) -> [ApplySpec] {
    var errorsByFile: [String: [Diagnostic]] = [:]
    for d in diagnostics where d.severity == .error { errorsByFile[d.file, default: []].append(d) }
    var out: [ApplySpec] = []
    for file in files {
        let errors = (errorsByFile[file.file] ?? []).sorted(by: Diagnostic.ordered)
        let specs = file.specs.sorted { $0.documentIndex < $1.documentIndex }
        if specs.isEmpty {
            if let first = errors.first {
                out.append(ApplySpec(file: file.file, documentIndex: -1, line: first.location.line, provisionedProductName: "",
                                     planName: "", productId: "", request: .object([]), token: "", pathId: nil,
                                     lintError: "lint: " + first.rendered))
            }
            continue
        }
        let gaps = specs.enumerated().contains { $0.offset != $0.element.documentIndex }
        let wholeFile = !errors.isEmpty && (!file.complete || gaps)
        var firstError: [Int: Diagnostic] = [:]
        if !wholeFile {
            for e in errors {
                var owner = 0
                for (i, s) in specs.enumerated() where s.location <= e.location { owner = i }
                if firstError[owner] == nil { firstError[owner] = e }
            }
        }
        for (i, spec) in specs.enumerated() {
            var lintError: String?
            if wholeFile {
                lintError = "lint: the file has errors that cannot be placed in one document; first: " + errors[0].rendered
            } else if let e = firstError[i] {
                lintError = "lint: " + e.rendered
            }
            let name = spec.provisionedProductName?.value ?? ""
            if lintError != nil {
                out.append(ApplySpec(file: file.file, documentIndex: spec.documentIndex, line: spec.location.line,
                                     provisionedProductName: name, planName: spec.planName?.value ?? "",
                                     productId: spec.productId?.value ?? "", request: .object([]), token: "",
                                     pathId: spec.pathId?.value, lintError: lintError))
                continue
            }
            let request = renderRequest(spec, tokenSalt: tokenSalt)
            out.append(ApplySpec(file: file.file, documentIndex: spec.documentIndex, line: spec.location.line,
                                 provisionedProductName: name, planName: spec.planName?.value ?? "",
                                 productId: spec.productId?.value ?? "", request: request.json,
                                 token: request.idempotencyToken, pathId: spec.pathId?.value))
        }
    }
    return out
}
