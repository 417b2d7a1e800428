import Testing
@testable import SigV4

@Suite("SigningTime")
struct SigningTimeTests {
    static let reference: Int64 = 1_440_938_160  // 2015-08-30T12:36:00Z

    @Test("accepted ISO 8601 forms", arguments: [
        ("2015-08-30T12:36:00Z", reference),
        ("20150830T123600Z", reference),
        ("2015-08-30t12:36:00z", reference),
        ("2015-08-30 12:36:00Z", reference),
        ("2015-08-30T12:36:00+00:00", reference),
        ("2015-08-30T12:36:00-00:00", reference),
        ("2015-08-30T12:36:00.999Z", reference),
        ("2015-08-30T12:36:00,5Z", reference),
        ("2015-08-30T12:36:00.123456789+00:00", reference),
        ("2015-08-30T14:36:00+02:00", reference),
        ("2015-08-30T14:36:00+0200", reference),
        ("2015-08-30T14:36:00+02", reference),
        ("2015-08-30T04:36:00-08:00", reference),
        ("2015-08-31T01:06:00+12:30", reference),
        ("20150830T043600-0800", reference),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("2038-01-19T03:14:08Z", 2_147_483_648),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("0001-01-01T00:00:00Z", -62_135_596_800),
    ] as [(String, Int64)])
    func parses(_ text: String, _ seconds: Int64) {
        #expect(SigningTime(iso8601: text)?.secondsSince1970 == seconds)
    }

    @Test("rejected inputs", arguments: [
        "", "2015-08-30", "2015-08-30T12:36:00", "2015-08-30T12:36Z", "2015-8-30T12:36:00Z",
        "2015-08-30T12:36:00ZZ", "2015-08-30T12:36:00 Z", "2015-02-29T00:00:00Z", "2015-13-01T00:00:00Z",
        "2015-00-10T00:00:00Z", "2015-04-31T00:00:00Z", "2015-08-00T00:00:00Z", "2015-08-30T24:00:00Z",
        "2015-08-30T12:60:00Z", "2015-08-30T12:36:60Z", "2015-08-30T12:36:00.Z", "2015-08-30T12:36:00+24:00",
        "2015-08-30T12:36:00+01:60", "2015-08-30T12:36:00+1", "2015-08-30T12:36:00+01:", "20150830 123600Z",
        "2015-08-30T123600Z", "20150830T12:36:00Z", "１０15-08-30T12:36:00Z", "2015-08-30T12:36:00Z\n",
        "+2015-08-30T12:36:00Z", "x2015-08-30T12:36:00Z",
    ])
    func rejects(_ text: String) {
        #expect(SigningTime(iso8601: text) == nil)
    }

    @Test func formats() {
        let t = SigningTime(secondsSince1970: Self.reference)
        #expect(t.amzDate == "20150830T123600Z")
        #expect(t.dateStamp == "20150830")
        #expect(t.iso8601 == "2015-08-30T12:36:00Z")
        #expect(SigningTime(secondsSince1970: -1).amzDate == "19691231T235959Z")
        #expect(SigningTime(secondsSince1970: 951_782_400).dateStamp == "20000229")
        #expect(SigningTime(secondsSince1970: 253_402_300_799).amzDate == "99991231T235959Z")
    }

    @Test func extremeValuesDoNotCrash() {
        for s in [Int64.max, Int64.min, Int64.max - 1, Int64.min + 1] {
            let t = SigningTime(secondsSince1970: s)
            #expect(!t.amzDate.isEmpty)
            #expect(t.adding(seconds: 300).secondsSince1970 >= (s > 0 ? s : Int64.min))
            #expect(t.adding(seconds: -300) <= t)
        }
    }

    /// Civil-date conversion agrees with itself for every day of four centuries around 1970
    /// and round-trips through amzDate.
    @Test func calendarRoundTrip() {
        var previous: (Int64, Int64, Int64)? = nil
        var failures: [Int64] = []
        for days in Int64(-146_097 * 2)...Int64(146_097 * 2) {
            let (y, m, d) = civilFromDays(days)
            if daysFromCivil(year: y, month: m, day: d) != days { failures.append(days) }
            if let (py, pm, pd) = previous {
                // The next day follows the previous one.
                let expected: (Int64, Int64, Int64) =
                    pd < daysInMonth(year: py, month: pm) ? (py, pm, pd + 1) : (pm < 12 ? (py, pm + 1, 1) : (py + 1, 1, 1))
                if expected != (y, m, d) { failures.append(days) }
            }
            previous = (y, m, d)
        }
        #expect(failures.isEmpty)
        #expect(civilFromDays(0) == (1970, 1, 1))
        for s: Int64 in [0, 86_399, 86_400, 1_440_938_160, 1_709_251_199, 4_102_444_800, -2_208_988_800] {
            let t = SigningTime(secondsSince1970: s)
            #expect(SigningTime(iso8601: t.amzDate) == t)
            #expect(SigningTime(iso8601: t.iso8601) == t)
        }
    }

    @Test func nowIsPlausible() {
        let now = SigningTime.now()
        #expect(now > SigningTime(iso8601: "2024-01-01T00:00:00Z")!)
        #expect(now < SigningTime(iso8601: "2200-01-01T00:00:00Z")!)
    }
}
