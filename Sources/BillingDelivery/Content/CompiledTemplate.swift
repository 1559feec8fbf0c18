/// A Mustache template parsed once into nodes that render straight from a `TemplateValue`: no dynamic casts, no
/// reflection, no `String(describing:)` per tag. It covers what message templates use (variables, sections,
/// inverted sections, comments and the `CONTENT_TYPE` pragma) and follows swift-mustache's parser rule for rule,
/// standalone lines included, so both give the same text (a list or a group printed as a variable, which is
/// Swift's debug text there, is empty here). A template with anything else (partials, changed delimiters,
/// inheritance, transforms) is not compiled: `init` returns nil and swift-mustache renders it.
struct CompiledTemplate: Sendable {
    /// A tag's name, split at its dots. `.` (and an empty name) is the current value; a name with a leading dot is
    /// looked up in the current value only, others up the stack of sections.
    struct Name: Sendable, Equatable {
        var parts: [String]
        var currentOnly: Bool

        init(_ text: String) {
            parts = text.split(separator: ".").map(String.init)
            currentOnly = text.first == "."
        }
    }

    indirect enum Node: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, inverted: Bool, [Node])
        case contentType(html: Bool)
    }

    let nodes: [Node]

    /// Compiles `source`; nil when it uses something only swift-mustache renders, or does not parse (swift-mustache
    /// then reports the error).
    init?(_ source: String) {
        var scanner = TemplateScanner(Array(source))
        guard let nodes = try? Self.parse(&scanner, newLine: true, section: nil) else { return nil }
        self.nodes = nodes
    }

    /// The text for `value`, HTML-escaped until a `CONTENT_TYPE: TEXT` pragma says otherwise.
    func render(_ value: TemplateValue) -> String {
        var out = ""
        var stack = [value]
        Self.render(nodes, stack: &stack, html: true, into: &out)
        return out
    }

    // MARK: Rendering

    private static func render(_ nodes: [Node], stack: inout [TemplateValue], html: Bool, into out: inout String) {
        var html = html
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .contentType(let isHTML):
                html = isHTML
            case .variable(let name, let escaped):
                guard let value = lookUp(name, in: stack) else { continue }
                let text = value.printed
                if escaped && html { appendEscaped(text, to: &out) } else { out += text }
            case .section(let name, let inverted, let body):
                let value = lookUp(name, in: stack)
                switch (value, inverted) {
                case (.list(let items)?, false):
                    for item in items {
                        stack.append(item)
                        render(body, stack: &stack, html: html, into: &out)
                        stack.removeLast()
                    }
                case (.list(let items)?, true):
                    if items.isEmpty { render(body, stack: &stack, html: html, into: &out) }
                case (let value?, false):
                    stack.append(value)
                    render(body, stack: &stack, html: html, into: &out)
                    stack.removeLast()
                case (.some, true):
                    break
                case (nil, false):
                    break
                case (nil, true):
                    render(body, stack: &stack, html: html, into: &out)
                }
            }
        }
    }

    /// swift-mustache's lookup: the first part in the innermost value that has it, the rest below that value only.
    private static func lookUp(_ name: Name, in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = name.parts.first else { return stack.last }
        var found: TemplateValue?
        if name.currentOnly {
            found = stack.last?.child(first)
        } else {
            for value in stack.reversed() {
                if let child = value.child(first) {
                    found = child
                    break
                }
            }
        }
        for part in name.parts.dropFirst() {
            found = found?.child(part)
        }
        return found
    }

    /// The five characters swift-mustache escapes in HTML.
    private static func appendEscaped(_ text: String, to out: inout String) {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
            out += text
            return
        }
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
    }

    // MARK: Parsing (swift-mustache 2's Template+Parser, for the tags compiled here)

    private struct Unsupported: Error {}

    private static let nameCharacters = Set<Character>(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")

    private static func parse(_ scanner: inout TemplateScanner, newLine startsOnNewLine: Bool, section: String?) throws -> [Node] {
        var nodes: [Node] = []
        var newLine = startsOnNewLine
        var whiteSpaceBefore = ""
        while !scanner.atEnd {
            if newLine { whiteSpaceBefore = scanner.read { $0 == " " || $0 == "\t" } }
            let (text, tag) = try scanner.readUntilTagOrNewline()
            if !tag, scanner.current.isNewline {
                nodes.append(.text(whiteSpaceBefore + text + String(scanner.current)))
                newLine = true
                scanner.advance()
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                newLine = false
            }
            if !tag { break }
            var setNewLine = false
            func flushWhiteSpace() {
                if !whiteSpaceBefore.isEmpty {
                    nodes.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = ""
                }
            }
            switch scanner.current {
            case "#", "^":
                let inverted = scanner.current == "^"
                scanner.advance()
                let name = try parseName(&scanner)
                if newLine && scanner.lineFinished() { setNewLine = true } else { flushWhiteSpace() }
                let body = try parse(&scanner, newLine: setNewLine, section: name)
                nodes.append(.section(Name(name), inverted: inverted, body))
            case "/":
                scanner.advance()
                guard try parseName(&scanner) == section else { throw Unsupported() }
                if !(newLine && scanner.lineFinished()) { flushWhiteSpace() }
                return nodes
            case "!":
                scanner.advance()
                try scanner.skipPast("}}")
                setNewLine = newLine && scanner.lineFinished()
            case "{":
                flushWhiteSpace()
                scanner.advance()
                let name = try parseName(&scanner)
                guard !scanner.atEnd, scanner.current == "}" else { throw Unsupported() }
                scanner.advance()
                nodes.append(.variable(Name(name), escaped: false))
            case "&":
                flushWhiteSpace()
                scanner.advance()
                nodes.append(.variable(Name(try parseName(&scanner)), escaped: false))
            case "%":
                scanner.advance()
                nodes.append(.contentType(html: try parseContentType(&scanner)))
                setNewLine = newLine && scanner.lineFinished()
            case ">", "=", "<", "$":
                throw Unsupported()
            default:
                flushWhiteSpace()
                nodes.append(.variable(Name(try parseName(&scanner)), escaped: true))
            }
            newLine = setNewLine
        }
        guard section == nil else { throw Unsupported() }
        return nodes
    }

    /// A tag's name up to `}}`; transforms (`name(…)`) are left to swift-mustache.
    private static func parseName(_ scanner: inout TemplateScanner) throws -> String {
        scanner.read { $0.isWhitespace }
        let name = scanner.read { nameCharacters.contains($0) }
        scanner.read { $0.isWhitespace }
        guard scanner.read("}}") else { throw Unsupported() }
        return name
    }

    /// `{{% CONTENT_TYPE: TEXT }}` or `HTML`; other pragmas are left to swift-mustache.
    private static func parseContentType(_ scanner: inout TemplateScanner) throws -> Bool {
        scanner.read { $0.isWhitespace }
        let variable = scanner.read { nameCharacters.contains($0) }
        scanner.read { $0.isWhitespace }
        guard variable == "CONTENT_TYPE", scanner.read(":") else { throw Unsupported() }
        scanner.read { $0.isWhitespace }
        let value = scanner.read { nameCharacters.contains($0) }
        scanner.read { $0.isWhitespace }
        guard scanner.read("}}"), value == "TEXT" || value == "HTML" else { throw Unsupported() }
        return value == "HTML"
    }
}

