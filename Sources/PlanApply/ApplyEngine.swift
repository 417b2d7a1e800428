import PlanCore
import Synchronization

/// Knobs of a run (see `plancc apply --help`).
public struct ApplyOptions: Sendable {
    /// Execute each plan that has changes and wait for the provisioned product.
    public var execute = false
    /// Stop starting calls once a spec fails.
    public var failFast = false
    /// The first wait before polling a plan or a provisioned product, in seconds; each
    /// later wait is 1.5 times longer, up to `maxPollInterval`; each wait is jittered to
    /// between half and all of that ("equal jitter").
    public var pollInterval: Double = 2
    public var maxPollInterval: Double = 15
    /// Each spec's deadline, in seconds from its start: retries, throttling and polling
    /// stop there and the spec fails.
    public var specTimeout: Double = 1800
    /// Specs in progress at once (a spec waiting to poll holds no call slot, so this is
    /// larger than the call concurrency).
    public var activeSpecs: Int = 32

    /// The shortest `pollInterval` allowed.
    public static let minimumPollInterval = 0.1

    public init() {}

    /// The wait before poll `n` (1-based) for a uniform `random` in [0, 1).
    public func pollDelay(_ n: Int, random: Double) -> Double {
        var base = pollInterval
        var i = 1
        let cap = max(maxPollInterval, pollInterval)
        while i < n, base < cap { base *= 1.5; i += 1 }
        return min(base, cap) * (0.5 + 0.5 * max(0, min(random, 1)))
    }
}

/// What happens to a spec, as it happens (for progress output).
public enum ApplyEvent: Sendable {
    case started(index: Int)
    case launchPathResolved(index: Int, pathId: String)
    case plansReplaced(index: Int, planIds: [String])
    case planCreated(index: Int, planId: String)
    case executing(index: Int, planId: String)
    case finished(index: Int, result: SpecResult)
}

enum SpecError: Error {
    case failed(String)
    case stopped
}

/// The apply engine: for each spec, resolve the launch path, create (or reuse, or
/// replace) the plan, wait for it, read its changes, and optionally execute it. Specs run
/// concurrently in a task group; calls share the client's gate, quota and rate limiter.
public final class ApplyEngine: Sendable {
    public let client: ServiceCatalogClient
    public let options: ApplyOptions
    let observer: @Sendable (ApplyEvent) -> Void
    let launchPaths = LaunchPathCache()
    let statuses = Mutex<[SpecStatus]>([])

    public init(client: ServiceCatalogClient, options: ApplyOptions, observer: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) {
        self.client = client
        self.options = options
        self.observer = observer
    }

    /// Each spec's state right now: not started, in progress, or its final status.
    public func snapshot() -> [SpecStatus] { statuses.withLock { $0 } }

    /// Stops the run: no new call starts; calls in flight finish.
    public func stop() { client.gate.stop() }

