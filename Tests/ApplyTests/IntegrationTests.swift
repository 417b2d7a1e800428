import EmulatorCore
import Foundation
import PlanApply
import Testing

/// `plancc apply` against a `plancc-emulator` process, as a user runs it.
@Suite(.serialized) struct IntegrationTests {
    func jsonLines(_ text: String) throws -> [ResponseJSON] {
        try text.split(separator: "\n").map { try ResponseJSON.parse(Array($0.utf8)) }
    }

    @Test func cleanApplyOfTheExamplesAndARerun() async throws {
        let emulator = try EmulatorProcess(catalog: try String(contentsOfFile: Paths.demoCatalog, encoding: .utf8))
        defer { emulator.stop() }
        let args = ["apply", "examples/data", "examples/network", "examples/web", "--endpoint-url", emulator.url, "--poll-interval", "0.1"]
        let first = try runPlancc(args)
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdoutLines
        #expect(lines.last == "5 specs: 5 planned (+47 ~6 -0), 0 no change, 0 failed", "\(first.stdout)")
        #expect(first.stdout.contains("web-prod (examples/web/web-prod.plan.yaml:6): plan pp-"))
        #expect(first.stdout.contains("  + AWS::ElasticLoadBalancingV2::LoadBalancer LoadBalancer"))
        #expect(first.stderr.contains("web-prod: launch path lpv3-webplatfm6n4"))
        #expect(first.stderr.contains("web-prod: plan pp-"))
        #expect(!first.stderr.contains("EXAMPLEKEY"))
        #expect(!first.stdout.contains("EXAMPLEKEY"))
        let stats1 = try await emulator.stats()
        #expect(stats1["plansCreated"]?.number == 5)

        let second = try runPlancc(args + ["--format", "json"])
        #expect(second.status == 0, "\(second.stderr)")
        let results = try jsonLines(second.stdout)
        #expect(results.count == 5)
        #expect(results.allSatisfy { $0["status"]?.string == "planned" })
        #expect(results.map { $0["file"]?.string ?? "" } == results.map { $0["file"]?.string ?? "" }.sorted())
        let stats2 = try await emulator.stats()
        #expect(stats2["plansCreated"]?.number == 5) // the re-run created no plan
        #expect(stats2["idempotentReplays"]?.number == 5)
        #expect(second.stderr.contains("5 specs: 5 planned"))
    }

