import Synchronization

/// Knobs of one emulator run.
public struct EmulatorOptions: Sendable {
    public var planDelayMs: Int = 0
    public var executeDelayMs: Int = 0
    /// Shares of signed, well-formed requests answered with a fault instead of being served.
    public var throttleRate: Double = 0
    public var errorRate: Double = 0
    public var dropRate: Double = 0
    /// Share of successful CreateProvisionedProductPlan calls whose connection is closed
    /// after the plan was created, without an answer (to test client idempotency).
    public var dropAfterCreateRate: Double = 0
    /// Added to every service call (not the admin endpoints), in milliseconds.
    public var latencyMs: Int = 0
    public var seed: UInt64 = 1

    public init(planDelayMs: Int = 0, executeDelayMs: Int = 0, throttleRate: Double = 0, errorRate: Double = 0,
                dropRate: Double = 0, dropAfterCreateRate: Double = 0, latencyMs: Int = 0, seed: UInt64 = 1) {
        self.planDelayMs = planDelayMs
        self.executeDelayMs = executeDelayMs
        self.throttleRate = throttleRate
        self.errorRate = errorRate
        self.dropRate = dropRate
        self.dropAfterCreateRate = dropAfterCreateRate
        self.latencyMs = latencyMs
        self.seed = seed
    }

    /// Why the options cannot be used, or nil.
    public var problem: String? {
        for (name, rate) in [("throttle-rate", throttleRate), ("error-rate", errorRate), ("drop-rate", dropRate),
                             ("drop-after-create-rate", dropAfterCreateRate)] where !(rate >= 0 && rate <= 1) {
            return "--\(name) must be between 0 and 1"
        }
        if throttleRate + errorRate + dropRate > 1 { return "--throttle-rate, --error-rate and --drop-rate add up to more than 1" }
        if planDelayMs < 0 || executeDelayMs < 0 || latencyMs < 0 { return "delays and latency must not be negative" }
        return nil
    }
}

/// An HTTP request as the emulator sees it.
public struct EmulatorRequest: Sendable {
    public var method: String
    /// The request target as sent: path and optional `?query`.
    public var uri: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    public var path: String { uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri }
    public var query: String { uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } ?? "" }
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
    public var isAdmin: Bool { path.hasPrefix("/_emulator/") }
}

/// What to do with a request: answer it, or close the connection without a word.
public enum EmulatorReply: Sendable {
    case response(status: Int, headers: [(name: String, value: String)], body: [UInt8])
    case drop

    public var status: Int? { if case .response(let s, _, _) = self { return s }; return nil }
    public var body: [UInt8]? { if case .response(_, _, let b) = self { return b }; return nil }
    public var json: JSON? { body.flatMap { try? JSON.parse($0) } }
}

public struct FaultCounters: Sendable, Equatable {
    public var throttled = 0
    public var internalFailure = 0
    public var serviceUnavailable = 0
    public var dropped = 0
    public var droppedAfterCreate = 0
    public init() {}
}

/// The emulator without sockets: signature checks, fault injection, dispatch to the state
/// machine, and the admin endpoints. Thread-safe; the lock is held only while the state
/// machine runs (never during latency, which the server adds with scheduled tasks).
public final class Emulator: Sendable {
    public let catalog: Catalog
    public let options: EmulatorOptions
    public let clock: any EmulatorClock
    let authenticator: Authenticator
    let log: (@Sendable (String) -> Void)?

    struct Locked {
        var service: ServiceState
        var faultRandom: SplitMix64
        var requestCounter: UInt64 = 0
        var requests = 0
        var requestsByOperation: [String: Int] = [:]
        var authFailures: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var faults = FaultCounters()
    }

    let state: Mutex<Locked>

    public init(catalog: Catalog, options: EmulatorOptions = EmulatorOptions(), clock: any EmulatorClock = SystemClock(),
                log: (@Sendable (String) -> Void)? = nil) {
        self.catalog = catalog
        self.options = options
        self.clock = clock
        self.log = log
        authenticator = Authenticator(region: catalog.region, credentials: catalog.credentials)
        state = Mutex(Emulator.freshState(catalog, options, now: clock.now()))
    }

