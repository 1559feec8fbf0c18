/// A `JSONValue` field in a typed message passes through `JSONValueEncoder` and `JSONValueDecoder` as it is
/// (number literals and member order intact); this conformance is for other coders, which see numbers as `Int`
/// only: a number that is not a whole one is refused rather than rounded through floating point.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            self = .object(try keyed.allKeys.map { JSONMember(key: $0.stringValue, value: try keyed.decode(JSONValue.self, forKey: $0)) })
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !unkeyed.isAtEnd { items.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? single.decode(Int.self) {
            self = .number(String(number))
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let flag):
            var single = encoder.singleValueContainer()
            try single.encode(flag)
        case .number(let literal):
            var single = encoder.singleValueContainer()
            guard let number = Int(literal) else {
                throw EncodingError.invalidValue(literal, .init(
                    codingPath: encoder.codingPath,
                    debugDescription: "\(literal) is not a whole number; only JSONValueEncoder writes it exactly."))
            }
            try single.encode(number)
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .array(let items):
            var unkeyed = encoder.unkeyedContainer()
            for item in items { try unkeyed.encode(item) }
        case .object(let members):
            var keyed = encoder.container(keyedBy: AnyCodingKey.self)
            for member in members { try keyed.encode(member.value, forKey: AnyCodingKey(stringValue: member.key)) }
        }
    }
}