    @Test func exceptionsFailTheirSpecsAndOthersGoOn() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML + """

            ProvisionedProducts:
              - Name: busy
                Id: pp-busy00000001
                ProductId: prod-fleet000001
                ProvisioningArtifactId: pa-fleet0000001
                PathId: lpv3-fleetpath01
                Status: UNDER_CHANGE
            """)
        defer { emulator.stop() }
        let dir = try writeSpecs([
            ("a-invalid.plan.yaml", fleetSpec("bad-param", parameters: ["Colour": "red"])),
            ("b-notfound.plan.yaml", fleetSpec("missing", artifact: "pa-doesnotexist1", extra: "PathId: lpv3-fleetpath01\n")),
            ("c-state.plan.yaml", fleetSpec("busy", extra: "PathId: lpv3-fleetpath01\n")),
            ("d-good.plan.yaml", fleetSpec("good")),
            ("e-good.plan.yaml", fleetSpec("good-too")),
        ]).dir
        let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1", "--format", "json"])
        #expect(run.status == 1)
        let results = try jsonLines(run.stdout)
        let by = Dictionary(uniqueKeysWithValues: results.map { ($0["provisionedProductName"]!.string!, $0) })
        #expect(by["good"]?["status"]?.string == "planned")
        #expect(by["good-too"]?["status"]?.string == "planned")
        #expect(by["bad-param"]?["error"]?.string?.hasPrefix("CreateProvisionedProductPlan: InvalidParametersException: Parameters: [Colour]") == true)
        #expect(by["missing"]?["error"]?.string?.hasPrefix("CreateProvisionedProductPlan: ResourceNotFoundException: Provisioning artifact pa-doesnotexist1") == true)
        #expect(by["busy"]?["error"]?.string?.hasPrefix("CreateProvisionedProductPlan: InvalidStateException: Provisioned product busy is in status UNDER_CHANGE") == true)
        #expect(by["busy"]?["planId"] == .null)
        #expect(run.stderr.contains("plancc: 5 specs: 2 planned (+6 ~0 -0), 0 no change, 3 failed"))
        // No retries: one create call per spec, nothing deleted.
        let stats = try await emulator.stats()
        #expect(stats["requestsByOperation"]?["CreateProvisionedProductPlan"]?.number == 5)
        #expect(stats["requestsByOperation"]?["DeleteProvisionedProductPlan"] == nil)
        // 5 creates, 2 plan describes, 1 ListLaunchPaths, and for busy: DescribeProvisionedProduct + ListProvisionedProductPlans.
        #expect(stats["requests"]?.number == Double(10))
    }

    @Test func executeToAvailableAndToTainted() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML, arguments: ["--execute-delay-ms", "200", "--plan-delay-ms", "100"])
        defer { emulator.stop() }
        let dir = try writeSpecs([
            ("ok.plan.yaml", fleetSpec("ok")),
            ("rollback.plan.yaml", fleetSpec("rollback", artifact: "pa-fleetrollbk1")),
        ]).dir
        let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1", "--execute"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("ok (\(dir)/ok.plan.yaml:1): plan pp-"))
        #expect(run.stdout.contains("executed (3 to add, 0 to change, 0 to replace, 0 to remove); provisioned product AVAILABLE"))
        #expect(run.stdout.contains("rollback (\(dir)/rollback.plan.yaml:1): failed: provisioned product rollback is TAINTED"))
        #expect(run.stdout.contains("record rec-"))
        #expect(run.stdout.contains("CFN_UPDATE_ROLLBACK_COMPLETE: Queue update failed and was rolled back."))
        #expect(run.stdout.hasSuffix("2 specs: 0 planned (+0 ~0 -0), 1 executed (+3 ~0 -0), 0 no change, 1 failed\n"))
        let stats = try await emulator.stats()
        #expect(stats["perProvisionedProduct"]?["ok"]?["status"]?.string == "AVAILABLE")
        #expect(stats["perProvisionedProduct"]?["rollback"]?["status"]?.string == "TAINTED")
    }

    @Test func changedSpecReplacesAndLaunchPathsResolve() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML)
        defer { emulator.stop() }
        let dir = try writeSpecs([
            ("svc.plan.yaml", fleetSpec("svc", parameters: ["Size": "1"])),
            ("two.plan.yaml", fleetSpec("two", artifact: "pa-twopaths0001", product: "prod-twopaths001")),
        ]).dir
        let args = ["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1", "--format", "json"]
        let first = try jsonLines(try runPlancc(args).stdout)
        #expect(first.first { $0["provisionedProductName"]?.string == "two" }?["error"]?.string
            == "product prod-twopaths001 has 2 launch paths; set PathId to one of: lpv3-twopathsaa1 (portfolio 'Team A'), lpv3-twopathsbb2 (portfolio 'Team B')")
        let oldPlan = try #require(first.first { $0["provisionedProductName"]?.string == "svc" }?["planId"]?.string)
        _ = try writeSpecs([("svc.plan.yaml", fleetSpec("svc", parameters: ["Size": "2"]))], in: dir)
        let second = try runPlancc(args)
        let svc = try #require(try jsonLines(second.stdout).first { $0["provisionedProductName"]?.string == "svc" })
        #expect(svc["status"]?.string == "planned")
        #expect(svc["replacedPlanIds"] == .array([.string(oldPlan)]))
        #expect(svc["pathId"]?.string == "lpv3-fleetpath01")
        #expect(second.stderr.contains("svc: deleted plan \(oldPlan) of an older version of the spec"))
        let stats = try await emulator.stats()
        #expect(stats["perProvisionedProduct"]?["svc"]?["plansCreated"]?.number == 2)
        #expect(stats["plansDeleted"]?.number == 1)
    }

    @Test func shardsCoverEverySpecOnce() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML)
        defer { emulator.stop() }
        var docs: [(file: String, text: String)] = []
        for i in 0..<40 { docs.append((String(format: "team-%d/s%03d.plan.yaml", i % 3, i), fleetSpec("svc-\(i)"))) }
        let dir = try writeSpecs(docs).dir
        var seen: [String] = []
        for k in 1...3 {
            let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1",
                                     "--format", "json", "--shard", "\(k)/3"])
            #expect(run.status == 0, "\(run.stderr)")
            let names = try jsonLines(run.stdout).compactMap { $0["provisionedProductName"]?.string }
            #expect(!names.isEmpty)
            #expect(names.allSatisfy { Shard.shard(of: $0, count: 3) == k })
            #expect(run.stderr.contains("shard \(k)/3: \(names.count) of 40 specs"))
            seen += names
        }
        #expect(seen.count == 40)
        #expect(Set(seen).count == 40)
        let stats = try await emulator.stats()
        #expect(stats["plansCreated"]?.number == 40)
    }

    @Test func faultsDoNotLoseOrDuplicatePlans() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML, arguments: [
            "--throttle-rate", "0.3", "--error-rate", "0.05", "--drop-rate", "0.02", "--drop-after-create-rate", "0.05", "--seed", "7",
        ])
        defer { emulator.stop() }
        var docs: [(file: String, text: String)] = []
        for i in 0..<200 {
            docs.append((String(format: "fleet/s%03d.plan.yaml", i), fleetSpec("fleet-\(i)", parameters: ["Size": String(i % 7)])))
        }
        let dir = try writeSpecs(docs).dir
        let started = Date()
        // Generous attempts, as in the in-process version: transient faults land on different
        // calls from run to run, and this test is about plans, not the default retry budget.
        let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1",
                                 "--format", "json", "--max-attempts", "12"])
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr.suffix(3000))")
        let results = try jsonLines(run.stdout)
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0["status"]?.string == "planned" })
        let stats = try await emulator.stats()
        #expect(stats["plansCreated"]?.number == 200)
        let per = stats["perProvisionedProduct"]?.object ?? []
        #expect(per.count == 200)
        #expect(per.allSatisfy { $0.1["plansCreated"]?.number == 1 }) // no duplicate, no missing plan
        #expect((stats["faults"]?["throttled"]?.number ?? 0) > 50)
        #expect((stats["faults"]?["dropped"]?.number ?? 0) > 0)
        #expect(seconds < 240)
        print("faults run: 200 specs in \(Int(seconds)) s; faults \(stats["faults"].map { String(decoding: $0.bytes, as: UTF8.self) } ?? "")")
        print("faults run stderr tail: \(run.stderr.split(separator: "\n").suffix(2).joined(separator: " | "))")

        // Under the same faults, a non-transient error fails its spec at once: the service
        // sees the bad request exactly once (faults are injected before the service).
        let bad = try writeSpecs([("bad.plan.yaml", fleetSpec("fleet-bad", parameters: ["Colour": "red"]))]).dir
        let badRun = try runPlancc(["apply", bad, "--endpoint-url", emulator.url, "--poll-interval", "0.1", "--format", "json"])
        #expect(badRun.status == 1)
        let badResult = try #require(try jsonLines(badRun.stdout).first)
        #expect(badResult["error"]?.string?.hasPrefix("CreateProvisionedProductPlan: InvalidParametersException") == true)
        let after = try await emulator.stats()
        #expect(after["errors"]?["InvalidParametersException"]?.number == 1)
    }

    @Test func temporaryCredentialsNeverShow() async throws {
        let emulator = try EmulatorProcess(catalog: try String(contentsOfFile: Paths.demoCatalog, encoding: .utf8))
        defer { emulator.stop() }
        let dir = try writeSpecs([
            ("ok.plan.yaml", fleetSpec("web-temp", artifact: "pa-webapp7zk3v2", product: "prod-webapp4xqv2ab")),
            ("bad.plan.yaml", fleetSpec("web-bad", artifact: "pa-webapp7zk3v2", product: "prod-webapp4xqv2ab", parameters: ["Nope": "1"])),
        ]).dir
        let env = ["AWS_ACCESS_KEY_ID": "ASIAEMULATORTEMP", "AWS_SECRET_ACCESS_KEY": "emulator/secret/TEMPORARYKEY",
                   "AWS_SESSION_TOKEN": "emulator-session-token-example", "AWS_REGION": "us-east-1"]
        for format in ["text", "json"] {
            let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1", "--format", format], environment: env)
            #expect(run.status == 1)
            #expect(run.stdout.contains("web-temp"))
            for secret in ["TEMPORARYKEY", "emulator-session-token-example", "emulator/secret"] {
                #expect(!run.stdout.contains(secret))
                #expect(!run.stderr.contains(secret))
            }
        }
        // Expired session credentials: the service's error fails the specs, nothing leaks.
        let expired = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1"], environment: [
            "AWS_ACCESS_KEY_ID": "ASIAEMULATOREXPIRED", "AWS_SECRET_ACCESS_KEY": "emulator/secret/EXPIREDKEY",
            "AWS_SESSION_TOKEN": "emulator-expired-token-example", "AWS_REGION": "us-east-1"])
        #expect(expired.status == 1)
        #expect(expired.stdout.contains("ExpiredTokenException"))
        #expect(!expired.stdout.contains("EXPIREDKEY") && !expired.stderr.contains("emulator-expired-token-example"))
    }

    @Test func credentialsRegionAndEndpointErrors() throws {
        let dir = try writeSpecs([("a.plan.yaml", fleetSpec("a"))]).dir
        let noCredentials = try runPlancc(["apply", dir, "--endpoint-url", "http://127.0.0.1:9"], environment: ["AWS_REGION": "us-east-1"])
        #expect(noCredentials.status == 3)
        #expect(noCredentials.stderr.contains("no AWS credentials found"))
        let noRegion = try runPlancc(["apply", dir], environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEMULATOREXAMPLE", "AWS_SECRET_ACCESS_KEY": "emulator/secret/EXAMPLEKEY"])
        #expect(noRegion.status == 3)
        #expect(noRegion.stderr.contains("no region"))
        #expect(!noRegion.stderr.contains("EXAMPLEKEY"))
        let insecure = try runPlancc(["apply", dir, "--endpoint-url", "http://example.com"])
        #expect(insecure.status == 2)
        #expect(insecure.stderr.contains("refusing plain-http endpoint"))
        let usage = try runPlancc(["apply", dir, "--shard", "4/3"])
        #expect(usage.status == 2)
        let poll = try runPlancc(["apply", dir, "--poll-interval", "0.01"])
        #expect(poll.status == 2)
    }

    @Test func lintErrorsAreReportedWithoutCalls() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML)
        defer { emulator.stop() }
        let dir = try writeSpecs([
            ("a.plan.yaml", fleetSpec("fine")),
            ("b.plan.yaml", fleetSpec("broken", extra: "Colour: red\n")),
        ]).dir
        let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("b.plan.yaml:6:1: error: unknown request member 'Colour'"))
        #expect(run.stdout.contains("broken (\(dir)/b.plan.yaml:1): failed: lint: "))
        #expect(run.stdout.contains("2 specs: 1 planned (+3 ~0 -0), 0 no change, 1 failed"))
        let failFast = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--fail-fast"])
        #expect(failFast.status == 1)
        #expect(failFast.stdout.contains("fine (\(dir)/a.plan.yaml:1): not started"))
        let stats = try await emulator.stats()
        #expect(stats["requestsByOperation"]?["CreateProvisionedProductPlan"]?.number == 1)
    }

    @Test func interruptReportsEverySpecState() async throws {
        let emulator = try EmulatorProcess(catalog: testCatalogYAML, arguments: ["--plan-delay-ms", "600000"])
        defer { emulator.stop() }
        var docs: [(file: String, text: String)] = []
        for i in 0..<12 { docs.append((String(format: "s%02d.plan.yaml", i), fleetSpec("svc-\(i)"))) }
        let dir = try writeSpecs(docs).dir
        let run = try runPlancc(["apply", dir, "--endpoint-url", emulator.url, "--poll-interval", "0.1", "--concurrency", "1"]) { process in
            DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { process.interrupt() }
        }
        #expect(run.status == 130, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted: starting no new calls"))
        #expect(run.stderr.contains("plancc: interrupted: 0 done, 12 in progress, 0 not started")
            || run.stderr.contains("in progress,"), "\(run.stderr)")
        #expect(run.stdout.contains("interrupted while in progress (plan pp-"))
        #expect(run.stdout.contains("12 specs: 0 planned (+0 ~0 -0), 0 no change, 0 failed, "))
    }
}
