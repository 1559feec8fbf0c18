import BillingDomain

/// A strict RFC 8259 parser working on bytes.
///
/// Strict because the import document carries money: a lenient parser that accepts `01.5`, trailing commas or
/// duplicate keys leaves the reader guessing what the sender meant. Every refusal is a `BillingError` whose message
/// names line and column. The parser is iterative (an explicit container stack), so no input can exhaust the stack.
public enum JSONParser {
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .init()) throws -> JSONValue {
        // Check the size before copying anything: a non-contiguous collection would otherwise be copied first.
        guard bytes.count <= limits.maxBytes else {
            throw BillingError(.documentTooLarge, "document is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        if let value = try bytes.withContiguousStorageIfAvailable({ try parse(buffer: $0, limits: limits) }) {
            return value
        }
        return try Array(bytes).withUnsafeBufferPointer { try parse(buffer: $0, limits: limits) }
    }

    public static func parse(_ text: String, limits: JSONLimits = .init()) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse(buffer: $0, limits: limits) }
    }

    public static func parse(buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits = .init()) throws -> JSONValue {
        guard buffer.count <= limits.maxBytes else {
            throw BillingError(.documentTooLarge, "document is \(buffer.count) bytes; the limit is \(limits.maxBytes)")
        }
        if let bad = UTF8Validator.firstInvalidOffset(in: buffer) {
            let (line, column) = UTF8Validator.lineAndColumn(of: bad, in: buffer)
            throw BillingError(
                .invalidEncoding,
                "invalid UTF-8 at byte offset \(bad) (line \(line), column \(column)); the document must be UTF-8")
        }
        var reader = Reader(buffer: buffer, limits: limits)
        return try reader.parseDocument()
    }
}

// ASCII bytes the grammar cares about.
private let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/")
private let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":"), minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+")
private let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
private let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
private let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9"), dot = UInt8(ascii: ".")
private let lowerE = UInt8(ascii: "e"), upperE = UInt8(ascii: "E"), newline = UInt8(ascii: "\n")

/// An open array or object while its elements are being read.
private struct Frame {
    var isObject: Bool
    var items: [JSONValue] = []
    var members: [JSONMember] = []
    var key = ""  // the key whose value is being read
    var keyLine = 0
    var keySet: Set<String> = []  // only used once an object is large enough that a linear scan would cost more

    init(isObject: Bool) { self.isObject = isObject }

    var count: Int { isObject ? members.count : items.count }

    /// Records `key`, returning false when the object already has it.
    mutating func insertKey(_ key: String) -> Bool {
        if members.count < 16 { return !members.contains(where: { $0.key == key }) }
        if keySet.isEmpty { keySet = Set(members.map(\.key)) }
        return keySet.insert(key).inserted
    }
}

private struct Reader {
    let buf: UnsafeBufferPointer<UInt8>
    let end: Int
    let limits: JSONLimits
    var pos = 0
    var line = 1  // raw newlines can only occur in whitespace, so counting them there is enough
    var totalValues = 0

    init(buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.buf = buffer
        self.end = buffer.count
        self.limits = limits
    }

    // MARK: Errors

    func error(_ code: BillingError.Code, _ what: String, at offset: Int? = nil, field: String? = nil) -> BillingError {
        let (line, column) = UTF8Validator.lineAndColumn(of: offset ?? pos, in: buf)
        return BillingError(code, "\(what) at line \(line), column \(column)", field: field)
    }

    func endsEarly() -> BillingError {
        let (line, column) = UTF8Validator.lineAndColumn(of: end, in: buf)
        return BillingError(.invalidDocument, "document ends early at line \(line), column \(column)")
    }

    func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    func unexpected(_ expected: String) -> BillingError {
        pos < end ? error(.invalidDocument, "unexpected \(describe(buf[pos])), expected \(expected)") : endsEarly()
    }

    // MARK: Structure

    mutating func skipWhitespace() {
        while pos < end {
            switch buf[pos] {
            case 0x20, 0x09, 0x0D: pos &+= 1
            case newline: pos &+= 1; line &+= 1
            default: return
            }
        }
    }

    mutating func countValue() throws {
        totalValues &+= 1
        if totalValues > limits.maxTotalValues {
            throw error(.tooManyItems, "document holds more than \(limits.maxTotalValues) values")
        }
    }

