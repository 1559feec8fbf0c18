import BillingDomain
import Foundation

/// Turns an outbox row and its invoice into the message a transport sends: templates for the words, the invoice
/// PDF for the attachment, the row's idempotency key for Message-ID and file names.
public struct MessageComposer: Sendable {
    public let templates: MessageTemplates
    public let from: Mailbox

    public init(templates: MessageTemplates, from: Mailbox) {
        self.templates = templates
        self.from = from
    }

    /// What one outbox row asks for.
    public struct Request: Sendable {
        public var kind: String
        public var recipient: String
        public var language: String?
        public var idempotencyKey: String
        public var invoice: InvoiceDocument
        public var date: Date

        public init(kind: String, recipient: String, language: String?, idempotencyKey: String,
                    invoice: InvoiceDocument, date: Date) {
            self.kind = kind
            self.recipient = recipient
            self.language = language
            self.idempotencyKey = idempotencyKey
            self.invoice = invoice
            self.date = date
        }
    }

    /// Kinds whose e-mail carries the invoice PDF: everything that asks the customer to pay. A receipt does not.
    static func attachesInvoice(_ kind: String) -> Bool { kind != "receipt" }

    /// The e-mail for `request`; the recipient must be a valid address (else a permanent failure).
    public func email(_ request: Request, pdf: [UInt8]) throws -> EmailMessage {
        guard RecipientAddress.isValidEmail(request.recipient) else {
            throw DeliveryFailure.permanent(.invalidAddress, "'\(request.recipient)' is not a valid e-mail address.")
        }
        let values = MessageValues(invoice: request.invoice, kind: request.kind)
        let subject = try templates.require(kind: request.kind, part: "subject", language: request.language, values: values)
        let text = try templates.require(kind: request.kind, part: "text", language: request.language, values: values)
        let html = templates.render(kind: request.kind, part: "html", language: request.language, values: values)
        let attachments = Self.attachesInvoice(request.kind)
            ? [EmailMessage.Attachment(fileName: "\(request.invoice.number).pdf", contentType: "application/pdf", bytes: pdf)]
            : []
        return EmailMessage(
            from: from, to: Mailbox(name: request.invoice.customerName, address: request.recipient),
            subject: subject.trimmingCharacters(in: .whitespacesAndNewlines), text: text, html: html,
            attachments: attachments, messageID: EmailMessage.messageID(key: request.idempotencyKey, from: from),
            date: request.date, idempotencyKey: request.idempotencyKey)
    }

    /// The text message for `request`; the recipient must be a phone number (else a permanent failure).
    public func sms(_ request: Request) throws -> SMSMessage {
        guard let number = RecipientAddress.normalizedPhone(request.recipient) else {
            throw DeliveryFailure.permanent(.invalidAddress, "'\(request.recipient)' is not a valid mobile number.")
        }
        let body = try templates.require(kind: request.kind, part: "sms", language: request.language,
                                         values: MessageValues(invoice: request.invoice, kind: request.kind))
        return SMSMessage(to: number, body: body.trimmingCharacters(in: .whitespacesAndNewlines),
                          idempotencyKey: request.idempotencyKey)
    }

    /// The letter for `request`: the invoice PDF, named after the row.
    public func post(_ request: Request, pdf: [UInt8]) throws -> PostDocument {
        guard !request.recipient.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeliveryFailure.permanent(.invalidAddress, "The letter has no postal address.")
        }
        return PostDocument(fileName: SpoolFolder.fileName(request.idempotencyKey, extension: "pdf"), pdf: pdf)
    }
}
