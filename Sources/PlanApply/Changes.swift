/// One `ResourceChange` of a plan.
public struct PlannedChange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case add, modify, replace, remove
    }
    /// ADD, MODIFY or REMOVE, as the service says.
    public var action: String
    public var logicalResourceId: String
    public var physicalResourceId: String?
    public var resourceType: String
    /// TRUE, FALSE or CONDITIONAL (MODIFY only).
    public var replacement: String?
    /// The attributes or properties that change (details' target names, "Tags" for tags).
    public var changedNames: [String]

    public init(action: String, logicalResourceId: String, physicalResourceId: String? = nil, resourceType: String,
                replacement: String? = nil, changedNames: [String] = []) {
        self.action = action
        self.logicalResourceId = logicalResourceId
        self.physicalResourceId = physicalResourceId
        self.resourceType = resourceType
        self.replacement = replacement
        self.changedNames = changedNames
    }

    /// add (ADD), remove (REMOVE), replace (MODIFY with Replacement TRUE), modify (any
    /// other MODIFY, including a CONDITIONAL replacement).
    public var kind: Kind {
        switch action.uppercased() {
        case "ADD": return .add
        case "REMOVE": return .remove
        default: return replacement?.uppercased() == "TRUE" ? .replace : .modify
        }
    }

    public var mayBeReplaced: Bool { kind == .modify && replacement?.uppercased() == "CONDITIONAL" }

    /// Reads a `ResourceChange` object; nil when it has no logical id or action.
    public init?(json: ResponseJSON) {
        guard let action = json["Action"]?.string, let logical = json["LogicalResourceId"]?.string else { return nil }
        var names: [String] = []
        for detail in json["Details"]?.array ?? [] {
            guard let target = detail["Target"] else { continue }
            let name: String?
            if target["Attribute"]?.string == "TAGS" {
                name = "Tags"
            } else {
                name = target["Name"]?.string ?? target["Attribute"]?.string
            }
            if let name, !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        self.init(action: action, logicalResourceId: logical, physicalResourceId: json["PhysicalResourceId"]?.string,
                  resourceType: json["ResourceType"]?.string ?? "", replacement: json["Replacement"]?.string,
                  changedNames: names)
    }

    /// One line of a Terraform-like plan: `  + TYPE LOGICAL-ID`, `  ~ …`, `-/+ …`, `  - …`,
    /// with the changed names and the replacement note in parentheses.
    public var rendered: String {
        let marker: String
        switch kind {
        case .add: marker = "  +"
        case .modify: marker = "  ~"
        case .replace: marker = "-/+"
        case .remove: marker = "  -"
        }
        var line = "\(marker) \(resourceType.isEmpty ? "(unknown type)" : resourceType) \(logicalResourceId)"
        var notes: [String] = []
        if !changedNames.isEmpty { notes.append(changedNames.joined(separator: ", ")) }
        if kind == .replace { notes.append("forces replacement") }
        if mayBeReplaced { notes.append("may force replacement") }
        if !notes.isEmpty { line += " (" + notes.joined(separator: "; ") + ")" }
        return line
    }
}

/// How many resources a plan adds, modifies, replaces and removes.
public struct ChangeCounts: Sendable, Equatable {
    public var add = 0
    public var modify = 0
    public var replace = 0
    public var remove = 0
    public init(add: Int = 0, modify: Int = 0, replace: Int = 0, remove: Int = 0) {
        self.add = add
        self.modify = modify
        self.replace = replace
        self.remove = remove
    }
    public init(_ changes: [PlannedChange]) {
        for c in changes {
            switch c.kind {
            case .add: add += 1
            case .modify: modify += 1
            case .replace: replace += 1
            case .remove: remove += 1
            }
        }
    }
    public static func + (a: ChangeCounts, b: ChangeCounts) -> ChangeCounts {
        ChangeCounts(add: a.add + b.add, modify: a.modify + b.modify, replace: a.replace + b.replace, remove: a.remove + b.remove)
    }
    public var total: Int { add + modify + replace + remove }
    /// `+6 ~2 -/+1 -0` (replacements only when there are any).
    public var compact: String {
        "+\(add) ~\(modify)" + (replace > 0 ? " -/+\(replace)" : "") + " -\(remove)"
    }
    /// `6 to add, 2 to change, 1 to replace, 0 to remove`.
    public var sentence: String {
        "\(add) to add, \(modify) to change, \(replace) to replace, \(remove) to remove"
    }
}

/// The messages with which AWS fails a plan (CREATE_FAILED) that would change nothing.
public let noChangeMessages: [String] = [
    "No updates are to be performed.",
    "The submitted information didn't contain changes. Submit different information to create a change set.",
]

/// Whether a CREATE_FAILED status message means "no change". Compares without surrounding
/// whitespace and also accepts the message inside a longer text.
public func isNoChangeMessage(_ message: String?) -> Bool {
    guard let message = message?.trimmingWhitespace(), !message.isEmpty else { return false }
    return noChangeMessages.contains { message == $0 || message.contains($0) }
}
