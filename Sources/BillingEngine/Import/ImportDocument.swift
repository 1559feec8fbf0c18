import BillingDomain
import ControlProtocol
import Foundation

/// A validated import: what `billingctl import` stores, whole or not at all.
public struct ImportDocument: Sendable {
    public var customers: [Customer]
    public var templates: [RecurringTemplate]

    /// Documented limits: a document is refused before it can exhaust memory or hold the writer for long.
    public static let maxDocumentBytes = 4 << 20
    public static let maxTemplates = 10_000
    public static let maxCustomers = 100_000
    public static let maxLinesPerTemplate = 1_000
    /// The largest CurrencyRate (units of `billing.currency` per unit of the template's currency): above every
    /// real exchange rate between ISO 4217 currencies, far below what would turn a typo into plausible money.
    public static let maxCurrencyRate = DecimalValue(10_000_000)

    public struct Defaults: Sendable {
        public var timeZone: TimeZone
        public var currency: Currency
        public var roundingMode: RoundingMode
        public var vatRounding: VatRounding
        /// A RunDate more than `maxDays` before `now` (in the template's zone) is refused: a mistyped year would
        /// otherwise bill, and send, every run since. `storedRunDate` answers a stored template's RunDate by
        /// RecordGuid, so a template already billing since then can still be imported again. nil: no limit.
        public var backdateLimit: BackdateLimit?

        public struct BackdateLimit: Sendable {
            public var now: Date
            public var maxDays: Int
            public var storedRunDate: @Sendable (_ recordGuid: String) -> LocalDateTime?

            public init(now: Date, maxDays: Int,
                        storedRunDate: @escaping @Sendable (_ recordGuid: String) -> LocalDateTime? = { _ in nil }) {
                self.now = now
                self.maxDays = maxDays
                self.storedRunDate = storedRunDate
            }
        }

        public init(timeZone: TimeZone, currency: Currency, roundingMode: RoundingMode, vatRounding: VatRounding,
                    backdateLimit: BackdateLimit? = nil) {
            self.timeZone = timeZone
            self.currency = currency
            self.roundingMode = roundingMode
            self.vatRounding = vatRounding
            self.backdateLimit = backdateLimit
        }
    }

    /// Parses and validates raw bytes: the JSON document of DESIGN.md §4 or a SOAP 1.1/1.2 PostRecurringInvoice
    /// envelope, told apart by their first significant character.
    public static func parse(_ bytes: [UInt8], defaults: Defaults) throws -> ImportDocument {
        guard bytes.count <= maxDocumentBytes else {
            throw BillingError(.documentTooLarge, "The document is \(bytes.count) bytes; the limit is \(maxDocumentBytes).")
        }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, [9, 10, 13, 32].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { throw BillingError(.invalidDocument, "The document is empty.") }
        switch bytes[start] {
        case UInt8(ascii: "{"):
            let json = try JSONParser.parse(bytes, limits: JSONLimits(maxBytes: maxDocumentBytes))
            return try ImportValidator(defaults: defaults, soap: false).validate(json)
        case UInt8(ascii: "<"):
            let json = try SOAPEnvelopeParser.parse(bytes, maxBytes: maxDocumentBytes)
            return try ImportValidator(defaults: defaults, soap: true).validate(json)
        default:
            if String(validating: bytes, as: UTF8.self) == nil {
                throw BillingError(.invalidEncoding, "The document is not UTF-8 text.")
            }
            throw BillingError(
                .invalidDocument, "The document is neither a JSON import document nor a SOAP envelope.")
        }
    }
}
