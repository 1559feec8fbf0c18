import BillingDomain
import Foundation

/// Writes one generated invoice with everything that belongs to it. Runs inside the caller's transaction.
enum InvoiceWriter {
    /// Writes the invoice, or returns nil without writing anything when its (template, run) is already invoiced.
    static func insert(
        _ invoice: NewInvoice, db: SQLiteConnection, now: Int64, numberFormat: InvoiceNumberFormat,
        numbers: NumberAllocator
    ) throws -> GenerationResult.Generated? {
        // The number is taken from the batch's counters and only kept once the invoice row exists, so a run that
        // is already invoiced, or a rolled-back template, gives it back.
        let series = numberFormat.series(for: invoice.issueDate)
        let sequence = try numbers.peek(series, db: db)
        let number = numberFormat.number(for: invoice.issueDate, sequence: sequence)
        let totals = invoice.calculation.totals
        let insert = try db.cached("""
            INSERT INTO invoices (number, series, sequence, template_id, run_index, run_at, run_at_local, customer_id,
                status, issue_date, due_date, past_due_at, period_start, period_end, time_zone, currency,
                currency_rate, total_exc_vat, total_vat, total_inc_vat, total_cost, paid, balance, payment_reference,
                generated_at, customer_notes, customer_reference)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Due', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
            ON CONFLICT (template_id, run_index) DO NOTHING
            """)
        insert.bind(
            .text(number), .text(series), .integer(sequence), .integer(invoice.templateId), .int(invoice.run.index),
            .integer(Int64(invoice.run.instant.timeIntervalSince1970.rounded(.down))),
            .text(ISO8601.format(invoice.run)), .integer(invoice.customerId),
            .text(invoice.issueDate.description), .text(invoice.dueDate.description),
            .integer(Int64(invoice.pastDueAt.timeIntervalSince1970.rounded(.down))),
            .text(invoice.periodStart.description), .text(invoice.periodEnd.description),
            .text(invoice.timeZone.identifier), .text(invoice.currency.code), .text(invoice.currencyRate.description),
            .integer(totals.excVat), .integer(totals.vat), .integer(totals.incVat), .integer(totals.cost),
            .integer(totals.incVat), .text(PaymentReference.creditorReference(for: number)), .integer(now),
            .string(invoice.customerNotes), .string(invoice.customerReference))
        try insert.run()
        // (template, run) is already invoiced: nothing was written and the number stays free.
        guard db.changes > 0 else { return nil }
        let invoiceID = db.lastInsertRowID
        numbers.take(series, sequence)

        let line = try db.cached("""
            INSERT INTO invoice_lines (invoice_id, position, line_guid, description, sku, quantity, unit_price,
                discount_percent, tax_rate, net, vat, gross, cost)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, source) in invoice.lines.enumerated() {
            let computed = invoice.calculation.lines[position]
            line.reset()
            line.bind(
                .integer(invoiceID), .int(position), .text(source.lineGuid), .string(source.productDescription),
                .string(source.sku), .text(source.quantity.description), .text(source.unitPrice.description),
                .text(source.discountPercent.description), .text(source.taxRate.description), .integer(computed.net),
                .integer(computed.vat), .integer(computed.gross), .integer(computed.cost))
            try line.run()
        }
        let vat = try db.cached("INSERT INTO invoice_vat (invoice_id, rate, net, vat) VALUES (?, ?, ?, ?)")
        for row in invoice.calculation.vat {
            vat.reset()
            vat.bind(.integer(invoiceID), .text(row.rate.normalized.description), .integer(row.net), .integer(row.vat))
            try vat.run()
        }
        try History.add(invoiceID, "created", at: now, detail: "run \(invoice.run.index) of template \(invoice.templateId)", db: db)
        try History.add(invoiceID, "published", at: now, detail: "status Due, due \(invoice.dueDate)", db: db)
        for intent in invoice.notifications {
            try Outbox.enqueue(intent, invoiceID: invoiceID, at: now, db: db)
        }
        for skip in invoice.skippedNotifications {
            try History.add(invoiceID, "notification_skipped", at: now, channel: skip.channel.rawValue,
                            errorCode: skip.code.rawValue, errorMessage: skip.reason, db: db)
        }
        return .init(number: number, invoiceId: invoiceID, templateId: invoice.templateId, runIndex: invoice.run.index,
                     totalIncVat: totals.incVat, currency: invoice.currency.code)
    }
}

/// The append-only history of an invoice.
enum History {
    static func add(
        _ invoiceID: Int64, _ type: String, at: Int64, channel: String? = nil, target: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, detail: String? = nil, db: SQLiteConnection
    ) throws {
        try db.cached("""
            INSERT INTO invoice_history (invoice_id, at, type, channel, target, error_code, error_message, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(
                .integer(invoiceID), .integer(at), .text(type), .string(channel), .string(target), .string(errorCode),
                .string(errorMessage), .string(detail)).run()
    }
}

/// Queueing into the outbox, always inside the transaction of the event that causes the message.
enum Outbox {
    static func enqueue(_ intent: NotificationIntent, invoiceID: Int64, at: Int64, db: SQLiteConnection,
                        keySuffix: String = "") throws {
        // The key is derived from the invoice, kind and channel: the same message can never be queued twice, and
        // receivers get a stable Message-ID to drop a resend after a crash between sending and marking.
        let key = "invoice-\(invoiceID)-\(intent.kind)-\(intent.channel.rawValue)\(keySuffix)"
        try db.cached("""
            INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, attempts,
                next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            ON CONFLICT (idempotency_key) DO NOTHING
            """).bind(
                .integer(invoiceID), .text(intent.channel.rawValue), .text(intent.kind), .text(intent.recipient),
                .string(intent.language), .text(key), .integer(at), .integer(at), .integer(at)).run()
        if db.changes > 0 {
            try History.add(invoiceID, "notification_queued", at: at, channel: intent.channel.rawValue,
                            target: intent.recipient, detail: intent.kind, db: db)
        }
    }
}
