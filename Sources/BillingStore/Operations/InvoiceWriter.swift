import BillingDomain
import Foundation

/// Writes one generated invoice with everything that belongs to it. Runs inside the caller's transaction.
enum InvoiceWriter {
    static let lineInsert = MultiRowInsert("""
        INSERT INTO invoice_lines (invoice_id, position, line_guid, description, sku, quantity, unit_price,
            discount_percent, tax_rate, net, vat, gross, cost)
        """, columns: 13)
    static let vatInsert = MultiRowInsert("INSERT INTO invoice_vat (invoice_id, rate, net, vat)", columns: 4)
    static let outboxInsert = MultiRowInsert("""
        INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, attempts,
            next_attempt_at, created_at, updated_at)
        """, row: "(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)", columns: 9)

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
        let buyer = invoice.buyer.address
        let insert = try db.cached("""
            INSERT INTO invoices (number, series, sequence, template_id, run_index, run_at, run_at_local, customer_id,
                issue_date, due_date, period_start, period_end, time_zone, currency, currency_rate, total_exc_vat,
                total_vat, total_inc_vat, total_cost, payment_reference, generated_at, customer_notes,
                customer_reference, supply_date, buyer_name, buyer_address_line1, buyer_address_line2,
                buyer_postal_code, buyer_city, buyer_country)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (template_id, run_index) DO NOTHING
            """)
        insert.bind(
            .text(number), .text(series), .integer(sequence), .integer(invoice.templateId), .int(invoice.run.index),
            .integer(Int64(invoice.run.instant.timeIntervalSince1970.rounded(.down))),
            .text(ISO8601.format(invoice.run)), .integer(invoice.customerId),
            .text(invoice.issueDate.description), .text(invoice.dueDate.description),
            .text(invoice.periodStart.description), .text(invoice.periodEnd.description),
            .text(invoice.timeZone.identifier), .text(invoice.currency.code), .text(invoice.currencyRate.description),
            .integer(totals.excVat), .integer(totals.vat), .integer(totals.incVat), .integer(totals.cost),
            .text(PaymentReference.creditorReference(for: number)), .integer(now),
            .string(invoice.customerNotes), .string(invoice.customerReference), .text(invoice.supplyDate.description),
            .text(invoice.buyer.name), .string(buyer.line1), .string(buyer.line2), .string(buyer.postalCode),
            .string(buyer.city), .string(buyer.country))
        try insert.run()
        // (template, run) is already invoiced: nothing was written and the number stays free.
        guard db.changes > 0 else { return nil }
        let invoiceID = db.lastInsertRowID
        numbers.take(series, sequence)
        try db.cached("""
            INSERT INTO invoice_state (invoice_id, status, past_due_at, balance) VALUES (?, ?, ?, ?)
            """).bind(.integer(invoiceID), .text(invoice.status.rawValue),
                      .integer(Int64(invoice.pastDueAt.timeIntervalSince1970.rounded(.down))),
                      .integer(totals.incVat)).run()

