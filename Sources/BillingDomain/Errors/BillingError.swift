/// A refusal with a stable code and a sentence a user can act on.
///
/// Codes are upper-case words in the style of the source documents (`INVOICE_NOT_FOUND`); scripts and tests rely on
/// them, so a code, once published, keeps its meaning. `field` names the offending input, as a path into the
/// submitted document (`RecurringInvoices[0].Lines[2].Quantity`) where there is one.
public struct BillingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The closed set of codes: a new code is a new case here, so a typo never compiles into a code of its own.
    public enum Code: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        // Documents and fields
        case invalidDocument = "INVALID_DOCUMENT"
        case invalidEncoding = "INVALID_ENCODING"
        case documentTooLarge = "DOCUMENT_TOO_LARGE"
        case fieldTooLong = "FIELD_TOO_LONG"
        case tooManyItems = "TOO_MANY_ITEMS"
        case dtdForbidden = "DTD_FORBIDDEN"
        case wrongNamespace = "WRONG_NAMESPACE"
        case missingField = "MISSING_FIELD"
        case unknownField = "UNKNOWN_FIELD"
        case invalidField = "INVALID_FIELD"
        case invalidNumber = "INVALID_NUMBER"
        case invalidDate = "INVALID_DATE"
        case duplicateRecord = "DUPLICATE_RECORD"
        case duplicateLine = "DUPLICATE_LINE"
        // Billing values
        case invalidRepeat = "INVALID_REPEAT"
        case invalidQuantity = "INVALID_QUANTITY"
        case invalidPrice = "INVALID_PRICE"
        case invalidTaxRate = "INVALID_TAX_RATE"
        case invalidDiscount = "INVALID_DISCOUNT"
        case invalidCurrency = "INVALID_CURRENCY"
        case invalidTimeZone = "INVALID_TIME_ZONE"
        case invalidAmount = "INVALID_AMOUNT"
        case amountTooLarge = "AMOUNT_TOO_LARGE"
        case totalsMismatch = "TOTALS_MISMATCH"
        // Records and life cycle
        case templateNotFound = "TEMPLATE_NOT_FOUND"
        /// A bare template reference that is one template's Id and another's RecordGuid (`id:7` / `guid:7` decide).
        case ambiguousTemplate = "AMBIGUOUS_TEMPLATE"
        case customerNotFound = "CUSTOMER_NOT_FOUND"
        case invoiceNotFound = "INVOICE_NOT_FOUND"
        case invalidTransition = "INVALID_TRANSITION"
        case noConsent = "NO_CONSENT"
        /// A RefNo already applied to the invoice, given again with another amount, type or date.
        case refNoConflict = "REFNO_CONFLICT"
        // Protocol and daemon
        case invalidRequest = "INVALID_REQUEST"
        case unknownCommand = "UNKNOWN_COMMAND"
        /// Client and daemon speak control protocol versions that do not fit; the message names both.
        case versionMismatch = "VERSION_MISMATCH"
        /// The daemon's answer does not have the shape this client expects (client and daemon out of step).
        case invalidAnswer = "INVALID_ANSWER"
        case requestTooLarge = "REQUEST_TOO_LARGE"
        case permissionDenied = "PERMISSION_DENIED"
        case busy = "BUSY"
        /// Control socket failures, by what an operator has to fix.
        case socketPermissionDenied = "SOCKET_PERMISSION_DENIED"
        case socketInUse = "SOCKET_IN_USE"
        case socketPathInvalid = "SOCKET_PATH_INVALID"
        case socketConnectionRefused = "SOCKET_CONNECTION_REFUSED"
        case socketTimeout = "SOCKET_TIMEOUT"
        case socketError = "SOCKET_ERROR"
        case storageError = "STORAGE_ERROR"
        /// A row broke a database rule (unique, not null, type): the row's data is at fault, not the database.
        case constraintViolated = "CONSTRAINT_VIOLATED"
        /// Rows refer to rows that do not exist (a migration's `PRAGMA foreign_key_check`); `field` names the table.
        case foreignKeyViolation = "FOREIGN_KEY_VIOLATION"
        case internalError = "INTERNAL_ERROR"
        case invalidConfig = "INVALID_CONFIG"
        case noAddress = "NO_ADDRESS"
        case templatePaused = "TEMPLATE_PAUSED"
        case invalidStoredRow = "INVALID_STORED_ROW"
        case outboxNotFound = "OUTBOX_NOT_FOUND"
        // Causes of storage failures (`BillingError.cause`), set by the SQLite layer.
        case databaseLocked = "DATABASE_LOCKED"
        case databaseFull = "DATABASE_FULL"
        case databaseReadOnly = "DATABASE_READ_ONLY"
        case databaseIOError = "DATABASE_IO_ERROR"
        case databaseCorrupt = "DATABASE_CORRUPT"
        /// A list's `--after` is not a cursor that list handed out.
        case invalidCursor = "INVALID_CURSOR"
        /// A file billingd was asked to create is already there; it never overwrites one.
        case fileExists = "FILE_EXISTS"
        // Why a message was not delivered (`DeliveryFailure`); replies with a number have their own cases there.
        case connectionFailed = "CONNECTION_FAILED"
        case connectionLost = "CONNECTION_LOST"
        case timeout = "TIMEOUT"
        case tlsConfiguration = "TLS_CONFIGURATION"
        case invalidAddress = "INVALID_ADDRESS"
        case invalidURL = "INVALID_URL"
        case sendmailUnavailable = "SENDMAIL_UNAVAILABLE"
        case spoolWriteFailed = "SPOOL_WRITE_FAILED"
        case templatesMissing = "TEMPLATES_MISSING"
        case templateInvalid = "TEMPLATE_INVALID"
        /// No template for a message kind in the configured language nor in the fallback language.
        case templateMissing = "TEMPLATE_MISSING"
        case starttlsUnavailable = "STARTTLS_UNAVAILABLE"
        case smtpAuthRefused = "SMTP_AUTH_REFUSED"
        /// An SMTP reply that does not parse.
        case smtpProtocol = "SMTP_PROTOCOL"
        case credentialMissing = "CREDENTIAL_MISSING"

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