    static func freshState(_ catalog: Catalog, _ options: EmulatorOptions, now: Double) -> Locked {
        let timing = ServiceTiming(planDelay: Double(options.planDelayMs) / 1000, executeDelay: Double(options.executeDelayMs) / 1000)
        return Locked(service: ServiceState(catalog: catalog, timing: timing, seed: options.seed, now: now),
                      faultRandom: SplitMix64(seed: options.seed))
    }

    /// Back to the catalog's initial state; counters to zero, fault sequence restarted.
    public func reset() {
        let fresh = Emulator.freshState(catalog, options, now: clock.now())
        state.withLock { s in
            let counter = s.requestCounter  // request ids stay unique across resets
            s = fresh
            s.requestCounter = counter
        }
    }

    /// Answers one request.
    public func handle(_ request: EmulatorRequest) -> EmulatorReply {
        if request.isAdmin { return admin(request) }
        let now = clock.now()
        let requestId = state.withLock { s -> String in
            s.requestCounter += 1
            s.requests += 1
            return IDs.requestId(s.requestCounter, salt: options.seed)
        }

        if let error = authenticator.check(method: request.method, path: request.path, query: request.query,
                                           headers: request.headers, body: request.body, now: now) {
            state.withLock { $0.authFailures[error.code, default: 0] += 1 }
            log?("\(request.method) \(request.path) auth \(error.code)")
            return reply(error, requestId)
        }

        guard request.method == "POST" else {
            return reply(ServiceError("UnknownOperationException", "Service Catalog operations are sent with POST."), requestId)
        }
        let target = request.header("x-amz-target") ?? ""
        guard let op = Operation(target: target) else {
            let shown = target.isEmpty ? "(no X-Amz-Target header)" : quotedTarget(target)
            state.withLock { $0.errors["UnknownOperationException", default: 0] += 1 }
            log?("POST \(shown) UnknownOperationException")
            return reply(ServiceError("UnknownOperationException", "Unknown operation \(shown)."), requestId)
        }
        let body: JSON
        do {
            body = request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? .object([])
                : try JSON.parse(request.body)
        } catch {
            state.withLock { $0.errors["SerializationException", default: 0] += 1 }
            log?("\(op.rawValue) SerializationException")
            return reply(ServiceError("SerializationException", "The request body is not valid JSON: \(error.description)."), requestId)
        }

        enum Decision { case fault(ServiceError), drop, served(Result<JSON, ServiceError>, dropAfter: Bool) }
        let decision: Decision = state.withLock { s in
            s.requestsByOperation[op.rawValue, default: 0] += 1
            let u = s.faultRandom.unit()
            if u < options.dropRate {
                s.faults.dropped += 1
                return .drop
            }
            if u < options.dropRate + options.throttleRate {
                s.faults.throttled += 1
                return .fault(ServiceError("ThrottlingException", "Rate exceeded"))
            }
            if u < options.dropRate + options.throttleRate + options.errorRate {
                if s.faultRandom.next() & 1 == 0 {
                    s.faults.internalFailure += 1
                    return .fault(ServiceError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", status: 500))
                }
                s.faults.serviceUnavailable += 1
                return .fault(ServiceError("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", status: 503))
            }
            let result = s.service.handle(op, body, now: now)
            if case .failure(let e) = result { s.errors[e.code, default: 0] += 1 }
            var dropAfter = false
            if op == .createProvisionedProductPlan, case .success = result, options.dropAfterCreateRate > 0,
               s.faultRandom.unit() < options.dropAfterCreateRate {
                s.faults.droppedAfterCreate += 1
                dropAfter = true
            }
            return .served(result, dropAfter: dropAfter)
        }
        switch decision {
        case .drop:
            log?("\(op.rawValue) fault: dropped connection")
            return .drop
        case .fault(let e):
            log?("\(op.rawValue) fault: \(e.status) \(e.code)")
            return reply(e, requestId)
        case .served(let result, let dropAfter):
            if dropAfter {
                log?("\(op.rawValue) 200, then fault: dropped connection after create")
                return .drop
            }
            switch result {
            case .success(let json):
                log?("\(op.rawValue) 200")
                return .response(status: 200, headers: Emulator.headers(requestId), body: json.bytes)
            case .failure(let e):
                log?("\(op.rawValue) \(e.status) \(e.code)")
                return reply(e, requestId)
            }
        }
    }

    func quotedTarget(_ t: String) -> String { "'" + String(t.prefix(200)) + "'" }

    static func headers(_ requestId: String) -> [(name: String, value: String)] {
        [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestId)]
    }

