import AWSConfig
import EmulatorCore
import Foundation
import PlanApply
import PlanCore
import PlanSyntax
import SigV4
import Synchronization

enum Paths {
    static let root: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/ApplyTests/")!.lowerBound])
    }()
    static var examples: String { root + "/examples" }
    static var demoCatalog: String { root + "/emulator/demo-catalog.yaml" }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "plancc-apply-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

let demoCredentials = Credentials(accessKeyId: "AKIDEMULATOREXAMPLE", secretAccessKey: "emulator/secret/EXAMPLEKEY")

/// Spec files → ApplySpecs, as the CLI makes them.
func loadSpecs(_ files: [String], salt: String = "") throws -> [ApplySpec] {
    var analyses: [FileAnalysis] = []
    for f in files.sorted() {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: f)))
        analyses.append(analyzeFile(bytes, file: f))
    }
    var diagnostics = analyses.flatMap(\.diagnostics)
    diagnostics += analyzeProject(analyses)
    return makeApplySpecs(files: analyses, diagnostics: diagnostics, tokenSalt: salt)
}

func specFiles(under dir: String) -> [String] {
    let e = FileManager.default.enumerator(atPath: dir)!
    var out: [String] = []
    while let p = e.nextObject() as? String {
        if p.hasSuffix(".plan.yaml") { out.append(dir + "/" + p) }
    }
    return out.sorted()
}

func loadCatalog(_ text: String) -> Catalog {
    switch CatalogLoader.load(bytes: Array(text.utf8), file: "catalog.yaml") {
    case .success(let c): return c
    case .failure(let e): fatalError("catalog: \(e.diagnostics.map(\.description))")
    }
}

func loadCatalog(file: String) throws -> Catalog {
    loadCatalog(try String(contentsOfFile: file, encoding: .utf8))
}

/// The emulator in-process: requests go to `Emulator.handle`, no sockets.
struct EmulatorTransport: HTTPTransport {
    let emulator: Emulator
    func send(_ request: TransportRequest, timeout: Double) async throws -> TransportResponse {
        var headers = request.headers
        headers.append(("Content-Length", String(request.body.count)))
        let reply = emulator.handle(EmulatorRequest(method: request.method, uri: request.path, headers: headers, body: request.body))
        switch reply {
        case .drop: throw TransportError.connection("connection closed by the emulator")
        case .response(let status, let h, let body): return TransportResponse(status: status, headers: h, body: body)
        }
    }
}

/// A transport that answers from a script and records what was sent.
final class ScriptedTransport: HTTPTransport {
    typealias Handler = @Sendable (TransportRequest, Int) -> Result<TransportResponse, TransportError>
    private let handler: Handler
    private let log = Mutex<[TransportRequest]>([])
    init(_ handler: @escaping Handler) { self.handler = handler }
    var requests: [TransportRequest] { log.withLock { $0 } }
    func send(_ request: TransportRequest, timeout: Double) async throws -> TransportResponse {
        let n = log.withLock { l -> Int in l.append(request); return l.count }
        return try handler(request, n).get()
    }
}

func errorResponse(_ code: String, _ message: String = "", status: Int = 400) -> Result<TransportResponse, TransportError> {
    let body = "{\"__type\":\"\(code)\",\"message\":\"\(message)\"}"
    return .success(TransportResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")], body: Array(body.utf8)))
}

func okResponse(_ json: String = "{}") -> Result<TransportResponse, TransportError> {
    .success(TransportResponse(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: Array(json.utf8)))
}

let testEndpoint = Endpoint(scheme: "http", host: "127.0.0.1", port: 4566)

func makeClient(_ transport: any HTTPTransport, concurrency: Int = 4, maxAttempts: Int = 3, clock: any ApplyClock = VirtualApplyClock(),
                random: any RandomSource = SequenceRandomSource([0.5]), quota: RetryQuota = RetryQuota(),
                limiter: AdaptiveRateLimiter = AdaptiveRateLimiter(), signingTime: (@Sendable () -> SigningTime)? = nil) -> ServiceCatalogClient {
    ServiceCatalogClient(
        transport: transport, endpoint: testEndpoint, signingRegion: "us-east-1",
        credentials: StaticCredentialsProvider(demoCredentials), policy: RetryPolicy(maxAttempts: maxAttempts), quota: quota,
        limiter: limiter, gate: CallGate(permits: concurrency), clock: clock, random: random, callTimeout: 30,
        signingTime: signingTime ?? { SigningTime.now() })
}

func emulatorClient(_ emulator: Emulator, concurrency: Int = 4) -> ServiceCatalogClient {
    makeClient(EmulatorTransport(emulator: emulator), concurrency: concurrency, clock: VirtualApplyClock())
}

func fastOptions(execute: Bool = false) -> ApplyOptions {
    var o = ApplyOptions()
    o.pollInterval = 0.1
    o.maxPollInterval = 0.5
    o.execute = execute
    return o
}

/// Reads a member of the emulator's stats.
func stat(_ emulator: Emulator, _ path: String...) -> Double? {
    var v: JSON? = emulator.stats()
    for key in path { v = v?[key] }
    return v?.number
}
