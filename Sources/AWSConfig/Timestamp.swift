/// ISO 8601 / RFC 3339 timestamps as AWS credential sources write them
/// ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123Z", "2024-05-01T12:00:00+00:00").

/// Parses a timestamp into seconds since 1970 (UTC); nil when it is not one.
/// A missing zone means UTC (as botocore's parser assumes for these fields).
public func parseTimestamp(_ text: String) -> Double? {
    let s = Array(text.trimmingWhitespace().utf8)
    var i = 0
    func digits(_ count: Int) -> Int? {
        guard i + count <= s.count else { return nil }
        var value = 0
        for k in 0..<count {
            let c = s[i + k]
            guard c >= 48, c <= 57 else { return nil }
            value = value * 10 + Int(c - 48)
        }
        i += count
        return value
    }
    func expect(_ c: UInt8) -> Bool {
        guard i < s.count, s[i] == c else { return false }
        i += 1
        return true
    }
    guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
          let day = digits(2) else { return nil }
    guard i < s.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(s[i]) else { return nil }
    i += 1
    guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
          let second = digits(2) else { return nil }
    var fraction = 0.0
    if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
        i += 1
        var scale = 0.1
        var any = false
        while i < s.count, s[i] >= 48, s[i] <= 57 {
            fraction += Double(s[i] - 48) * scale
            scale /= 10
            i += 1
            any = true
        }
        if !any { return nil }
    }
    var offset = 0
    if i < s.count {
        if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
            i += 1
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let om = digits(2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
    }
    guard i == s.count else { return nil }
    guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let total = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return Double(total) + fraction
}

/// Formats seconds since 1970 as "YYYY-MM-DDTHH:MM:SSZ".
public func formatTimestamp(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.down))
    var days = whole / 86400
    var rest = whole % 86400
    if rest < 0 { rest += 86400; days -= 1 }
    let (y, m, d) = civilFromDays(days)
    func pad(_ v: Int, _ w: Int) -> String {
        let t = String(v)
        return String(repeating: "0", count: max(0, w - t.count)) + t
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
}

// Howard Hinnant's civil-date algorithms.
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

extension StringProtocol {
    /// Trims Unicode white space at both ends (Python's `str.strip()`).
    func trimmingWhitespace() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[start..<end])
    }
}
