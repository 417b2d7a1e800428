#if canImport(Glibc)
import Glibc
#endif

/// Golden files: compare with the checked-in file, or write it when PLANCC_RECORD=1 (the
/// test then fails, so a recorded baseline is always reviewed).
enum Golden {
    static let fixtures: String = {
        // #filePath is …/Tests/PlanCoreTests/Golden.swift.
        let file = "\(#filePath)"
        let dir = file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return dir.joined(separator: "/") + "/Fixtures"
    }()

    static var recording: Bool { getenv("PLANCC_RECORD").map { String(cString: $0) == "1" } ?? false }

    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    static func write(_ path: String, _ bytes: [UInt8]) {
        guard let f = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    static func list(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Returns nil when `actual` matches the golden file, else a description of the difference.
    static func check(_ actual: String, against path: String) -> String? {
        let expected = read(path).map { String(decoding: $0, as: UTF8.self) }
        if expected == actual { return nil }
        if recording {
            write(path, Array(actual.utf8))
            return "recorded \(path); run again without PLANCC_RECORD"
        }
        guard let expected else { return "missing golden file \(path) (record with PLANCC_RECORD=1)" }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        var lines = ["\(path) differs:"]
        for i in 0..<max(a.count, e.count) where (i < a.count ? a[i] : nil) != (i < e.count ? e[i] : nil) {
            if i < e.count { lines.append("- \(e[i])") }
            if i < a.count { lines.append("+ \(a[i])") }
        }
        return lines.joined(separator: "\n")
    }
}
