public import PlanSyntax

/// Lowers one YAML document to a `PlanSpec`, reporting unknown keys (with a "did you
/// mean"), wrong types and missing required keys. Returns nil when the document is not a
/// spec at all (empty, or not a mapping); the reason is in `diagnostics`.
public func lowerPlanSpec(_ document: Document, file: String, into diagnostics: inout [Diagnostic]) -> PlanSpec? {
    var lowering = Lowering(file: file)
    defer { diagnostics.append(contentsOf: lowering.diagnostics) }
    return lowering.lower(document)
}

struct Lowering {
    let file: String
    var diagnostics: [Diagnostic] = []

    mutating func error(_ rule: String, _ message: String, _ at: SourceLocation) {
        diagnostics.append(Diagnostic(.error, rule, message, file: file, at: at))
    }

    mutating func lower(_ document: Document) -> PlanSpec? {
        guard let root = document.root, !root.isReported else { return nil }
        guard let pairs = root.mapping else {
            if let s = root.scalar, s.isNull {
                diagnostics.append(Diagnostic(.warning, ShapeRule.emptyDocument, "document \(document.index + 1) is empty", file: file, at: root.location))
            } else {
                error(ShapeRule.wrongType, "a spec document must be a mapping of request members, found \(root.kindDescription)", root.location)
            }
            return nil
        }
        var spec = PlanSpec(file: file, documentIndex: document.index, location: root.location)
        for pair in pairs {
            guard let name = keyText(pair.key) else { continue }
            guard let member = RequestMember.named(name) else {
                unknownKey(name, at: pair.key.location, candidates: RequestMember.allCases.map(\.rawValue), context: "request member")
                continue
            }
            let v = pair.value
            switch member {
            case .acceptLanguage: spec.acceptLanguage = string(v, name)
            case .idempotencyToken: spec.idempotencyToken = string(v, name)
            case .pathId: spec.pathId = string(v, name)
            case .planName: spec.planName = string(v, name)
            case .planType: spec.planType = string(v, name)
            case .productId: spec.productId = string(v, name)
            case .provisionedProductName: spec.provisionedProductName = string(v, name)
            case .provisioningArtifactId: spec.provisioningArtifactId = string(v, name)
            case .notificationArns: spec.notificationArns = stringList(v, name)
            case .tags: spec.tags = tags(v)
            case .provisioningParameters: spec.provisioningParameters = parameters(v)
            }
        }
        var missing: [String] = []
        if spec.planName == nil { missing.append(RequestMember.planName.rawValue) }
        if spec.planType == nil { missing.append(RequestMember.planType.rawValue) }
        if spec.productId == nil { missing.append(RequestMember.productId.rawValue) }
        if spec.provisioningArtifactId == nil { missing.append(RequestMember.provisioningArtifactId.rawValue) }
        if spec.provisionedProductName == nil { missing.append(RequestMember.provisionedProductName.rawValue) }
        for name in missing where !pairs.contains(where: { $0.key.scalar?.text == name }) {
            error(ShapeRule.missingKey, "missing required key '\(name)'", root.location)
        }
        return spec
    }

    // MARK: - Scalars

    mutating func keyText(_ key: Node) -> String? {
        if key.isReported { return nil }
        guard let s = key.scalar, !s.isNull else {
            error(ShapeRule.wrongType, "mapping keys must be strings, found \(key.kindDescription)", key.location)
            return nil
        }
        return s.text
    }

    /// A string-typed field: any non-null scalar, its source text kept exactly.
    mutating func string(_ node: Node, _ what: @autoclosure () -> String) -> Located<String>? {
        if node.isReported { return nil }
        switch node.value {
        case .scalar(let s) where !s.isNull:
            return Located(s.text, at: node.location)
        case .scalar:
            error(ShapeRule.wrongType, "'\(what())' must be a string, found null (write '' for an empty string)", node.location)
        default:
            error(ShapeRule.wrongType, "'\(what())' must be a string, found \(node.kindDescription)", node.location)
        }
        return nil
    }

    func isPlain(_ node: Node) -> Bool {
        guard let s = node.scalar else { return false }
        return s.style == .plain && s.tag == nil
    }

    mutating func bool(_ node: Node, _ what: String) -> Located<Bool>? {
        if node.isReported { return nil }
        if let s = node.scalar, let b = s.bool { return Located(b, at: node.location) }
        let found = node.scalar.map { $0.isNull ? "null" : quoted($0.text) } ?? node.kindDescription
        error(ShapeRule.wrongType, "'\(what)' must be true or false, found \(found)", node.location)
        return nil
    }

    mutating func stringList(_ node: Node, _ what: @autoclosure () -> String) -> LocatedList<Located<String>>? {
        if node.isReported { return nil }
        guard let items = node.sequence else {
            error(ShapeRule.wrongType, "'\(what())' must be a list of strings, found \(node.kindDescription)", node.location)
            return nil
        }
        var out: [Located<String>] = []
        out.reserveCapacity(items.count)
        for item in items {
            if let s = string(item, "\(what()) item") { out.append(s) }
        }
        return LocatedList(out, at: node.location)
    }

    // MARK: - Tags

