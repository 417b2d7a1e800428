import PlanSyntax

/// An unquoted scalar in a string member that other YAML tools read as a boolean or a number
/// with a different text (`yes`, `on`, `010`, `1.50`, `0x1F`, `1_000`, `1:30`).
struct AmbiguousScalar: SpecRule {
    static let description = RuleDescription(
        id: "PC4004", name: "ambiguous-scalar", severity: .warning,
        summary: "parameter and tag values that other YAML tools would read as booleans or numbers are quoted",
        rationale: "plancc keeps a scalar's source text, so 'no' is sent as \"no\" and '010' as \"010\". PyYAML and other YAML 1.1 loaders read them as false and 8, editors using YAML 1.2 read 010 as 10 and 1.50 as 1.5: the same file means different things to different tools. Quoting makes the text explicit for all of them.",
        fix: "Quote the value: \"yes\", \"010\".",
        source: "https://yamllint.readthedocs.io/en/stable/rules.html#module-yamllint.rules.truthy",
        badExample: Example.spec([:], "ProvisioningParameters:\n  EnableLogs: yes"),
        goodExample: Example.spec([:], "ProvisioningParameters:\n  EnableLogs: \"yes\""))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        if let params = spec.provisioningParameters?.items {
            for i in params.indices where params[i].valueIsPlain {
                guard let v = params[i].value, let reading = ambiguousReading(v.value) else { continue }
                let p = params[i]
                context.report("unquoted \(quoted(v.value)) for parameter \(quoted(p.key.value)) is read as \(reading) by other YAML tools; plancc sends the text \(quoted(v.value)): quote it", in: spec, at: v.location)
            }
        }
        if let tags = spec.tags?.items {
            for i in tags.indices where tags[i].valueIsPlain {
                guard let reading = ambiguousReading(tags[i].value.value) else { continue }
                let t = tags[i]
                context.report("unquoted \(quoted(t.value.value)) for tag \(quoted(t.key.value)) is read as \(reading) by other YAML tools; plancc sends the text \(quoted(t.value.value)): quote it", in: spec, at: t.value.location)
            }
        }
    }
}

/// How a YAML 1.1 or 1.2 loader would read a plain scalar, when that changes its text.
func ambiguousReading(_ s: String) -> String? {
    // Only short words and number-like text can be re-typed; most values are neither.
    guard let head = s.utf8.first else { return nil }
    let numberLike = (head >= 48 && head <= 57) || head == UInt8(ascii: "+") || head == UInt8(ascii: "-") || head == UInt8(ascii: ".")
    if !numberLike && s.utf8.count > 5 { return nil }
    // A plain decimal integer without a leading zero (443, 2, 0) reads the same everywhere.
    if head != UInt8(ascii: "0") || s.utf8.count == 1, s.allBytes({ $0 &- 48 < 10 }) { return nil }
    switch s.lowercased() {
    case "yes", "no", "on", "off", "y", "n", "true", "false":
        return "a boolean"
    default: break
    }
    let u = Array(s.utf8)
    guard let first = u.first else { return nil }
    func digits(_ r: ArraySlice<UInt8>) -> Bool { !r.isEmpty && r.allSatisfy { $0 >= 48 && $0 <= 57 } }
    var body = u[...]
    if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { body = u.dropFirst() }
    guard let b0 = body.first else { return nil }
    // Octal and hex: 010, 0o17, 0x1F.
    if body.count > 1, b0 == UInt8(ascii: "0") {
        let b1 = body[body.startIndex + 1]
        if digits(body) { return "an octal or decimal number" }
        if b1 == UInt8(ascii: "o") || b1 == UInt8(ascii: "x") { return "a number" }
    }
    // Underscored numbers (YAML 1.1): 1_000.
    if body.contains(UInt8(ascii: "_")), body.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") }) { return "a number" }
    // Sexagesimal (YAML 1.1): 1:30.
    if body.contains(UInt8(ascii: ":")) {
        let parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        if parts.count > 1, parts.allSatisfy({ digits($0) }), parts.dropFirst().allSatisfy({ $0.count == 2 }) { return "a base-60 number" }
    }
    // Floats whose text a loader would not keep: 1.50, 1., .5, 1e3, +1.0.
    if let dot = body.firstIndex(of: UInt8(ascii: ".")) {
        let whole = body[body.startIndex..<dot], frac = body[(dot + 1)...]
        if (whole.isEmpty || digits(whole)) && (frac.isEmpty || digits(frac)) && !(whole.isEmpty && frac.isEmpty) {
            if whole.isEmpty || frac.isEmpty || frac.last == UInt8(ascii: "0") || first == UInt8(ascii: "+") || (whole.count > 1 && whole.first == UInt8(ascii: "0")) {
                return "a number"
            }
        }
    }
    if let e = body.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }), e != body.startIndex {
        var mant = body[body.startIndex..<e], exp = body[(e + 1)...]
        if let d = mant.firstIndex(of: UInt8(ascii: ".")) { mant = mant[mant.startIndex..<d] + mant[(d + 1)...] }
        if let s = exp.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { exp = exp.dropFirst() }
        if digits(mant), digits(exp) { return "a number" }
    }
    if first == UInt8(ascii: "+"), digits(body) { return "a number" }
    return nil
}
