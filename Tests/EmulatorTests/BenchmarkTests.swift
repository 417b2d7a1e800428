import AsyncHTTPClient
import Testing
@testable import EmulatorCore

/// Throughput check for the later end-to-end benchmark: 1,000 plans at concurrency 16 with
/// 20 ms latency (create, then describe until CREATE_SUCCESS). Opt-in: EMULATOR_BENCH=1.
@Suite("Emulator throughput", .serialized)
struct BenchmarkTests {
    @Test(.enabled(if: environmentValue("EMULATOR_BENCH") == "1"))
    func thousandPlansAtConcurrency16() async throws {
        let plans = 1000, workers = 16
        try await ServerTests.withServer(EmulatorOptions(latencyMs: Int(environmentValue("EMULATOR_BENCH_LATENCY") ?? "20") ?? 20)) { server, client in
            // EMULATOR_BENCH_URL: measure an emulator started separately (e.g. a release build).
            let url = environmentValue("EMULATOR_BENCH_URL") ?? server.url
            let start = SystemClock().now()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for w in 0..<workers {
                    group.addTask {
                        var done = 0
                        var i = w
                        while i < plans {
                            let created = try await ServerTests.call(client, url: url, "CreateProvisionedProductPlan",
                                #"{"PlanName":"b","PlanType":"CLOUDFORMATION","ProductId":"prod-webapp4xqv2ab","ProvisioningArtifactId":"pa-webapp7zk3v2","ProvisionedProductName":"bench-\#(i)","IdempotencyToken":"bench-\#(i)"}"#)
                            let planId = created.json?["PlanId"]?.string ?? ""
                            let d = try await ServerTests.call(client, url: url, "DescribeProvisionedProductPlan", #"{"PlanId":"\#(planId)"}"#)
                            if d.json?["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_SUCCESS") { done += 1 }
                            i += workers
                        }
                        return done
                    }
                }
                var total = 0
                for try await n in group { total += n }
                #expect(total == plans)
            }
            let elapsed = SystemClock().now() - start
            let rate = Double(plans) / elapsed
            print("emulator benchmark: \(plans) plans in \(elapsed) s = \(rate) plans/s")
            if url == server.url {
                let stats = try #require(try await ServerTests.admin(client, server, .GET, "/_emulator/stats"))
                #expect(stats["plansCreated"]?.int == plans)
            }
            #expect(rate >= 200)
        }
    }
}

func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

#if canImport(Glibc)
import Glibc
#endif
