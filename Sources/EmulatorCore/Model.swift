/// The operations the emulator answers (`X-Amz-Target: AWS242ServiceCatalogService.<name>`).
public enum Operation: String, Sendable, CaseIterable {
    case createProvisionedProductPlan = "CreateProvisionedProductPlan"
    case describeProvisionedProductPlan = "DescribeProvisionedProductPlan"
    case executeProvisionedProductPlan = "ExecuteProvisionedProductPlan"
    case deleteProvisionedProductPlan = "DeleteProvisionedProductPlan"
    case listProvisionedProductPlans = "ListProvisionedProductPlans"
    case listLaunchPaths = "ListLaunchPaths"
    case describeProvisionedProduct = "DescribeProvisionedProduct"
    case describeProvisioningParameters = "DescribeProvisioningParameters"
    case describeRecord = "DescribeRecord"

    public static let targetPrefix = "AWS242ServiceCatalogService."

    /// The operation named by an `X-Amz-Target` header, if it is one of ours.
    public init?(target: String) {
        guard target.hasPrefix(Operation.targetPrefix) else { return nil }
        self.init(rawValue: String(target.dropFirst(Operation.targetPrefix.count)))
    }
}

public enum PlanStatus: String, Sendable, CaseIterable {
    case createInProgress = "CREATE_IN_PROGRESS"
    case createSuccess = "CREATE_SUCCESS"
    case createFailed = "CREATE_FAILED"
    case executeInProgress = "EXECUTE_IN_PROGRESS"
    case executeSuccess = "EXECUTE_SUCCESS"
    case executeFailed = "EXECUTE_FAILED"

    /// A plan still "in flight" for its provisioned product: neither executed nor deleted.
    var blocksNewPlans: Bool { self == .createInProgress || self == .createSuccess || self == .createFailed }
}

public enum RecordStatus: String, Sendable {
    case created = "CREATED"
    case inProgress = "IN_PROGRESS"
    case inProgressInError = "IN_PROGRESS_IN_ERROR"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
}

/// One requested parameter, as given (echoed back by DescribeProvisionedProductPlan).
struct RequestedParameter {
    var key: String
    var value: String?
    var usePreviousValue: Bool?
}

/// A ResourceChange of a plan.
public struct ResourceChange: Sendable, Equatable {
    public enum Action: String, Sendable { case add = "ADD", modify = "MODIFY", remove = "REMOVE" }
    public struct Detail: Sendable, Equatable {
        public var attribute: String
        public var name: String?
        public var recreation: Recreation
        public var causingEntity: String?
    }
    public var action: Action
    public var logicalId: String
    public var physicalId: String?
    public var type: String
    public var replacement: String?
    public var scope: [String]
    public var details: [Detail]

    var json: JSON {
        var o = JSONObject()
        o.set("Action", action.rawValue)
        o.set("LogicalResourceId", logicalId)
        o.set("PhysicalResourceId", physicalId)
        o.set("ResourceType", type)
        o.set("Replacement", replacement)
        o.set("Scope", .array(scope.map(JSON.string)))
        o.set("Details", .array(details.map { d in
            var t = JSONObject()
            t.set("Attribute", d.attribute)
            t.set("Name", d.name)
            t.set("RequiresRecreation", d.recreation.rawValue)
            var x = JSONObject()
            x.set("Target", t.json)
            x.set("Evaluation", "STATIC")
            x.set("CausingEntity", d.causingEntity)
            return x.json
        }))
        return o.json
    }
}

struct Plan {
    var id: String
    var seq: Int
    var name: String
    var productId: String
    var artifactId: String
    var pathId: String
    var provisionedProductId: String
    var provisionedProductName: String
    var notificationArns: [String]?
    var requestedParameters: [RequestedParameter]?
    var requestedTags: [Tag]?
    var status: PlanStatus
    var statusMessage: String?
    var createdTime: Double
    var updatedTime: Double
    var changes: [ResourceChange]
    /// The parameter values and tags the provisioned product has after execution.
    var newParameters: [(key: String, value: String)]
    var newTags: [Tag]
    /// True when this plan made a new provisioned product (in PLAN_IN_PROGRESS).
    var createsProduct: Bool
    var recordId: String?
}

struct ProvisionedProduct {
    var id: String
    var name: String
    var productId: String
    var artifactId: String
    var pathId: String?
    var status: ProvisionedProductStatus
    var statusMessage: String?
    var createdTime: Double
    var idempotencyToken: String?
    var parameters: [(key: String, value: String)]
    var tags: [Tag]
    var lastRecordId: String?
    var lastProvisioningRecordId: String?
    var lastSuccessfulProvisioningRecordId: String?
    /// Set while the product exists only because a plan was created for it.
    var createdByPlanId: String?

    func parameter(_ key: String) -> String? { parameters.first { $0.key == key }?.value }
}

struct Record {
    var id: String
    var type: String
    var status: RecordStatus
    var createdTime: Double
    var updatedTime: Double
    var provisionedProductId: String
    var provisionedProductName: String
    var productId: String
    var artifactId: String
    var pathId: String?
    var errors: [RecordError]
    var tags: [Tag]

    var json: JSON {
        var o = JSONObject()
        o.set("RecordId", id)
        o.set("ProvisionedProductName", provisionedProductName)
        o.set("Status", status.rawValue)
        o.set("CreatedTime", createdTime)
        o.set("UpdatedTime", updatedTime)
        o.set("ProvisionedProductType", "CFN_STACK")
        o.set("RecordType", type)
        o.set("ProvisionedProductId", provisionedProductId)
        o.set("ProductId", productId)
        o.set("ProvisioningArtifactId", artifactId)
        o.set("PathId", pathId)
        o.set("RecordErrors", .array(errors.map { .object([("Code", .string($0.code)), ("Description", .string($0.description))]) }))
        o.set("RecordTags", .array(tags.map(\.json)))
        return o.json
    }
}

extension Tag {
    var json: JSON { .object([("Key", .string(key)), ("Value", .string(value))]) }
}

/// A timed transition: a plan finishing creation, or an execution finishing.
enum PendingEvent {
    case planReady(planId: String)
    case executionDone(planId: String, productId: String, recordId: String)
}

/// A min-heap of events by due time (ties in insertion order).
struct EventQueue {
    private var heap: [(due: Double, seq: Int, event: PendingEvent)] = []
    private var counter = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func push(_ due: Double, _ event: PendingEvent) {
        counter += 1
        heap.append((due, counter, event))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest event if it is due at `now`.
    mutating func popDue(_ now: Double) -> (due: Double, event: PendingEvent)? {
        guard let first = heap.first, first.due <= now else { return nil }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(l, m) { m = l }
            if r < heap.count, less(r, m) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (first.due, first.event)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].due != heap[b].due ? heap[a].due < heap[b].due : heap[a].seq < heap[b].seq
    }
}
