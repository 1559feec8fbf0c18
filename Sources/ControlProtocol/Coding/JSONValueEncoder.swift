/// Encodes `Encodable` values to a `JSONValue`, so typed control answers go out through the same serializer, key
/// order and limits as before.
///
/// Keys come out in the order they are encoded (the declaration order of a synthesized `encode(to:)`). A nil
/// optional is written as `null`, not left out: the `--json` shapes of DESIGN.md §4 name every field, null or not.
///
/// Every control answer passes through here, so it does no work per field beyond writing it: containers write in
/// place into one tree of nodes, and a node's coding path is worked out only when an error needs it.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        let root = EncodingNode(parent: nil, position: .root)
        try value.encode(to: NodeEncoder(node: root))
        return try root.value()
    }
}

/// What one encoder or container has written so far; a reference, because containers outlive the call that made
/// them and write into their parent's slot. Only objects, arrays and values that encode themselves get a node;
/// strings, numbers and booleans are written straight into their parent's slots.
final class EncodingNode {
    enum Position {
        case root
        case member(any CodingKey)
        case element(Int)
    }

    enum Slot {
        case leaf(JSONValue)
        case node(EncodingNode)
    }

    private enum Content {
        case unset
        case leaf(JSONValue)
        case object
        case array
    }

    private var content: Content = .unset
    /// An object's keys; an object's or array's slots, in the order written.
    private var keys: [String] = []
    private var slots: [Slot] = []
    /// The parent holds this node in its slots until the encoding ends, and the tree is dropped as a whole after
    /// it, so the back reference cannot dangle; unsafe, to spare two reference-count updates per node.
    private unowned(unsafe) let parent: EncodingNode?
    private let position: Position

    init(parent: EncodingNode?, position: Position) {
        self.parent = parent
        self.position = position
    }

    /// Where this node sits, from the root: only errors and the rare `codingPath` reader ask for it.
    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: EncodingNode? = self
        while let current = node {
            switch current.position {
            case .root: break
            case .member(let key): path.append(key)
            case .element(let index): path.append(AnyCodingKey(intValue: index))
            }
            node = current.parent
        }
        return path.reversed()
    }

    func setLeaf(_ value: JSONValue) {
        content = .leaf(value)
        keys = []
        slots = []
    }

    func makeObject() {
        if case .object = content { return }
        content = .object
        keys = []
        slots = []
    }

    func makeArray() {
        if case .array = content { return }
        content = .array
        keys = []
        slots = []
    }

    /// Writes the member `key` (a key written twice keeps its first place and its last value, as a dictionary
    /// would).
    func setMember(_ key: some CodingKey, _ value: JSONValue) {
        makeObject()
        let name = key.stringValue
        if let index = keys.lastIndex(of: name) {
            slots[index] = .leaf(value)
        } else {
            keys.append(name)
            slots.append(.leaf(value))
        }
    }

    /// The member `key` as a node of its own, for a value that encodes itself or a nested container.
    func child(_ key: some CodingKey) -> EncodingNode {
        makeObject()
        let name = key.stringValue
        if let index = keys.lastIndex(of: name) {
            if case .node(let existing) = slots[index] { return existing }
            let node = EncodingNode(parent: self, position: .member(key))
            slots[index] = .node(node)
            return node
        }
        let node = EncodingNode(parent: self, position: .member(key))
        keys.append(name)
        slots.append(.node(node))
        return node
    }

    func append(_ value: JSONValue) {
        makeArray()
        slots.append(.leaf(value))
    }

    func appended() -> EncodingNode {
        makeArray()
        let node = EncodingNode(parent: self, position: .element(slots.count))
        slots.append(.node(node))
        return node
    }

    var count: Int {
        if case .array = content { return slots.count }
        return 0
    }

    func value() throws -> JSONValue {
        switch content {
        case .unset:
            let path = codingPath
            throw EncodingError.invalidValue(
                (), .init(codingPath: path, debugDescription: "Nothing was encoded at '\(fieldPath(path))'."))
        case .leaf(let value):
            return value
        case .object:
            var members: [JSONMember] = []
            members.reserveCapacity(keys.count)
            for (key, slot) in zip(keys, slots) {
                members.append(JSONMember(key: key, value: try Self.value(of: slot)))
            }
            return .object(members)
        case .array:
            var items: [JSONValue] = []
            items.reserveCapacity(slots.count)
            for slot in slots { items.append(try Self.value(of: slot)) }
            return .array(items)
        }
    }

    private static func value(of slot: Slot) throws -> JSONValue {
        switch slot {
        case .leaf(let value): value
        case .node(let node): try node.value()
        }
    }
}

struct NodeEncoder: Encoder {
    let node: EncodingNode
    var codingPath: [any CodingKey] { node.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueNodeContainer(node: node)
    }
}

/// The value itself when it is a leaf (numbers keep an exact literal); nil for a value that encodes itself.
func leafValue<T: Encodable>(_ value: T, at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue? {
    switch value {
    case let json as JSONValue: return json
    case let text as String: return .string(text)
    case let flag as Bool: return .bool(flag)
    case let number as any BinaryInteger: return .number(String(describing: number))
    case is Float, is Double:
        // Amounts, rates and quantities travel as decimal strings: nothing is rounded in transit.
        let path = path()
        throw EncodingError.invalidValue(value, .init(
            codingPath: path,
            debugDescription: "'\(fieldPath(path))' is floating point; the control protocol carries decimal strings."))
    default:
        return nil
    }
}

/// Writes a value into `node`: a leaf directly, anything else through its own `encode(to:)`.
func encodeValue<T: Encodable>(_ value: T, into node: EncodingNode) throws {
    if let leaf = try leafValue(value, at: node.codingPath) {
        node.setLeaf(leaf)
    } else {
        try value.encode(to: NodeEncoder(node: node))
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    var codingPath: [any CodingKey] { node.codingPath }

    mutating func encodeNil(forKey key: Key) throws { node.setMember(key, .null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let leaf = try leafValue(value, at: node.codingPath + [key]) {
            node.setMember(key, leaf)
        } else {
            try value.encode(to: NodeEncoder(node: node.child(key)))
        }
    }

    // The common leaves, written without the generic path's dynamic casts.
    mutating func encode(_ value: String, forKey key: Key) throws { node.setMember(key, .string(value)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.setMember(key, .bool(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.setMember(key, .number(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.setMember(key, .number(String(value))) }

    // A nil optional is written as null (see JSONValueEncoder); the synthesized code calls these for optionals.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOptional(value, key) }

    private mutating func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(node: node.child(key)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.child(key)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child(AnyCodingKey(stringValue: "super")))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(key))
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey] { node.codingPath }
    var count: Int { node.count }

    mutating func encodeNil() throws { node.append(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let leaf = try leafValue(value, at: node.codingPath + [AnyCodingKey(intValue: node.count)]) {
            node.append(leaf)
        } else {
            try value.encode(to: NodeEncoder(node: node.appended()))
        }
    }

    mutating func encode(_ value: String) throws { node.append(.string(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        NodeEncoder(node: node.appended()).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        NodeEncoder(node: node.appended()).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.appended())
    }
}

struct SingleValueNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey] { node.codingPath }

    mutating func encodeNil() throws { node.setLeaf(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeValue(value, into: node)
    }
}
