import AWSConfig
import ArgumentParser
import Dispatch
import PlanApply
import PlanCore
import PlanSyntax
import SigV4
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ApplyFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create (and with --execute, execute) the plans of specs through the Service Catalog API.",
        discussion: """
            Lints first: a spec with errors gets no call and is reported failed; the others go on \
            (with --fail-fast nothing is sent). For each spec: without PathId the product's only launch \
            path is found with ListLaunchPaths (several are an error listing them); the plan is created \
            with the spec's idempotency token, so a re-run reuses the plan made from the same spec, and a \
            plan of the same provisioned product made from another version of the spec is deleted and \
            replaced; the plan is polled until it settles; AWS's "no changes" failures count as no change; \
            its resource changes are printed (+ add, ~ modify, -/+ replace, - remove). --execute then \
            executes plans with changes and waits until the provisioned product is AVAILABLE (TAINTED or \
            ERROR fails the spec, with the record's errors).

            Retries: same body and token every attempt, a fresh signature each time. Transient errors \
            (HTTP 500/502/503/504, RequestTimeout…, connection errors, timeouts) are retried with full-jitter \
            backoff (random × min(2^(i-1), 20) s) up to --max-attempts attempts, paid from a 500-token retry \
            quota (5 per retry, 10 after a timeout; a success gives 1 back, or its last retry's cost). \
            Throttling errors are retried with the same backoff until the spec's deadline (--spec-timeout) \
            and switch on an adaptive client-side rate limiter (the AWS SDKs' adaptive mode: CUBIC, 0.7× on \
            throttling, at most one decrease per recovery period unless more than half of 20+ responses \
            are throttled). Other errors, including InvalidParametersException, ResourceNotFoundException \
            and InvalidStateException, fail the spec at once.

            Output: stdout gets each spec's result in spec order (text: a headline and one line per resource \
            change; --format json: one JSON object per spec per line), then (text) the summary line. \
            stderr gets progress: a live line on a terminal, otherwise one line per spec event.

            --shard K/N keeps the specs whose FNV-1a-64 hash of ProvisionedProductName (path#document when \
            there is none) modulo N is K-1: every spec is in exactly one shard of N.

            Ctrl-C (or SIGTERM) stops new calls, waits up to 10 s for calls in flight, reports every \
            spec's state (done, in progress, not started) and exits 130 (143 for SIGTERM); a second \
            Ctrl-C abandons the calls in flight at once.

            Exit codes: 0 every spec succeeded (planned, no change, or executed); 1 a spec failed; \
            2 usage or configuration error, unreadable path; 3 no credentials or no region; \
            130/143 interrupted.
            """
    )

    @OptionGroup var specs: SpecOptions

    @Option(help: ArgumentHelp("Salt for derived idempotency tokens (e.g. the commit id). Default: $PLANCC_TOKEN_SALT, else none.", valueName: "salt"))
    var tokenSalt: String?

    @OptionGroup var aws: AWSOptions

    @Option(help: "API calls in flight at once (1-64).")
    var concurrency: Int = 8

    @Flag(help: "Execute each plan that has changes and wait until its provisioned product is AVAILABLE.")
    var execute = false

    @Flag(name: .customLong("fail-fast"), help: "Stop starting calls as soon as a spec fails (or, before any call, when a spec has lint errors).")
    var failFast = false

    @Option(help: ArgumentHelp("Plan only shard K of N (1 <= K <= N), e.g. 2/4 in a CI matrix job.", valueName: "K/N"))
    var shard: String?

    @Option(help: "Output on stdout: text (plans and a summary) or json (one result object per spec per line).")
    var format: ApplyFormat = .text

    @Option(name: .customLong("poll-interval"), help: ArgumentHelp("Seconds before the first poll of a plan or provisioned product (at least 0.1); later polls wait 1.5x longer each, up to 15 s, with jitter.", valueName: "seconds"))
    var pollInterval: Double = 2

    @Option(name: .customLong("spec-timeout"), help: ArgumentHelp("Deadline of each spec in seconds: retries, throttling and polling stop there.", valueName: "seconds"))
    var specTimeout: Double = 1800

    @Option(name: .customLong("call-timeout"), help: ArgumentHelp("Seconds one HTTP attempt may take.", valueName: "seconds"))
    var callTimeout: Double = 30

    @Option(name: .customLong("max-attempts"), help: "Attempts per call when errors are transient (5xx, connection errors, timeouts); throttling is retried until the spec's deadline.")
    var maxAttempts: Int = 5

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        guard pollInterval >= ApplyOptions.minimumPollInterval, pollInterval <= 3600 else {
            throw ValidationError("--poll-interval must be between \(ApplyOptions.minimumPollInterval) and 3600 seconds")
        }
        guard specTimeout > 0, specTimeout <= 86_400 else { throw ValidationError("--spec-timeout must be between 0 and 86400 seconds") }
        guard callTimeout > 0, callTimeout <= 3600 else { throw ValidationError("--call-timeout must be between 0 and 3600 seconds") }
        guard (1...20).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 20") }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 1/4")
        }
    }

    func run() async throws {
        let compileOptions = try specs.compileOptions()
        let analysis = try analyzeSpecs(specs.pathsOrDefault, options: compileOptions, keepSources: false)
        let salt = tokenSalt ?? IO.environment("PLANCC_TOKEN_SALT") ?? ""
        let all = makeApplySpecs(files: analysis.files, diagnostics: analysis.diagnostics, tokenSalt: salt)
        let selectedShard = shard.flatMap(Shard.init(parsing:))
        let selected = selectedShard.map { s in all.filter { s.contains(key: $0.shardKey) } } ?? all

        // Diagnostics of the selected specs only (another shard reports its own).
        let printer = DiagnosticPrinter(format: .text, snippets: false, color: useColor(fd: 2))
        var err = Output(fd: 2)
        for d in analysis.diagnostics where diagnosticIsSelected(d, all: all, selected: selected) {
            printer.render(d, source: nil, into: &err)
        }
        err.flush()

        let output = ApplyOutput(specs: selected, format: format, progress: IO.isTerminal(2))
        if let s = selectedShard {
            output.note("shard \(s): \(selected.count) of \(all.count) spec\(all.count == 1 ? "" : "s")")
        }
        let callable = selected.contains { $0.lintError == nil }
        let blockedByLint = failFast && selected.contains { $0.lintError != nil }
        if !callable || blockedByLint {
            // Nothing will be sent: no credentials needed.
            let results = selected.map { spec -> SpecResult in
                var r = SpecResult(spec: spec, status: spec.lintError == nil ? .notStarted : .failed)
                r.error = spec.lintError
                return r
            }
            for (i, r) in results.enumerated() { output.finished(i, r) }
            output.finish(results, interrupted: nil)
            throw ExitWith(code: results.allSatisfy({ $0.status.succeeded }) ? Exit.success : Exit.failure)
        }

        let setup = try await aws.resolve()
        let transport = HTTPClientTransport(connections: concurrency)
        let gate = CallGate(permits: concurrency)
        let client = ServiceCatalogClient(
            transport: transport, endpoint: setup.endpoint.endpoint, signingRegion: setup.endpoint.signingRegion,
            credentials: setup.credentials, policy: RetryPolicy(maxAttempts: maxAttempts), gate: gate, callTimeout: callTimeout)
        var options = ApplyOptions()
        options.execute = execute
        options.failFast = failFast
        options.pollInterval = pollInterval
        options.maxPollInterval = max(15, pollInterval)
        options.specTimeout = specTimeout
        options.activeSpecs = max(16, 4 * concurrency)
        let engine = ApplyEngine(client: client, options: options) { event in output.event(event, limiter: client.limiter, statistics: client.statistics) }
        output.note("\(selected.count) spec\(selected.count == 1 ? "" : "s") to \(execute ? "plan and execute" : "plan") at \(setup.endpoint.endpoint) (region \(setup.endpoint.signingRegion), credentials from \(setup.credentialsSource))")

        let runTask = Task { await engine.run(selected) }
        let interruption = Interruption()
        let signals = installSignalHandlers { signal in
            let first = interruption.record(signal)
            if first {
                output.note("\(signal == SIGTERM ? "terminated" : "interrupted"): starting no new calls; waiting up to 10 s for \(gate.inFlight) call\(gate.inFlight == 1 ? "" : "s") in flight")
                engine.stop()
                Task {
                    try? await Task.sleep(nanoseconds: 10_000_000_000)
                    runTask.cancel()
                }
            } else {
                output.note("abandoning the calls in flight")
                runTask.cancel()
            }
        }
        let results = await runTask.value
        for s in signals { s.cancel() }
        await transport.shutdown()
        var calls = "\(client.statistics.attempts) API call\(client.statistics.attempts == 1 ? "" : "s")"
        var details: [String] = []
        if client.statistics.throttled > 0 { details.append("\(client.statistics.throttled) throttled") }
        if client.statistics.transientRetries > 0 { details.append("\(client.statistics.transientRetries) retried after transient errors") }
        if let rate = client.limiter.currentRate {
            details.append("client rate limit \(formatRate(rate))/s after \(client.limiter.decreases) decrease\(client.limiter.decreases == 1 ? "" : "s")")
        }
        if !details.isEmpty { calls += " (" + details.joined(separator: "; ") + ")" }
        output.note(calls)
        output.finish(results, interrupted: interruption.signal)
        if let signal = interruption.signal { throw ExitWith(code: 128 + signal) }
        throw ExitWith(code: results.allSatisfy({ $0.status.succeeded }) ? Exit.success : Exit.failure)
    }
}

