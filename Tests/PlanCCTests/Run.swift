import Foundation

/// Runs the built `plancc` binary and captures what a user would see.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum PlanCC {
    static let root: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/PlanCCTests/")!.lowerBound])
    }()

    static let binary: String = {
        // The test bundle lives next to the products it was built with.
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("plancc").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("plancc").path
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:], cwd: String? = nil, stdin: Data? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd ?? root)
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("AWS_") || key == "PLANCC_TOKEN_SALT" { env[key] = nil }
        env["NO_COLOR"] = "1"
        // Never reach for the real instance metadata service from a test.
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        env["HOME"] = "/nonexistent-home"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe cannot block the child.
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
        let errData = errBox.data
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Compares with `Tests/PlanCCTests/Golden/<name>`, or records it with PLANCC_RECORD=1.
    static func golden(_ actual: String, _ name: String) -> String? {
        let path = root + "/Tests/PlanCCTests/Golden/" + name
        let expected = try? String(contentsOfFile: path, encoding: .utf8)
        if expected == actual { return nil }
        if ProcessInfo.processInfo.environment["PLANCC_RECORD"] == "1" {
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            return "recorded \(name); run again without PLANCC_RECORD"
        }
        guard let expected else { return "missing golden \(name) (record with PLANCC_RECORD=1)" }
        let tmp = NSTemporaryDirectory() + "/actual-" + name
        try? actual.write(toFile: tmp, atomically: true, encoding: .utf8)
        let diff = Process()
        diff.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        diff.arguments = ["git", "diff", "--no-index", "--no-color", path, tmp]
        let pipe = Pipe()
        diff.standardOutput = pipe
        try? diff.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        diff.waitUntilExit()
        return "golden \(name) differs:\n" + (text.isEmpty ? "expected:\n\(expected)\nactual:\n\(actual)" : text)
    }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "plancc-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
