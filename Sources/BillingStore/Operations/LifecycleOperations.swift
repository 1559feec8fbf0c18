import BillingDomain
import Foundation

public struct PaymentRequest: Sendable {
    public var number: String
    public var amount: String
    public var type: PaymentType
    public var refNo: String?
    public var paymentDate: String?
    public var payerName: String?
    public var payerEmail: String?
    public var notes: String?

    public init(number: String, amount: String, type: PaymentType, refNo: String? = nil, paymentDate: String? = nil,
                payerName: String? = nil, payerEmail: String? = nil, notes: String? = nil) {
        self.number = number
        self.amount = amount
        self.type = type
        self.refNo = refNo
        self.paymentDate = paymentDate
        self.payerName = payerName
        self.payerEmail = payerEmail
        self.notes = notes
    }
}

public struct PaymentOutcome: Sendable, Equatable {
    public var paymentId: Int64
    public var amount: Int64
    public var status: String
    public var paid: Int64
    public var balance: Int64
    public var currency: String
    /// True when the RefNo had already been applied to this invoice: the existing payment is answered.
    public var duplicate: Bool
}

/// What a cancellation did.
public struct CancelOutcome: Sendable, Equatable {
    public var status: InvoiceStatus
    /// Messages not yet sent that were withdrawn with it.
    public var withdrawn: Int
}

/// The message a resend queued.
public struct ResendOutcome: Sendable, Equatable {
    public var outboxId: Int64
    public var recipient: String
}

/// The invoice fields the life-cycle operations decide on.
struct InvoiceState {
    var id: Int64
    var status: InvoiceStatus
    var currency: Currency
    var paid: Int64
    var balance: Int64
    var zone: TimeZone
    var customerId: Int64

    static func load(number: String, db: SQLiteConnection) throws -> InvoiceState {
        guard let row = try db.cached("""
            SELECT i.id, s.status, i.currency, s.paid, s.balance, i.time_zone, i.customer_id
            FROM invoices i JOIN invoice_state s ON s.invoice_id = i.id WHERE i.number = ?
            """).bind(.text(number)).first({ row in
            (row.int64(0), row.text(1), row.text(2), row.int64(3), row.int64(4), row.text(5), row.int64(6))
        }) else {
            throw BillingError(.invoiceNotFound, "No invoice has the number \(number).")
        }
        guard let status = InvoiceStatus(rawValue: row.1), let currency = Currency(code: row.2),
              let zone = TimeZone(identifier: row.5) else {
            throw BillingError(.invalidStoredRow, "Invoice \(number) has an invalid status, currency or time zone in the database.")
        }
        return InvoiceState(id: row.0, status: status, currency: currency, paid: row.3, balance: row.4, zone: zone,
                            customerId: row.6)
    }
}

extension Store {
    /// Applies a payment (004_4ab6b6f838a3a10b.txt). Partial payments lower the balance; the one that reaches zero
    /// closes the invoice, stops its reminders and queues a receipt when configured.
    public func applyPayment(_ request: PaymentRequest, now: Int64, sendReceipt: Bool) throws -> PaymentOutcome {
        try write { db in
            try db.transaction {
                let invoice = try InvoiceState.load(number: request.number, db: db)
                let amount = try PaymentRules.amount(request.amount, currency: invoice.currency)
                let today = ZoneResolution.local(of: Date(timeIntervalSince1970: TimeInterval(now)), in: invoice.zone).date
                let date = try PaymentRules.paymentDate(request.paymentDate, today: today)
                if let ref = request.refNo, let existing = try db.cached("""
                    SELECT id, amount, type, payment_date FROM payments WHERE invoice_id = ? AND ref_no = ?
                    """).bind(.integer(invoice.id), .text(ref)).first({
                        (id: $0.int64(0), amount: $0.int64(1), type: $0.text(2), date: $0.text(3))
                    }) {
                    try PaymentRules.checkRepeat(
                        refNo: ref, existing: (existing.amount, existing.type, existing.date), amount: amount,
                        type: request.type, date: date, currency: invoice.currency)
                    return PaymentOutcome(paymentId: existing.id, amount: existing.amount, status: invoice.status.rawValue,
                                          paid: invoice.paid, balance: invoice.balance, currency: invoice.currency.code,
                                          duplicate: true)
                }
                if invoice.status != .due && invoice.status != .pastDue {
                    _ = try InvoiceLifecycle.apply(.payPartially, to: invoice.status, paid: invoice.paid)
                }
                let action = try PaymentRules.action(for: amount, balance: invoice.balance, currency: invoice.currency)
                guard let status = try InvoiceLifecycle.apply(action, to: invoice.status, paid: invoice.paid) else {
                    throw BillingError(.invalidTransition, "The invoice cannot take payments.")
                }
                guard let paymentID = try db.cached("""
                    INSERT INTO payments (invoice_id, amount, type, ref_no, payment_date, payer_name, payer_email, notes,
                        created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """).bind(.integer(invoice.id), .integer(amount), .text(request.type.rawValue), .string(request.refNo),
                              .text(date.description), .string(request.payerName), .string(request.payerEmail), .string(request.notes),
                              .integer(now)).scalarInt() else {
                    throw BillingError(.storageError, "The payment was not stored.")
                }
                let paid = invoice.paid + amount
                let balance = invoice.balance - amount
                try db.cached("UPDATE invoice_state SET paid = ?, balance = ?, status = ? WHERE invoice_id = ?")
                    .bind(.integer(paid), .integer(balance), .text(status.rawValue), .integer(invoice.id)).run()
                try History.add(invoice.id, "payment_applied", at: now,
                                detail: "\(invoice.currency.format(amount)) \(invoice.currency.code) by \(request.type.rawValue)"
                                    + (request.refNo.map { ", RefNo \($0)" } ?? ""), db: db)
                if status == .paid {
                    try History.add(invoice.id, "paid", at: now, detail: "balance reached zero", db: db)
                    try withdrawPending(invoiceID: invoice.id, kindPrefix: "reminder_", now: now, db: db)
                    if sendReceipt {
                        try queue(kind: "receipt", invoice: invoice, now: now, db: db)
                    }
                }
                return PaymentOutcome(paymentId: paymentID, amount: amount, status: status.rawValue, paid: paid,
                                      balance: balance, currency: invoice.currency.code, duplicate: false)
            }
        }
    }

