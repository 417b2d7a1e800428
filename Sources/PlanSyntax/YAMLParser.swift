internal import CYAML

/// One YAML document of a file. `root` is nil for an empty document (`---` alone).
public struct Document: Sendable {
    public var root: Node?
    /// Where the document starts (its `---`, or its first node).
    public var location: SourceLocation
    /// 0-based position of the document in its file.
    public var index: Int
}

/// The located tree of one file, plus every problem found while building it.
public struct YAMLFile: Sendable {
    public var documents: [Document]
    public var diagnostics: [Diagnostic]
    /// False when parsing stopped early (a syntax error or a limit): later documents, if
    /// any, were not read.
    public var complete: Bool
}

/// Bounds that keep hostile input from costing unbounded time or memory.
public struct ParseLimits: Sendable {
    /// Largest file read, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of mappings and sequences.
    public var maxDepth: Int
    /// Most nodes one document may expand to, aliases counted at their full size.
    public var maxNodes: Int

    public init(maxFileBytes: Int = 1 << 20, maxDepth: Int = 64, maxNodes: Int = 100_000) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    public static let `default` = ParseLimits()
}

/// Rule ids of the problems the front end reports. Documented with the other rules.
public enum SyntaxRule {
    public static let yamlSyntax = "PC0001"
    public static let duplicateKey = "PC0002"
    public static let undefinedAlias = "PC0003"
    public static let inputLimit = "PC0004"
    public static let mergeKey = "PC0005"
    public static let noDocuments = "PC0006"
}

/// Parses YAML bytes with libyaml's event parser into located nodes.
///
/// All scalar styles, several documents, anchors, aliases and `<<` merge keys, CRLF and a
/// UTF-8 BOM are handled. Duplicate keys, undefined aliases and libyaml's own errors become
/// diagnostics at their marks; nothing here throws or traps on bad input.
public func parseYAML(_ bytes: [UInt8], file: String, limits: ParseLimits = .default) -> YAMLFile {
    if bytes.count > limits.maxFileBytes {
        return YAMLFile(
            documents: [],
            diagnostics: [Diagnostic(.error, SyntaxRule.inputLimit,
                                     "file is \(bytes.count) bytes, larger than the limit of \(limits.maxFileBytes) bytes",
                                     file: file, at: .start)],
            complete: false)
    }
    // A UTF-8 byte order mark is not content. (libyaml would skip it only when left to detect
    // the encoding itself, which would also let UTF-16 through.)
    let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    var builder = TreeBuilder(file: file, bytes: hasBOM ? Array(bytes[3...]) : bytes, limits: limits)
    return builder.run()
}

private struct Frame {
    var isMapping: Bool
    var location: SourceLocation
    var anchor: String?
    /// Where this collection's children start in the builder's shared `items`.
    var start: Int
    var size: Int = 1
}

private struct TreeBuilder {
    let file: String
    let bytes: [UInt8]
    let limits: ParseLimits
    var documents: [Document] = []
    var diagnostics: [Diagnostic] = []
    var stack: [Frame] = []
    /// The children of every open collection, innermost last: one buffer for the whole
    /// file instead of an array per collection.
    var items: [Node] = []
    var anchors: [String: (node: Node, size: Int)] = [:]
    var nodeCount = 0
    var documentStart = SourceLocation.start
    var root: Node?

    init(file: String, bytes: [UInt8], limits: ParseLimits) {
        self.file = file
        self.bytes = bytes
        self.limits = limits
        items.reserveCapacity(64)
    }

    mutating func run() -> YAMLFile {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            return YAMLFile(documents: [], diagnostics: [error(SyntaxRule.yamlSyntax, "libyaml could not allocate a parser", .start)], complete: false)
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)

