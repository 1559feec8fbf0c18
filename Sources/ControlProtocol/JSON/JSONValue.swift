/// A JSON value as it appeared on the wire.
///
/// Numbers keep their literal text: amounts such as `"861.85"` or `12345678901234567890.123456` must reach the
/// money code digit for digit, and a trip through `Double` would silently round them. Objects keep member order,
/// so a document serialized back reads like the one that came in and error paths are stable.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, exactly as written (`-0.50`, `1e3`). Must be a valid JSON number literal when built
    /// in code, since `serialized()` writes it unchanged.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A number from an integer, for building responses in code.
    public static func number(_ int: Int) -> JSONValue { .number(String(int)) }

    public init(_ int: Int) { self = .number(String(int)) }
}

/// One `"key": value` pair of an object.
///
/// `line` is the 1-based source line of the key, so validators can point at the offending line of an import
/// document; it is 0 for values built in code. It is not part of equality: the same document parsed from
/// differently formatted text is the same value.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public var line: Int

    public init(key: String, value: JSONValue, line: Int = 0) {
        self.key = key
        self.value = value
        self.line = line
    }

    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }
}

// MARK: - Literals (so tests and responses can be written as Swift literals)

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Keeps the literal's order (a dictionary literal is an ordered list of pairs until it becomes a Dictionary).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember(key: $0.0, value: $0.1) })
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The value of the first member named `key`, or nil when absent or when this is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The element at `index`, or nil when out of range or when this is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// An `Int` only for integer literals (no fraction, no exponent) that fit; `1.0` and `1e2` are not integers
    /// here, because the caller asked for an exact count, not a converted measurement.
    public var intValue: Int? {
        guard case .number(let literal) = self,
            !literal.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        else { return nil }
        return Int(literal)
    }

    /// The literal text of a number.
    public var numberLiteral: String? {
        if case .number(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { serialized() }
}