/// Whether a diagnostic belongs to a selected spec (by the same placement rule as
/// `makeApplySpecs`: the spec whose document starts last at or before it).
func diagnosticIsSelected(_ d: Diagnostic, all: [ApplySpec], selected: [ApplySpec]) -> Bool {
    if all.count == selected.count { return true }
    let inFile = all.filter { $0.file == d.file }
    guard !inFile.isEmpty else { return false }
    var owner = inFile[0]
    for s in inFile where s.line <= d.location.line { owner = s }
    return selected.contains { $0.file == owner.file && $0.documentIndex == owner.documentIndex }
}

/// The first signal received, if any.
final class Interruption: Sendable {
    private let state = Mutex<Int32?>(nil)
    /// Records a signal; true for the first.
    func record(_ signal: Int32) -> Bool {
        state.withLock { s in
            if s == nil { s = signal; return true }
            return false
        }
    }
    var signal: Int32? { state.withLock { $0 } }
}

func installSignalHandlers(_ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
    var sources: [any DispatchSourceSignal] = []
    for sig in [SIGINT, SIGTERM] {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { handler(sig) }
        source.resume()
        sources.append(source)
    }
    return sources
}

/// Apply's output: results on stdout in spec order, as soon as every earlier spec is done;
/// progress on stderr (a live line on a terminal, one line per event otherwise).
final class ApplyOutput: Sendable {
    struct State {
        var results: [SpecResult?]
        var nextToPrint = 0
        var done = 0
        var failed = 0
        var planned = 0
        var noChange = 0
        var executed = 0
        var started = 0
        var lastDraw = 0.0
        var lineShown = false
    }
    let specs: [ApplySpec]
    let format: ApplyFormat
    let progress: Bool
    private let state: Mutex<State>

