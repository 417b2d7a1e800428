import Foundation
import Testing

/// The `plancc-emulator` executable as a user runs it (skipped when it has not been built).
@Suite("plancc-emulator executable", .serialized)
struct ExecutableTests {
    static let binary: String? = {
        for dir in [".build/debug", ".build/release"] {
            let path = repoRoot + "/" + dir + "/plancc-emulator"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    static func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary!)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @Test(.enabled(if: binary != nil))
    func printsOneListeningLineAndStopsOnSIGTERM() throws {
        let (process, out, _) = try Self.launch(["--catalog", demoCatalogPath, "--port", "0"])
        // Read the first line (the process keeps running).
        var line: [UInt8] = []
        let handle = out.fileHandleForReading
        while let byte = try handle.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("plancc-emulator listening on http://127.0.0.1:"))
        #expect(Int(text.split(separator: ":").last ?? "") ?? 0 > 0)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let rest = try handle.readToEnd() ?? Data()
        #expect(rest.isEmpty, "stdout after the listening line: \(String(decoding: rest, as: UTF8.self))")
    }

    @Test(.enabled(if: binary != nil))
    func catalogErrorsExitWithStatus2() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-bad-\(getpid()).yaml").path
        try "Credentials: [{AccessKeyId: A}]\nProducts: []\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (process, out, err) = try Self.launch(["--catalog", path])
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        let message = String(decoding: try err.fileHandleForReading.readToEnd() ?? Data(), as: UTF8.self)
        #expect(message.contains("\(path):1:15: error: a credential needs SecretAccessKey"))
        #expect((try out.fileHandleForReading.readToEnd() ?? Data()).isEmpty)
    }
}
