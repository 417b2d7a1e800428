import PlanCore
import PlanSyntax
import Testing
@testable import EmulatorCore

/// Every plan in examples/ must plan successfully against the demo catalog.
@Suite("examples/ against the demo catalog")
struct ExamplesTests {
    static let specs = ["web/web-prod.plan.yaml", "web/web-preview.plan.yaml", "data/pipeline.plan.yaml", "network/baseline.plan.yaml"]

    /// Every spec document of examples/ as the exact request body plancc sends.
    static func documents() throws -> [(file: String, index: Int, body: JSON)] {
        var out: [(String, Int, JSON)] = []
        for spec in specs {
            let analysis = analyzeFile(try readFileBytes(repoRoot + "/examples/" + spec), file: spec)
            #expect(analysis.diagnostics.isEmpty, "\(spec): \(analysis.diagnostics.map(\.rendered))")
            for doc in analysis.specs {
                let body = String(decoding: renderRequest(doc).body, as: UTF8.self)
                out.append((spec, doc.documentIndex, json(body)))
            }
        }
        return out
    }

    @Test func everyExamplePlansAndExecutes() throws {
        var s = ServiceState(catalog: try loadDemoCatalog(), now: t0)
        let docs = try Self.documents()
        #expect(docs.count == 5)
        for (file, index, body) in docs {
            let result = s.handle(.createProvisionedProductPlan, body, now: t0)
            guard case .success(let r) = result else {
                Issue.record("\(file) document \(index): \(result.error!)")
                continue
            }
            let planId = r["PlanId"]!.string!
            let plan = try s.handle(.describeProvisionedProductPlan, .object([("PlanId", .string(planId))]), now: t0).get()
            #expect(plan["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_SUCCESS"), "\(file)")
            #expect(plan["ResourceChanges"]?.array?.isEmpty == false, "\(file)")
            let exec = s.handle(.executeProvisionedProductPlan,
                                .object([("PlanId", .string(planId)), ("IdempotencyToken", .string("x\(planId)"))]), now: t0)
            #expect(exec.value != nil, "\(file): \(String(describing: exec.error))")
        }
        #expect(s.counters.plansCreated == 5)
        for name in ["web-prod", "web-staging", "web-dev", "data-pipeline", "network-baseline-zrh"] {
            #expect(s.product(name)["Status"] == .string("AVAILABLE"), "\(name)")
        }
    }

    @Test func pipelineUpdateKeepsBucketAndChangesTags() throws {
        var s = ServiceState(catalog: try loadDemoCatalog(), now: t0)
        let doc = try Self.documents().first { $0.file == "data/pipeline.plan.yaml" }!
        let r = try s.handle(.createProvisionedProductPlan, doc.body, now: t0).get()
        #expect(r["ProvisionProductId"] == .string("pp-datapipe6h3tq"))
        let changes = try s.handle(.describeProvisionedProductPlan, .object([("PlanId", r["PlanId"]!)]), now: t0).get()["ResourceChanges"]!.array!
        let bucket = try #require(changes.first { $0["LogicalResourceId"] == .string("DataBucket") })
        // BucketName kept (UsePreviousValue): only the tags touch the bucket.
        #expect(bucket["Scope"] == json(#"["TAGS"]"#))
        #expect(bucket["Replacement"] == .string("FALSE"))
        let function = try #require(changes.first { $0["LogicalResourceId"] == .string("ProcessorFunction") })
        #expect(function["Scope"] == json(#"["PROPERTIES","TAGS"]"#))

        // Without PathId the two launch paths make it ambiguous; through Analytics, tag updates are not allowed.
        var s2 = ServiceState(catalog: try loadDemoCatalog(), now: t0)
        let noPath = JSON.object(doc.body.object!.filter { $0.0 != "PathId" })
        #expect(s2.handle(.createProvisionedProductPlan, noPath, now: t0).error?.code == "InvalidParametersException")
        let analytics = JSON.object(doc.body.object!.map { $0.0 == "PathId" ? ("PathId", .string("lpv3-analytics5r9w")) : $0 })
        let refused = s2.handle(.createProvisionedProductPlan, analytics, now: t0).error
        #expect(refused?.code == "InvalidParametersException")
    }
}
