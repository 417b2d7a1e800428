/// A position in a source file: 1-based line and column.
///
/// Columns count Unicode characters (scalars), as libyaml does, so a caret drawn under
/// the source line lines up for non-ASCII text too. libyaml's 0-based marks are converted
/// once, where events are read (`YAMLParser`).
///
/// Stored in 32 bits each (files are at most a few MiB), so the locations on every node and
/// value of a large run take half the memory.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    private var storedLine: UInt32
    private var storedColumn: UInt32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    public static let start = SourceLocation(line: 1, column: 1)

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        a.storedLine != b.storedLine ? a.storedLine < b.storedLine : a.storedColumn < b.storedColumn
    }

    public var description: String { "\(line):\(column)" }
}