    /// Cancels an unpaid Due or PastDue invoice and withdraws its messages not yet sent.
    public func cancel(number: String, now: Int64) throws -> CancelOutcome {
        try write { db in
            try db.transaction {
                let invoice = try InvoiceState.load(number: number, db: db)
                guard let status = try InvoiceLifecycle.apply(.cancel, to: invoice.status, paid: invoice.paid) else {
                    throw BillingError(.invalidTransition, "The invoice cannot be canceled.")
                }
                try db.cached("UPDATE invoice_state SET status = ?, next_reminder_at = NULL WHERE invoice_id = ?")
                    .bind(.text(status.rawValue), .integer(invoice.id)).run()
                let withdrawn = try withdrawPending(invoiceID: invoice.id, kindPrefix: "", now: now, db: db)
                try History.add(invoice.id, "canceled", at: now,
                                detail: withdrawn > 0 ? "\(withdrawn) pending messages withdrawn" : nil, db: db)
                return CancelOutcome(status: status, withdrawn: withdrawn)
            }
        }
    }

    /// Queues the invoice again over a chosen channel (001_f4604ae941d8aabc.txt: by post or e-mail; SMS too).
    /// `to` overrides the customer's address for e-mail and SMS; consent still applies.
    public func resend(number: String, channel: OutboxChannel, to: String?, now: Int64) throws -> ResendOutcome {
        try write { db in
            try db.transaction {
                let invoice = try InvoiceState.load(number: number, db: db)
                guard invoice.status != .draft, invoice.status != .canceled else {
                    throw BillingError(.invalidTransition, "Cannot resend an invoice that is \(invoice.status.rawValue).")
                }
                let customer = try db.cached(CustomerRow.byID).bind(.integer(invoice.customerId))
                    .first(CustomerRow.decode) ?? Customer(guid: "unknown")
                let recipient: String
                switch channel {
                case .email:
                    if customer.emailConsent == false {
                        throw BillingError(.noConsent, "The customer withdrew consent to e-mail.")
                    }
                    guard let address = to ?? customer.email, !address.isEmpty else {
                        throw BillingError(.noAddress, "The customer has no e-mail address; give one with --to.")
                    }
                    recipient = address
                case .sms:
                    guard customer.smsConsent else {
                        throw BillingError(.noConsent, "The customer has not consented to SMS notifications.")
                    }
                    guard let number = to ?? customer.mobilePhone, !number.isEmpty else {
                        throw BillingError(.noAddress, "The customer has no mobile number; give one with --to.")
                    }
                    recipient = number
                case .post:
                    recipient = to ?? ([customer.displayName] + InvoiceBuyer(customer).addressLines).joined(separator: ", ")
                }
                let previous = try db.cached("SELECT count(*) FROM outbox WHERE invoice_id = ? AND kind = 'resend'")
                    .bind(.integer(invoice.id)).scalarInt() ?? 0
                let intent = NotificationIntent(channel: channel, kind: "resend", recipient: recipient, language: customer.language)
                let suffix = "-\(previous + 1)"
                guard let outboxID = try Outbox.enqueue(intent, invoiceID: invoice.id, at: now, db: db, keySuffix: suffix)
                else {
                    throw BillingError(.internalError, "The resent message of \(number) was not queued.")
                }
                return ResendOutcome(outboxId: outboxID, recipient: recipient)
            }
        }
    }

    private func queue(kind: String, invoice: InvoiceState, now: Int64, db: SQLiteConnection) throws {
        let customer = try db.cached(CustomerRow.byID).bind(.integer(invoice.customerId))
            .first(CustomerRow.decode) ?? Customer(guid: "unknown")
        let plan = NotificationPolicy.plan(kind: kind, for: customer)
        for intent in plan.intents where intent.channel == .email {
            try Outbox.enqueue(intent, invoiceID: invoice.id, at: now, db: db)
        }
    }

    /// Withdraws an invoice's messages that have not started sending; a message being sent finishes.
    @discardableResult
    private func withdrawPending(invoiceID: Int64, kindPrefix: String, now: Int64, db: SQLiteConnection) throws -> Int {
        try db.cached("""
            UPDATE outbox SET status = 'withdrawn', updated_at = ?
            WHERE invoice_id = ? AND status = 'pending' AND substr(kind, 1, length(?)) = ?
            """).bind(.integer(now), .integer(invoiceID), .text(kindPrefix), .text(kindPrefix)).run()
        let count = db.changes
        if count > 0 {
            try History.add(invoiceID, "notifications_withdrawn", at: now,
                            detail: "\(count) pending \(kindPrefix.isEmpty ? "" : kindPrefix.dropLast() + " ")messages", db: db)
        }
        return count
    }
}
