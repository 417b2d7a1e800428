#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command-line layer's I/O: the only place plancc touches the file system and the
/// terminal. Failures are thrown as `IOFailure` with the path and the system's reason.
struct IOFailure: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot read '\(path)': \(reason)" }
}

enum IO {
    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Reads a whole file.
    static func read(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure(path: path, reason: errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IOFailure(path: path, reason: errnoText()) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw IOFailure(path: path, reason: "is a directory") }
        let expected = Int(st.st_size)
        // The usual case: one read straight into the array, asking for one byte more than
        // fstat reported. Getting exactly the reported size back means the end of the file
        // (a regular file reads short only there), so no second read is needed to see it.
        if expected > 0 && expected <= limit {
            var complete = false
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
                while count <= expected {
                    let want = expected + 1 - count
                    let n = Glibc.read(fd, buffer.baseAddress! + count, want)
                    if n < 0 { if errno == EINTR { continue }; failure = errno; break }
                    if n == 0 { break }
                    count += n
                    if n < want { complete = count == expected; break }
                }
            }
            if failure != 0 { throw IOFailure(path: path, reason: String(cString: strerror(failure))) }
            if complete { return bytes }
            // The file changed size while being read: fall back to reading it whole.
            _ = lseek(fd, 0, SEEK_SET)
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(expected + 1)
        var chunk = [UInt8](repeating: 0, count: max(4096, min(expected + 1, limit + 1)))
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, reason: errnoText())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { break } // the parser reports the size limit
        }
        return bytes
    }

    enum Kind { case file, directory, missing(String) }

    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing(errnoText()) }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// Calls `body` with the name (as bytes) of each entry of a directory, without "." and
    /// "..", and whether it is a directory (following symbolic links).
    static func forEachEntry(_ path: String, _ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws {
        guard let dir = opendir(path) else { throw IOFailure(path: path, reason: errnoText()) }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            try withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                let name = UnsafeBufferPointer(rebasing: bytes[0..<length])
                if name.elementsEqual([0x2E]) || name.elementsEqual([0x2E, 0x2E]) { return }
                var isDir = type == UInt8(DT_DIR)
                if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                    if case .directory = kind(path + "/" + String(decoding: name, as: UTF8.self)) { isDir = true } else { isDir = false }
                }
                try body(name, isDir)
            }
        }
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOFailure(path: path, reason: "cannot write: " + errnoText()) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, reason: "cannot write: " + errnoText())
            }
            offset += n
        }
    }

    static func makeDirectory(_ path: String) throws {
        if case .directory = kind(path) { return }
        var prefix = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            prefix += (prefix.isEmpty && path.hasPrefix("/") ? "" : (prefix.isEmpty ? "" : "/")) + part
            if prefix.isEmpty { prefix = "/"; continue }
            if case .directory = kind(prefix) { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw IOFailure(path: prefix, reason: "cannot create directory: " + errnoText())
            }
        }
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}

/// Buffered output to stdout or stderr.
struct Output {
    let fd: Int32
    private(set) var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd; buffer.reserveCapacity(1 << 16) }

    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func line(_ s: String) { write(s); buffer.append(0x0A) }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break // a closed pipe: nothing more can be said
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

func printError(_ message: String) {
    var err = Output(fd: 2)
    err.line("plancc: error: \(message)")
    err.flush()
}
