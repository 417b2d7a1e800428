import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Testing
@testable import EmulatorCore

/// The emulator on a real loopback socket, called with AsyncHTTPClient.
@Suite("Emulator over HTTP", .serialized)
struct ServerTests {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var json: JSON?
    }

    static func withServer(_ options: EmulatorOptions = EmulatorOptions(),
                           _ body: (EmulatorServer, HTTPClient) async throws -> Void) async throws {
        let emulator = Emulator(catalog: try loadDemoCatalog(), options: options)
        let server = try await EmulatorServer.start(emulator: emulator, host: "127.0.0.1", port: 0, threads: 2)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await body(server, client)
        } catch {
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    static func call(_ client: HTTPClient, _ server: EmulatorServer, _ op: String, _ body: String,
                     time: Double = SystemClock().now(), secret: String = "emulator/secret/EXAMPLEKEY") async throws -> Answer {
        try await call(client, url: server.url, op, body, time: time, secret: secret)
    }

    /// A signed call to the emulator at `url` (`http://127.0.0.1:PORT`).
    static func call(_ client: HTTPClient, url: String, _ op: String, _ body: String,
                     time: Double = SystemClock().now(), secret: String = "emulator/secret/EXAMPLEKEY") async throws -> Answer {
        let bytes = Array(body.utf8)
        var request = HTTPClientRequest(url: url + "/")
        request.method = .POST
        for (name, value) in signedHeaders(body: bytes, target: "AWS242ServiceCatalogService.\(op)", secret: secret,
                                           host: String(url.dropFirst("http://".count)), time: time) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await client.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers,
                      json: try? JSON.parse(Array(data.readableBytesView)))
    }

    static func admin(_ client: HTTPClient, _ server: EmulatorServer, _ method: HTTPMethod, _ path: String) async throws -> JSON? {
        var request = HTTPClientRequest(url: server.url + path)
        request.method = method
        let response = try await client.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        return try? JSON.parse(Array(data.readableBytesView))
    }

    @Test func signedCallsWorkOverKeepAliveConnections() async throws {
        try await Self.withServer { server, client in
            #expect(server.port > 0)
            let created = try await Self.call(client, server, "CreateProvisionedProductPlan",
                #"{"PlanName":"w","PlanType":"CLOUDFORMATION","ProductId":"prod-webapp4xqv2ab","ProvisioningArtifactId":"pa-webapp7zk3v2","ProvisionedProductName":"web-sock","IdempotencyToken":"sock-1"}"#)
            #expect(created.status == 200)
            #expect(created.headers["Content-Type"].first == "application/x-amz-json-1.1")
            #expect(created.headers["x-amzn-RequestId"].first?.count == 36)
            let planId = try #require(created.json?["PlanId"]?.string)
            for _ in 0..<5 {
                let d = try await Self.call(client, server, "DescribeProvisionedProductPlan", #"{"PlanId":"\#(planId)"}"#)
                #expect(d.json?["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_SUCCESS"))
            }
            let missing = try await Self.call(client, server, "DescribeProvisionedProductPlan", #"{"PlanId":"pp-nothere"}"#)
            #expect(missing.status == 400)
            #expect(missing.json?["__type"] == .string("ResourceNotFoundException"))
        }
    }

    @Test func badSignatureAndStaleDate() async throws {
        try await Self.withServer { server, client in
            let bad = try await Self.call(client, server, "ListLaunchPaths", #"{"ProductId":"prod-webapp4xqv2ab"}"#, secret: "wrong")
            #expect(bad.status == 400)
            #expect(bad.json?["__type"] == .string("InvalidSignatureException"))
            #expect(bad.json?["Message"]?.string?.hasPrefix("The request signature we calculated does not match") == true)
            let stale = try await Self.call(client, server, "ListLaunchPaths", #"{"ProductId":"prod-webapp4xqv2ab"}"#,
                                            time: SystemClock().now() - 360)
            #expect(stale.status == 400)
            #expect(stale.json?["__type"] == .string("InvalidSignatureException"))
            #expect(stale.json?["Message"]?.string?.hasPrefix("Signature expired: ") == true)
            let stats = try #require(try await Self.admin(client, server, .GET, "/_emulator/stats"))
            #expect(stats["authFailures"]?["InvalidSignatureException"]?.int == 2)
        }
    }

    @Test func faultRatesAreRoughlyHonouredAndCounted() async throws {
        let options = EmulatorOptions(throttleRate: 0.3, errorRate: 0.1, dropRate: 0.05, latencyMs: 1, seed: 99)
        try await Self.withServer(options) { server, client in
            var seen: [String: Int] = [:]
            let n = 400
            for _ in 0..<n {
                do {
                    let a = try await Self.call(client, server, "DescribeProvisionedProduct", #"{"Name":"data-pipeline"}"#)
                    seen[a.status == 200 ? "ok" : a.json?["__type"]?.string ?? "\(a.status)", default: 0] += 1
                } catch {
                    seen["dropped", default: 0] += 1
                }
            }
            let stats = try #require(try await Self.admin(client, server, .GET, "/_emulator/stats"))
            let faults = try #require(stats["faults"])
            #expect(faults["throttled"]?.int == seen["ThrottlingException"] ?? 0)
            #expect(faults["internalFailure"]?.int == seen["InternalFailure"] ?? 0)
            #expect(faults["serviceUnavailable"]?.int == seen["ServiceUnavailable"] ?? 0)
            #expect(faults["dropped"]?.int == seen["dropped"] ?? 0)
            #expect(stats["requests"]?.int == n)
            let throttled = Double(seen["ThrottlingException"] ?? 0) / Double(n)
            let errors = Double((seen["InternalFailure"] ?? 0) + (seen["ServiceUnavailable"] ?? 0)) / Double(n)
            let dropped = Double(seen["dropped"] ?? 0) / Double(n)
            #expect(abs(throttled - 0.3) < 0.07, "\(seen)")
            #expect(abs(errors - 0.1) < 0.05, "\(seen)")
            #expect(abs(dropped - 0.05) < 0.035, "\(seen)")
        }
    }

    @Test func statsAndResetEndpoints() async throws {
        try await Self.withServer { server, client in
            for i in 0..<3 {
                _ = try await Self.call(client, server, "CreateProvisionedProductPlan",
                    #"{"PlanName":"w","PlanType":"CLOUDFORMATION","ProductId":"prod-webapp4xqv2ab","ProvisioningArtifactId":"pa-webapp7zk3v2","ProvisionedProductName":"web-\#(i % 2)","IdempotencyToken":"tok-\#(i % 2)"}"#)
            }
            let stats = try #require(try await Self.admin(client, server, .GET, "/_emulator/stats"))
            #expect(stats["plansCreated"]?.int == 2)
            #expect(stats["createCalls"]?.int == 3)
            #expect(stats["idempotentReplays"]?.int == 1)
            #expect(stats["perProvisionedProduct"]?["web-0"]?["plansCreated"]?.int == 1)
            #expect(try await Self.admin(client, server, .POST, "/_emulator/reset")?["reset"] == .bool(true))
            let after = try #require(try await Self.admin(client, server, .GET, "/_emulator/stats"))
            #expect(after["plansCreated"]?.int == 0)
            #expect(after["livePlans"]?.int == 0)
        }
    }

    @Test func latencyIsAddedWithoutSerialisingCalls() async throws {
        try await Self.withServer(EmulatorOptions(latencyMs: 100)) { server, client in
            let start = SystemClock().now()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<16 {
                    group.addTask {
                        try await Self.call(client, server, "CreateProvisionedProductPlan",
                            #"{"PlanName":"w","PlanType":"CLOUDFORMATION","ProductId":"prod-webapp4xqv2ab","ProvisioningArtifactId":"pa-webapp7zk3v2","ProvisionedProductName":"lat-\#(i)","IdempotencyToken":"lat-\#(i)"}"#).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let elapsed = SystemClock().now() - start
            #expect(elapsed >= 0.1)
            #expect(elapsed < 1.5, "16 concurrent calls with 100 ms latency took \(elapsed) s")
        }
    }
}
