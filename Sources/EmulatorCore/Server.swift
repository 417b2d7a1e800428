import NIOCore
import NIOHTTP1
import NIOPosix

/// The emulator on a socket: HTTP/1.1 with keep-alive on SwiftNIO. Requests are read whole,
/// answered by `Emulator.handle`, and written back after the configured latency (a task
/// scheduled on the connection's event loop, so nothing blocks and no lock is held).
public final class EmulatorServer: Sendable {
    public let emulator: Emulator
    public let host: String
    public let port: Int
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup

    /// Largest request body read; larger ones get 413.
    public static let maxBodyBytes = 1 << 20

    private init(emulator: Emulator, host: String, port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.emulator = emulator
        self.host = host
        self.port = port
        self.channel = channel
        self.group = group
    }

    /// Binds and starts serving. `port` 0 picks a free port (see `port`).
    public static func start(emulator: Emulator, host: String = "127.0.0.1", port: Int = 0,
                             threads: Int? = nil) async throws -> EmulatorServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads ?? System.coreCount))
        let latency = TimeAmount.milliseconds(Int64(emulator.options.latencyMs))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EmulatorHTTPHandler(emulator: emulator, latency: latency))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            let bound = channel.localAddress?.port ?? port
            return EmulatorServer(emulator: emulator, host: host, port: bound, channel: channel, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// `http://host:port`, with brackets around an IPv6 host.
    public var url: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Stops listening, closes connections and the event loops.
    public func shutdown() async throws {
        try? await channel.close().get()
        try await group.shutdownGracefully()
    }
}

final class EmulatorHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let emulator: Emulator
    let latency: TimeAmount
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var tooLarge = false

    init(emulator: Emulator, latency: TimeAmount) {
        self.emulator = emulator
        self.latency = latency
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > EmulatorServer.maxBodyBytes {
                tooLarge = true
            } else if !tooLarge {
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let keepAlive = head.isKeepAlive
            if tooLarge {
                write(context: context, version: head.version, keepAlive: false,
                      reply: .response(status: 413, headers: [("Content-Type", "application/x-amz-json-1.1")],
                                       body: ServiceError("SerializationException", "The request body is larger than 1 MiB.", status: 413).body.bytes))
                return
            }
            let request = EmulatorRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) }, body: body)
            if latency.nanoseconds > 0 && !request.isAdmin {
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                _ = context.eventLoop.scheduleTask(in: latency) {
                    let (handler, context) = bound.value
                    handler.serve(context: context, request: request, version: head.version, keepAlive: keepAlive)
                }
            } else {
                serve(context: context, request: request, version: head.version, keepAlive: keepAlive)
            }
        }
    }

    func serve(context: ChannelHandlerContext, request: EmulatorRequest, version: HTTPVersion, keepAlive: Bool) {
        guard context.channel.isActive else { return }
        write(context: context, version: version, keepAlive: keepAlive, reply: emulator.handle(request))
    }

    func write(context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool, reply: EmulatorReply) {
        guard case .response(let status, let extra, let bytes) = reply else {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders()
        for (name, value) in extra { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(bytes.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