    init(specs: [ApplySpec], format: ApplyFormat, progress: Bool) {
        self.specs = specs
        self.format = format
        self.progress = progress
        state = Mutex(State(results: Array(repeating: nil, count: specs.count)))
    }

    private func name(_ i: Int) -> String {
        let s = specs[i]
        return s.provisionedProductName.isEmpty ? s.location : s.provisionedProductName
    }

    /// A message line on stderr.
    func note(_ message: String) {
        state.withLock { s in
            var err = Output(fd: 2)
            if s.lineShown { err.write("\r\u{1B}[K"); s.lineShown = false }
            err.line("plancc: " + message)
            err.flush()
        }
    }

    func event(_ event: ApplyEvent, limiter: AdaptiveRateLimiter, statistics: CallStatistics) {
        switch event {
        case .finished(let i, let r):
            finished(i, r, limiter: limiter, statistics: statistics)
            return
        default: break
        }
        let line: String?
        switch event {
        case .started:
            state.withLock { $0.started += 1 }
            line = nil
        case .launchPathResolved(let i, let pathId): line = "\(name(i)): launch path \(pathId)"
        case .plansReplaced(let i, let ids): line = "\(name(i)): deleted plan\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) of an older version of the spec"
        case .planCreated(let i, let planId): line = "\(name(i)): plan \(planId) created"
        case .executing(let i, let planId): line = "\(name(i)): executing plan \(planId)"
        case .finished: line = nil
        }
        state.withLock { s in
            var err = Output(fd: 2)
            if progress {
                if let line, line.contains("deleted plan") {
                    if s.lineShown { err.write("\r\u{1B}[K"); s.lineShown = false }
                    err.line("plancc: " + line)
                }
                draw(&s, &err, limiter: limiter, statistics: statistics, force: false)
            } else if let line {
                err.line("plancc: [\(s.done)/\(specs.count)] " + line)
            }
            err.flush()
        }
    }

