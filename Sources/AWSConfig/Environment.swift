#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything outside the process that AWS configuration depends on: environment variables,
/// the home directory, the file system and the clock. Tests build one by hand; the CLI uses
/// `AWSEnvironment.current()`.
public struct AWSEnvironment: Sendable {
    /// The process environment (or a stand-in).
    public var variables: [String: String]
    /// Where `~` points (for `~/.aws/config` and `~/.aws/credentials`).
    public var homeDirectory: String?
    /// Reads a whole file. Returns nil when the path does not exist or is not a regular file;
    /// throws `AWSConfigError.fileUnreadable` for other failures.
    public var readFile: @Sendable (String) throws -> [UInt8]?
    /// Wall-clock time, in seconds since 1970 (UTC).
    public var clock: @Sendable () -> Double

    public init(
        variables: [String: String],
        homeDirectory: String?,
        readFile: @escaping @Sendable (String) throws -> [UInt8]? = AWSEnvironment.readFileFromDisk,
        clock: @escaping @Sendable () -> Double = AWSEnvironment.systemClock
    ) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.readFile = readFile
        self.clock = clock
    }

    /// The real process environment, home directory, file system and clock.
    public static func current() -> AWSEnvironment {
        var variables: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                let name = String(text[..<eq])
                if variables[name] == nil { variables[name] = String(text[text.index(after: eq)...]) }
            }
            pointer += 1
        }
        var home = variables["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        if home == nil, let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir {
            home = String(cString: dir)
        }
        return AWSEnvironment(variables: variables, homeDirectory: home)
    }

    /// The value of a variable, or nil when it is unset or empty (as botocore treats most of them).
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value of a variable exactly as set (also when empty).
    public func raw(_ name: String) -> String? { variables[name] }

    @Sendable public static func systemClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1_000_000_000
    }

    @Sendable public static func readFileFromDisk(_ path: String) throws -> [UInt8]? {
        var st = stat()
        if stat(path, &st) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw AWSConfigError.fileUnreadable(path: path, reason: systemErrorText(code))
        }
        if (st.st_mode & S_IFMT) != S_IFREG { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw AWSConfigError.fileUnreadable(path: path, reason: systemErrorText(errno)) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw AWSConfigError.fileUnreadable(path: path, reason: systemErrorText(errno))
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
            if result.count > 16 * 1024 * 1024 {
                throw AWSConfigError.fileUnreadable(path: path, reason: "larger than 16 MiB")
            }
        }
        return result
    }

    /// Reads a file as UTF-8 text (nil when absent).
    func readText(_ path: String) throws -> String? {
        guard var bytes = try readFile(path) else { return nil }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AWSConfigError.fileUnreadable(path: path, reason: "not valid UTF-8")
        }
        return text
    }

    /// `os.path.expandvars` then `os.path.expanduser`, as botocore applies them to file paths.
    func expandPath(_ path: String) -> String {
        var expanded = expandVariables(path)
        if expanded == "~" || expanded.hasPrefix("~/"), let home = homeDirectory {
            expanded = home + expanded.dropFirst()
        }
        return expanded
    }

    private func expandVariables(_ text: String) -> String {
        guard text.contains("$") else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        func isNameChar(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }
        while i < chars.count {
            if chars[i] == "$", i + 1 < chars.count {
                if chars[i + 1] == "{", let close = chars[(i + 2)...].firstIndex(of: "}") {
                    let name = String(chars[(i + 2)..<close])
                    if !name.isEmpty, let value = variables[name] {
                        out += value
                        i = close + 1
                        continue
                    }
                } else if isNameChar(chars[i + 1]) {
                    var j = i + 1
                    while j < chars.count, isNameChar(chars[j]) { j += 1 }
                    let name = String(chars[(i + 1)..<j])
                    if let value = variables[name] {
                        out += value
                        i = j
                        continue
                    }
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}

extension AWSEnvironment: CustomStringConvertible, CustomDebugStringConvertible {
    /// Names of the AWS variables only: their values may be secrets.
    public var description: String {
        let names = variables.keys.filter { $0.hasPrefix("AWS_") }.sorted()
        return "AWSEnvironment(home: \(homeDirectory ?? "none"), AWS variables set: \(names.joined(separator: ", ")))"
    }
    public var debugDescription: String { description }
}

func systemErrorText(_ code: Int32) -> String {
    if let s = strerror(code) { return String(cString: s) }
    return "error \(code)"
}

/// botocore's `ensure_boolean`: true only for the text "true" in any letter case.
func parseBoolean(_ text: String?) -> Bool? {
    guard let text else { return nil }
    return text.lowercased() == "true"
}
