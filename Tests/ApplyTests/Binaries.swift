import AsyncHTTPClient
import EmulatorCore
import Foundation
import NIOCore

/// The built executables, found next to the test bundle.
enum Binaries {
    static func find(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name).path
    }
    static let plancc = find("plancc")
    static let emulator = find("plancc-emulator")
}

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}

/// A `plancc-emulator` process on an ephemeral loopback port, stopped by `stop()`.
final class EmulatorProcess: @unchecked Sendable {
    let process = Process()
    let url: String
    let catalogPath: String

    init(catalog: String, arguments: [String] = []) throws {
        let dir = try Paths.temporaryDirectory()
        catalogPath = dir + "/catalog.yaml"
        try catalog.write(toFile: catalogPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Binaries.emulator)
        process.arguments = ["--catalog", catalogPath, "--port", "0", "--threads", "1"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "plancc-emulator listening on http://127.0.0.1:PORT".
        var line = Data()
        let handle = out.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw EmulatorStartError(message: "plancc-emulator did not start: '\(text)'")
        }
        url = String(text[range.lowerBound...])
    }

    struct EmulatorStartError: Error { var message: String }

    func stats() async throws -> JSON {
        var request = HTTPClientRequest(url: url + "/_emulator/stats")
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        return try JSON.parse(Array(body.readableBytesView))
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// Runs `plancc` with the emulator's credentials and region in its environment.
func runPlancc(_ arguments: [String], environment: [String: String]? = nil, cwd: String = Paths.root,
               onStart: ((Process) -> Void)? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Binaries.plancc)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: cwd)
    var env = ProcessInfo.processInfo.environment
    for key in env.keys where key.hasPrefix("AWS_") || key == "PLANCC_TOKEN_SALT" { env[key] = nil }
    env["NO_COLOR"] = "1"
    env["HOME"] = "/nonexistent-home"
    env["AWS_CONFIG_FILE"] = "/nonexistent-home/config"
    env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent-home/credentials"
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    for (k, v) in environment ?? emulatorEnvironment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    onStart?(process)
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errBox.data, as: UTF8.self))
}

let emulatorEnvironment = [
    "AWS_ACCESS_KEY_ID": "AKIDEMULATOREXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "emulator/secret/EXAMPLEKEY",
    "AWS_REGION": "us-east-1",
]
