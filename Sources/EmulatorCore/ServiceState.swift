/// Timing of the asynchronous transitions.
public struct ServiceTiming: Sendable {
    /// CREATE_IN_PROGRESS → CREATE_SUCCESS / CREATE_FAILED, in seconds (0 allowed).
    public var planDelay: Double
    /// EXECUTE_IN_PROGRESS → EXECUTE_SUCCESS (and UNDER_CHANGE → AVAILABLE …), in seconds.
    public var executeDelay: Double
    public init(planDelay: Double = 0, executeDelay: Double = 0) {
        self.planDelay = planDelay
        self.executeDelay = executeDelay
    }
}

/// What the service did since the start (or the last reset): the numbers tests use to prove
/// nothing was duplicated or lost.
public struct ServiceCounters: Sendable, Equatable {
    public var plansCreated = 0
    public var createCalls = 0
    public var idempotentReplays = 0
    public var executeCalls = 0
    public var executions = 0
    public var executeReplays = 0
    public var deleteCalls = 0
    public var plansDeleted = 0
    public var provisionedProductsCreated = 0
    public var provisionedProductsDeleted = 0
    /// Plans created, by provisioned product name (kept when plans or products are deleted).
    public var plansPerProvisionedProduct: [String: Int] = [:]
    /// Executions started, by provisioned product name.
    public var executionsPerProvisionedProduct: [String: Int] = [:]
    public init() {}
}

/// The Service Catalog state machine: products from the catalog, provisioned products,
/// plans, records and idempotency tokens. Single-threaded and clock-free: every call takes
/// `now`, and timed transitions are applied lazily (`settle`) before each operation, so the
/// state at any instant is a pure function of the calls and their times.
public struct ServiceState: Sendable {
    public let catalog: Catalog
    public var timing: ServiceTiming
    var products: [String: Product] = [:]
    var provisioned: [String: ProvisionedProduct] = [:]
    var provisionedByName: [String: String] = [:]
    var plans: [String: Plan] = [:]
    /// The plan not yet executed or deleted, per provisioned product id.
    var activePlan: [String: String] = [:]
    var records: [String: Record] = [:]
    var createTokens: [String: JSON] = [:]
    var executeTokens: [String: JSON] = [:]
    var events = EventQueue()
    var nextId: UInt64 = 0
    var planSeq = 0
    let salt: UInt64
    public private(set) var counters = ServiceCounters()

    public init(catalog: Catalog, timing: ServiceTiming = ServiceTiming(), seed: UInt64 = 0, now: Double = 0) {
        self.catalog = catalog
        self.timing = timing
        self.salt = seed ^ 0xA076_1D64_78BD_642F
        for p in catalog.products { products[p.id] = p }
        for seed in catalog.provisionedProducts {
            let recordId = IDs.derived("rec-", from: "seed:" + seed.name)
            var pp = ProvisionedProduct(
                id: seed.id, name: seed.name, productId: seed.productId, artifactId: seed.artifactId, pathId: seed.pathId,
                status: seed.status, statusMessage: seed.statusMessage, createdTime: now, idempotencyToken: nil,
                parameters: seed.parameters, tags: seed.tags)
            let failed = seed.status == .error
            records[recordId] = Record(
                id: recordId, type: "PROVISION_PRODUCT", status: failed ? .failed : .succeeded, createdTime: now, updatedTime: now,
                provisionedProductId: seed.id, provisionedProductName: seed.name, productId: seed.productId,
                artifactId: seed.artifactId, pathId: seed.pathId,
                errors: failed ? [RecordError(code: "CFN_STACK_FAILED", description: seed.statusMessage ?? "Stack failed.")] : [],
                tags: seed.tags)
            pp.lastRecordId = recordId
            pp.lastProvisioningRecordId = recordId
            if !failed { pp.lastSuccessfulProvisioningRecordId = recordId }
            provisioned[pp.id] = pp
            provisionedByName[pp.name] = pp.id
        }
    }

    mutating func newId(_ prefix: String) -> String {
        nextId += 1
        return IDs.make(prefix, nextId, salt: salt ^ UInt64(prefix.utf8.count))
    }

    // MARK: - Dispatch