    /// `Tags` in map form (`key: value`) or the API's list form (`[{Key, Value}]`).
    mutating func tags(_ node: Node) -> LocatedList<Tag>? {
        if node.isReported { return nil }
        switch node.value {
        case .mapping(let pairs):
            var out: [Tag] = []
            out.reserveCapacity(pairs.count)
            for pair in pairs {
                guard let key = keyText(pair.key) else { continue }
                guard let value = string(pair.value, "Tags.\(key)") else { continue }
                out.append(Tag(key: Located(key, at: pair.key.location), value: value, at: pair.key.location, valueIsPlain: isPlain(pair.value)))
            }
            return LocatedList(out, at: node.location)
        case .sequence(let items):
            var out: [Tag] = []
            for item in items {
                guard let pairs = item.mapping else {
                    error(ShapeRule.wrongType, "each item of 'Tags' must be a mapping with 'Key' and 'Value', found \(item.kindDescription)", item.location)
                    continue
                }
                var key: Located<String>?, value: Located<String>?
                var plain = false
                for pair in pairs {
                    guard let name = keyText(pair.key) else { continue }
                    switch TagMember(rawValue: name) {
                    case .key: key = string(pair.value, "Key")
                    case .value: value = string(pair.value, "Value"); plain = isPlain(pair.value)
                    case nil: unknownKey(name, at: pair.key.location, candidates: TagMember.allCases.map(\.rawValue), context: "tag member")
                    }
                }
                if key == nil, !pairs.contains(where: { $0.key.scalar?.text == "Key" }) {
                    error(ShapeRule.missingKey, "missing required key 'Key' in tag", item.location)
                }
                if value == nil, !pairs.contains(where: { $0.key.scalar?.text == "Value" }) {
                    error(ShapeRule.missingKey, "missing required key 'Value' in tag", item.location)
                }
                if let key, let value { out.append(Tag(key: key, value: value, at: item.location, valueIsPlain: plain)) }
            }
            return LocatedList(out, at: node.location)
        case .scalar:
            error(ShapeRule.wrongType, "'Tags' must be a mapping of key: value or a list of {Key, Value}, found \(node.kindDescription)", node.location)
            return nil
        }
    }

    // MARK: - Provisioning parameters

    /// `ProvisioningParameters` in map form (`Key: value` or `Key: {Value, UsePreviousValue}`)
    /// or the API's list form (`[{Key, Value, UsePreviousValue}]`).
    mutating func parameters(_ node: Node) -> LocatedList<ProvisioningParameter>? {
        if node.isReported { return nil }
        switch node.value {
        case .mapping(let pairs):
            var out: [ProvisioningParameter] = []
            out.reserveCapacity(pairs.count)
            for pair in pairs {
                guard let name = keyText(pair.key) else { continue }
                let key = Located(name, at: pair.key.location)
                if pair.value.mapping != nil {
                    if let p = parameterBody(pair.value, key: key, needsKey: false) { out.append(p) }
                } else if let value = string(pair.value, "ProvisioningParameters.\(name)") {
                    out.append(ProvisioningParameter(key: key, value: value, usePreviousValue: nil, at: pair.key.location, valueIsPlain: isPlain(pair.value)))
                }
            }
            return LocatedList(out, at: node.location)
        case .sequence(let items):
            var out: [ProvisioningParameter] = []
            for item in items {
                guard item.mapping != nil else {
                    error(ShapeRule.wrongType, "each item of 'ProvisioningParameters' must be a mapping with 'Key', found \(item.kindDescription)", item.location)
                    continue
                }
                if let p = parameterBody(item, key: nil, needsKey: true) { out.append(p) }
            }
            return LocatedList(out, at: node.location)
        case .scalar:
            error(ShapeRule.wrongType, "'ProvisioningParameters' must be a mapping of key: value or a list of {Key, Value}, found \(node.kindDescription)", node.location)
            return nil
        }
    }

    mutating func parameterBody(_ node: Node, key given: Located<String>?, needsKey: Bool) -> ProvisioningParameter? {
        var key = given
        var value: Located<String>?
        var usePrevious: Located<Bool>?
        var sawKey = false
        var plain = false
        for pair in node.mapping ?? [] {
            guard let name = keyText(pair.key) else { continue }
            guard let member = ParameterMember(rawValue: name), needsKey || member != .key else {
                let allowed: [ParameterMember] = needsKey ? ParameterMember.allCases : [.value, .usePreviousValue]
                unknownKey(name, at: pair.key.location, candidates: allowed.map(\.rawValue), context: "parameter member")
                continue
            }
            switch member {
            case .key: sawKey = true; key = string(pair.value, "Key")
            case .value: value = string(pair.value, "Value"); plain = isPlain(pair.value)
            case .usePreviousValue: usePrevious = bool(pair.value, "UsePreviousValue")
            }
        }
        if needsKey, !sawKey {
            error(ShapeRule.missingKey, "missing required key 'Key' in provisioning parameter", node.location)
        }
        guard let key else { return nil }
        return ProvisioningParameter(key: key, value: value, usePreviousValue: usePrevious, at: needsKey ? node.location : key.location, valueIsPlain: plain)
    }

    // MARK: - Unknown keys

    mutating func unknownKey(_ name: String, at: SourceLocation, candidates: [String], context: String) {
        var message = "unknown \(context) \(quoted(name))"
        if let best = suggestion(for: name, among: candidates) {
            message += " (did you mean '\(best)'?)"
        } else {
            message += "; expected one of \(candidates.joined(separator: ", "))"
        }
        error(ShapeRule.unknownKey, message, at)
    }
}

/// The closest candidate by case-insensitive edit distance, if close enough to be a typo.
func suggestion(for name: String, among candidates: [String]) -> String? {
    let lower = Array(name.lowercased().unicodeScalars)
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(lower, Array(c.lowercased().unicodeScalars))
        if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = max(2, min(lower.count, candidate.count) / 3)
    return distance <= limit ? candidate : nil
}

func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
