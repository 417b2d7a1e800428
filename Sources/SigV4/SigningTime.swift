#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(WinSDK)
import ucrt
#endif

/// A moment in UTC with whole-second precision: the clock of a signature.
///
/// Written without Foundation: the calendar arithmetic is the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil` / `civil_from_days`), which is all SigV4 needs.
public struct SigningTime: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Parses an ISO 8601 / RFC 3339 timestamp.
    ///
    /// Accepts the extended form `2015-08-30T12:36:00Z`, the basic form `20150830T123600Z`
    /// (the `X-Amz-Date` form), `t`/`z` in lowercase, a space instead of `T`, a fraction of a
    /// second (`.123`, `,5`; dropped, as the signing clock has whole seconds) and an offset
    /// (`+00:00`, `-0800`, `+05`). Returns nil for anything else, including impossible dates
    /// (`2015-02-29`) and leap seconds.
    public init?(iso8601 text: String) {
        guard let value = ISO8601Parser.parse(Array(text.utf8)) else { return nil }
        self.secondsSince1970 = value
    }

    /// The current time of the system clock, truncated to whole seconds.
    public static func now() -> SigningTime {
        SigningTime(secondsSince1970: Int64(time(nil)))
    }

    /// `20150830T123600Z`: the `X-Amz-Date` header value and the second line of the string to sign.
    public var amzDate: String {
        let c = CivilTime(secondsSince1970)
        // The usual years (0-9999) as bytes in one go; others through the general path.
        if (0...9999).contains(c.year) {
            return compactDate(c, time: true)
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T"
            + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// `20150830`: the date of the credential scope.
    public var dateStamp: String {
        let c = CivilTime(secondsSince1970)
        if (0...9999).contains(c.year) { return compactDate(c, time: false) }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
    }

    /// `2015-08-30T12:36:00Z`.
    public var iso8601: String {
        let c = CivilTime(secondsSince1970)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + "T"
            + pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":" + pad(c.second, 2) + "Z"
    }

    public var description: String { iso8601 }

    /// This time moved by `seconds`, saturating instead of overflowing.
    public func adding(seconds: Int64) -> SigningTime {
        let (sum, overflow) = secondsSince1970.addingReportingOverflow(seconds)
        if overflow { return SigningTime(secondsSince1970: seconds > 0 ? .max : .min) }
        return SigningTime(secondsSince1970: sum)
    }

    public static func < (lhs: SigningTime, rhs: SigningTime) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }
}

// MARK: - Calendar arithmetic

/// A UTC civil date and time split into fields.
struct CivilTime: Equatable {
    var year: Int64
    var month: Int64
    var day: Int64
    var hour: Int64
    var minute: Int64
    var second: Int64

    init(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    init(_ secondsSince1970: Int64) {
        // Floor division that cannot overflow, even for Int64.min.
        var days = secondsSince1970 / 86_400
        var rest = secondsSince1970 % 86_400
        if rest < 0 {
            days -= 1
            rest += 86_400
        }
        let (y, m, d) = civilFromDays(days)
        self.init(year: y, month: m, day: d, hour: rest / 3600, minute: (rest % 3600) / 60, second: rest % 60)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (valid for any year that fits).
func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The inverse of `daysFromCivil`.
func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

func isLeapYear(_ year: Int64) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2: return isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// `YYYYMMDD` and, with `time`, `THHMMSSZ` after it, for years 0-9999, straight into bytes.
private func compactDate(_ c: CivilTime, time: Bool) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(16)
    func put(_ value: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            out.append(0x30 + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
    put(c.year, 4); put(c.month, 2); put(c.day, 2)
    if time {
        out.append(UInt8(ascii: "T"))
        put(c.hour, 2); put(c.minute, 2); put(c.second, 2)
        out.append(UInt8(ascii: "Z"))
    }
    return String(decoding: out, as: UTF8.self)
}

/// Zero-padded decimal; a negative number keeps its sign in front.
private func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let padded = digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
    return value < 0 ? "-" + padded : padded
}

// MARK: - ISO 8601 parsing

enum ISO8601Parser {
    static func parse(_ b: [UInt8]) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                let c = b[k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            i += n
            return v
        }
        func accept(_ c: UInt8) -> Bool {
            if i < b.count && b[i] == c {
                i += 1
                return true
            }
            return false
        }

        guard let year = digits(4) else { return nil }
        // Extended form has '-' after the year; basic form goes straight on to the month.
        let extended = accept(UInt8(ascii: "-"))
        guard let month = digits(2) else { return nil }
        if extended && !accept(UInt8(ascii: "-")) { return nil }
        guard let day = digits(2) else { return nil }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || (extended && b[i] == UInt8(ascii: " ")) else {
            return nil
        }
        i += 1
        guard let hour = digits(2) else { return nil }
        if extended && !accept(UInt8(ascii: ":")) { return nil }
        guard let minute = digits(2) else { return nil }
        if extended && !accept(UInt8(ascii: ":")) { return nil }
        guard let second = digits(2) else { return nil }
        if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
            i += 1
            let start = i
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }  // a zone designator is required
        var offset: Int64 = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), oh <= 23 else { return nil }
            var om: Int64 = 0
            if i < b.count {
                _ = accept(UInt8(ascii: ":"))
                guard let m = digits(2), m <= 59 else { return nil }
                om = m
            }
            offset = sign * (oh * 3600 + om * 60)
        default:
            return nil
        }
        guard i == b.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second - offset
    }
}
