import Foundation
import SigV4

/// Test data lives next to the tests and is found from this file's path (no bundle resources).
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SigV4Tests
    static let vectors = testsDirectory.appendingPathComponent("Vectors")
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
}

func readBytes(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
}

func readText(_ url: URL) throws -> String {
    String(decoding: try readBytes(url), as: UTF8.self)
}

/// Parses a raw HTTP/1.1 request as the SigV4 suites store it: request line (split on the
/// first and the last space, so a path may contain spaces), `Name:value` header lines (values
/// kept as written; a line starting with whitespace continues the previous header), an empty
/// line, then the body. Lines end in LF (a CR before it is dropped).
func parseRawRequest(_ bytes: [UInt8]) -> SignableRequest {
    // Split head and body at the first empty line.
    var headEnd = bytes.count
    var bodyStart = bytes.count
    var i = 0
    while i < bytes.count {
        if bytes[i] == 0x0A {
            if i + 1 < bytes.count && bytes[i + 1] == 0x0A {
                headEnd = i
                bodyStart = i + 2
                break
            }
            if i + 2 < bytes.count && bytes[i + 1] == 0x0D && bytes[i + 2] == 0x0A {
                headEnd = i
                bodyStart = i + 3
                break
            }
        }
        i += 1
    }
    let head = String(decoding: bytes[0..<headEnd], as: UTF8.self)
    var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
    }
    let requestLine = lines.removeFirst()
    let firstSpace = requestLine.firstIndex(of: " ")!
    let lastSpace = requestLine.lastIndex(of: " ")!
    let method = String(requestLine[..<firstSpace])
    let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
    let path: String
    let query: String
    if let q = target.firstIndex(of: "?") {
        path = String(target[..<q])
        query = String(target[target.index(after: q)...])
    } else {
        path = target
        query = ""
    }
    var headers: [HTTPHeader] = []
    for line in lines where !line.isEmpty {
        if line.first == " " || line.first == "\t", !headers.isEmpty {
            headers[headers.count - 1].value += " " + line
            continue
        }
        let colon = line.firstIndex(of: ":")!
        headers.append(HTTPHeader(String(line[..<colon]), String(line[line.index(after: colon)...])))
    }
    return SignableRequest(method: method, path: path, query: query, headers: headers, body: Array(bytes[bodyStart...]))
}

/// Headers as a comparable multiset: lowercased names and whitespace-collapsed values, sorted.
func headerSet(_ headers: [HTTPHeader]) -> [String] {
    headers.map { $0.name.lowercased() + ":" + $0.value.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.sorted()
}

/// The AWS example key pair used by both SigV4 suites and the worked example.
enum ExampleKeys {
    static let accessKeyId = "AKIDEXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let time = SigningTime(iso8601: "2015-08-30T12:36:00Z")!
}
