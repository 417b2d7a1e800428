/// Where a spec ended up.
public enum SpecStatus: String, Sendable, CaseIterable {
    /// The plan exists and settled (CREATE_SUCCESS); its changes were read.
    case planned
    /// The plan found nothing to change (AWS's "no changes" CREATE_FAILED).
    case noChange = "no-change"
    /// The plan was executed and the provisioned product is AVAILABLE.
    case executed
    /// Something failed; see `error`.
    case failed
    /// The run stopped (Ctrl-C, --fail-fast) before the spec started.
    case notStarted = "not-started"
    /// The run stopped while the spec was in progress.
    case inProgress = "in-progress"

    public var succeeded: Bool { self == .planned || self == .noChange || self == .executed }
}

/// The outcome of one spec.
public struct SpecResult: Sendable {
    public var file: String
    public var documentIndex: Int
    public var line: Int
    public var provisionedProductName: String
    public var planName: String
    public var token: String
    public var status: SpecStatus
    public var planId: String?
    public var pathId: String?
    public var provisionedProductId: String?
    /// Plans of the same provisioned product deleted because they came from another token.
    public var replacedPlanIds: [String] = []
    public var changes: [PlannedChange] = []
    public var error: String?
    /// Extra information (e.g. "executed by an earlier run").
    public var note: String?

    public init(spec: ApplySpec, status: SpecStatus) {
        file = spec.file
        documentIndex = spec.documentIndex
        line = spec.line
        provisionedProductName = spec.provisionedProductName
        planName = spec.planName
        token = spec.token
        self.status = status
        pathId = spec.pathId
    }

    public var counts: ChangeCounts { ChangeCounts(changes) }
    public var location: String { "\(file):\(line)" }
    var displayName: String { provisionedProductName.isEmpty ? "(no ProvisionedProductName)" : provisionedProductName }

    /// The first line of the text report.
    public var headline: String {
        var s = "\(displayName) (\(location)): "
        switch status {
        case .planned:
            s += "plan \(planId ?? "?"): \(counts.sentence)"
        case .noChange:
            s += "no changes" + (planId.map { " (plan \($0))" } ?? "")
        case .executed:
            s += "plan \(planId ?? "?") executed (\(counts.sentence)); provisioned product AVAILABLE"
        case .failed:
            s += "failed: \(error ?? "unknown error")"
        case .notStarted:
            s += "not started"
        case .inProgress:
            s += "interrupted while in progress" + (planId.map { " (plan \($0))" } ?? "")
        }
        if !replacedPlanIds.isEmpty { s += "; replaced plan\(replacedPlanIds.count == 1 ? "" : "s") \(replacedPlanIds.joined(separator: ", "))" }
        if let note { s += "; \(note)" }
        return s
    }

    /// Headline plus one line per resource change (planned and executed specs).
    public var textReport: String {
        var lines = [headline]
        if status == .planned || status == .executed || (status == .failed && !changes.isEmpty) {
            lines += changes.map(\.rendered)
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object (a single line): file, document, line, provisionedProductName,
    /// planName, planId, token, pathId, status, changes {add, modify, remove, replace},
    /// resourceChanges [...], replacedPlanIds, error, note.
    public var json: String {
        var o = "{"
        func key(_ k: String) { if o.count > 1 { o += "," }; appendJSONString(k, to: &o); o += ":" }
        func str(_ k: String, _ v: String?) { key(k); if let v { appendJSONString(v, to: &o) } else { o += "null" } }
        str("file", file)
        key("document"); o += String(documentIndex)
        key("line"); o += String(line)
        str("provisionedProductName", provisionedProductName)
        str("planName", planName)
        str("planId", planId)
        str("token", token.isEmpty ? nil : token)
        str("pathId", pathId)
        str("status", status.rawValue)
        let c = counts
        key("changes"); o += "{\"add\":\(c.add),\"modify\":\(c.modify),\"remove\":\(c.remove),\"replace\":\(c.replace)}"
        key("resourceChanges"); o += "["
        for (i, ch) in changes.enumerated() {
            if i > 0 { o += "," }
            o += "{\"action\":"
            appendJSONString(ch.kind.rawValue, to: &o)
            o += ",\"resourceType\":"
            appendJSONString(ch.resourceType, to: &o)
            o += ",\"logicalResourceId\":"
            appendJSONString(ch.logicalResourceId, to: &o)
            o += ",\"replacement\":"
            if let r = ch.replacement { appendJSONString(r, to: &o) } else { o += "null" }
            o += ",\"changed\":["
            for (j, n) in ch.changedNames.enumerated() {
                if j > 0 { o += "," }
                appendJSONString(n, to: &o)
            }
            o += "]}"
        }
        o += "]"
        key("replacedPlanIds"); o += "["
        for (i, p) in replacedPlanIds.enumerated() {
            if i > 0 { o += "," }
            appendJSONString(p, to: &o)
        }
        o += "]"
        str("error", error)
        str("note", note)
        o += "}"
        return o
    }
}

/// The final summary line: `12 specs: 9 planned (+14 ~3 -1), 2 no change, 1 failed`.
/// Executed, not-started and in-progress counts appear only when there are any.
public func summaryLine(_ results: [SpecResult]) -> String {
    var n: [SpecStatus: Int] = [:]
    var planned = ChangeCounts()
    var executed = ChangeCounts()
    for r in results {
        n[r.status, default: 0] += 1
        if r.status == .planned { planned = planned + r.counts }
        if r.status == .executed { executed = executed + r.counts }
    }
    var parts: [String] = []
    parts.append("\(n[.planned] ?? 0) planned (\(planned.compact))")
    if let e = n[.executed], e > 0 { parts.append("\(e) executed (\(executed.compact))") }
    parts.append("\(n[.noChange] ?? 0) no change")
    parts.append("\(n[.failed] ?? 0) failed")
    if let s = n[.inProgress], s > 0 { parts.append("\(s) interrupted in progress") }
    if let s = n[.notStarted], s > 0 { parts.append("\(s) not started") }
    return "\(results.count) spec\(results.count == 1 ? "" : "s"): " + parts.joined(separator: ", ")
}
