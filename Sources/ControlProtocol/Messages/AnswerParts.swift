import BillingDomain

/// A refusal inside an answer (`{"code", "message", "field"}`, `field` only when one field is at fault), as in
/// `run`'s refused templates.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public var field: String?

    public init(_ error: BillingError) {
        code = error.code.rawValue
        message = error.message
        field = error.field
    }

    enum CodingKeys: String, CodingKey { case code, message, field }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        field = container.contains(.field) ? try container.decodeIfPresent(String.self, forKey: .field) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        if let field { try container.encode(field, forKey: .field) }
    }
}

/// Counts by status in a fixed order (`{"Draft": 0, "Due": 3, …}`): the order is the daemon's, kept on the wire.
public struct StatusCounts: Codable, Sendable, Equatable {
    public var counts: [(status: String, count: Int)]

    public init(_ counts: [(status: String, count: Int)]) { self.counts = counts }

    public static func == (lhs: StatusCounts, rhs: StatusCounts) -> Bool {
        lhs.counts.map(\.status) == rhs.counts.map(\.status) && lhs.counts.map(\.count) == rhs.counts.map(\.count)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        counts = try container.allKeys.map { ($0.stringValue, try container.decode(Int.self, forKey: $0)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for (status, count) in counts { try container.encode(count, forKey: AnyCodingKey(stringValue: status)) }
    }
}

/// Totals of an invoice or a previewed run, amounts in major units.
public struct Totals: Codable, Sendable, Equatable {
    public var excVat: String
    public var vat: String
    public var incVat: String
    public var cost: String

    public init(excVat: String, vat: String, incVat: String, cost: String) {
        self.excVat = excVat
        self.vat = vat
        self.incVat = incVat
        self.cost = cost
    }
}

/// One VAT rate's share of a document.
public struct VatShare: Codable, Sendable, Equatable {
    public var rate: String
    public var net: String
    public var vat: String

    public init(rate: String, net: String, vat: String) {
        self.rate = rate
        self.net = net
        self.vat = vat
    }
}

/// A template named both ways it can be addressed.
public struct TemplateReference: Codable, Sendable, Equatable {
    public var id: Int64
    public var recordGuid: String

    public init(id: Int64, recordGuid: String) {
        self.id = id
        self.recordGuid = recordGuid
    }
}
