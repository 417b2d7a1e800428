import Testing
import AWSConfig
import SigV4
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Loopback HTTP stand-in

/// A request as the stand-in received it.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
    var path: String { String(uri.prefix { $0 != "?" }) }
    /// The request as the SigV4 verifier sees it.
    var signable: SignableRequest {
        let query = uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } ?? ""
        return SignableRequest(method: method, path: path, query: query, headers: headers.map { HTTPHeader($0.0, $0.1) }, body: body)
    }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
    /// Form fields of an `application/x-www-form-urlencoded` body.
    var form: [String: String] {
        var out: [String: String] = [:]
        for pair in bodyText.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[percentDecode(String(parts[0]))] = parts.count > 1 ? percentDecode(String(parts[1])) : ""
        }
        return out
    }
}

func percentDecode(_ text: String) -> String {
    var bytes: [UInt8] = []
    var it = Array(text.utf8).makeIterator()
    while let b = it.next() {
        if b == UInt8(ascii: "%"), let h = it.next(), let l = it.next(),
           let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) {
            bytes.append(v)
        } else if b == UInt8(ascii: "+") {
            bytes.append(0x20)
        } else {
            bytes.append(b)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

struct StandInResponse: Sendable {
    var status: Int
    var body: [UInt8]
    var headers: [(String, String)] = []
    /// Seconds to wait before answering (for timeouts).
    var delay: Double = 0

    init(status: Int = 200, body: String = "", headers: [(String, String)] = [], delay: Double = 0) {
        self.status = status
        self.body = Array(body.utf8)
        self.headers = headers
        self.delay = delay
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port; every request goes to `handler`.
final class StandIn: Sendable {
    typealias Handler = @Sendable (RecordedRequest) async -> StandInResponse
    let channel: any Channel
    let port: Int
    private let recorded: Mutex<[RecordedRequest]>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorded.withLock { $0 } }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
        self.recorded = Mutex([])
    }

    static func start(_ handler: @escaping Handler) async throws -> StandIn {
        let box = RecordBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(StandInHandler(handler: handler, record: { box.append($0) }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = StandIn(channel: channel, port: channel.localAddress!.port!)
        box.target.withLock { $0 = server }
        return server
    }

    fileprivate func record(_ request: RecordedRequest) {
        recorded.withLock { $0.append(request) }
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class RecordBox: Sendable {
    let target = Mutex<StandIn?>(nil)
    func append(_ request: RecordedRequest) {
        target.withLock { $0 }?.record(request)
    }
}

private final class StandInHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let handler: StandIn.Handler
    let record: @Sendable (RecordedRequest) -> Void
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(handler: @escaping StandIn.Handler, record: @escaping @Sendable (RecordedRequest) -> Void) {
        self.handler = handler
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) }, body: body)
            record(request)
            let handler = self.handler
            let keepAlive = head.isKeepAlive
            let version = head.version
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask { () async -> StandInResponse in
                let response = await handler(request)
                if response.delay > 0 { try? await Task.sleep(nanoseconds: UInt64(response.delay * 1e9)) }
                return response
            }.whenSuccess { response in
                let context = bound.value
                var headers = HTTPHeaders(response.headers)
                headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                let responseHead = HTTPResponseHead(
                    version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
                context.write(NIOAny(HTTPServerResponsePart.head(responseHead)), promise: nil)
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}

// MARK: - Sandboxes

/// A temporary directory standing in for $HOME, with helpers to write config files and
/// build an `AWSEnvironment` that sees only what the test sets.
final class Sandbox: Sendable {
    let directory: String

    init() {
        var template = Array("/tmp/awsconfig-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        directory = String(cString: made!)
    }

    deinit {
        removeTree(directory)
    }

    var configPath: String { directory + "/config" }
    var credentialsPath: String { directory + "/credentials" }

    @discardableResult
    func write(_ name: String, _ text: String, mode: mode_t = 0o600) -> String {
        let path = name.hasPrefix("/") ? name : directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(fd >= 0, "cannot write \(path)")
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        chmod(path, mode)
        return path
    }

    func config(_ text: String) { write("config", text) }
    func credentials(_ text: String) { write("credentials", text) }

    /// Variables: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point into the sandbox,
    /// IMDS is disabled unless the test enables it, plus `extra`.
    func environment(_ extra: [String: String] = [:], clock: TestClock? = nil, keepIMDS: Bool = false) -> AWSEnvironment {
        var variables = [
            "AWS_CONFIG_FILE": configPath,
            "AWS_SHARED_CREDENTIALS_FILE": credentialsPath,
            "PATH": "/usr/bin:/bin",
        ]
        if !keepIMDS { variables["AWS_EC2_METADATA_DISABLED"] = "true" }
        for (k, v) in extra { variables[k] = v }
        // The clock is always injected (default: t0, 2026-01-01T00:00:00Z).
        let clock = clock ?? TestClock(t0)
        return AWSEnvironment(variables: variables, homeDirectory: directory, clock: { clock.now })
    }

    func configuration(profile: String? = nil, _ extra: [String: String] = [:], clock: TestClock? = nil, keepIMDS: Bool = false) throws -> AWSConfiguration {
        try AWSConfiguration.load(profile: profile, environment: environment(extra, clock: clock, keepIMDS: keepIMDS))
    }
}

func removeTree(_ path: String) {
    if let dir = opendir(path) {
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
        }
        closedir(dir)
    }
    rmdir(path)
}

/// A settable clock (seconds since 1970).
final class TestClock: Sendable {
    private let value: Mutex<Double>
    init(_ start: Double) { value = Mutex(start) }
    var now: Double { value.withLock { $0 } }
    func set(_ t: Double) { value.withLock { $0 = t } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}

/// A shared boolean.
final class Flag: Sendable {
    private let value: Mutex<Bool>
    init(_ v: Bool = false) { value = Mutex(v) }
    var isSet: Bool { value.withLock { $0 } }
    func set(_ v: Bool) { value.withLock { $0 = v } }
}

/// Options for tests: instant sleeps, short timeouts, loopback STS allowed.
func testOptions(_ configure: (inout CredentialsOptions) -> Void = { _ in }) -> CredentialsOptions {
    var options = CredentialsOptions()
    options.sleep = { _ in }
    options.containerTimeout = 2
    options.containerAttempts = 1
    options.stsAttempts = 1
    options.defaultRoleSessionName = "plancc-test"
    configure(&options)
    return options
}

/// The error thrown by `body`, or nil.
func thrownError(_ body: () async throws -> Void) async -> AWSConfigError? {
    do {
        try await body()
        return nil
    } catch let error as AWSConfigError {
        return error
    } catch {
        Issue.recordUnexpected(error)
        return nil
    }
}

extension Issue {
    static func recordUnexpected(_ error: any Error) {
        Issue.record("unexpected error type: \(error)")
    }
}

/// Where the fixtures live, relative to this file.
func fixturePath(_ name: String, file: String = #filePath) -> String {
    let dir = String(file[..<file.lastIndex(of: "/")!])
    return dir + "/Fixtures/" + name
}

func readFixture(_ name: String) throws -> [UInt8] {
    guard let bytes = try AWSEnvironment.readFileFromDisk(fixturePath(name)) else {
        throw AWSConfigError.fileUnreadable(path: fixturePath(name), reason: "missing fixture")
    }
    return bytes
}

// Fixed times used across tests.
let t0: Double = 1_767_225_600          // 2026-01-01T00:00:00Z
func iso(_ seconds: Double) -> String { formatTimestamp(seconds) }

/// STS XML answers.
func stsSuccess(action: String, keyId: String, secret: String, token: String, expiration: Double) -> String {
    """
    <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <\(action)Result>
        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
        <Credentials>
          <AccessKeyId>\(keyId)</AccessKeyId>
          <SecretAccessKey>\(secret)</SecretAccessKey>
          <SessionToken>\(token)</SessionToken>
          <Expiration>\(iso(expiration))</Expiration>
        </Credentials>
      </\(action)Result>
      <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
    </\(action)Response>
    """
}

func stsError(code: String, message: String) -> String {
    """
    <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>
      <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
    </ErrorResponse>
    """
}

func credentialsJSON(keyId: String, secret: String, token: String, expiration: Double, tokenKey: String = "Token") -> String {
    #"{"AccessKeyId":"\#(keyId)","SecretAccessKey":"\#(secret)","\#(tokenKey)":"\#(token)","Expiration":"\#(iso(expiration))","Code":"Success"}"#
}
