/// A node of the located YAML tree: a scalar, a mapping or a sequence, with the position
/// where the user wrote it. Aliases are already resolved and `<<` merge keys applied, so
/// later stages see plain data; merged values keep the location of their anchor.
public struct Node: Sendable {
    public enum Value: Sendable {
        case scalar(Scalar)
        case mapping([Pair])
        case sequence([Node])
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    public var scalar: Scalar? { if case .scalar(let s) = value { return s }; return nil }
    public var mapping: [Pair]? { if case .mapping(let m) = value { return m }; return nil }
    public var sequence: [Node]? { if case .sequence(let s) = value { return s }; return nil }
    /// True for a stand-in for input that was already reported (see `Scalar.reportedTag`).
    public var isReported: Bool { scalar?.isReported ?? false }

    /// What the node is, for messages: "a string", "a mapping", "a list", "null", ….
    public var kindDescription: String {
        switch value {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if s.isNull { return "null" }
            if s.isBool { return "a boolean" }
            return "a scalar"
        }
    }
}

public struct Pair: Sendable {
    public var key: Node
    public var value: Node
    public init(key: Node, value: Node) { self.key = key; self.value = value }
}

public struct Scalar: Sendable {
    public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    /// The scalar's value exactly as YAML defines it (escapes and folding applied), never
    /// re-typed: `010` stays `"010"`, `no` stays `"no"`.
    public var text: String
    public var style: Style
    /// An explicit tag such as `tag:yaml.org,2002:str`, if the user wrote one.
    public var tag: String?

    public init(_ text: String, style: Style = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }

    /// Marks a node that stands in for input already reported as broken (an undefined
    /// alias), so later stages skip it instead of reporting the same problem again.
    public static let reportedTag = "tag:plancc,2026:reported"
    public var isReported: Bool { tag == Scalar.reportedTag }

    static let strTag = "tag:yaml.org,2002:str"
    static let nullTag = "tag:yaml.org,2002:null"
    static let boolTag = "tag:yaml.org,2002:bool"

    /// Null in the YAML 1.2 core schema: an untagged plain `null`, `Null`, `NULL`, `~` or nothing.
    public var isNull: Bool {
        if let tag { return tag == Scalar.nullTag }
        // Most scalars are longer than any null spelling: decide on the length first.
        guard style == .plain, text.utf8.count <= 4 else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// A boolean: an untagged plain `true` or `false` (YAML 1.2 core; `yes`/`no` are strings).
    public var bool: Bool? {
        guard style == .plain, tag == nil || tag == Scalar.boolTag else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    public var isBool: Bool { bool != nil }
}