    /// Runs one operation on a parsed body at time `now`: the response body, or the error.
    public mutating func handle(_ op: Operation, _ body: JSON, now: Double) -> Result<JSON, ServiceError> {
        settle(now)
        do throws(ServiceError) {
            let input = try Input(body)
            switch op {
            case .createProvisionedProductPlan: return .success(try createPlan(input, now: now))
            case .describeProvisionedProductPlan: return .success(try describePlan(input))
            case .executeProvisionedProductPlan: return .success(try executePlan(input, now: now))
            case .deleteProvisionedProductPlan: return .success(try deletePlan(input))
            case .listProvisionedProductPlans: return .success(try listPlans(input))
            case .listLaunchPaths: return .success(try listLaunchPaths(input))
            case .describeProvisionedProduct: return .success(try describeProvisionedProduct(input))
            case .describeProvisioningParameters: return .success(try describeProvisioningParameters(input))
            case .describeRecord: return .success(try describeRecord(input))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Applies every timed transition due at `now`, in order.
    public mutating func settle(_ now: Double) {
        while let (due, event) = events.popDue(now) {
            switch event {
            case .planReady(let planId):
                guard var plan = plans[planId], plan.status == .createInProgress else { continue }
                if plan.changes.isEmpty {
                    plan.status = .createFailed
                    plan.statusMessage = ServiceState.noChangesMessage
                } else {
                    plan.status = .createSuccess
                }
                plan.updatedTime = due
                plans[planId] = plan
            case .executionDone(let planId, let productId, let recordId):
                finishExecution(planId: planId, productId: productId, recordId: recordId, at: due)
            }
        }
    }

    public static let noChangesMessage =
        "The submitted information didn't contain changes. Submit different information to create a change set."

    // MARK: - CreateProvisionedProductPlan

    mutating func createPlan(_ input: Input, now: Double) throws(ServiceError) -> JSON {
        counters.createCalls += 1
        let planName = try input.required("PlanName")
        let planType = try input.required("PlanType")
        guard planType == "CLOUDFORMATION" else {
            throw .invalidParameters("PlanType '\(planType)' is not valid; the only plan type is CLOUDFORMATION.")
        }
        let productId = try input.id("ProductId", required: true)!
        let artifactId = try input.id("ProvisioningArtifactId", required: true)!
        let pathIdGiven = try input.id("PathId")
        let ppName = try input.required("ProvisionedProductName")
        guard Validation.isProvisionedProductName(ppName) else {
            throw .invalidParameters("ProvisionedProductName '\(ppName)' is not valid: it must match [a-zA-Z0-9][a-zA-Z0-9._-]* and have at most 128 characters.")
        }
        let token = try input.required("IdempotencyToken")
        guard Validation.isIdempotencyToken(token) else {
            throw .invalidParameters("IdempotencyToken is not valid: it must match [a-zA-Z0-9][a-zA-Z0-9_-]* and have at most 128 characters.")
        }
        if let language = try input.string("AcceptLanguage"), language.unicodeScalars.count > 100 {
            throw .invalidParameters("AcceptLanguage must have at most 100 characters.")
        }
        var arns: [String]?
        if let list = try input.list("NotificationArns") {
            guard list.count <= 5 else { throw .invalidParameters("NotificationArns may hold at most 5 ARNs.") }
            var out: [String] = []
            for item in list {
                guard let s = item.string else { throw .serialization("Expected a string in NotificationArns.") }
                guard s.hasPrefix("arn:"), s.unicodeScalars.count <= 1224 else {
                    throw .invalidParameters("NotificationArns: '\(s)' is not an ARN.")
                }
                out.append(s)
            }
            arns = out
        }
        let requested = try parseParameters(input)
        let requestedTags = try parseTags(input)

        // Idempotency: a token seen before returns the first answer and changes nothing.
        if let first = createTokens[token] {
            counters.idempotentReplays += 1
            return first
        }

        guard let product = products[productId] else { throw .notFound("Product \(productId) not found.") }
        guard let artifact = product.artifact(artifactId) else {
            throw .notFound("Provisioning artifact \(artifactId) not found for product \(productId).")
        }
        let path = try resolvePath(product, pathIdGiven)

        // The provisioned product: existing (update) or new.
        var existing: ProvisionedProduct?
        if let id = provisionedByName[ppName], let pp = provisioned[id] {
            guard pp.productId == productId else {
                throw .invalidParameters("Provisioned product \(ppName) was provisioned from product \(pp.productId), not \(productId).")
            }
            if let planId = activePlan[pp.id], let plan = plans[planId], plan.status.blocksNewPlans {
                throw .invalidState("Provisioned product \(ppName) already has plan \(plan.id) (\(plan.status.rawValue)). Execute or delete it before creating another plan.")
            }
            guard pp.status == .available || pp.status == .tainted else {
                throw .invalidState("Provisioned product \(ppName) is in status \(pp.status.rawValue); a plan can be created only when it is AVAILABLE or TAINTED.")
            }
            existing = pp
        }

        let newParameters = try resolveParameters(requested, artifact: artifact, existing: existing, ppName: ppName)
        let newTags = try resolveTags(requestedTags, product: product, path: path, existing: existing)

        // Resource changes against what exists.
        var changes: [ResourceChange]
        if let existing {
            let oldArtifact = product.artifact(existing.artifactId) ?? artifact
            changes = ServiceState.diff(old: oldArtifact, oldParameters: existing.parameters, oldTags: existing.tags,
                                        new: artifact, newParameters: newParameters, newTags: newTags, ppName: ppName)
        } else {
            changes = artifact.resources.map {
                ResourceChange(action: .add, logicalId: $0.logicalId, physicalId: nil, type: $0.type, replacement: nil,
                               scope: [], details: [])
            }
            if changes.isEmpty {
                // A template with no declared resources still creates a stack.
                changes = [ResourceChange(action: .add, logicalId: "Stack", physicalId: nil, type: "AWS::CloudFormation::WaitConditionHandle",
                                          replacement: nil, scope: [], details: [])]
            }
        }

        // Everything checked: from here on the call succeeds and changes state.
        let planId = newId("pp-")
        let ppId: String
        if let existing {
            ppId = existing.id
        } else {
            ppId = newId("pp-")
            provisioned[ppId] = ProvisionedProduct(
                id: ppId, name: ppName, productId: productId, artifactId: artifactId, pathId: path.id,
                status: .planInProgress, statusMessage: nil, createdTime: now, idempotencyToken: token,
                parameters: newParameters, tags: newTags, createdByPlanId: planId)
            provisionedByName[ppName] = ppId
            counters.provisionedProductsCreated += 1
        }
        planSeq += 1
        plans[planId] = Plan(
            id: planId, seq: planSeq, name: planName, productId: productId, artifactId: artifactId, pathId: path.id,
            provisionedProductId: ppId, provisionedProductName: ppName, notificationArns: arns,
            requestedParameters: requested, requestedTags: requestedTags, status: .createInProgress, statusMessage: nil,
            createdTime: now, updatedTime: now, changes: changes, newParameters: newParameters, newTags: newTags,
            createsProduct: existing == nil, recordId: nil)
        counters.plansPerProvisionedProduct[ppName, default: 0] += 1
        activePlan[ppId] = planId
        counters.plansCreated += 1
        events.push(now + timing.planDelay, .planReady(planId: planId))

        var out = JSONObject()
        out.set("PlanName", planName)
        out.set("PlanId", planId)
        out.set("ProvisionProductId", ppId)
        out.set("ProvisionedProductName", ppName)
        out.set("ProvisioningArtifactId", artifactId)
        createTokens[token] = out.json
        settle(now)
        return out.json
    }

    func parseParameters(_ input: Input) throws(ServiceError) -> [RequestedParameter]? {
        guard let list = try input.list("ProvisioningParameters") else { return nil }
        var out: [RequestedParameter] = []
        for item in list {
            let p = try Input(item)
            guard let key = try p.string("Key"), !key.isEmpty else {
                throw .invalidParameters("Each ProvisioningParameters item needs a Key.")
            }
            guard key.unicodeScalars.count <= 1000 else { throw .invalidParameters("Parameter key is longer than 1000 characters.") }
            let value = try p.string("Value")
            if let value, value.unicodeScalars.count > 4096 {
                throw .invalidParameters("The value of parameter \(key) is longer than 4096 characters.")
            }
            let usePrevious = try p.bool("UsePreviousValue")
            if usePrevious == true, let value, !value.isEmpty {
                throw .invalidParameters("Cannot specify usePreviousValue as true and non empty value for a parameter: \(key)")
            }
            if out.contains(where: { $0.key == key }) {
                throw .invalidParameters("Parameter \(key) is given more than once.")
            }
            out.append(RequestedParameter(key: key, value: value, usePreviousValue: usePrevious))
        }
        return out
    }

    func parseTags(_ input: Input) throws(ServiceError) -> [Tag]? {
        guard let list = try input.list("Tags") else { return nil }
        guard list.count <= 50 else { throw .invalidParameters("Tags may hold at most 50 tags.") }
        var out: [Tag] = []
        for item in list {
            let t = try Input(item)
            guard let key = try t.string("Key"), let value = try t.string("Value") else {
                throw .invalidParameters("Each tag needs a Key and a Value.")
            }
            let kn = key.unicodeScalars.count, vn = value.unicodeScalars.count
            guard kn >= 1, kn <= 128, Validation.isTagText(key) else {
                throw .invalidParameters("Tag key '\(key)' is not valid: 1 to 128 letters, digits, spaces or _ . : / = + - @.")
            }
            guard vn >= 1, vn <= 256, Validation.isTagText(value) else {
                throw .invalidParameters("The value of tag '\(key)' is not valid: 1 to 256 letters, digits, spaces or _ . : / = + - @.")
            }
            if key.lowercased().hasPrefix("aws:") {
                throw .invalidParameters("Tag keys starting with 'aws:' are reserved for AWS use: '\(key)'.")
            }
            if out.contains(where: { $0.key == key }) { throw .invalidParameters("Tag key '\(key)' is given more than once.") }
            out.append(Tag(key: key, value: value))
        }
        return out
    }

    /// The launch path to use: the one named, or the only one.
    func resolvePath(_ product: Product, _ pathId: String?, pathName: String? = nil) throws(ServiceError) -> LaunchPath {
        if product.launchPaths.isEmpty { throw .notFound("No launch paths found for resource: \(product.id)") }
        if let pathId {
            guard let path = product.launchPath(pathId) else {
                throw .notFound("Launch path \(pathId) not found for product \(product.id).")
            }
            return path
        }
        if let pathName {
            let matches = product.launchPaths.filter { $0.name == pathName }
            guard matches.count == 1 else {
                if matches.isEmpty { throw .notFound("Launch path with name \(pathName) not found for product \(product.id).") }
                throw .invalidParameters("More than one launch path of product \(product.id) has the name \(pathName); specify PathId.")
            }
            return matches[0]
        }
        guard product.launchPaths.count == 1 else {
            let list = product.launchPaths.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
            throw .invalidParameters("Product \(product.id) has \(product.launchPaths.count) launch paths; specify PathId. Launch paths: \(list).")
        }
        return product.launchPaths[0]
    }

    /// The parameter values the provisioned product will have. Unknown keys, constraint
    /// violations and UsePreviousValue misuse are InvalidParametersException; omitted
    /// parameters take their DefaultValue, else (on an update) their current value.
    func resolveParameters(_ requested: [RequestedParameter]?, artifact: ProvisioningArtifact,
                           existing: ProvisionedProduct?, ppName: String) throws(ServiceError) -> [(key: String, value: String)] {
        let requested = requested ?? []
        for r in requested where artifact.parameter(r.key) == nil {
            throw .invalidParameters("Parameters: [\(r.key)] do not exist in the template of provisioning artifact \(artifact.id).")
        }
        var out: [(key: String, value: String)] = []
        var missing: [String] = []
        for p in artifact.parameters {
            let r = requested.first { $0.key == p.key }
            let value: String?
            if let r, r.usePreviousValue == true {
                guard let existing else {
                    throw .invalidParameters("UsePreviousValue cannot be used for parameter \(p.key): provisioned product \(ppName) does not exist yet.")
                }
                guard let previous = existing.parameter(p.key) else {
                    throw .invalidParameters("Cannot specify usePreviousValue as true for a parameter key not in the previous template: \(p.key)")
                }
                value = previous
            } else if let r, let v = r.value {
                value = v
            } else if let d = p.defaultValue {
                value = d
            } else {
                value = existing?.parameter(p.key)
            }
            guard let value else { missing.append(p.key); continue }
            if let why = ParameterRules.violation(of: p, value: value) {
                throw .invalidParameters("Parameter '\(p.key)' failed to satisfy constraint: \(why).")
            }
            out.append((p.key, value))
        }
        if !missing.isEmpty { throw .invalidParameters("Parameters: [\(missing.joined(separator: ", "))] must have values") }
        return out
    }

    /// The TagOptions in force on a launch: product and portfolio options, with the values
    /// of a key set on both intersected; an empty intersection is a conflict (empty Values).
    static func effectiveTagOptions(_ product: Product, _ path: LaunchPath) -> [TagOption] {
        var out = product.tagOptions
        for option in path.tagOptions {
            if let i = out.firstIndex(where: { $0.key == option.key }) {
                out[i].values = out[i].values.filter { option.values.contains($0) }
            } else {
                out.append(option)
            }
        }
        return out
    }

    func resolveTags(_ requested: [Tag]?, product: Product, path: LaunchPath, existing: ProvisionedProduct?) throws(ServiceError) -> [Tag] {
        let options = ServiceState.effectiveTagOptions(product, path)
        for tag in requested ?? [] {
            guard let option = options.first(where: { $0.key == tag.key }) else { continue }
            if option.values.isEmpty {
                throw .invalidParameters("Tag key '\(tag.key)' is a TagOption whose product and portfolio values conflict; it cannot be given as a tag.")
            }
            if !option.values.contains(tag.value) {
                throw .invalidParameters("Tag value '\(tag.value)' is not allowed for TagOption key '\(tag.key)'. Allowed values: [\(option.values.joined(separator: ", "))].")
            }
        }
        if let existing {
            guard let requested else { return existing.tags }
            if Set(requested) != Set(existing.tags), !path.allowsTagUpdates {
                throw .invalidParameters("Tag updates are not allowed for provisioned product \(existing.name): launch path \(path.id) has no RESOURCE_UPDATE constraint with TagUpdateOnProvisionedProduct set to ALLOWED.")
            }
            return requested
        }
        var tags = requested ?? []
        // A TagOption with a single value becomes a tag automatically on launch.
        for option in options where option.values.count == 1 && !tags.contains(where: { $0.key == option.key }) {
            tags.append(Tag(key: option.key, value: option.values[0]))
        }
        return tags
    }

    /// What an update changes: resources added or removed by the artifact, and resources
    /// modified because a parameter they depend on (or the tags) changed.
    static func diff(old: ProvisioningArtifact, oldParameters: [(key: String, value: String)], oldTags: [Tag],
                     new: ProvisioningArtifact, newParameters: [(key: String, value: String)], newTags: [Tag],
                     ppName: String) -> [ResourceChange] {
        func value(_ params: [(key: String, value: String)], _ key: String) -> String? { params.first { $0.key == key }?.value }
        let tagsChanged = Set(oldTags) != Set(newTags)
        var changes: [ResourceChange] = []
        for r in new.resources {
            guard let before = old.resources.first(where: { $0.logicalId == r.logicalId && $0.type == r.type }) else {
                changes.append(ResourceChange(action: .add, logicalId: r.logicalId, physicalId: nil, type: r.type,
                                              replacement: nil, scope: [], details: []))
                continue
            }
            _ = before
            var details: [ResourceChange.Detail] = []
            for dep in r.dependsOn where value(oldParameters, dep.parameter) != value(newParameters, dep.parameter) {
                details.append(.init(attribute: "PROPERTIES", name: dep.parameter, recreation: dep.recreation, causingEntity: dep.parameter))
            }
            var scope: [String] = details.isEmpty ? [] : ["PROPERTIES"]
            if tagsChanged {
                scope.append("TAGS")
                details.append(.init(attribute: "TAGS", name: "Tags", recreation: .never, causingEntity: nil))
            }
            guard !details.isEmpty else { continue }
            let replacement: String
            if details.contains(where: { $0.recreation == .always }) {
                replacement = "TRUE"
            } else if details.contains(where: { $0.recreation == .conditionally }) {
                replacement = "CONDITIONAL"
            } else {
                replacement = "FALSE"
            }
            changes.append(ResourceChange(action: .modify, logicalId: r.logicalId, physicalId: physicalId(ppName, r.logicalId),
                                          type: r.type, replacement: replacement, scope: scope, details: details))
        }
        for r in old.resources where !new.resources.contains(where: { $0.logicalId == r.logicalId && $0.type == r.type }) {
            changes.append(ResourceChange(action: .remove, logicalId: r.logicalId, physicalId: physicalId(ppName, r.logicalId),
                                          type: r.type, replacement: nil, scope: [], details: []))
        }
        return changes
    }

    static func physicalId(_ ppName: String, _ logicalId: String) -> String {
        let suffix = IDs.derived("", from: ppName + "/" + logicalId).uppercased()
        return "\(ppName)-\(logicalId)-\(suffix)"
    }

    // MARK: - DescribeProvisionedProductPlan

    func planOrThrow(_ input: Input) throws(ServiceError) -> Plan {
        let planId = try input.id("PlanId", required: true)!
        guard let plan = plans[planId] else { throw .notFound("Plan \(planId) not found.") }
        return plan
    }

    func describePlan(_ input: Input) throws(ServiceError) -> JSON {
        let plan = try planOrThrow(input)
        let (size, offset) = try input.page()
        var d = JSONObject()
        d.set("CreatedTime", plan.createdTime)
        d.set("PathId", plan.pathId)
        d.set("ProductId", plan.productId)
        d.set("PlanName", plan.name)
        d.set("PlanId", plan.id)
        d.set("ProvisionProductId", plan.provisionedProductId)
        d.set("ProvisionProductName", plan.provisionedProductName)
        d.set("PlanType", "CLOUDFORMATION")
        d.set("ProvisioningArtifactId", plan.artifactId)
        d.set("Status", plan.status.rawValue)
        d.set("UpdatedTime", plan.updatedTime)
        d.set("NotificationArns", plan.notificationArns.map { JSON.array($0.map(JSON.string)) })
        let artifact = products[plan.productId]?.artifact(plan.artifactId)
        d.set("ProvisioningParameters", plan.requestedParameters.map { params in
            JSON.array(params.map { p in
                var o = JSONObject()
                o.set("Key", p.key)
                let noEcho = artifact?.parameter(p.key)?.isNoEcho ?? false
                o.set("Value", noEcho && p.value != nil ? "****" : p.value)
                o.set("UsePreviousValue", p.usePreviousValue)
                return o.json
            })
        })
        d.set("Tags", plan.requestedTags.map { JSON.array($0.map(\.json)) })
        d.set("StatusMessage", plan.statusMessage)
        let visible = plan.status == .createInProgress || plan.status == .createFailed ? [] : plan.changes
        let (page, next) = paged(visible, size: size, offset: offset)
        var out = JSONObject()
        out.set("ProvisionedProductPlanDetails", d.json)
        out.set("ResourceChanges", .array(page.map(\.json)))
        out.set("NextPageToken", next)
        return out.json
    }

    // MARK: - ExecuteProvisionedProductPlan

    mutating func executePlan(_ input: Input, now: Double) throws(ServiceError) -> JSON {
        counters.executeCalls += 1
        let planId = try input.id("PlanId", required: true)!
        let token = try input.required("IdempotencyToken")
        guard Validation.isIdempotencyToken(token) else {
            throw .invalidParameters("IdempotencyToken is not valid: it must match [a-zA-Z0-9][a-zA-Z0-9_-]* and have at most 128 characters.")
        }
        if let first = executeTokens[token] {
            counters.executeReplays += 1
            return first
        }
        guard var plan = plans[planId] else { throw .notFound("Plan \(planId) not found.") }
        guard plan.status == .createSuccess else {
            throw .invalidState("Plan \(planId) is in status \(plan.status.rawValue); only a plan in CREATE_SUCCESS can be executed.")
        }
        guard var pp = provisioned[plan.provisionedProductId] else {
            throw .notFound("Provisioned product \(plan.provisionedProductName) not found.")
        }
        guard [ProvisionedProductStatus.available, .tainted, .planInProgress].contains(pp.status) else {
            throw .invalidState("Provisioned product \(pp.name) is in status \(pp.status.rawValue) and cannot be updated.")
        }
        let recordId = newId("rec-")
        let record = Record(
            id: recordId, type: plan.createsProduct ? "PROVISION_PRODUCT" : "UPDATE_PROVISIONED_PRODUCT", status: .inProgress,
            createdTime: now, updatedTime: now, provisionedProductId: pp.id, provisionedProductName: pp.name,
            productId: plan.productId, artifactId: plan.artifactId, pathId: plan.pathId, errors: [], tags: plan.newTags)
        records[recordId] = record
        plan.status = .executeInProgress
        plan.updatedTime = now
        plan.recordId = recordId
        plans[planId] = plan
        activePlan[plan.provisionedProductId] = nil
        pp.status = .underChange
        pp.statusMessage = nil
        pp.lastRecordId = recordId
        pp.lastProvisioningRecordId = recordId
        pp.createdByPlanId = nil
        provisioned[pp.id] = pp
        counters.executions += 1
        counters.executionsPerProvisionedProduct[pp.name, default: 0] += 1
        events.push(now + timing.executeDelay, .executionDone(planId: planId, productId: pp.id, recordId: recordId))
        let out = JSON.object([("RecordDetail", record.json)])
        executeTokens[token] = out
        settle(now)
        return out
    }

    mutating func finishExecution(planId: String, productId: String, recordId: String, at time: Double) {
        guard var record = records[recordId] else { return }
        let planned = plans[planId]
        let artifact = products[record.productId]?.artifact(record.artifactId)
        let outcome = artifact?.outcome ?? .available
        var errors: [RecordError] = []
        if outcome != .available {
            if let configured = artifact?.recordErrors, !configured.isEmpty {
                errors = configured
            } else {
                let text = outcome == .tainted ? "Stack update failed and was rolled back." : "Stack creation failed."
                errors = [RecordError(code: "CFN_STACK_FAILED", description: text)]
            }
        }
        record.status = outcome == .available ? .succeeded : .failed
        record.errors = errors
        record.updatedTime = time
        records[recordId] = record
        if var plan = planned {
            plan.status = outcome == .available ? .executeSuccess : .executeFailed
            plan.statusMessage = errors.first?.description
            plan.updatedTime = time
            plans[planId] = plan
        }
        guard var pp = provisioned[productId] else { return }
        switch outcome {
        case .available:
            pp.status = .available
            pp.statusMessage = nil
            pp.lastSuccessfulProvisioningRecordId = recordId
        case .tainted:
            pp.status = .tainted
            pp.statusMessage = errors.first?.description
        case .error:
            pp.status = .error
            pp.statusMessage = errors.first?.description
        }
        if outcome != .error || planned?.createsProduct == true, let plan = planned {
            pp.artifactId = plan.artifactId
            pp.pathId = plan.pathId
            pp.parameters = plan.newParameters
            pp.tags = plan.newTags
        }
        provisioned[productId] = pp
    }

    // MARK: - DeleteProvisionedProductPlan

    mutating func deletePlan(_ input: Input) throws(ServiceError) -> JSON {
        counters.deleteCalls += 1
        let ignoreErrors = try input.bool("IgnoreErrors") ?? false
        let plan = try planOrThrow(input)
        if plan.status == .executeInProgress, !ignoreErrors {
            throw .invalidState("Plan \(plan.id) is being executed (EXECUTE_IN_PROGRESS); wait for it to finish, or set IgnoreErrors.")
        }
        plans[plan.id] = nil
        if activePlan[plan.provisionedProductId] == plan.id { activePlan[plan.provisionedProductId] = nil }
        counters.plansDeleted += 1
        if let pp = provisioned[plan.provisionedProductId], pp.createdByPlanId == plan.id, pp.status == .planInProgress {
            provisioned[pp.id] = nil
            provisionedByName[pp.name] = nil
            counters.provisionedProductsDeleted += 1
        }
        return .object([])
    }

    // MARK: - ListProvisionedProductPlans

    func listPlans(_ input: Input) throws(ServiceError) -> JSON {
        let ppId = try input.id("ProvisionProductId")
        if let filter = try input.object("AccessLevelFilter") {
            if let key = try filter.string("Key"), !["Account", "Role", "User"].contains(key) {
                throw .invalidParameters("AccessLevelFilter Key must be Account, Role or User.")
            }
            _ = try filter.string("Value")
        }
        let (size, offset) = try input.page()
        let all = plans.values.filter { ppId == nil || $0.provisionedProductId == ppId }.sorted { $0.seq < $1.seq }
        let (page, next) = paged(all, size: size, offset: offset)
        var out = JSONObject()
        out.set("ProvisionedProductPlans", .array(page.map { plan in
            var o = JSONObject()
            o.set("PlanName", plan.name)
            o.set("PlanId", plan.id)
            o.set("ProvisionProductId", plan.provisionedProductId)
            o.set("ProvisionProductName", plan.provisionedProductName)
            o.set("PlanType", "CLOUDFORMATION")
            o.set("ProvisioningArtifactId", plan.artifactId)
            return o.json
        }))
        out.set("NextPageToken", next)
        return out.json
    }

    // MARK: - ListLaunchPaths

    func listLaunchPaths(_ input: Input) throws(ServiceError) -> JSON {
        let productId = try input.id("ProductId", required: true)!
        guard let product = products[productId] else { throw .notFound("Product \(productId) not found.") }
        let (size, offset) = try input.page()
        let (page, next) = paged(product.launchPaths, size: size, offset: offset)
        var out = JSONObject()
        out.set("LaunchPathSummaries", .array(page.map { path in
            var o = JSONObject()
            o.set("Id", path.id)
            o.set("ConstraintSummaries", .array(path.constraints.map(\.json)))
            o.set("Tags", .array(path.tags.map(\.json)))
            o.set("Name", path.name)
            return o.json
        }))
        out.set("NextPageToken", next)
        return out.json
    }

    // MARK: - DescribeProvisionedProduct

    func describeProvisionedProduct(_ input: Input) throws(ServiceError) -> JSON {
        let id = try input.string("Id"), name = try input.string("Name")
        guard (id == nil) != (name == nil) else {
            throw .invalidParameters("Specify exactly one of Id and Name.")
        }
        let pp: ProvisionedProduct?
        if let id { pp = provisioned[id] } else { pp = provisionedByName[name!].flatMap { provisioned[$0] } }
        guard let pp else { throw .notFound("Provisioned product \(id ?? name!) not found.") }
        var d = JSONObject()
        d.set("Name", pp.name)
        d.set("Arn", "arn:aws:servicecatalog:\(catalog.region):\(catalog.accountId):stack/\(pp.name)/\(pp.id)")
        d.set("Type", "CFN_STACK")
        d.set("Id", pp.id)
        d.set("Status", pp.status.rawValue)
        d.set("StatusMessage", pp.statusMessage)
        d.set("CreatedTime", pp.createdTime)
        d.set("IdempotencyToken", pp.idempotencyToken)
        d.set("LastRecordId", pp.lastRecordId)
        d.set("LastProvisioningRecordId", pp.lastProvisioningRecordId)
        d.set("LastSuccessfulProvisioningRecordId", pp.lastSuccessfulProvisioningRecordId)
        d.set("ProductId", pp.productId)
        d.set("ProvisioningArtifactId", pp.artifactId)
        return .object([("ProvisionedProductDetail", d.json), ("CloudWatchDashboards", .array([]))])
    }

    // MARK: - DescribeProvisioningParameters

    func describeProvisioningParameters(_ input: Input) throws(ServiceError) -> JSON {
        let productId = try input.id("ProductId"), productName = try input.string("ProductName")
        guard (productId == nil) != (productName == nil) else {
            throw .invalidParameters("Specify exactly one of ProductId and ProductName.")
        }
        let artifactId = try input.id("ProvisioningArtifactId"), artifactName = try input.string("ProvisioningArtifactName")
        guard (artifactId == nil) != (artifactName == nil) else {
            throw .invalidParameters("Specify exactly one of ProvisioningArtifactId and ProvisioningArtifactName.")
        }
        let pathId = try input.id("PathId"), pathName = try input.string("PathName")
        if pathId != nil, pathName != nil { throw .invalidParameters("Specify at most one of PathId and PathName.") }
        let product: Product?
        if let productId { product = products[productId] } else { product = catalog.products.first { $0.name == productName } }
        guard let product else { throw .notFound("Product \(productId ?? productName!) not found.") }
        let artifact: ProvisioningArtifact?
        if let artifactId { artifact = product.artifact(artifactId) } else { artifact = product.artifacts.first(where: { $0.name == artifactName }) }
        guard let artifact else {
            throw .notFound("Provisioning artifact \(artifactId ?? artifactName!) not found for product \(product.id).")
        }
        let path = try resolvePath(product, pathId, pathName: pathName)
        var out = JSONObject()
        out.set("ProvisioningArtifactParameters", .array(artifact.parameters.map { p in
            var o = JSONObject()
            o.set("ParameterKey", p.key)
            o.set("DefaultValue", p.isNoEcho && p.defaultValue != nil ? "****" : p.defaultValue)
            o.set("ParameterType", p.type)
            o.set("IsNoEcho", p.isNoEcho)
            o.set("Description", p.description)
            var c = JSONObject()
            let pc = p.constraints
            c.set("AllowedValues", .array((pc.allowedValues ?? []).map(JSON.string)))
            c.set("AllowedPattern", pc.allowedPattern)
            c.set("ConstraintDescription", pc.constraintDescription)
            c.set("MaxLength", pc.maxLength.map(String.init))
            c.set("MinLength", pc.minLength.map(String.init))
            c.set("MaxValue", pc.maxValue.map(JSON.format))
            c.set("MinValue", pc.minValue.map(JSON.format))
            o.set("ParameterConstraints", c.json)
            return o.json
        }))
        out.set("ConstraintSummaries", .array(path.constraints.map(\.json)))
        out.set("UsageInstructions", .array(path.constraints.map { c in
            var o = JSONObject()
            o.set("Type", c.type)
            if c.type == "RESOURCE_UPDATE", let allowed = c.tagUpdateOnProvisionedProduct {
                o.set("Value", "{\"Version\":\"2.0\",\"Properties\":{\"TagUpdateOnProvisionedProduct\":\"\(allowed ? "ALLOWED" : "NOT_ALLOWED")\"}}")
            } else {
                o.set("Value", c.description ?? "")
            }
            return o.json
        }))
        out.set("TagOptions", .array(ServiceState.effectiveTagOptions(product, path).map {
            .object([("Key", .string($0.key)), ("Values", .array($0.values.map(JSON.string)))])
        }))
        out.set("ProvisioningArtifactPreferences", .object([]))
        out.set("ProvisioningArtifactOutputs", .array([]))
        out.set("ProvisioningArtifactOutputKeys", .array([]))
        return out.json
    }

    // MARK: - DescribeRecord

    func describeRecord(_ input: Input) throws(ServiceError) -> JSON {
        let id = try input.id("Id", required: true)!
        guard let record = records[id] else { throw .notFound("Record \(id) not found.") }
        return .object([("RecordDetail", record.json), ("RecordOutputs", .array([]))])
    }

    // MARK: - Inspection (stats, tests)

    /// The status of every provisioned product, by name.
    public var provisionedStatuses: [(name: String, status: String)] {
        provisioned.values.sorted { $0.name < $1.name }.map { ($0.name, $0.status.rawValue) }
    }

    public var livePlans: Int { plans.count }
    public var pendingTransitions: Int { events.count }
}

extension ConstraintSummary {
    var json: JSON {
        var o = JSONObject()
        o.set("Type", type)
        o.set("Description", description)
        return o.json
    }
}