        let complete: Bool = bytes.withUnsafeBufferPointer { buffer in
            // libyaml reads from the pointer; an empty array has no base address.
            var empty: UInt8 = 0
            let base = buffer.baseAddress ?? withUnsafePointer(to: &empty) { $0 }
            yaml_parser_set_input_string(parser, base, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    diagnostics.append(syntaxError(parser.pointee))
                    return false
                }
                let keepGoing = handle(&event)
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if !keepGoing { return false }
                if done { return true }
            }
        }
        if documents.isEmpty && complete && diagnostics.isEmpty {
            diagnostics.append(Diagnostic(.warning, SyntaxRule.noDocuments, "file has no YAML documents", file: file, at: .start))
        }
        return YAMLFile(documents: documents, diagnostics: diagnostics, complete: complete)
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func error(_ rule: String, _ message: String, _ at: SourceLocation) -> Diagnostic {
        Diagnostic(.error, rule, message, file: file, at: at)
    }

    /// Returns false to stop parsing (a limit was hit).
    mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = at
            anchors.removeAll(keepingCapacity: true)
            nodeCount = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            documents.append(Document(root: root, location: documentStart, index: documents.count))
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = string(s.value, Int(s.length))
            let style: Scalar.Style
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = s.tag.map { String(cString: $0) }
            let node = Node(.scalar(Scalar(text, style: style, tag: tag)), at: at)
            return add(node, size: 1, anchor: s.anchor.map { String(cString: $0) })
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let target = anchors[name] else {
                diagnostics.append(error(SyntaxRule.undefinedAlias, "alias '*\(name)' refers to no anchor '&\(name)' defined before it in this document", at))
                return add(Node(.scalar(Scalar("", style: .plain, tag: Scalar.reportedTag)), at: at), size: 1, anchor: nil)
            }
            return add(target.node, size: target.size, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            return open(isMapping: false, at: at, anchor: event.data.sequence_start.anchor.map { String(cString: $0) })
        case YAML_MAPPING_START_EVENT:
            return open(isMapping: true, at: at, anchor: event.data.mapping_start.anchor.map { String(cString: $0) })
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let node: Node
            if frame.isMapping {
                node = Node(.mapping(finishMapping(from: frame.start)), at: frame.location)
            } else {
                var list: [Node] = []
                list.reserveCapacity(items.count - frame.start)
                for i in frame.start..<items.count { list.append(take(i)) }
                node = Node(.sequence(list), at: frame.location)
            }
            items.removeLast(items.count - frame.start)
            nodeCount -= 1 // counted when opened
            return add(node, size: frame.size, anchor: frame.anchor)
        default:
            break
        }
        return true
    }

    func string(_ p: UnsafeMutablePointer<yaml_char_t>?, _ n: Int) -> String {
        guard let p, n > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    mutating func open(isMapping: Bool, at: SourceLocation, anchor: String?) -> Bool {
        if stack.count >= limits.maxDepth {
            diagnostics.append(error(SyntaxRule.inputLimit, "nesting is deeper than the limit of \(limits.maxDepth) levels", at))
            return false
        }
        nodeCount += 1
        stack.append(Frame(isMapping: isMapping, location: at, anchor: anchor, start: items.count))
        return true
    }

    /// Moves a child out of `items`, leaving a placeholder that costs nothing to drop.
    @inline(__always) mutating func take(_ i: Int) -> Node {
        var node = Node(.sequence([]), at: .start)
        swap(&node, &items[i])
        return node
    }

    mutating func add(_ node: consuming Node, size: Int, anchor: String?) -> Bool {
        nodeCount += size
        if nodeCount > limits.maxNodes {
            diagnostics.append(error(SyntaxRule.inputLimit,
                                     "document expands to more than \(limits.maxNodes) nodes through aliases (an alias bomb?)",
                                     node.location))
            return false
        }
        if let anchor { anchors[anchor] = (node, size) }
        if stack.isEmpty {
            root = node
        } else {
            items.append(node)
            stack[stack.count - 1].size += size
        }
        return true
    }

    /// Pairs keys with values, reports duplicate keys, and applies `<<` merge keys: keys
    /// written in the mapping win over merged ones, and earlier merge sources win over later.
    mutating func finishMapping(from start: Int) -> [Pair] {
        let count = items.count - start
        var pairs: [Pair] = []
        pairs.reserveCapacity(count / 2)
        var merges: [Node] = []
        // Keys already seen: a scan of `seen` (lengths compared first) for the usual handful,
        // a dictionary beyond.
        var index: [String: SourceLocation]? = count > 64 ? [:] : nil
        // The scalar keys kept so far, with their UTF-8 lengths for a cheap first compare.
        var seen: [(count: Int, text: String, location: SourceLocation)] = []
        if index == nil { seen.reserveCapacity(count / 2) }
        var i = start
        while i + 1 < items.count {
            // Moved out of the shared buffer (which is cut back right after), not copied.
            let key = take(i), value = take(i + 1)
            i += 2
            guard case .scalar(let s) = key.value else {
                pairs.append(Pair(key: key, value: value))
                continue
            }
            let n = s.text.utf8.count
            if n == 2, s.style == .plain, s.tag == nil, s.text == "<<" {
                merges.append(value)
                continue
            }
            var first: SourceLocation?
            if index != nil {
                first = index![s.text]
            } else {
                for k in seen where k.count == n && k.text == s.text {
                    first = k.location
                    break
                }
            }
            if let first {
                diagnostics.append(error(SyntaxRule.duplicateKey,
                                         "duplicate key \(quoted(s.text)) (first defined at \(first.line):\(first.column))",
                                         key.location))
                continue
            }
            if index != nil {
                index![s.text] = key.location
            } else {
                seen.append((n, s.text, key.location))
            }
            pairs.append(Pair(key: key, value: value))
        }
        guard !merges.isEmpty else { return pairs }
        var sources: [Node] = []
        for m in merges where !m.isReported {
            switch m.value {
            case .mapping: sources.append(m)
            case .sequence(let list):
                for item in list where !item.isReported {
                    if item.mapping != nil { sources.append(item) } else {
                        diagnostics.append(error(SyntaxRule.mergeKey, "merge key '<<' takes a mapping or a list of mappings, found \(item.kindDescription) in the list", item.location))
                    }
                }
            case .scalar:
                diagnostics.append(error(SyntaxRule.mergeKey, "merge key '<<' takes a mapping or a list of mappings, found \(m.kindDescription)", m.location))
            }
        }
        if index == nil { index = Dictionary(pairs.compactMap { p in p.key.scalar.map { ($0.text, p.key.location) } }, uniquingKeysWith: { a, _ in a }) }
        for source in sources {
            for pair in source.mapping ?? [] {
                guard let s = pair.key.scalar else { pairs.append(pair); continue }
                if index![s.text] == nil {
                    index![s.text] = pair.key.location
                    pairs.append(pair)
                }
            }
        }
        return pairs
    }

    func syntaxError(_ p: yaml_parser_t) -> Diagnostic {
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem"
        if p.error == YAML_READER_ERROR {
            var offset = Int(p.problem_offset)
            // For a bad trailing octet libyaml points past the sequence's leading byte; point at it.
            if problem.contains("trailing") {
                var j = min(offset, bytes.count) - 1
                while j >= 0, j >= offset - 4, bytes[j] & 0xC0 == 0x80 { j -= 1 }
                if j >= 0, bytes[j] >= 0xC0 { offset = j }
            }
            let at = locate(byteOffset: offset)
            var message = problem
            if problem.contains("UTF-8") || problem.contains("octet") {
                message = "file is not valid UTF-8: \(problem)"
            } else if p.problem_value >= 0 {
                message += " (#x\(String(Int(p.problem_value), radix: 16)))"
            }
            return error(SyntaxRule.yamlSyntax, message, at)
        }
        if p.error == YAML_MEMORY_ERROR {
            return error(SyntaxRule.yamlSyntax, "libyaml ran out of memory", .start)
        }
        let at = location(p.problem_mark)
        let index = Int(p.problem_mark.index)
        if (index < bytes.count && bytes[index] == 0x09) || problem.contains("tab character") {
            return error(SyntaxRule.yamlSyntax, "tab character where YAML expects indentation or a token; indent with spaces", at)
        }
        var message = problem
        if let context = p.context.map({ String(cString: $0) }) {
            let cat = location(p.context_mark)
            message += " \(context)"
            if cat != at { message += " (started at \(cat.line):\(cat.column))" }
        }
        return error(SyntaxRule.yamlSyntax, "invalid YAML: \(message)", at)
    }

    /// Line and column (in characters) of a byte offset, for reader errors that have no mark.
    func locate(byteOffset: Int) -> SourceLocation {
        var line = 1, column = 1
        var i = 0
        let end = min(byteOffset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: line, column: column)
    }
}
