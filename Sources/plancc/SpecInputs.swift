import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import PlanCore
import PlanSyntax

/// Finds spec files: explicit files as given, directories recursively (`*.yaml`, `*.yml`),
/// skipping hidden entries, `.build` and the project file `plancc.yaml`. The result is sorted
/// by path and has no duplicates, so output order never depends on argument order.
func collectSpecFiles(_ paths: [String]) throws -> [String] {
    var files: [String] = []
    for raw in paths {
        let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        switch IO.kind(path) {
        case .missing(let reason):
            throw IOFailure(path: raw, reason: reason)
        case .file:
            files.append(path)
        case .directory:
            var found: [String] = []
            try walk(path, into: &found)
            if found.isEmpty {
                throw IOFailure(path: raw, reason: "no spec files (*.yaml, *.yml) in this directory")
            }
            files.append(contentsOf: found)
        }
    }
    // Sorted by bytes (for UTF-8, code point order), independent of locale. The keys are
    // copied out once and compared with memcmp: comparing Strings directly is most of the
    // cost of listing ten thousand files.
    var keyed = files.map { (key: Array($0.utf8), path: $0) }
    keyed.sort { a, b in
        let n = min(a.key.count, b.key.count)
        let c = n == 0 ? 0 : a.key.withUnsafeBufferPointer { x in b.key.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, n) } }
        return c != 0 ? c < 0 : a.key.count < b.key.count
    }
    var unique: [String] = []
    unique.reserveCapacity(keyed.count)
    for k in keyed where unique.last != k.path { unique.append(k.path) }
    return unique
}

private func walk(_ dir: String, into found: inout [String]) throws {
    // Names are tested as bytes, and a path is built only for the entries kept.
    let prefix = dir == "." ? [] : Array(dir.utf8) + [UInt8(ascii: "/")]
    var subdirectories: [String] = []
    try IO.forEachEntry(dir) { name, isDirectory in
        if name.first == UInt8(ascii: ".") { return }
        if isDirectory {
            subdirectories.append(joined(prefix, name))
        } else if isSpecFileName(name) {
            found.append(joined(prefix, name))
        }
    }
    for subdirectory in subdirectories { try walk(subdirectory, into: &found) }
}

private func joined(_ prefix: [UInt8], _ name: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: prefix.count + name.count) { buffer in
        let afterPrefix = buffer.initialize(fromContentsOf: prefix)
        let end = buffer[afterPrefix...].initialize(fromContentsOf: name)
        return end
    }
}

/// `*.yaml` or `*.yml`, except the project file `plancc.yaml` / `plancc.yml`.
private func isSpecFileName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    func hasSuffix(_ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        return name.count >= n && memcmp(name.baseAddress! + name.count - n, suffix.utf8Start, n) == 0
    }
    guard hasSuffix(".yaml") || hasSuffix(".yml") else { return false }
    return !(name.elementsEqual("plancc.yaml".utf8) || name.elementsEqual("plancc.yml".utf8))
}

/// The result of analysing a set of files.
struct Analysis {
    var files: [FileAnalysis]
    var diagnostics: [Diagnostic]
    var sources: [String: SourceText]

    var errorCount: Int { diagnostics.count { $0.severity == .error } }
    var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    var specCount: Int { files.reduce(0) { $0 + $1.specs.count } }

    func hasErrors(in file: String) -> Bool {
        diagnostics.contains { $0.file == file && $0.severity == .error }
    }
}

/// Reads and analyses files on every core, then runs the project-wide checks. Keeps the
/// file bytes only when `keepSources` (for caret snippets).
func analyze(_ paths: [String], options: CompileOptions, keepSources: Bool) throws -> Analysis {
    let count = paths.count
    let results = ResultSlots<Result<(FileAnalysis, [UInt8]?), IOFailure>>(count: count)
    let workers = min(count, max(1, System.activeProcessorCount))
    // Work is handed out in small batches from a shared counter, so a slow file doesn't stall a core.
    let next = AtomicCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let start = next.add(8)
            if start >= count { break }
            for i in start..<min(start + 8, count) {
                do {
                    let bytes = try IO.read(paths[i], limit: options.limits.maxFileBytes)
                    let analysis = analyzeFile(bytes, file: paths[i], options: options)
                    results.set(i, .success((analysis, keepSources ? bytes : nil)))
                } catch let failure as IOFailure {
                    results.set(i, .failure(failure))
                } catch {
                    results.set(i, .failure(IOFailure(path: paths[i], reason: "\(error)")))
                }
            }
        }
    }
    var files: [FileAnalysis] = []
    files.reserveCapacity(count)
    var sources: [String: SourceText] = [:]
    var diagnostics: [Diagnostic] = []
    for i in 0..<count {
        switch results.get(i)! {
        case .failure(let failure): throw failure
        case .success(let (analysis, bytes)):
            files.append(analysis)
            diagnostics.append(contentsOf: analysis.diagnostics)
            if let bytes { sources[analysis.file] = SourceText(bytes: bytes) }
        }
    }
    diagnostics.append(contentsOf: analyzeProject(files, options: options))
    diagnostics.sort(by: Diagnostic.ordered)
    return Analysis(files: files, diagnostics: diagnostics, sources: sources)
}
