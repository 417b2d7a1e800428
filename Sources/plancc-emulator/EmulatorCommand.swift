import ArgumentParser
import Dispatch
import EmulatorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plancc-emulator",
        abstract: "A local AWS Service Catalog emulator (awsJson1_1, SigV4-checked) for plancc's tests and offline use.",
        discussion: """
            Serves CreateProvisionedProductPlan, DescribeProvisionedProductPlan, ExecuteProvisionedProductPlan, \
            DeleteProvisionedProductPlan, ListProvisionedProductPlans, ListLaunchPaths, DescribeProvisionedProduct, \
            DescribeProvisioningParameters and DescribeRecord from the products in the catalog file. \
            GET /_emulator/stats returns counters; POST /_emulator/reset restores the catalog's state. \
            Exits 2 when the catalog file has errors.
            """)

    @Option(name: .long, help: "The catalog file (YAML).")
    var catalog: String

    @Option(name: .long, help: "Address to listen on. Keep it on loopback unless you mean it.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on; 0 picks a free one (printed on stdout).")
    var port: Int = 0

    @Option(name: .customLong("plan-delay-ms"), help: "Time a plan stays in CREATE_IN_PROGRESS.")
    var planDelayMs: Int = 0

    @Option(name: .customLong("execute-delay-ms"), help: "Time an execution stays in EXECUTE_IN_PROGRESS / UNDER_CHANGE.")
    var executeDelayMs: Int = 0

    @Option(name: .customLong("throttle-rate"), help: "Share of calls answered 400 ThrottlingException (0–1).")
    var throttleRate: Double = 0

    @Option(name: .customLong("error-rate"), help: "Share of calls answered 500 InternalFailure or 503 ServiceUnavailable (0–1).")
    var errorRate: Double = 0

    @Option(name: .customLong("drop-rate"), help: "Share of calls whose connection is closed without an answer (0–1).")
    var dropRate: Double = 0

    @Option(name: .customLong("drop-after-create-rate"),
            help: "Share of successful CreateProvisionedProductPlan calls dropped after the plan was created (0–1).")
    var dropAfterCreateRate: Double = 0

    @Option(name: .customLong("latency-ms"), help: "Latency added to every call.")
    var latencyMs: Int = 0

    @Option(name: .long, help: "Seed of the fault injection (same seed, same sequence).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Event loop threads (default: one per core).")
    var threads: Int?

    @Flag(name: .long, help: "Log each request (operation, status, error code) to stderr.")
    var verbose = false

    func validate() throws {
        if let problem = options.problem { throw ValidationError(problem) }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    var options: EmulatorOptions {
        EmulatorOptions(planDelayMs: planDelayMs, executeDelayMs: executeDelayMs, throttleRate: throttleRate,
                        errorRate: errorRate, dropRate: dropRate, dropAfterCreateRate: dropAfterCreateRate,
                        latencyMs: latencyMs, seed: seed)
    }

    func run() async throws {
        // SIGINT and SIGTERM stop the server cleanly (set up first, so they are caught as soon
        // as the "listening" line is out).
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            sources.append(source)
        }

        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(catalog)
        } catch {
            stderrLine("plancc-emulator: \(error)")
            throw ExitCode(2)
        }
        let loaded: Catalog
        switch CatalogLoader.load(bytes: bytes, file: catalog) {
        case .success(let c): loaded = c
        case .failure(let e):
            for d in e.diagnostics { stderrLine(d.description) }
            throw ExitCode(2)
        }
        var log: (@Sendable (String) -> Void)?
        if verbose { log = { message in stderrLine("plancc-emulator: " + message) } }
        let emulator = Emulator(catalog: loaded, options: options, log: log)
        let server: EmulatorServer
        do {
            server = try await EmulatorServer.start(emulator: emulator, host: host, port: port,
                                                    threads: threads)
        } catch {
            stderrLine("plancc-emulator: cannot listen on \(host):\(port): \(error)")
            throw ExitCode(1)
        }

        print("plancc-emulator listening on \(server.url)")
        fflush(nil)
        if host != "127.0.0.1", host != "::1", host != "localhost" {
            stderrLine("plancc-emulator: warning: listening on \(host), not loopback")
        }

        for await sig in signals {
            if verbose { stderrLine("plancc-emulator: signal \(sig), stopping") }
            break
        }
        for s in sources { s.cancel() }
        try await server.shutdown()
    }
}

/// Writes one line to standard error (unbuffered, whole line in one write).
func stderrLine(_ s: String) {
    var bytes = Array((s + "\n").utf8)
    bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}


