import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import PlanCore
import PlanSyntax

/// Finds spec files and analyses them: explicit files as given, directories recursively
/// (`*.yaml`, `*.yml`), skipping hidden entries and the project file `plancc.yaml`.
///
/// The directory walk runs beside the analysis: files are handed to the workers (one per
/// core) directory by directory as they are found, so listing ten thousand files costs no
/// wall time of its own. The result is in path order (bytes, i.e. code points) without
/// repeats, so output never depends on argument order or directory order. Keeps each file's
/// bytes only when `keepSources` (for caret snippets). A missing path fails before any work;
/// a directory without specs, or an unreadable file, fails the whole run.
func analyzeSpecs(_ paths: [String], options: CompileOptions, keepSources: Bool) throws -> Analysis {
    let walk = try SpecWalk(roots: specRoots(paths))
    let outcomes = analyzeQueued(walk.queue, options: options, keepSources: keepSources)
    let (found, order) = try walk.finish()

    // Back into path order, each path once.
    var byIndex = [FileOutcome?](repeating: nil, count: found.count)
    for (i, outcome) in outcomes { byIndex[i] = outcome }
    var files: [FileAnalysis] = []
    files.reserveCapacity(found.count)
    var sources: [String: SourceText] = [:]
    var diagnostics: [Diagnostic] = []
    var previous: String?
    for i in order where found[i] != previous {
        previous = found[i]
        switch byIndex[i]! {
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

/// A path the user gave, checked to exist.
private struct SpecRoot: Sendable {
    var path: String
    var raw: String
    var isDirectory: Bool
}

/// The paths as given, a trailing `/` dropped; a missing one fails here, before any work.
private func specRoots(_ paths: [String]) throws -> [SpecRoot] {
    try paths.map { raw in
        let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        switch IO.kind(path) {
        case .missing(let reason): throw IOFailure(path: raw, reason: reason)
        case .file: return SpecRoot(path: path, raw: raw, isDirectory: false)
        case .directory: return SpecRoot(path: path, raw: raw, isDirectory: true)
        }
    }
}

/// The directory walk, on a thread of its own: it feeds `queue` directory by directory, then
/// puts everything it found in path order while the workers are still busy.
private final class SpecWalk: Sendable {
    let queue = WorkQueue()
    private let group = DispatchGroup()
    private let failure = Mutex<IOFailure?>(nil)
    private let order = Mutex<[Int]>([])

    init(roots: [SpecRoot]) {
        DispatchQueue.global().async(group: group) { [self] in
            do {
                for root in roots {
                    if !root.isDirectory { queue.append([root.path]); continue }
                    var count = 0
                    try walk(root.path) { batch in
                        count += batch.count
                        queue.append(batch)
                    }
                    if count == 0 { throw IOFailure(path: root.raw, reason: "no spec files (*.yaml, *.yml) in this directory") }
                }
            } catch let failure as IOFailure {
                self.failure.withLock { $0 = failure }
            } catch {
                self.failure.withLock { $0 = IOFailure(path: ".", reason: "\(error)") }
            }
            queue.finish()
            let sorted = pathOrder(queue.all)
            order.withLock { $0 = sorted }
        }
    }

    /// Waits for the walk: every path found (in the order found) and their indices in path
    /// order; throws what the walk failed on.
    func finish() throws -> (found: [String], order: [Int]) {
        group.wait()
        if let failure = failure.withLock({ $0 }) { throw failure }
        return (queue.all, order.withLock { $0 })
    }
}

private typealias FileOutcome = Result<(FileAnalysis, [UInt8]?), IOFailure>

/// Reads and analyses the queued files on every core until the walk has finished and the
/// queue is empty. Each outcome carries the file's index in the queue.
private func analyzeQueued(_ queue: WorkQueue, options: CompileOptions, keepSources: Bool) -> [(Int, FileOutcome)] {
    let outcomes = Mutex<[(Int, FileOutcome)]>([])
    DispatchQueue.concurrentPerform(iterations: max(1, System.activeProcessorCount)) { _ in
        var mine: [(Int, FileOutcome)] = []
        while let (start, batch) = queue.take(8) {
            for (k, path) in batch.enumerated() {
                do {
                    let bytes = try IO.read(path, limit: options.limits.maxFileBytes)
                    let analysis = analyzeFile(bytes, file: path, options: options)
                    mine.append((start + k, .success((analysis, keepSources ? bytes : nil))))
                } catch let failure as IOFailure {
                    mine.append((start + k, .failure(failure)))
                } catch {
                    mine.append((start + k, .failure(IOFailure(path: path, reason: "\(error)"))))
                }
            }
        }
        outcomes.withLock { $0.append(contentsOf: mine) }
    }
    return outcomes.withLock { $0 }
}

/// Indices of `paths` sorted by the paths' bytes (for UTF-8, code point order), independent
/// of locale. The keys are copied out once and compared with memcmp: comparing Strings
/// directly is most of the cost of ordering ten thousand paths.
func pathOrder(_ paths: [String]) -> [Int] {
    var keyed = paths.enumerated().map { (key: Array($0.element.utf8), index: $0.offset) }
    keyed.sort { a, b in
        let n = min(a.key.count, b.key.count)
        let c = n == 0 ? 0 : a.key.withUnsafeBufferPointer { x in b.key.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, n) } }
        return c != 0 ? c < 0 : a.key.count < b.key.count
    }
    return keyed.map(\.index)
}

/// Paths found by the walk, handed out in batches to the workers while the walk goes on.
final class WorkQueue: Sendable {
    private struct State { var items: [String] = []; var next = 0; var finished = false }
    private let state = Mutex(State())

    func append(_ batch: [String]) { state.withLock { $0.items.append(contentsOf: batch) } }
    func finish() { state.withLock { $0.finished = true } }
    /// Every path appended, in order; call once the walk has finished.
    var all: [String] { state.withLock { $0.items } }

    /// Up to `n` paths not handed out yet, with the index of the first; waits while the walk
    /// may still find more; nil once everything is handed out.
    func take(_ n: Int) -> (Int, ArraySlice<String>)? {
        while true {
            let taken: (Int, ArraySlice<String>)?? = state.withLock { s in
                if s.next < s.items.count {
                    let start = s.next
                    s.next = min(start + n, s.items.count)
                    return (start, s.items[start..<s.next])
                }
                return s.finished ? .some(nil) : nil
            }
            if let taken { return taken }
            usleep(50)
        }
    }
}

/// Lists `dir` and its subdirectories, giving each directory's spec files to `emit`.
private func walk(_ dir: String, emit: ([String]) -> Void) throws {
    // Names are tested as bytes, and a path is built only for the entries kept.
    let prefix = dir == "." ? [] : Array(dir.utf8) + [UInt8(ascii: "/")]
    var subdirectories: [String] = []
    var found: [String] = []
    try IO.forEachEntry(dir) { name, isDirectory in
        if name.first == UInt8(ascii: ".") { return }
        if isDirectory {
            subdirectories.append(joined(prefix, name))
        } else if isSpecFileName(name) {
            found.append(joined(prefix, name))
        }
    }
    if !found.isEmpty { emit(found) }
    for subdirectory in subdirectories { try walk(subdirectory, emit: emit) }
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

