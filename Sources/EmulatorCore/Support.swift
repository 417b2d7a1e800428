#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// MARK: - Clock

/// Where the emulator reads the time: seconds since 1970 (UTC). Injected so the state
/// machine and signature checks can be tested without waiting.
public protocol EmulatorClock: Sendable {
    func now() -> Double
}

/// The real wall clock.
public struct SystemClock: EmulatorClock {
    public init() {}
    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A clock that moves only when told to (tests).
public final class ManualClock: EmulatorClock {
    private let current: Mutex<Double>
    public init(_ start: Double = 1_767_225_600) { current = Mutex(start) }  // 2026-01-01T00:00:00Z
    public func now() -> Double { current.withLock { $0 } }
    public func advance(by seconds: Double) { current.withLock { $0 += seconds } }
    public func set(_ t: Double) { current.withLock { $0 = t } }
}


// MARK: - Deterministic randomness

/// SplitMix64: small, fast and fully determined by its seed, so fault injection with a
/// fixed `--seed` repeats exactly for the same sequence of requests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

// MARK: - Identifiers

enum IDs {
    static let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// `prefix` + 13 lowercase letters and digits, like AWS's `pp-…`, `rec-…` ids.
    static func make(_ prefix: String, _ n: UInt64, salt: UInt64) -> String {
        var g = SplitMix64(seed: n &* 0x2545_F491_4F6C_DD1D ^ salt)
        var s = prefix
        for _ in 0..<13 { s.append(alphabet[Int(g.next() % 36)]) }
        return s
    }

    /// A stable id derived from a name (FNV-1a), for catalog entries written without one.
    static func derived(_ prefix: String, from name: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return make(prefix, h, salt: 0)
    }

    /// A request id in UUID layout (8-4-4-4-12 hex).
    static func requestId(_ n: UInt64, salt: UInt64) -> String {
        var g = SplitMix64(seed: n ^ salt ^ 0x5851_F42D_4C95_7F2D)
        let a = g.next(), b = g.next()
        let hex = Array("0123456789abcdef")
        var s = ""
        var bits = [a, b]
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { s.append("-") }
            let word = i < 16 ? 0 : 1
            s.append(hex[Int(bits[word] & 0xF)])
            bits[word] >>= 4
        }
        return s
    }
}

// MARK: - Field validation

enum Validation {
    private static func isAlnum(_ u: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u)
    }

    /// `Id`: 1–100 of `[a-zA-Z0-9_-]` (the model's pattern, anchored).
    static func isId(_ s: String) -> Bool {
        let n = s.unicodeScalars.count
        return n >= 1 && n <= 100 && s.unicodeScalars.allSatisfy { isAlnum($0) || $0 == "_" || $0 == "-" }
    }

    /// `ProvisionedProductName`: 1–128 of `[a-zA-Z0-9][a-zA-Z0-9._-]*`.
    static func isProvisionedProductName(_ s: String) -> Bool {
        let u = Array(s.unicodeScalars)
        guard u.count >= 1, u.count <= 128, isAlnum(u[0]) else { return false }
        return u.dropFirst().allSatisfy { isAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// `IdempotencyToken`: 1–128 of `[a-zA-Z0-9][a-zA-Z0-9_-]*`.
    static func isIdempotencyToken(_ s: String) -> Bool {
        let u = Array(s.unicodeScalars)
        guard u.count >= 1, u.count <= 128, isAlnum(u[0]) else { return false }
        return u.dropFirst().allSatisfy { isAlnum($0) || $0 == "_" || $0 == "-" }
    }

    /// Tag keys and values: `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`.
    static func isTagText(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { u in
            switch u.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .spaceSeparator, .lineSeparator, .paragraphSeparator,
                 .decimalNumber, .letterNumber, .otherNumber:
                return true
            default:
                return "_.:/=+-@".unicodeScalars.contains(u)
            }
        }
    }
}

/// Checks a parameter value against its artifact's declaration, as CloudFormation does.
enum ParameterRules {
    static func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        try? Regex(pattern)
    }

    /// Why `value` is not acceptable for `p`, or nil when it is. Never quotes a NoEcho value.
    static func violation(of p: ArtifactParameter, value: String) -> String? {
        let c = p.constraints
        let shown = p.isNoEcho ? "the value" : quotedValue(value)
        let explain = c.constraintDescription.map { " (\($0))" } ?? ""
        if let allowed = c.allowedValues, !allowed.contains(value) {
            return "\(shown) is not one of the allowed values [\(allowed.joined(separator: ", "))]\(explain)"
        }
        if let pattern = c.allowedPattern, let re = compile(pattern), (try? re.wholeMatch(in: value)) == nil {
            return "\(shown) does not match the pattern \(pattern)\(explain)"
        }
        let length = value.unicodeScalars.count
        if let min = c.minLength, length < min { return "\(shown) is shorter than \(min) characters\(explain)" }
        if let max = c.maxLength, length > max { return "\(shown) is longer than \(max) characters\(explain)" }
        let isNumber = p.type == "Number"
        if isNumber || c.minValue != nil || c.maxValue != nil {
            guard let n = Double(value.trimmingSpaces) else { return "\(shown) is not a number" }
            if let min = c.minValue, n < min { return "\(shown) is less than \(JSON.format(min))\(explain)" }
            if let max = c.maxValue, n > max { return "\(shown) is greater than \(JSON.format(max))\(explain)" }
        }
        return nil
    }

    static func quotedValue(_ s: String) -> String { "'\(s)'" }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
