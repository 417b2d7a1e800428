/// A position in a source file: 1-based line and column.
///
/// Columns count Unicode characters (scalars), as libyaml does, so a caret drawn under
/// the source line lines up for non-ASCII text too. libyaml's 0-based marks are converted
/// once, where events are read (`YAMLParser`).
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let start = SourceLocation(line: 1, column: 1)

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        a.line != b.line ? a.line < b.line : a.column < b.column
    }

    public var description: String { "\(line):\(column)" }
}
