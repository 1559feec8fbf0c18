/// A refusal with a stable code and a sentence a user can act on.
///
/// Codes are upper-case words in the style of the source documents (`INVOICE_NOT_FOUND`); scripts and tests rely on
/// them, so a code, once published, keeps its meaning. `field` names the offending input, as a path into the
/// submitted document (`RecurringInvoices[0].Lines[2].Quantity`) where there is one.
public struct BillingError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String
    public var field: String?
    /// Why an operational failure happened (`DATABASE_LOCKED`, `DATABASE_FULL`, …), where the layer that saw it
    /// knows: the code says what was refused, the cause what an operator has to fix. Faults are named after it.
    public var cause: Code?

    public init(_ code: Code, _ message: String, field: String? = nil, cause: Code? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension BillingError.Code {
    // Documents and fields
    public static let invalidDocument: Self = "INVALID_DOCUMENT"
    public static let invalidEncoding: Self = "INVALID_ENCODING"
    public static let documentTooLarge: Self = "DOCUMENT_TOO_LARGE"
    public static let fieldTooLong: Self = "FIELD_TOO_LONG"
    public static let tooManyItems: Self = "TOO_MANY_ITEMS"
    public static let dtdForbidden: Self = "DTD_FORBIDDEN"
    public static let wrongNamespace: Self = "WRONG_NAMESPACE"
    public static let missingField: Self = "MISSING_FIELD"
    public static let unknownField: Self = "UNKNOWN_FIELD"
    public static let invalidField: Self = "INVALID_FIELD"
    public static let invalidNumber: Self = "INVALID_NUMBER"
    public static let invalidDate: Self = "INVALID_DATE"
    public static let duplicateRecord: Self = "DUPLICATE_RECORD"
    public static let duplicateLine: Self = "DUPLICATE_LINE"

    // Billing values
    public static let invalidRepeat: Self = "INVALID_REPEAT"
    public static let invalidQuantity: Self = "INVALID_QUANTITY"
    public static let invalidPrice: Self = "INVALID_PRICE"
    public static let invalidTaxRate: Self = "INVALID_TAX_RATE"
    public static let invalidDiscount: Self = "INVALID_DISCOUNT"
    public static let invalidCurrency: Self = "INVALID_CURRENCY"
    public static let invalidTimeZone: Self = "INVALID_TIME_ZONE"
    public static let invalidAmount: Self = "INVALID_AMOUNT"
    public static let amountTooLarge: Self = "AMOUNT_TOO_LARGE"
    public static let totalsMismatch: Self = "TOTALS_MISMATCH"

    // Records and life cycle
    public static let templateNotFound: Self = "TEMPLATE_NOT_FOUND"
    /// A bare template reference that is one template's Id and another's RecordGuid (`id:7` / `guid:7` decide).
    public static let ambiguousTemplate: Self = "AMBIGUOUS_TEMPLATE"
    public static let customerNotFound: Self = "CUSTOMER_NOT_FOUND"
    public static let invoiceNotFound: Self = "INVOICE_NOT_FOUND"
    public static let invalidTransition: Self = "INVALID_TRANSITION"
    public static let noConsent: Self = "NO_CONSENT"
    /// A RefNo already applied to the invoice, given again with another amount, type or date.
    public static let refNoConflict: Self = "REFNO_CONFLICT"

    // Protocol and daemon
    public static let invalidRequest: Self = "INVALID_REQUEST"
    public static let unknownCommand: Self = "UNKNOWN_COMMAND"
    /// Client and daemon speak control protocol versions that do not fit; the message names both.
    public static let versionMismatch: Self = "VERSION_MISMATCH"
    /// The daemon's answer does not have the shape this client expects (client and daemon out of step).
    public static let invalidAnswer: Self = "INVALID_ANSWER"
    public static let requestTooLarge: Self = "REQUEST_TOO_LARGE"
    public static let permissionDenied: Self = "PERMISSION_DENIED"
    public static let busy: Self = "BUSY"
    /// Control socket failures, by what an operator has to fix.
    public static let socketPermissionDenied: Self = "SOCKET_PERMISSION_DENIED"
    public static let socketInUse: Self = "SOCKET_IN_USE"
    public static let socketPathInvalid: Self = "SOCKET_PATH_INVALID"
    public static let socketConnectionRefused: Self = "SOCKET_CONNECTION_REFUSED"
    public static let socketTimeout: Self = "SOCKET_TIMEOUT"
    public static let socketError: Self = "SOCKET_ERROR"
    public static let storageError: Self = "STORAGE_ERROR"
    /// A row broke a database rule (unique, not null, type): the row's data is at fault, not the database.
    public static let constraintViolated: Self = "CONSTRAINT_VIOLATED"
    /// Rows refer to rows that do not exist (a migration's `PRAGMA foreign_key_check`); `field` names the table.
    public static let foreignKeyViolation: Self = "FOREIGN_KEY_VIOLATION"
    public static let internalError: Self = "INTERNAL_ERROR"
    public static let invalidConfig: Self = "INVALID_CONFIG"
}

extension BillingError.Code {
    public static let noAddress: Self = "NO_ADDRESS"
    public static let templatePaused: Self = "TEMPLATE_PAUSED"
    public static let invalidStoredRow: Self = "INVALID_STORED_ROW"
}

extension BillingError.Code {
    public static let outboxNotFound: Self = "OUTBOX_NOT_FOUND"
}

extension BillingError.Code {
    // Causes of storage failures (`BillingError.cause`), set by the SQLite layer.
    public static let databaseLocked: Self = "DATABASE_LOCKED"
    public static let databaseFull: Self = "DATABASE_FULL"
    public static let databaseReadOnly: Self = "DATABASE_READ_ONLY"
    public static let databaseIOError: Self = "DATABASE_IO_ERROR"
    public static let databaseCorrupt: Self = "DATABASE_CORRUPT"
}

extension BillingError.Code {
    /// A list's `--after` is not a cursor that list handed out.
    public static let invalidCursor: Self = "INVALID_CURSOR"
    /// A file billingd was asked to create is already there; it never overwrites one.
    public static let fileExists: Self = "FILE_EXISTS"
}