    mutating func parseDocument() throws -> JSONValue {
        if end >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { pos = 3 }  // a UTF-8 BOM is tolerated
        var stack: [Frame] = []
        var value: JSONValue
        parsing: while true {
            skipWhitespace()
            guard pos < end else { throw endsEarly() }
            try countValue()
            let byte = buf[pos]
            switch byte {
            case openBrace, openBracket:
                guard stack.count < limits.maxDepth else {
                    throw error(.invalidDocument, "containers nested deeper than \(limits.maxDepth) levels")
                }
                pos &+= 1
                skipWhitespace()
                let isObject = byte == openBrace
                if pos < end && buf[pos] == (isObject ? closeBrace : closeBracket) {
                    pos &+= 1
                    value = isObject ? .object([]) : .array([])
                } else {
                    var frame = Frame(isObject: isObject)
                    if isObject { try readKey(into: &frame) }
                    stack.append(frame)
                    continue parsing
                }
            case quote: value = .string(try parseString(maxBytes: stringLimit(in: stack)))
            case UInt8(ascii: "t"): try expectLiteral("true"); value = .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); value = .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); value = .null
            case minus, zero...nine: value = .number(try parseNumber())
            case plus: throw error(.invalidDocument, "a number must not start with '+'")
            default: throw unexpected("a value")
            }

