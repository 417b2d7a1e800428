import EmulatorCore
import Foundation
import PlanApply
import Synchronization
import Testing

@Suite struct EngineTests {
    func run(_ specs: [ApplySpec], emulator: Emulator, options: ApplyOptions = fastOptions()) async -> [SpecResult] {
        await ApplyEngine(client: emulatorClient(emulator), options: options).run(specs)
    }

    @Test func cleanApplyOfTheExamples() async throws {
        let emulator = Emulator(catalog: try loadCatalog(file: Paths.demoCatalog))
        let specs = try loadSpecs(specFiles(under: Paths.examples))
        #expect(specs.count == 5)
        let results = await run(specs, emulator: emulator)
        for r in results { #expect(r.status == .planned, "\(r.headline)") }
        let web = try #require(results.first { $0.provisionedProductName == "web-prod" })
        #expect(web.pathId == "lpv3-webplatfm6n4") // found with ListLaunchPaths
        #expect(web.counts == ChangeCounts(add: 6))
        let network = try #require(results.first { $0.provisionedProductName == "network-baseline-zrh" })
        #expect(network.changes.count == 29) // two pages of resource changes
        #expect(network.token == "network-baseline-zrh-v3")
        let data = try #require(results.first { $0.provisionedProductName == "data-pipeline" })
        #expect(data.counts.modify + data.counts.replace > 0)
        #expect(stat(emulator, "plansCreated") == 5)
        // ListLaunchPaths once per product, not once per spec.
        #expect(stat(emulator, "requestsByOperation", "ListLaunchPaths") == 2)
    }

    @Test func rerunReusesThePlans() async throws {
        let emulator = Emulator(catalog: try loadCatalog(file: Paths.demoCatalog))
        let specs = try loadSpecs(specFiles(under: Paths.examples))
        let first = await run(specs, emulator: emulator)
        let second = await run(specs, emulator: emulator)
        #expect(first.map(\.planId) == second.map(\.planId))
        #expect(second.allSatisfy { $0.status == .planned })
        #expect(stat(emulator, "plansCreated") == 5)
        #expect(stat(emulator, "idempotentReplays") == 5)
        #expect(stat(emulator, "requestsByOperation", "DeleteProvisionedProductPlan") == nil)
    }

    @Test func changedSpecReplacesItsPlan() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML))
        let v1 = try writeSpecs([("a.plan.yaml", fleetSpec("svc-a", parameters: ["Size": "1"]))])
        let r1 = await run(try loadSpecs(v1.files), emulator: emulator)
        let v2 = try writeSpecs([("a.plan.yaml", fleetSpec("svc-a", parameters: ["Size": "2"]))])
        let r2 = await run(try loadSpecs(v2.files), emulator: emulator)
        #expect(r1[0].status == .planned)
        #expect(r2[0].status == .planned, "\(r2[0].headline)")
        #expect(r1[0].token != r2[0].token)
        #expect(r2[0].replacedPlanIds == [r1[0].planId!])
        #expect(r2[0].planId != r1[0].planId)
        #expect(stat(emulator, "plansCreated") == 2)
        #expect(stat(emulator, "plansDeleted") == 1)
        #expect(stat(emulator, "livePlans") == 1)
    }

    @Test func launchPaths() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML))
        let files = try writeSpecs([
            ("one.plan.yaml", fleetSpec("one")),
            ("two.plan.yaml", fleetSpec("two", artifact: "pa-twopaths0001", product: "prod-twopaths001")),
            ("none.plan.yaml", fleetSpec("none", artifact: "pa-nopaths00001", product: "prod-nopaths0001")),
            ("pinned.plan.yaml", fleetSpec("pinned", artifact: "pa-twopaths0001", product: "prod-twopaths001", extra: "PathId: lpv3-twopathsbb2\n")),
        ]).files
        let results = await run(try loadSpecs(files), emulator: emulator)
        let by = Dictionary(uniqueKeysWithValues: results.map { ($0.provisionedProductName, $0) })
        #expect(by["one"]?.status == .planned)
        #expect(by["one"]?.pathId == "lpv3-fleetpath01")
        #expect(by["pinned"]?.status == .planned)
        #expect(by["pinned"]?.pathId == "lpv3-twopathsbb2")
        let two = try #require(by["two"])
        #expect(two.status == .failed)
        #expect(two.error == "product prod-twopaths001 has 2 launch paths; set PathId to one of: lpv3-twopathsaa1 (portfolio 'Team A'), lpv3-twopathsbb2 (portfolio 'Team B')")
        let none = try #require(by["none"])
        #expect(none.status == .failed)
        #expect(none.error?.contains("ResourceNotFoundException") == true || none.error?.contains("no launch path") == true)
        // Failed specs made no create call.
        #expect(stat(emulator, "requestsByOperation", "CreateProvisionedProductPlan") == 2)
    }

    @Test func theThreeExceptionsFailTheirSpecOnly() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML))
        // InvalidStateException: the provisioned product is UNDER_CHANGE (an execution in progress).
        let busyCatalog = testCatalogYAML + """

            ProvisionedProducts:
              - Name: busy
                Id: pp-busy00000001
                ProductId: prod-fleet000001
                ProvisioningArtifactId: pa-fleet0000001
                PathId: lpv3-fleetpath01
                Status: UNDER_CHANGE
            """
        let busyEmulator = Emulator(catalog: loadCatalog(busyCatalog))
        let files = try writeSpecs([
            ("bad-param.plan.yaml", fleetSpec("bad-param", parameters: ["Colour": "red"])),
            ("missing.plan.yaml", fleetSpec("missing", artifact: "pa-doesnotexist1", extra: "PathId: lpv3-fleetpath01\n")),
            ("busy.plan.yaml", fleetSpec("busy", extra: "PathId: lpv3-fleetpath01\n")),
            ("good.plan.yaml", fleetSpec("good")),
        ]).files
        _ = emulator
        let results = await run(try loadSpecs(files), emulator: busyEmulator)
        let by = Dictionary(uniqueKeysWithValues: results.map { ($0.provisionedProductName, $0) })
        #expect(by["good"]?.status == .planned)
        #expect(by["bad-param"]?.status == .failed)
        #expect(by["bad-param"]?.error?.hasPrefix("CreateProvisionedProductPlan: InvalidParametersException: ") == true, "\(by["bad-param"]?.error ?? "")")
        #expect(by["missing"]?.error?.hasPrefix("CreateProvisionedProductPlan: ResourceNotFoundException: ") == true)
        #expect(by["busy"]?.error?.hasPrefix("CreateProvisionedProductPlan: InvalidStateException: ") == true, "\(by["busy"]?.error ?? "")")
        // One create call each: no retries of modeled exceptions.
        #expect(stat(busyEmulator, "requestsByOperation", "CreateProvisionedProductPlan") == 4)
    }

    @Test func executeToAvailableAndTainted() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML))
        let files = try writeSpecs([
            ("ok.plan.yaml", fleetSpec("ok")),
            ("rollback.plan.yaml", fleetSpec("rollback", artifact: "pa-fleetrollbk1")),
        ]).files
        let results = await run(try loadSpecs(files), emulator: emulator, options: fastOptions(execute: true))
        let by = Dictionary(uniqueKeysWithValues: results.map { ($0.provisionedProductName, $0) })
        #expect(by["ok"]?.status == .executed, "\(by["ok"]?.headline ?? "")")
        let rollback = try #require(by["rollback"])
        #expect(rollback.status == .failed)
        #expect(rollback.error?.contains("is TAINTED") == true, "\(rollback.error ?? "")")
        #expect(rollback.error?.contains("CFN_UPDATE_ROLLBACK_COMPLETE: Queue update failed and was rolled back.") == true)
        #expect(stat(emulator, "perProvisionedProduct", "ok", "status") == nil) // status is a string
        #expect(emulator.stats()["perProvisionedProduct"]?["ok"]?["status"]?.string == "AVAILABLE")
        #expect(stat(emulator, "executions") == 2)
        // Executing again is answered by the earlier execution (same plan, same token).
        let again = await run(try loadSpecs(files), emulator: emulator, options: fastOptions(execute: true))
        #expect(again.first { $0.provisionedProductName == "ok" }?.status == .executed)
        #expect(stat(emulator, "executions") == 2)
    }

    @Test func noChangePlans() async throws {
        let catalog = testCatalogYAML + """

            ProvisionedProducts:
              - Name: steady
                Id: pp-steady0000001
                ProductId: prod-fleet000001
                ProvisioningArtifactId: pa-fleet0000001
                PathId: lpv3-fleetpath01
                Status: AVAILABLE
                Parameters: {Size: "1", Name: x}
            """
        let emulator = Emulator(catalog: loadCatalog(catalog))
        let files = try writeSpecs([("steady.plan.yaml", fleetSpec("steady", parameters: ["Size": "1", "Name": "x"]))]).files
        let results = await run(try loadSpecs(files), emulator: emulator, options: fastOptions(execute: true))
        #expect(results[0].status == .noChange, "\(results[0].headline)")
        #expect(stat(emulator, "executeCalls") == nil || stat(emulator, "executeCalls") == 0)
    }

    @Test func lintErrorsMakeNoCall() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML))
        let files = try writeSpecs([
            ("multi.plan.yaml", fleetSpec("fine") + "---\n" + fleetSpec("broken", extra: "Colour: red\n")),
        ]).files
        let specs = try loadSpecs(files)
        #expect(specs.count == 2)
        #expect(specs[0].lintError == nil)
        #expect(specs[1].lintError?.contains("Colour") == true)
        let results = await run(specs, emulator: emulator)
        #expect(results[0].status == .planned)
        #expect(results[1].status == .failed)
        #expect(stat(emulator, "requestsByOperation", "CreateProvisionedProductPlan") == 1)

        var failFast = fastOptions()
        failFast.failFast = true
        let fresh = Emulator(catalog: loadCatalog(testCatalogYAML))
        let stopped = await run(specs, emulator: fresh, options: failFast)
        #expect(stopped.map(\.status) == [.notStarted, .failed])
        #expect(stat(fresh, "requests") == 0)
    }

    @Test func failFastStopsStartingSpecs() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML))
        var docs: [(file: String, text: String)] = [("000.plan.yaml", fleetSpec("first-bad", parameters: ["Nope": "1"]))]
        for i in 1...20 { docs.append((String(format: "%03d.plan.yaml", i), fleetSpec("svc-\(i)"))) }
        let specs = try loadSpecs(try writeSpecs(docs).files)
        var options = fastOptions()
        options.failFast = true
        options.activeSpecs = 1
        let client = emulatorClient(emulator, concurrency: 1)
        let results = await ApplyEngine(client: client, options: options).run(specs)
        #expect(results[0].status == .failed)
        #expect(results.dropFirst().allSatisfy { $0.status == .notStarted })
    }

    @Test func stopReportsEveryState() async throws {
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML), options: EmulatorOptions(planDelayMs: 60_000))
        var docs: [(file: String, text: String)] = []
        for i in 0..<10 { docs.append((String(format: "%03d.plan.yaml", i), fleetSpec("svc-\(i)"))) }
        let specs = try loadSpecs(try writeSpecs(docs).files)
        var options = fastOptions()
        options.activeSpecs = 4
        let client = makeClient(EmulatorTransport(emulator: emulator), clock: SystemApplyClock())
        let engine = ApplyEngine(client: client, options: options)
        let task = Task { await engine.run(specs) }
        // Wait until the four active specs have created their plans (which never settle).
        for _ in 0..<500 where stat(emulator, "plansCreated") != 4 { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(stat(emulator, "plansCreated") == 4)
        #expect(engine.snapshot().filter { $0 == .inProgress }.count == 4)
        engine.stop()
        let results = await task.value
        #expect(results.filter { $0.status == .inProgress }.count == 4)
        #expect(results.filter { $0.status == .notStarted }.count == 6)
        #expect(results.filter { $0.status == .inProgress }.allSatisfy { $0.planId != nil })
    }

    @Test func faultsStillPlanEverySpecOnce() async throws {
        // In-process version of the integration test: throttling, 5xx, dropped connections,
        // and connections dropped after the plan was created.
        let options = EmulatorOptions(throttleRate: 0.3, errorRate: 0.05, dropRate: 0.02, dropAfterCreateRate: 0.05, seed: 42)
        let emulator = Emulator(catalog: loadCatalog(testCatalogYAML), options: options)
        var docs: [(file: String, text: String)] = []
        for i in 0..<120 { docs.append((String(format: "s%03d.plan.yaml", i), fleetSpec("svc-\(i)", parameters: ["Size": String(i)]))) }
        let specs = try loadSpecs(try writeSpecs(docs).files)
        // About one attempt in ten fails transiently here, and with 8 calls in flight the
        // faults land on different calls from run to run: 5 attempts per call let one of the
        // ~360 calls run out now and then (seen once in about twenty runs). This test is about
        // never losing or duplicating a plan, so it gives each call 12 attempts.
        let client = makeClient(EmulatorTransport(emulator: emulator), concurrency: 8, maxAttempts: 12,
                                clock: VirtualApplyClock(), random: SeededRandomSource(seed: 3))
        let results = await ApplyEngine(client: client, options: fastOptions()).run(specs)
        let failed = results.filter { $0.status != .planned }
        #expect(failed.isEmpty, "\(failed.map(\.headline))")
        #expect(stat(emulator, "plansCreated") == 120)
        let per = emulator.stats()["perProvisionedProduct"]?.object ?? []
        #expect(per.count == 120)
        #expect(per.allSatisfy { $0.1["plansCreated"]?.number == 1 })
        #expect(client.statistics.throttled > 0)
    }
}
