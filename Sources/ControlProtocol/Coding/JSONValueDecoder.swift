import BillingDomain

/// Decodes `Decodable` values from a `JSONValue` the strict parser produced (duplicate keys already refused, with
/// line and column), so typed control messages keep the parser's guarantees.
///
/// Every refusal is a `BillingError` with `code`, a sentence and the field path (`invoices[0].totals.incVat`).
/// Requests and answers differ in two rules:
/// - an optional field may be left out of a request, but an answer must name every field, null or not, so a field
///   renamed on one side fails decoding instead of reading as absent;
/// - a request with a field the command does not know is refused (a misspelt option must not be ignored), while an
///   answer may carry fields a client does not read yet.
public struct JSONValueDecoder: Sendable {
    public var code: BillingError.Code
    /// How a field is called in refusals: "Argument" for requests, "Field" for answers.
    public var noun: String
    public var optionalFieldsMayBeAbsent: Bool
    public var refusesUnknownFields: Bool

    public init(code: BillingError.Code, noun: String, optionalFieldsMayBeAbsent: Bool, refusesUnknownFields: Bool) {
        self.code = code
        self.noun = noun
        self.optionalFieldsMayBeAbsent = optionalFieldsMayBeAbsent
        self.refusesUnknownFields = refusesUnknownFields
    }

    /// For a request's `args`: the daemon's side.
    public static let requests = JSONValueDecoder(
        code: .invalidRequest, noun: "Argument", optionalFieldsMayBeAbsent: true, refusesUnknownFields: true)

    /// For the daemon's answers: billingctl's side.
    public static let answers = JSONValueDecoder(
        code: .invalidAnswer, noun: "Field", optionalFieldsMayBeAbsent: false, refusesUnknownFields: false)

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let usage = FieldUsage()
        let decoded = try ValueDecoder(value: value, codingPath: [], options: self, usage: usage).decode(T.self)
        if refusesUnknownFields, let unknown = usage.firstUnknown() {
            throw BillingError(code, "\(noun) '\(unknown)' is not one this command takes.", field: unknown)
        }
        return decoded
    }

    func refusal(_ message: String, _ path: [any CodingKey]) -> BillingError {
        let field = fieldPath(path)
        return BillingError(code, "\(noun) '\(field)' \(message).", field: field.isEmpty ? nil : field)
    }
}

/// The members of each object a container was opened on, and which of them were read: what is left over was not
/// asked for by the type, hence unknown to it.
final class FieldUsage {
    private var objects: [(path: String, keys: [String])] = []
    private var read: Set<String> = []

    func opened(_ path: String, keys: [String]) { objects.append((path, keys)) }
    func read(_ path: String) { read.insert(path) }

    func firstUnknown() -> String? {
        for object in objects {
            for key in object.keys {
                let path = object.path.isEmpty ? key : object.path + "." + key
                if !read.contains(path) { return path }
            }
        }
        return nil
    }
}

func kind(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "true or false"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
}

struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder
    let usage: FieldUsage
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw options.refusal("must be an object, not \(kind(value))", codingPath)
        }
        usage.opened(fieldPath(codingPath), keys: members.map(\.key))
        return KeyedDecodingContainer(KeyedValueContainer<Key>(
            members: members, codingPath: codingPath, options: options, usage: usage))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw options.refusal("must be an array, not \(kind(value))", codingPath)
        }
        return UnkeyedValueContainer(items: items, codingPath: codingPath, options: options, usage: usage)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }
}

struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value.isNull }

    private func wrongType(_ expected: String) -> BillingError {
        decoder.options.refusal("must be \(expected), not \(kind(decoder.value))", codingPath)
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let flag = decoder.value.boolValue else { throw wrongType("true or false") }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard let text = decoder.value.stringValue else { throw wrongType("a string") }
        return text
    }

    // The control protocol carries no floating point: amounts, rates and quantities travel as decimal strings, so
    // no figure is ever rounded in transit. A message type with a floating-point field fails here, loudly.
    func decode(_ type: Double.Type) throws -> Double { throw wrongType("a decimal string (no floating point)") }

    func decode(_ type: Float.Type) throws -> Float { throw wrongType("a decimal string (no floating point)") }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let literal = decoder.value.numberLiteral else { throw wrongType("a whole number") }
        guard let number = T(literal) else {
            throw decoder.options.refusal("must be a whole number from \(T.min) to \(T.max), not \(literal.prefix(40))", codingPath)
        }
        return number
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(T.self) }
}

struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [JSONMember]
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder
    let usage: FieldUsage

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    private func member(_ key: Key) -> JSONValue? {
        usage.read(fieldPath(codingPath + [key]))
        return members.first(where: { $0.key == key.stringValue })?.value
    }

    func contains(_ key: Key) -> Bool { member(key) != nil }

    private func required(_ key: Key) throws -> JSONValue {
        guard let value = member(key) else { throw options.refusal("is required", codingPath + [key]) }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try required(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try required(key)
        // Null is a value for JSONValue and for an Optional asked for with `decode` (a generic wrapper's field):
        // present, and nil.
        if value.isNull, T.self != JSONValue.self, !(T.self is any NullAccepting.Type) {
            throw options.refusal("is required", codingPath + [key])
        }
        return try ValueDecoder(value: value, codingPath: codingPath + [key], options: options, usage: usage).decode(T.self)
    }

    /// Null is nil; an absent field is nil only where `optionalFieldsMayBeAbsent` (requests).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = member(key) else {
            if options.optionalFieldsMayBeAbsent { return nil }
            throw options.refusal("is required (null when it has no value)", codingPath + [key])
        }
        if value.isNull { return nil }
        return try ValueDecoder(value: value, codingPath: codingPath + [key], options: options, usage: usage).decode(T.self)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decodeIfPresent(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try required(key), codingPath: codingPath + [key], options: options, usage: usage)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try required(key), codingPath: codingPath + [key], options: options, usage: usage)
            .unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = AnyCodingKey(stringValue: "super")
        return ValueDecoder(
            value: members.first(where: { $0.key == "super" })?.value ?? .null, codingPath: codingPath + [key],
            options: options, usage: usage)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: member(key) ?? .null, codingPath: codingPath + [key], options: options, usage: usage)
    }
}

struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder
    let usage: FieldUsage
    var currentIndex = 0

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> ValueDecoder {
        let path = codingPath + [AnyCodingKey(intValue: currentIndex)]
        guard !isAtEnd else { throw options.refusal("has fewer items than expected", codingPath) }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], codingPath: path, options: options, usage: usage)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// The types for which JSON null is a value: `Optional`, whatever it wraps.
protocol NullAccepting {}
extension Optional: NullAccepting {}