            // A value is complete: hand it to the enclosing container, closing as many containers as end here.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard pos == end else { throw error(.invalidDocument, "unexpected \(describe(buf[pos])) after the document") }
                    return value
                }
                let top = stack.count - 1
                let isObject = stack[top].isObject
                if isObject {
                    stack[top].members.append(JSONMember(key: stack[top].key, value: value, line: stack[top].keyLine))
                } else {
                    stack[top].items.append(value)
                }
                if stack[top].count > limits.maxContainerItems {
                    throw error(.tooManyItems, "\(isObject ? "object" : "array") holds more than \(limits.maxContainerItems) items")
                }
                skipWhitespace()
                guard pos < end else { throw endsEarly() }
                let next = buf[pos]
                if next == comma {
                    pos &+= 1
                    skipWhitespace()
                    if isObject { try readKey(into: &stack[top]) }
                    else if pos < end && buf[pos] == closeBracket { throw error(.invalidDocument, "trailing comma in array") }
                    continue parsing
                } else if next == (isObject ? closeBrace : closeBracket) {
                    pos &+= 1
                    let frame = stack.removeLast()
                    value = isObject ? .object(frame.members) : .array(frame.items)
                } else {
                    throw unexpected(isObject ? "',' or '}'" : "',' or ']'")
                }
            }
        }
    }

    /// Reads `"key" :` into the frame, refusing duplicates: with two `"UnitPrice"` members it is not knowable
    /// which one the sender meant, and different readers would pick different ones.
    mutating func readKey(into frame: inout Frame) throws {
        guard pos < end else { throw endsEarly() }
        guard buf[pos] == quote else {
            if buf[pos] == closeBrace { throw error(.invalidDocument, "trailing comma in object") }
            throw unexpected("a member name in double quotes")
        }
        let keyStart = pos
        let key = try parseString()
        guard frame.insertKey(key) else {
            throw error(.invalidDocument, "duplicate member \"\(key)\"", at: keyStart, field: key)
        }
        frame.key = key
        frame.keyLine = line
        skipWhitespace()
        guard pos < end else { throw endsEarly() }
        guard buf[pos] == colon else { throw unexpected("':'") }
        pos &+= 1
    }

    // MARK: Scalars

    mutating func expectLiteral(_ word: StaticString) throws {
        let start = pos
        let count = word.utf8CodeUnitCount
        let text = word.utf8Start
        for k in 0..<count {
            guard pos < end else { throw endsEarly() }
            guard buf[pos] == text[k] else { throw error(.invalidDocument, "invalid literal (expected '\(word)')", at: start) }
            pos &+= 1
        }
    }

    /// Checks the RFC 8259 number grammar and returns the literal text unchanged.
    mutating func parseNumber() throws -> String {
        let start = pos
        if buf[pos] == minus { pos &+= 1 }
        guard pos < end else { throw endsEarly() }
        if buf[pos] == zero {
            pos &+= 1
            if pos < end && buf[pos] >= zero && buf[pos] <= nine {
                throw error(.invalidDocument, "leading zero in number", at: start)
            }
        } else if buf[pos] > zero && buf[pos] <= nine {
            try skipDigits()
        } else {
            throw unexpected("a digit")
        }
        if pos < end && buf[pos] == dot {
            pos &+= 1
            try skipDigits()
        }
        if pos < end && (buf[pos] == lowerE || buf[pos] == upperE) {
            pos &+= 1
            if pos < end && (buf[pos] == plus || buf[pos] == minus) { pos &+= 1 }
            try skipDigits()
        }
        guard pos - start <= limits.maxStringBytes else {
            throw error(.fieldTooLong, "number literal longer than \(limits.maxStringBytes) bytes", at: start)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<pos]), as: UTF8.self)
    }

    /// One or more digits.
    mutating func skipDigits() throws {
        guard pos < end else { throw endsEarly() }
        guard buf[pos] >= zero && buf[pos] <= nine else { throw unexpected("a digit") }
        repeat { pos &+= 1 } while pos < end && buf[pos] >= zero && buf[pos] <= nine
    }

    /// The longest string the value about to be read may be: `limits.longString` applies only at its own path.
    func stringLimit(in stack: [Frame]) -> Int {
        guard let long = limits.longString, stack.count == long.path.count,
              zip(stack, long.path).allSatisfy({ $0.isObject && $0.key == $1 }) else { return limits.maxStringBytes }
        return long.maxBytes
    }

    mutating func parseString(maxBytes: Int? = nil) throws -> String {
        let maxBytes = maxBytes ?? limits.maxStringBytes
        let start = pos
        pos &+= 1
        let contentStart = pos
        // Fast path: no escapes, so the bytes (already validated UTF-8) become the string directly.
        while pos < end {
            let b = buf[pos]
            if b == quote {
                try checkLength(pos - contentStart, start: start, maxBytes: maxBytes)
                let s = String(decoding: UnsafeBufferPointer(rebasing: buf[contentStart..<pos]), as: UTF8.self)
                pos &+= 1
                return s
            }
            if b == backslash { break }
            if b < 0x20 { throw controlCharacter(b) }
            pos &+= 1
        }
        guard pos < end else { throw endsEarly() }

        var out: [UInt8] = []
        out.reserveCapacity(pos - contentStart + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[contentStart..<pos]))
        while true {
            guard pos < end else { throw endsEarly() }
            let b = buf[pos]
            if b == quote {
                pos &+= 1
                break
            }
            if b < 0x20 { throw controlCharacter(b) }
            if b != backslash {
                out.append(b)
                pos &+= 1
                continue
            }
            let escapeStart = pos
            pos &+= 1
            guard pos < end else { throw endsEarly() }
            let e = buf[pos]
            pos &+= 1
            switch e {
            case quote, backslash, slash: out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate must be followed by an escaped low surrogate; together they are one scalar.
                    guard pos + 1 < end, buf[pos] == backslash, buf[pos + 1] == UInt8(ascii: "u") else {
                        if pos >= end || (buf[pos] == backslash && pos + 1 >= end) { throw endsEarly() }
                        throw error(.invalidDocument, "unpaired surrogate \\u\(hex(scalar)) in string", at: escapeStart)
                    }
                    pos &+= 2
                    let low = try readHex4()
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw error(.invalidDocument, "unpaired surrogate \\u\(hex(scalar)) in string", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw error(.invalidDocument, "unpaired surrogate \\u\(hex(scalar)) in string", at: escapeStart)
                }
                appendUTF8(scalar, to: &out)
            default:
                throw error(.invalidDocument, "invalid escape \\\(describe(e).trimmingQuotes) in string", at: escapeStart)
            }
            if out.count > maxBytes { try checkLength(out.count, start: start, maxBytes: maxBytes) }
        }
        try checkLength(out.count, start: start, maxBytes: maxBytes)
        return String(decoding: out, as: UTF8.self)
    }

    func checkLength(_ length: Int, start: Int, maxBytes: Int) throws {
        guard length <= maxBytes else {
            throw error(.fieldTooLong, "string longer than \(maxBytes) bytes", at: start)
        }
    }

    func controlCharacter(_ b: UInt8) -> BillingError {
        error(.invalidDocument, "raw control character U+\(hex(UInt32(b))) in string (it must be escaped)")
    }

    func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    mutating func readHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard pos < end else { throw endsEarly() }
            let b = buf[pos]
            let digit: UInt8
            switch b {
            case zero...nine: digit = b - zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw unexpected("a hexadecimal digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            pos &+= 1
        }
        return value
    }

    func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

extension String {
    fileprivate var trimmingQuotes: String { filter { $0 != "'" } }
}
