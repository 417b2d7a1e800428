import Crypto

/// The canonical `CreateProvisionedProductPlan` request of a spec: every member the user
/// wrote, `Tags` and `ProvisioningParameters` sorted by `Key` (UTF-16 order),
/// `NotificationArns` in written order, and an `IdempotencyToken` (the spec's own, or one
/// derived from the rest of the request). A pure function of the spec.
public struct CreateProvisionedProductPlanRequest: Sendable {
    public var json: JSONValue
    public var idempotencyToken: String
    /// True when the token was derived, false when the spec pinned it.
    public var tokenDerived: Bool
    public var provisionedProductName: String
    /// The canonical bytes of `json`: the request body.
    public var body: [UInt8]
}

/// Builds the request. Call only for a spec without errors: required members must be set.
public func renderRequest(_ spec: PlanSpec, tokenSalt: String = "") -> CreateProvisionedProductPlanRequest {
    var members: [(String, JSONValue)] = []
    func add(_ member: RequestMember, _ value: Located<String>?) {
        if let value { members.append((member.rawValue, .string(value.value))) }
    }
    add(.acceptLanguage, spec.acceptLanguage)
    if let arns = spec.notificationArns {
        members.append((RequestMember.notificationArns.rawValue, .array(arns.items.map { .string($0.value) })))
    }
    add(.pathId, spec.pathId)
    add(.planName, spec.planName)
    add(.planType, spec.planType)
    add(.productId, spec.productId)
    add(.provisionedProductName, spec.provisionedProductName)
    add(.provisioningArtifactId, spec.provisioningArtifactId)
    // Sorted by key through an index permutation: the items themselves are never moved.
    if let params = spec.provisioningParameters?.items {
        let order = keyOrder(params.count) { params[$0].key.value }
        members.append((RequestMember.provisioningParameters.rawValue, .array(order.map { i in
            let p = params[i]
            var fields: [(String, JSONValue)] = [("Key", .string(p.key.value))]
            if let u = p.usePreviousValue { fields.append(("UsePreviousValue", .bool(u.value))) }
            if let v = p.value { fields.append(("Value", .string(v.value))) }
            return .object(fields)
        })))
    }
    if let tags = spec.tags?.items {
        let order = keyOrder(tags.count) { tags[$0].key.value }
        members.append((RequestMember.tags.rawValue, .array(order.map { i in
            .object([("Key", .string(tags[i].key.value)), ("Value", .string(tags[i].value.value))])
        })))
    }
    // The request without its token is written once: it is what a derived token hashes, and
    // the body is the same bytes with the token member spliced in at its place in key order
    // (right after AcceptLanguage, or first).
    let withoutToken = JSONValue.object(members).canonicalBytes
    let token: String
    let derived: Bool
    if let pinned = spec.idempotencyToken {
        token = pinned.value
        derived = false
    } else {
        token = deriveIdempotencyToken(requestWithoutToken: withoutToken, salt: tokenSalt)
        derived = true
    }
    var tokenMember: [UInt8] = []
    writeJSONString(RequestMember.idempotencyToken.rawValue, into: &tokenMember)
    tokenMember.append(UInt8(ascii: ":"))
    writeJSONString(token, into: &tokenMember)
    // Where the token goes: after `{` and the AcceptLanguage member when there is one.
    var at = 1
    if let language = members.first, language.0 == RequestMember.acceptLanguage.rawValue {
        var first: [UInt8] = []
        writeJSONString(language.0, into: &first)
        first.append(UInt8(ascii: ":"))
        language.1.write(into: &first)
        at += first.count
    }
    var body: [UInt8] = []
    body.reserveCapacity(withoutToken.count + tokenMember.count + 2)
    body.append(contentsOf: withoutToken[..<at])
    if at > 1 { body.append(UInt8(ascii: ",")) }
    body.append(contentsOf: tokenMember)
    if withoutToken[at] != UInt8(ascii: "}") && at == 1 { body.append(UInt8(ascii: ",")) }
    body.append(contentsOf: withoutToken[at...])
    members.insert((RequestMember.idempotencyToken.rawValue, .string(token)), at: spec.acceptLanguage == nil ? 0 : 1)
    return CreateProvisionedProductPlanRequest(
        json: JSONValue.object(members), idempotencyToken: token, tokenDerived: derived,
        provisionedProductName: spec.provisionedProductName?.value ?? "", body: body)
}

/// `hex(SHA-256("plancc-token-v1\n" + salt + "\n" + canonical request without token))`:
/// 64 lowercase hex characters, which fits the model's `[a-zA-Z0-9][a-zA-Z0-9_-]*`, 1-128.
/// The same spec (and salt) always gives the same token; any change gives a new one.
public func deriveIdempotencyToken(requestWithoutToken: [UInt8], salt: String) -> String {
    var hasher = SHA256()
    hasher.update(data: Array("plancc-token-v1\n".utf8))
    hasher.update(data: Array(salt.utf8))
    hasher.update(data: [0x0A])
    hasher.update(data: requestWithoutToken)
    let digest = hasher.finalize()
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for b in digest {
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// The indices `0..<count` in the UTF-16 order of their keys; equal keys keep their order.
func keyOrder(_ count: Int, _ key: (Int) -> String) -> [Int] {
    let keys = (0..<count).map(key)
    var order = Array(0..<count)
    if count > 32 {
        order.sort { a, b in utf16Less(keys[a], keys[b]) || (!utf16Less(keys[b], keys[a]) && a < b) }
        return order
    }
    // Insertion sort for the usual short lists: stable, and a list already in order costs
    // one comparison per item.
    for i in 1..<max(1, count) {
        let current = order[i]
        var j = i
        while j > 0 && utf16Less(keys[current], keys[order[j - 1]]) {
            order[j] = order[j - 1]
            j -= 1
        }
        order[j] = current
    }
    return order
}