        let lines = try db.cached(Self.lineInsert, rows: invoice.lines.count)
        for (position, source) in invoice.lines.enumerated() {
            let computed = invoice.calculation.lines[position]
            var column = Int32(position) * Self.lineInsert.columns
            func next() -> Int32 { column += 1; return column }
            lines.bind(invoiceID, at: next())
            lines.bind(position, at: next())
            lines.bind(source.lineGuid, at: next())
            lines.bind(source.productDescription, at: next())
            lines.bind(source.sku, at: next())
            lines.bind(source.quantity.description, at: next())
            lines.bind(source.unitPrice.description, at: next())
            lines.bind(source.discountPercent.description, at: next())
            lines.bind(source.taxRate.description, at: next())
            lines.bind(computed.net, at: next())
            lines.bind(computed.vat, at: next())
            lines.bind(computed.gross, at: next())
            lines.bind(computed.cost, at: next())
        }
        try lines.run()
        if !invoice.calculation.vat.isEmpty {
            let vat = try db.cached(Self.vatInsert, rows: invoice.calculation.vat.count)
            for (index, row) in invoice.calculation.vat.enumerated() {
                let base = Int32(index) * Self.vatInsert.columns
                vat.bind(invoiceID, at: base + 1)
                vat.bind(row.rate.normalized.description, at: base + 2)
                vat.bind(row.net, at: base + 3)
                vat.bind(row.vat, at: base + 4)
            }
            try vat.run()
        }
        // A new invoice has no outbox rows yet, so its messages go in with one statement (no conflict possible)
        // and the history gets one row per event, also in one statement.
        var events: [HistoryRow] = [
            HistoryRow(type: "created", detail: "run \(invoice.run.index) of template \(invoice.templateId)"),
            HistoryRow(type: "published", detail: "status \(invoice.status.rawValue), due \(invoice.dueDate)"),
        ]
        if invoice.status == .paid {
            events.append(HistoryRow(type: "paid", detail: "a 0.00 invoice is paid at issue"))
        }
        if !invoice.notifications.isEmpty {
            let outbox = try db.cached(Self.outboxInsert, rows: invoice.notifications.count)
            for (index, intent) in invoice.notifications.enumerated() {
                let base = Int32(index) * Self.outboxInsert.columns
                outbox.bind(invoiceID, at: base + 1)
                outbox.bind(intent.channel.rawValue, at: base + 2)
                outbox.bind(intent.kind, at: base + 3)
                outbox.bind(intent.recipient, at: base + 4)
                outbox.bind(intent.language, at: base + 5)
                outbox.bind(Outbox.key(invoiceID: invoiceID, intent: intent), at: base + 6)
                outbox.bind(now, at: base + 7)
                outbox.bind(now, at: base + 8)
                outbox.bind(now, at: base + 9)
                events.append(HistoryRow(type: "notification_queued", channel: intent.channel.rawValue,
                                         target: intent.recipient, detail: intent.kind))
            }
            try outbox.run()
        }
        for skip in invoice.skippedNotifications {
            events.append(HistoryRow(type: "notification_skipped", channel: skip.channel.rawValue,
                                     errorCode: skip.code.rawValue, errorMessage: skip.reason))
        }
        try History.add(events, invoiceID: invoiceID, at: now, db: db)
        return .init(number: number, invoiceId: invoiceID, templateId: invoice.templateId, runIndex: invoice.run.index,
                     totalIncVat: totals.incVat, currency: invoice.currency.code)
    }
}

/// One event for `History.add(_:invoiceID:at:db:)`.
struct HistoryRow {
    var type: String
    var channel: String? = nil
    var target: String? = nil
    var errorCode: String? = nil
    var errorMessage: String? = nil
    var detail: String? = nil
}

/// The append-only history of an invoice.
enum History {
    static let insert = MultiRowInsert("""
        INSERT INTO invoice_history (invoice_id, at, type, channel, target, error_code, error_message, detail)
        """, columns: 8)

    /// Several events of one invoice in one statement.
    static func add(_ rows: [HistoryRow], invoiceID: Int64, at: Int64, db: SQLiteConnection) throws {
        guard !rows.isEmpty else { return }
        let statement = try db.cached(insert, rows: rows.count)
        for (index, row) in rows.enumerated() {
            let base = Int32(index) * insert.columns
            statement.bind(invoiceID, at: base + 1)
            statement.bind(at, at: base + 2)
            statement.bind(row.type, at: base + 3)
            statement.bind(row.channel, at: base + 4)
            statement.bind(row.target, at: base + 5)
            statement.bind(row.errorCode, at: base + 6)
            statement.bind(row.errorMessage, at: base + 7)
            statement.bind(row.detail, at: base + 8)
        }
        try statement.run()
    }

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
    /// The key is derived from the invoice, kind and channel: the same message can never be queued twice, and
    /// receivers get a stable Message-ID to drop a resend after a crash between sending and marking.
    static func key(invoiceID: Int64, intent: NotificationIntent, suffix: String = "") -> String {
        "invoice-\(invoiceID)-\(intent.kind)-\(intent.channel.rawValue)\(suffix)"
    }

    /// The new row's id; nil when a row with the same idempotency key was already there (nothing is queued twice).
    @discardableResult
    static func enqueue(_ intent: NotificationIntent, invoiceID: Int64, at: Int64, db: SQLiteConnection,
                        keySuffix: String = "") throws -> Int64? {
        let key = Outbox.key(invoiceID: invoiceID, intent: intent, suffix: keySuffix)
        try db.cached("""
            INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, attempts,
                next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            ON CONFLICT (idempotency_key) DO NOTHING
            """).bind(
                .integer(invoiceID), .text(intent.channel.rawValue), .text(intent.kind), .text(intent.recipient),
                .string(intent.language), .text(key), .integer(at), .integer(at), .integer(at)).run()
        guard db.changes > 0 else { return nil }
        let outboxID = db.lastInsertRowID
        try History.add(invoiceID, "notification_queued", at: at, channel: intent.channel.rawValue,
                        target: intent.recipient, detail: intent.kind, db: db)
        return outboxID
    }
}