    /// Runs every spec and returns one result per spec, in the order given. Returns when
    /// every spec is done, or, after `stop()`, when the calls in flight have ended (cancel
    /// the calling task to abandon them).
    public func run(_ specs: [ApplySpec]) async -> [SpecResult] {
        let results = Mutex<[SpecResult?]>(Array(repeating: nil, count: specs.count))
        statuses.withLock { $0 = Array(repeating: .notStarted, count: specs.count) }
        let finish: @Sendable (Int, SpecResult) -> Void = { [self] i, r in
            results.withLock { $0[i] = r }
            statuses.withLock { $0[i] = r.status }
            observer(.finished(index: i, result: r))
            if options.failFast, r.status == .failed { client.gate.stop() }
        }
        var pending: [Int] = []
        for (i, spec) in specs.enumerated() {
            if let lint = spec.lintError {
                var r = SpecResult(spec: spec, status: .failed)
                r.error = lint
                finish(i, r)
            } else {
                pending.append(i)
            }
        }
        let window = max(1, options.activeSpecs)
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            var active = 0
            while true {
                while active < window, next < pending.count, !client.gate.isStopped, !Task.isCancelled {
                    let i = pending[next]
                    next += 1
                    active += 1
                    statuses.withLock { $0[i] = .inProgress }
                    group.addTask { [self] in
                        let r = await runSpec(specs[i], index: i)
                        finish(i, r)
                    }
                }
                if active == 0 { break }
                _ = await group.next()
                active -= 1
            }
        }
        return specs.enumerated().map { i, spec in
            if let r = results.withLock({ $0[i] }) { return r }
            let r = SpecResult(spec: spec, status: .notStarted)
            finish(i, r)
            return r
        }
    }

    // MARK: - One spec

    func runSpec(_ spec: ApplySpec, index: Int) async -> SpecResult {
        var result = SpecResult(spec: spec, status: .failed)
        observer(.started(index: index))
        let deadline = client.clock.now() + options.specTimeout
        do throws(SpecError) {
            try await plan(spec, index: index, deadline: deadline, into: &result)
        } catch {
            switch error {
            case .failed(let message):
                result.status = .failed
                result.error = message
            case .stopped:
                result.status = .inProgress
            }
        }
        return result
    }

    func plan(_ spec: ApplySpec, index: Int, deadline: Double, into result: inout SpecResult) async throws(SpecError) {
        // 1. Launch path.
        var pathId = spec.pathId
        if pathId == nil {
            let resolved = try await resolveLaunchPath(productId: spec.productId, deadline: deadline)
            pathId = resolved
            result.pathId = resolved
            observer(.launchPathResolved(index: index, pathId: resolved))
        }
        let body = spec.body(pathId: pathId)

        // 2. Create, or reuse (same token: the service answers with the plan it made
        //    before), or replace (another token's plan blocks the provisioned product).
        let planId: String
        switch try await createPlan(body, deadline: deadline) {
        case .success(let id):
            planId = id
        case .failure(let error) where error.code == "InvalidStateException":
            let replaced = try await deleteOtherPlans(name: spec.provisionedProductName, deadline: deadline)
            guard !replaced.isEmpty else { throw .failed("CreateProvisionedProductPlan: \(error)") }
            result.replacedPlanIds = replaced
            observer(.plansReplaced(index: index, planIds: replaced))
            switch try await createPlan(body, deadline: deadline) {
            case .success(let id): planId = id
            case .failure(let again):
                throw .failed("CreateProvisionedProductPlan (after deleting plan \(replaced.joined(separator: ", "))): \(again)")
            }
        case .failure(let error):
            throw .failed("CreateProvisionedProductPlan: \(error)")
        }
        result.planId = planId
        observer(.planCreated(index: index, planId: planId))

        // 3. Wait for the plan to settle and read its changes.
        let settled = try await waitForPlan(planId, deadline: deadline)
        result.provisionedProductId = settled.provisionedProductId
        result.changes = settled.changes
        switch settled.status {
        case "CREATE_FAILED":
            if isNoChangeMessage(settled.statusMessage) {
                result.status = .noChange
                return
            }
            throw .failed("plan \(planId) failed (CREATE_FAILED): \(settled.statusMessage ?? "no status message")")
        case "CREATE_SUCCESS":
            guard options.execute else {
                result.status = .planned
                return
            }
            observer(.executing(index: index, planId: planId))
            let record = try await executePlan(planId, token: spec.token, deadline: deadline)
            let ppId = record.provisionedProductId ?? settled.provisionedProductId
            guard let ppId else { throw .failed("ExecuteProvisionedProductPlan: the answer names no provisioned product") }
            result.provisionedProductId = ppId
            try await waitForProduct(ppId, recordId: record.recordId, deadline: deadline)
            result.status = .executed
        case "EXECUTE_SUCCESS", "EXECUTE_IN_PROGRESS":
            result.note = "plan was executed by an earlier run"
            guard options.execute, let ppId = settled.provisionedProductId else {
                result.status = settled.status == "EXECUTE_SUCCESS" ? .executed : .planned
                if settled.status == "EXECUTE_IN_PROGRESS" { result.note = "plan is being executed by an earlier run" }
                return
            }
            try await waitForProduct(ppId, recordId: nil, deadline: deadline)
            result.status = .executed
        case "EXECUTE_FAILED":
            throw .failed("plan \(planId) was executed by an earlier run and failed: \(settled.statusMessage ?? "no status message"); "
                + "change the spec or --token-salt to plan again")
        default:
            throw .failed("plan \(planId) has an unexpected status \(settled.status)")
        }
    }

    // MARK: - Calls

    func mapped(_ operation: String, _ error: CallError) -> SpecError {
        switch error {
        case .stopped: return .stopped
        case .deadline(let last):
            return .failed("gave up at the spec's deadline (--spec-timeout \(formatSeconds(options.specTimeout)))"
                + (last.map { "; last problem: \($0)" } ?? ""))
        default: return .failed("\(operation): \(error)")
        }
    }

    func call(_ op: ServiceCatalogOperation, _ body: [(String, BodyValue)], deadline: Double) async throws(SpecError) -> ResponseJSON {
        do {
            return try await client.call(op, body: jsonBody(body), deadline: deadline)
        } catch {
            throw mapped(op.rawValue, error)
        }
    }

    /// The new (or reused) plan's id, or the service's error answer.
    func createPlan(_ body: [UInt8], deadline: Double) async throws(SpecError) -> Result<String, ServiceErrorResponse> {
        let json: ResponseJSON
        do {
            json = try await client.call(.createProvisionedProductPlan, body: body, deadline: deadline)
        } catch {
            if case .service(let e) = error { return .failure(e) }
            throw mapped("CreateProvisionedProductPlan", error)
        }
        guard let planId = json.nonEmptyString("PlanId") else {
            throw .failed("CreateProvisionedProductPlan: the answer has no PlanId")
        }
        return .success(planId)
    }

    func resolveLaunchPath(productId: String, deadline: Double) async throws(SpecError) -> String {
        let paths = try await launchPaths.paths(for: productId) { () async throws(SpecError) -> [LaunchPath] in
            var out: [LaunchPath] = []
            var token: String?
            repeat {
                var body: [(String, BodyValue)] = [("ProductId", .string(productId)), ("PageSize", .int(20))]
                if let token { body.append(("PageToken", .string(token))) }
                let page = try await self.call(.listLaunchPaths, body, deadline: deadline)
                for s in page["LaunchPathSummaries"]?.array ?? [] {
                    guard let id = s.nonEmptyString("Id") else { continue }
                    out.append(LaunchPath(id: id, name: s["Name"]?.string ?? ""))
                }
                token = page.nonEmptyString("NextPageToken")
            } while token != nil && out.count < 10_000
            return out
        }
        switch paths.count {
        case 1: return paths[0].id
        case 0: throw .failed("product \(productId) has no launch path this principal can use (ListLaunchPaths returned none); "
            + "share a portfolio with it, or check ProductId")
        default:
            let list = paths.map { "\($0.id) (portfolio '\($0.name)')" }.joined(separator: ", ")
            throw .failed("product \(productId) has \(paths.count) launch paths; set PathId to one of: \(list)")
        }
    }

    /// Deletes every plan of the provisioned product named `name`; returns their ids.
    func deleteOtherPlans(name: String, deadline: Double) async throws(SpecError) -> [String] {
        let detail: ResponseJSON
        do {
            detail = try await client.call(.describeProvisionedProduct, body: jsonBody([("Name", .string(name))]), deadline: deadline)
        } catch {
            if error.serviceCode == "ResourceNotFoundException" { return [] }
            throw mapped("DescribeProvisionedProduct", error)
        }
        guard let ppId = detail["ProvisionedProductDetail"]?.nonEmptyString("Id") else { return [] }
        var planIds: [String] = []
        var token: String?
        repeat {
            var body: [(String, BodyValue)] = [("ProvisionProductId", .string(ppId)), ("PageSize", .int(20))]
            if let token { body.append(("PageToken", .string(token))) }
            let page = try await call(.listProvisionedProductPlans, body, deadline: deadline)
            for p in page["ProvisionedProductPlans"]?.array ?? [] {
                if let id = p.nonEmptyString("PlanId"), !planIds.contains(id) { planIds.append(id) }
            }
            token = page.nonEmptyString("NextPageToken")
        } while token != nil && planIds.count < 10_000
        for id in planIds {
            do {
                _ = try await client.call(.deleteProvisionedProductPlan, body: jsonBody([("PlanId", .string(id))]), deadline: deadline)
            } catch {
                // A retried delete may find the plan gone already.
                if error.serviceCode == "ResourceNotFoundException" { continue }
                throw mapped("DeleteProvisionedProductPlan \(id)", error)
            }
        }
        return planIds
    }

    struct SettledPlan {
        var status: String
        var statusMessage: String?
        var provisionedProductId: String?
        var changes: [PlannedChange]
    }

    func waitForPlan(_ planId: String, deadline: Double) async throws(SpecError) -> SettledPlan {
        var n = 0
        while true {
            n += 1
            try await pause(options.pollDelay(n, random: client.random.next()), deadline: deadline,
                            waitingFor: "plan \(planId) to settle")
            let first = try await call(.describeProvisionedProductPlan, [("PlanId", .string(planId)), ("PageSize", .int(20))], deadline: deadline)
            let details = first["ProvisionedProductPlanDetails"]
            let status = details?["Status"]?.string ?? ""
            if status == "CREATE_IN_PROGRESS" || status.isEmpty { continue }
            var settled = SettledPlan(status: status, statusMessage: details?["StatusMessage"]?.string,
                                      provisionedProductId: details?.nonEmptyString("ProvisionProductId"), changes: [])
            if status == "CREATE_FAILED" { return settled }
            var page = first
            var pages = 1
            while true {
                for c in page["ResourceChanges"]?.array ?? [] {
                    if let change = PlannedChange(json: c) { settled.changes.append(change) }
                }
                guard let token = page.nonEmptyString("NextPageToken"), pages < 1000 else { break }
                pages += 1
                page = try await call(.describeProvisionedProductPlan,
                                      [("PlanId", .string(planId)), ("PageSize", .int(20)), ("PageToken", .string(token))],
                                      deadline: deadline)
            }
            return settled
        }
    }

    struct Record {
        var recordId: String?
        var provisionedProductId: String?
    }

    func executePlan(_ planId: String, token: String, deadline: Double) async throws(SpecError) -> Record {
        // One token per (plan, spec token): a retried or re-run execute is answered, not repeated.
        let executeToken = deriveIdempotencyToken(requestWithoutToken: Array("ExecuteProvisionedProductPlan\n\(planId)".utf8), salt: token)
        let out = try await call(.executeProvisionedProductPlan,
                                 [("PlanId", .string(planId)), ("IdempotencyToken", .string(executeToken))], deadline: deadline)
        let detail = out["RecordDetail"]
        return Record(recordId: detail?.nonEmptyString("RecordId"), provisionedProductId: detail?.nonEmptyString("ProvisionedProductId"))
    }

    /// Polls the provisioned product until it is AVAILABLE (done), TAINTED or ERROR
    /// (failure, with the record's errors). With a record id, a status counts only once the
    /// product's last record is that record.
    func waitForProduct(_ ppId: String, recordId: String?, deadline: Double) async throws(SpecError) {
        var n = 0
        while true {
            n += 1
            try await pause(options.pollDelay(n, random: client.random.next()), deadline: deadline,
                            waitingFor: "provisioned product \(ppId) to become AVAILABLE")
            let out = try await call(.describeProvisionedProduct, [("Id", .string(ppId))], deadline: deadline)
            guard let d = out["ProvisionedProductDetail"] else { continue }
            let status = d["Status"]?.string ?? ""
            let last = d.nonEmptyString("LastRecordId")
            let lastProvisioning = d.nonEmptyString("LastProvisioningRecordId")
            if let recordId, last != recordId, lastProvisioning != recordId { continue }
            switch status {
            case "AVAILABLE":
                return
            case "TAINTED", "ERROR":
                var text = "provisioned product \(d["Name"]?.string ?? ppId) is \(status)"
                if let m = d["StatusMessage"]?.string, !m.isEmpty { text += ": \(m)" }
                if let rid = recordId ?? lastProvisioning ?? last {
                    let errors = try await recordErrors(rid, deadline: deadline)
                    if !errors.isEmpty { text += "; record \(rid) errors: " + errors.joined(separator: "; ") }
                }
                throw .failed(text)
            default:
                continue // UNDER_CHANGE, PLAN_IN_PROGRESS
            }
        }
    }

    func recordErrors(_ recordId: String, deadline: Double) async throws(SpecError) -> [String] {
        let out = try await call(.describeRecord, [("Id", .string(recordId))], deadline: deadline)
        return (out["RecordDetail"]?["RecordErrors"]?.array ?? []).map { e in
            let code = e["Code"]?.string ?? ""
            let description = e["Description"]?.string ?? ""
            return code.isEmpty ? description : "\(code): \(description)"
        }
    }

    func pause(_ seconds: Double, deadline: Double, waitingFor what: String) async throws(SpecError) {
        if client.clock.now() + seconds >= deadline {
            throw .failed("gave up waiting for \(what) at the spec's deadline (--spec-timeout \(formatSeconds(options.specTimeout)))")
        }
        do { try await client.gate.sleep(seconds, clock: client.clock) } catch { throw .stopped }
    }
}