    func finished(_ i: Int, _ r: SpecResult, limiter: AdaptiveRateLimiter? = nil, statistics: CallStatistics? = nil) {
        state.withLock { s in
            guard s.results[i] == nil else { return }
            s.results[i] = r
            s.done += 1
            switch r.status {
            case .failed: s.failed += 1
            case .planned: s.planned += 1
            case .noChange: s.noChange += 1
            case .executed: s.executed += 1
            default: break
            }
            var err = Output(fd: 2)
            if progress {
                if r.status == .failed {
                    if s.lineShown { err.write("\r\u{1B}[K"); s.lineShown = false }
                    err.line("plancc: \(name(i)): failed: \(r.error ?? "")")
                }
            } else if r.status != .notStarted {
                err.line("plancc: [\(s.done)/\(specs.count)] \(name(i)): " + describe(r))
            }
            // Results in spec order.
            var out = Output(fd: 1)
            var wrote = false
            while s.nextToPrint < s.results.count, let next = s.results[s.nextToPrint] {
                if !wrote, s.lineShown { err.write("\r\u{1B}[K"); err.flush(); s.lineShown = false }
                wrote = true
                out.line(format == .json ? next.json : next.textReport)
                s.nextToPrint += 1
            }
            if wrote { out.flush() }
            if progress, let limiter, let statistics { draw(&s, &err, limiter: limiter, statistics: statistics, force: wrote) }
            err.flush()
        }
    }

    private func describe(_ r: SpecResult) -> String {
        switch r.status {
        case .planned: return "planned (\(r.counts.compact))"
        case .noChange: return "no change"
        case .executed: return "executed (\(r.counts.compact)), AVAILABLE"
        case .failed: return "failed: \(r.error ?? "")"
        case .notStarted: return "not started"
        case .inProgress: return "interrupted while in progress"
        }
    }

    private func draw(_ s: inout State, _ err: inout Output, limiter: AdaptiveRateLimiter, statistics: CallStatistics, force: Bool) {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let now = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        guard force || now - s.lastDraw >= 0.1 || s.done == specs.count else { return }
        s.lastDraw = now
        var line = "plancc: \(s.done)/\(specs.count) done: \(s.planned) planned, \(s.noChange) no change"
        if s.executed > 0 { line += ", \(s.executed) executed" }
        line += ", \(s.failed) failed; \(max(0, s.started - s.done)) in progress"
        let throttled = statistics.throttled
        if throttled > 0 { line += "; \(throttled) throttled" }
        if let rate = limiter.currentRate { line += ", rate limit \(formatRate(rate))/s" }
        err.write("\r\u{1B}[K" + line)
        s.lineShown = true
    }

    /// The end: clears the progress line, prints the summary (stdout for text, stderr for
    /// json) and, after an interrupt, each spec's state.
    func finish(_ results: [SpecResult], interrupted: Int32?) {
        state.withLock { s in
            var err = Output(fd: 2)
            if s.lineShown { err.write("\r\u{1B}[K"); s.lineShown = false }
            if interrupted != nil {
                let done = results.filter { $0.status != .notStarted && $0.status != .inProgress }.count
                let inProgress = results.filter { $0.status == .inProgress }.count
                let notStarted = results.filter { $0.status == .notStarted }.count
                err.line("plancc: interrupted: \(done) done, \(inProgress) in progress, \(notStarted) not started")
                for r in results where r.status == .inProgress || r.status == .notStarted {
                    err.line("plancc:   \(r.provisionedProductName.isEmpty ? r.location : r.provisionedProductName) (\(r.location)): "
                        + (r.status == .inProgress ? "in progress" + (r.planId.map { ", plan \($0)" } ?? "") : "not started"))
                }
            }
            err.flush()
            let line = summaryLine(results)
            if format == .text {
                var out = Output(fd: 1)
                out.line(line)
                out.flush()
            } else {
                err.line("plancc: " + line)
                err.flush()
            }
        }
    }
}

/// A rate for people: one decimal below 10, whole numbers above.
func formatRate(_ rate: Double) -> String {
    guard rate.isFinite else { return "unlimited" }
    if rate < 10 { return String(Int(rate * 10) / 10) + "." + String(Int(rate * 10) % 10) }
    return String(Int(rate))
}
