import Testing
@testable import EmulatorCore

@Suite("Emulator front: auth, dispatch, faults, counters")
struct EmulatorFrontTests {
    func emulator(_ options: EmulatorOptions = EmulatorOptions(), clock: ManualClock = ManualClock(t0)) throws -> Emulator {
        Emulator(catalog: try loadDemoCatalog(), options: options, clock: clock)
    }

    static let webCreate = #"{"PlanName":"web","PlanType":"CLOUDFORMATION","ProductId":"prod-webapp4xqv2ab","ProvisioningArtifactId":"pa-webapp7zk3v2","ProvisionedProductName":"NAME","ProvisioningParameters":[{"Key":"InstanceType","Value":"t3.small"}],"IdempotencyToken":"TOKEN"}"#

    func create(_ name: String, token: String) -> String {
        Self.webCreate.replacing("NAME", with: name).replacing("TOKEN", with: token)
    }

    @Test func servesSignedRequestsWithAWSHeaders() throws {
        let e = try emulator()
        let reply = e.handle(signedRequest("ListLaunchPaths", #"{"ProductId":"prod-datapipe9k2m4"}"#, time: t0))
        #expect(reply.status == 200)
        guard case .response(_, let headers, _) = reply else { return }
        #expect(headers.contains { $0.name == "Content-Type" && $0.value == "application/x-amz-json-1.1" })
        let rid = try #require(headers.first { $0.name == "x-amzn-RequestId" }?.value)
        #expect(rid.count == 36)
        #expect(reply.json?["LaunchPathSummaries"]?.array?.map { $0["Name"]?.string ?? "" } == ["Data Team", "Analytics"])
    }

    @Test func temporaryAndExpiredCredentials() throws {
        let e = try emulator()
        let ok = e.handle(signedRequest("DescribeProvisionedProduct", #"{"Name":"data-pipeline"}"#, time: t0,
                                        accessKey: "ASIAEMULATORTEMP", secret: "emulator/secret/TEMPORARYKEY",
                                        token: "emulator-session-token-example"))
        #expect(ok.status == 200)
        let expired = e.handle(signedRequest("DescribeProvisionedProduct", #"{"Name":"data-pipeline"}"#, time: t0,
                                             accessKey: "ASIAEMULATOREXPIRED", secret: "emulator/secret/EXPIREDKEY",
                                             token: "emulator-expired-token-example"))
        #expect(expired.status == 400)
        #expect(expired.json?["__type"] == .string("ExpiredTokenException"))
    }

    @Test func unsignedAndBadlySignedRequests() throws {
        let e = try emulator()
        let unsigned = e.handle(EmulatorRequest(method: "POST", uri: "/", headers: [("X-Amz-Target", "AWS242ServiceCatalogService.ListLaunchPaths")], body: Array("{}".utf8)))
        #expect(unsigned.status == 400)
        #expect(unsigned.json?["__type"] == .string("MissingAuthenticationTokenException"))
        let wrongSecret = e.handle(signedRequest("ListLaunchPaths", "{}", time: t0, secret: "not-the-secret"))
        #expect(wrongSecret.json?["__type"] == .string("InvalidSignatureException"))
        let stale = e.handle(signedRequest("ListLaunchPaths", "{}", time: t0 - 600))
        #expect(stale.json?["Message"]?.string?.hasPrefix("Signature expired: ") == true)
        let stats = e.stats()
        #expect(stats["authFailures"] == json(#"{"InvalidSignatureException":2,"MissingAuthenticationTokenException":1}"#))
    }

    @Test func unknownTargetAndMalformedJSON() throws {
        let e = try emulator()
        let unknown = e.handle(signedRequest("ProvisionProduct", "{}", time: t0))
        #expect(unknown.status == 400)
        #expect(unknown.json?["__type"] == .string("UnknownOperationException"))
        let malformed = e.handle(signedRequest("ListLaunchPaths", #"{"ProductId": "#, time: t0))
        #expect(malformed.status == 400)
        #expect(malformed.json?["__type"] == .string("SerializationException"))
        let missing = e.handle(signedRequest("ListLaunchPaths", "", time: t0))
        #expect(missing.json == json(#"{"__type":"InvalidParametersException","Message":"ProductId is required."}"#))
    }

    @Test func faultsAreDeterministicForASeedAndRoughlyHonoured() throws {
        let options = EmulatorOptions(throttleRate: 0.3, errorRate: 0.1, dropRate: 0.05, seed: 42)
        func run() throws -> [String] {
            let e = try emulator(options)
            return (0..<2000).map { i in
                let reply = e.handle(signedRequest("DescribeProvisionedProduct", #"{"Name":"data-pipeline"}"#, time: t0))
                switch reply {
                case .drop: return "drop"
                case .response(let status, _, _): return status == 200 ? "ok" : "\(status) \(reply.json?["__type"]?.string ?? "")"
                }
            }
        }
        let a = try run(), b = try run()
        #expect(a == b)
        let counts = Dictionary(a.map { ($0, 1) }, uniquingKeysWith: +)
        let throttled = Double(counts["400 ThrottlingException"] ?? 0) / 2000
        let errors = Double((counts["500 InternalFailure"] ?? 0) + (counts["503 ServiceUnavailable"] ?? 0)) / 2000
        let dropped = Double(counts["drop"] ?? 0) / 2000
        #expect(abs(throttled - 0.3) < 0.04, "\(counts)")
        #expect(abs(errors - 0.1) < 0.03, "\(counts)")
        #expect(abs(dropped - 0.05) < 0.02, "\(counts)")
        #expect((counts["500 InternalFailure"] ?? 0) > 0 && (counts["503 ServiceUnavailable"] ?? 0) > 0)
        // Another seed, another sequence.
        let e = try emulator(EmulatorOptions(throttleRate: 0.3, errorRate: 0.1, dropRate: 0.05, seed: 43))
        let c = (0..<50).map { _ in e.handle(signedRequest("DescribeProvisionedProduct", #"{"Name":"data-pipeline"}"#, time: t0)).status ?? 0 }
        #expect(c != a.prefix(50).map { $0 == "ok" ? 200 : $0 == "drop" ? 0 : Int($0.prefix(3))! })
    }

    @Test func faultedCreatesCreateNothing() throws {
        let e = try emulator(EmulatorOptions(throttleRate: 0.3, errorRate: 0.2, dropRate: 0.1, seed: 7))
        var succeeded = Set<String>()
        for i in 0..<300 {
            let reply = e.handle(signedRequest("CreateProvisionedProductPlan", create("web-\(i)", token: "tok-\(i)"), time: t0))
            if reply.status == 200 { succeeded.insert(reply.json!["PlanId"]!.string!) }
        }
        let stats = e.stats()
        #expect(stats["plansCreated"]?.int == succeeded.count)
        #expect(stats["createCalls"]?.int == succeeded.count)
        #expect(stats["livePlans"]?.int == succeeded.count)
        let faults = try #require(stats["faults"])
        let faulted = ["throttled", "internalFailure", "serviceUnavailable", "dropped"].map { faults[$0]?.int ?? 0 }.reduce(0, +)
        #expect(faulted + succeeded.count == 300)
        #expect(stats["requestsByOperation"]?["CreateProvisionedProductPlan"]?.int == 300)
    }

    @Test func dropAfterCreateKeepsThePlanAndTheRetryReplaysIt() throws {
        let e = try emulator(EmulatorOptions(dropAfterCreateRate: 1, seed: 3))
        let first = e.handle(signedRequest("CreateProvisionedProductPlan", create("web-x", token: "retry-me"), time: t0))
        guard case .drop = first else { Issue.record("expected a drop"); return }
        #expect(e.stats()["plansCreated"]?.int == 1)

        let e2 = Emulator(catalog: e.catalog, options: EmulatorOptions(dropAfterCreateRate: 0.5, seed: 3), clock: ManualClock(t0))
        var planIds = Set<String>()
        var drops = 0
        for attempt in 0..<20 {
            let reply = e2.handle(signedRequest("CreateProvisionedProductPlan", create("web-y", token: "same-token"), time: t0 + Double(attempt)))
            if let id = reply.json?["PlanId"]?.string { planIds.insert(id) } else { drops += 1 }
        }
        let stats = e2.stats()
        #expect(planIds.count == 1)
        #expect(drops > 0)
        #expect(stats["plansCreated"]?.int == 1)
        #expect(stats["createCalls"]?.int == 20)
        #expect(stats["idempotentReplays"]?.int == 19)
        #expect(stats["faults"]?["droppedAfterCreate"]?.int == drops)
        #expect(stats["perProvisionedProduct"]?["web-y"]?["plansCreated"]?.int == 1)
    }

    @Test func statsAndReset() throws {
        let clock = ManualClock(t0)
        let e = try emulator(EmulatorOptions(planDelayMs: 1000), clock: clock)
        let created = e.handle(signedRequest("CreateProvisionedProductPlan", create("web-a", token: "a1"), time: t0))
        let planId = try #require(created.json?["PlanId"]?.string)
        _ = e.handle(signedRequest("CreateProvisionedProductPlan", create("web-a", token: "a1"), time: t0))
        var stats = e.stats()
        #expect(stats["plansCreated"]?.int == 1)
        #expect(stats["idempotentReplays"]?.int == 1)
        #expect(stats["pendingTransitions"]?.int == 1)
        #expect(stats["perProvisionedProduct"]?["web-a"] == json(#"{"plansCreated":1,"executions":0,"status":"PLAN_IN_PROGRESS"}"#))
        #expect(stats["perProvisionedProduct"]?["data-pipeline"]?["status"] == .string("AVAILABLE"))

        clock.advance(by: 1)
        let exec = e.handle(signedRequest("ExecuteProvisionedProductPlan", #"{"PlanId":"\#(planId)","IdempotencyToken":"x"}"#, time: t0 + 1))
        #expect(exec.status == 200)
        stats = e.stats()
        #expect(stats["executions"]?.int == 1)
        #expect(stats["perProvisionedProduct"]?["web-a"]?["status"] == .string("AVAILABLE"))

        let admin = e.handle(EmulatorRequest(method: "GET", uri: "/_emulator/stats", headers: [], body: []))
        #expect(admin.status == 200)
        #expect(admin.json?["executions"]?.int == 1)
        #expect(e.handle(EmulatorRequest(method: "POST", uri: "/_emulator/reset", headers: [], body: [])).status == 200)
        stats = e.stats()
        #expect(stats["plansCreated"]?.int == 0)
        #expect(stats["requests"]?.int == 0)
        #expect(stats["perProvisionedProduct"]?["web-a"] == nil)
        #expect(e.handle(EmulatorRequest(method: "DELETE", uri: "/_emulator/stats", headers: [], body: [])).status == 405)
        #expect(e.handle(EmulatorRequest(method: "GET", uri: "/_emulator/nope", headers: [], body: [])).status == 404)
    }

    @Test func optionProblems() {
        #expect(EmulatorOptions(throttleRate: 1.5).problem != nil)
        #expect(EmulatorOptions(throttleRate: 0.6, errorRate: 0.6).problem != nil)
        #expect(EmulatorOptions(latencyMs: -1).problem != nil)
        #expect(EmulatorOptions(throttleRate: 0.3, errorRate: 0.05, dropRate: 0.02).problem == nil)
    }
}