struct LaunchPath: Sendable {
    var id: String
    var name: String
}

/// ListLaunchPaths results per product, looked up once per run (concurrent specs of the
/// same product wait for the first lookup).
final class LaunchPathCache: Sendable {
    private let entries = Mutex<[String: Task<Result<[LaunchPath], SpecError>, Never>]>([:])

    func paths(for productId: String, lookup: @escaping @Sendable () async throws(SpecError) -> [LaunchPath]) async throws(SpecError) -> [LaunchPath] {
        let task = entries.withLock { e -> Task<Result<[LaunchPath], SpecError>, Never> in
            if let t = e[productId] { return t }
            let t = Task { () -> Result<[LaunchPath], SpecError> in
                do throws(SpecError) { return .success(try await lookup()) } catch { return .failure(error) }
            }
            e[productId] = t
            return t
        }
        let result = await task.value
        if case .failure(.stopped) = result {
            entries.withLock { e in _ = e.removeValue(forKey: productId) }
        }
        return try result.get()
    }
}

enum BodyValue {
    case string(String)
    case int(Int)
}

/// A flat JSON object body, members in the order given.
func jsonBody(_ members: [(String, BodyValue)]) -> [UInt8] {
    var s = "{"
    for (i, (k, v)) in members.enumerated() {
        if i > 0 { s += "," }
        appendJSONString(k, to: &s)
        s += ":"
        switch v {
        case .string(let t): appendJSONString(t, to: &s)
        case .int(let n): s += String(n)
        }
    }
    s += "}"
    return Array(s.utf8)
}

func formatSeconds(_ s: Double) -> String {
    if s == s.rounded(), s < 1e9 { return "\(Int(s)) s" }
    return "\(s) s"
}
