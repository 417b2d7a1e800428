public import PlanSyntax

/// A value the user wrote, with where they wrote it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A list the user wrote, with where the list starts.
public struct LocatedList<Element: Sendable>: Sendable {
    public var items: [Element]
    public var location: SourceLocation
    public init(_ items: [Element], at location: SourceLocation) {
        self.items = items
        self.location = location
    }
}
