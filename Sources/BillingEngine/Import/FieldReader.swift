import BillingDomain
import ControlProtocol
import Foundation

/// Reads the fields of one JSON object (or SOAP element turned into one) with typed accessors that name the
/// field's path and source line in every refusal, and refuses fields nobody reads (a typo such as
/// `PricesIncludeVAT` must not be silently ignored on a billing document).
struct FieldReader {
    static let maxTextLength = 1_000
    static let maxNotesLength = 4_000

    let path: String
    let line: Int
    private let members: [JSONMember]
    private var read: Set<String> = []

    init(_ value: JSONValue, path: String, line: Int) throws {
        guard case .object(let members) = value else {
            throw BillingError(.invalidField, "\(path.isEmpty ? "The document" : path) must be an object\(Self.at(line)).",
                               field: path.isEmpty ? nil : path)
        }
        self.path = path
        self.line = line
        self.members = members
    }

    static func at(_ line: Int) -> String { line > 0 ? " (line \(line))" : "" }

    func fieldPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func error(_ code: BillingError.Code, _ name: String, _ message: String) -> BillingError {
        let member = members.first { $0.key == name }
        return BillingError(code, "\(fieldPath(name)): \(message)\(Self.at(member?.line ?? line)).", field: fieldPath(name))
    }

    /// The raw value, nil when absent, null, or (as SOAP writes optional fields) an empty string.
    mutating func raw(_ name: String) -> (value: JSONValue, line: Int)? {
        read.insert(name)
        guard let member = members.first(where: { $0.key == name }) else { return nil }
        switch member.value {
        case .null: return nil
        case .string(let s) where s.isEmpty: return nil
        default: return (member.value, member.line)
        }
    }

    mutating func text(_ name: String, required: Bool = false, maxLength: Int = maxTextLength) throws -> String? {
        guard let (value, _) = raw(name) else {
            if required { throw error(.missingField, name, "is required") }
            return nil
        }
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n): text = n
        default: throw error(.invalidField, name, "must be a string")
        }
        guard text.count <= maxLength else {
            throw error(.fieldTooLong, name, "is longer than \(maxLength) characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 32 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else {
            throw error(.invalidField, name, "contains control characters")
        }
        return text
    }

    mutating func requiredText(_ name: String) throws -> String {
        try text(name, required: true)!
    }

    /// A plain decimal from a JSON number or string. `249,00`, `1e3` or ` 12` are refused: amounts are never read
    /// through a locale or a float.
    mutating func decimal(_ name: String, required: Bool = false) throws -> DecimalValue? {
        guard let (value, _) = raw(name) else {
            if required { throw error(.missingField, name, "is required") }
            return nil
        }
        let literal: String
        switch value {
        case .number(let n): literal = n
        case .string(let s): literal = s
        default: throw error(.invalidNumber, name, "must be a plain decimal number")
        }
        guard literal.utf8.count <= 40, let decimal = DecimalValue(plain: literal) else {
            throw error(.invalidNumber, name, "'\(literal.prefix(40))' is not a plain decimal (digits, optional '.', no exponent, no ',')")
        }
        return decimal
    }

    mutating func integer(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let decimal = try decimal(name) else { return nil }
        let normalized = decimal.normalized
        guard normalized.scale == 0, let value = Int(exactly: normalized.significand), range.contains(value) else {
            throw error(.invalidField, name, "\(decimal) is not a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    mutating func bool(_ name: String) throws -> Bool? {
        guard let (value, _) = raw(name) else { return nil }
        switch value {
        case .bool(let b): return b
        case .string(let s) where s == "true" || s == "1": return true
        case .string(let s) where s == "false" || s == "0": return false
        default: throw error(.invalidField, name, "must be true or false")
        }
    }

    mutating func array(_ name: String) throws -> [JSONValue]? {
        guard let (value, _) = raw(name) else { return nil }
        guard case .array(let items) = value else { throw error(.invalidField, name, "must be a list") }
        return items
    }

    mutating func object(_ name: String) -> (value: JSONValue, line: Int)? {
        raw(name)
    }

    /// Refuses any field that was not read.
    func finish() throws {
        if let unknown = members.first(where: { !read.contains($0.key) }) {
            throw BillingError(
                .unknownField, "\(fieldPath(unknown.key)) is not a known field\(Self.at(unknown.line)).",
                field: fieldPath(unknown.key))
        }
    }

    func line(of name: String) -> Int {
        members.first { $0.key == name }?.line ?? line
    }
}