/// Characters of a template and a position in them.
private struct TemplateScanner {
    let characters: [Character]
    var position = 0

    init(_ characters: [Character]) { self.characters = characters }

    var atEnd: Bool { position >= characters.count }
    /// The current character, NUL at the end (as swift-mustache's parser).
    var current: Character { atEnd ? "\0" : characters[position] }

    mutating func advance() { position += 1 }

    @discardableResult
    mutating func read(while accepts: (Character) -> Bool) -> String {
        let start = position
        while !atEnd, accepts(characters[position]) { position += 1 }
        return String(characters[start..<position])
    }

    /// Reads `literal` if it comes next.
    mutating func read(_ literal: String) -> Bool {
        let wanted = Array(literal)
        guard position + wanted.count <= characters.count,
              characters[position..<position + wanted.count].elementsEqual(wanted) else { return false }
        position += wanted.count
        return true
    }

    mutating func skipPast(_ literal: String) throws {
        while !atEnd {
            if read(literal) { return }
            position += 1
        }
        throw CompiledTemplateEnd()
    }

    /// Text up to a newline (not read) or a `{{` (read: `tag` is true).
    mutating func readUntilTagOrNewline() throws -> (text: String, tag: Bool) {
        let start = position
        while !atEnd {
            let character = characters[position]
            if character.isNewline { break }
            if character == "{" {
                // swift-mustache fails on a "{" among the last two characters; so does this.
                guard position + 2 <= characters.count else { throw CompiledTemplateEnd() }
                if characters[position + 1] == "{" {
                    let text = String(characters[start..<position])
                    position += 2
                    // "{{" with nothing or a line end after it: leave the oddity to swift-mustache.
                    if atEnd || current.isNewline { throw CompiledTemplateEnd() }
                    return (text, true)
                }
            }
            position += 1
        }
        return (String(characters[start..<position]), false)
    }

    /// True, with the line end read, when only spaces and tabs are left on the line (or the text ends).
    mutating func lineFinished() -> Bool {
        if atEnd { return true }
        var probe = position
        while probe < characters.count, characters[probe] == " " || characters[probe] == "\t" { probe += 1 }
        if probe < characters.count, characters[probe].isNewline {
            position = probe + 1
            return true
        }
        return false
    }
}

private struct CompiledTemplateEnd: Error {}