    func reply(_ e: ServiceError, _ requestId: String) -> EmulatorReply {
        .response(status: e.status, headers: Emulator.headers(requestId), body: e.body.bytes)
    }

    // MARK: - Admin

    func admin(_ request: EmulatorRequest) -> EmulatorReply {
        let json = [("Content-Type", "application/json")]
        switch (request.method, request.path) {
        case ("GET", "/_emulator/stats"):
            return .response(status: 200, headers: json, body: stats().bytes)
        case ("POST", "/_emulator/reset"):
            reset()
            log?("admin: reset")
            return .response(status: 200, headers: json, body: JSON.object([("reset", .bool(true))]).bytes)
        case (_, "/_emulator/stats"), (_, "/_emulator/reset"):
            return .response(status: 405, headers: json, body: JSON.object([("error", .string("method not allowed"))]).bytes)
        default:
            return .response(status: 404, headers: json, body: JSON.object([("error", .string("not found"))]).bytes)
        }
    }

    /// The counters, as served by `GET /_emulator/stats`.
    public func stats() -> JSON {
        let now = clock.now()
        return state.withLock { s -> JSON in
            s.service.settle(now)
            let c = s.service.counters
            func map(_ d: [String: Int]) -> JSON {
                .object(d.keys.sorted().map { ($0, .number(Double(d[$0]!))) })
            }
            var per: [(String, JSON)] = []
            let statuses = Dictionary(s.service.provisionedStatuses.map { ($0.name, $0.status) }, uniquingKeysWith: { a, _ in a })
            let names = Set(c.plansPerProvisionedProduct.keys).union(statuses.keys).sorted()
            for name in names {
                var o = JSONObject()
                o.set("plansCreated", c.plansPerProvisionedProduct[name] ?? 0)
                o.set("executions", c.executionsPerProvisionedProduct[name] ?? 0)
                o.set("status", statuses[name])
                per.append((name, o.json))
            }
            var faults = JSONObject()
            faults.set("throttled", s.faults.throttled)
            faults.set("internalFailure", s.faults.internalFailure)
            faults.set("serviceUnavailable", s.faults.serviceUnavailable)
            faults.set("dropped", s.faults.dropped)
            faults.set("droppedAfterCreate", s.faults.droppedAfterCreate)
            faults.set("total", s.faults.throttled + s.faults.internalFailure + s.faults.serviceUnavailable
                + s.faults.dropped + s.faults.droppedAfterCreate)
            var o = JSONObject()
            o.set("plansCreated", c.plansCreated)
            o.set("createCalls", c.createCalls)
            o.set("idempotentReplays", c.idempotentReplays)
            o.set("executeCalls", c.executeCalls)
            o.set("executions", c.executions)
            o.set("executeReplays", c.executeReplays)
            o.set("deleteCalls", c.deleteCalls)
            o.set("plansDeleted", c.plansDeleted)
            o.set("livePlans", s.service.livePlans)
            o.set("provisionedProductsCreated", c.provisionedProductsCreated)
            o.set("provisionedProductsDeleted", c.provisionedProductsDeleted)
            o.set("pendingTransitions", s.service.pendingTransitions)
            o.set("requests", s.requests)
            o.set("requestsByOperation", map(s.requestsByOperation))
            o.set("errors", map(s.errors))
            o.set("authFailures", map(s.authFailures))
            o.set("faults", faults.json)
            o.set("perProvisionedProduct", .object(per))
            return o.json
        }
    }
}
