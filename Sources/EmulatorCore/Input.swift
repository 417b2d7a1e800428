/// Typed access to a request body's members. A member of the wrong JSON type is a
/// `SerializationException` (the body cannot be read as the operation's input); a missing
/// required member is an `InvalidParametersException`.
struct Input {
    let members: [(String, JSON)]

    init(_ json: JSON) throws(ServiceError) {
        switch json {
        case .object(let m): members = m
        case .null: members = []
        default: throw .serialization("Start of structure or map expected; the request body must be a JSON object.")
        }
    }

    func raw(_ key: String) -> JSON? {
        guard let v = members.last(where: { $0.0 == key })?.1, !v.isNull else { return nil }
        return v
    }

    func string(_ key: String) throws(ServiceError) -> String? {
        guard let v = raw(key) else { return nil }
        guard let s = v.string else { throw .serialization("Expected a string for member \(key).") }
        return s
    }

    func required(_ key: String) throws(ServiceError) -> String {
        guard let s = try string(key) else { throw .invalidParameters("\(key) is required.") }
        if s.isEmpty { throw .invalidParameters("\(key) must not be empty.") }
        return s
    }

    func id(_ key: String, required: Bool = false) throws(ServiceError) -> String? {
        let v = try (required ? self.required(key) : string(key))
        if let v, !Validation.isId(v) {
            throw .invalidParameters("\(key) '\(v)' is not valid: it must be 1 to 100 letters, digits, '-' or '_'.")
        }
        return v
    }

    func bool(_ key: String) throws(ServiceError) -> Bool? {
        guard let v = raw(key) else { return nil }
        guard let b = v.bool else { throw .serialization("Expected a boolean for member \(key).") }
        return b
    }

    func int(_ key: String) throws(ServiceError) -> Int? {
        guard let v = raw(key) else { return nil }
        guard let n = v.int else { throw .serialization("Expected an integer for member \(key).") }
        return n
    }

    func list(_ key: String) throws(ServiceError) -> [JSON]? {
        guard let v = raw(key) else { return nil }
        guard let a = v.array else { throw .serialization("Expected a list for member \(key).") }
        return a
    }

    func object(_ key: String) throws(ServiceError) -> Input? {
        guard let v = raw(key) else { return nil }
        guard case .object = v else { throw .serialization("Expected a structure for member \(key).") }
        return try Input(v)
    }

    /// `PageSize` (0–20; 0 or absent means the default of 20) and `PageToken` (an offset).
    func page() throws(ServiceError) -> (size: Int, offset: Int) {
        let size = try int("PageSize") ?? 0
        guard size >= 0, size <= 20 else { throw .invalidParameters("PageSize must be between 0 and 20.") }
        var offset = 0
        if let token = try string("PageToken"), !token.isEmpty {
            guard let n = Int(token), n >= 0 else { throw .invalidParameters("The page token is not valid.") }
            offset = n
        }
        return (size == 0 ? 20 : size, offset)
    }
}

/// One page of `items` and the token for the next, if any.
func paged<T>(_ items: [T], size: Int, offset: Int) -> (page: ArraySlice<T>, next: String?) {
    let start = min(offset, items.count)
    let end = min(start + size, items.count)
    return (items[start..<end], end < items.count ? String(end) : nil)
}
