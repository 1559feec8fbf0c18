import BillingDomain
import Foundation

public struct InvoiceSummary: Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var status: String
    public var templateId: Int64?
    public var issueDate: String
    public var dueDate: String
    public var currency: String
    public var totalIncVat: Int64
    public var balance: Int64
}

public struct InvoiceDetail: Sendable {
    public struct Line: Sendable {
        public var lineGuid: String?
        public var description: String?
        public var sku: String?
        public var quantity: String
        public var unitPrice: String
        public var discountPercent: String
        public var taxRate: String
        public var net: Int64
        public var vat: Int64
        public var gross: Int64
    }

    public struct VatRow: Sendable {
        public var rate: String
        public var net: Int64
        public var vat: Int64
    }

    public struct Event: Sendable {
        public var type: String
        public var at: Int64
        public var channel: String?
        public var target: String?
        public var errorCode: String?
        public var errorMessage: String?
        public var detail: String?
    }

    public struct Payment: Sendable {
        public var id: Int64
        public var amount: Int64
        public var type: String
        public var refNo: String?
        public var paymentDate: String
        public var payerName: String?
        public var payerEmail: String?
        public var notes: String?
        public var createdAt: Int64
    }

    public var id: Int64
    public var number: String
    public var status: String
    public var templateId: Int64?
    public var runIndex: Int?
    public var runAt: String?
    public var issueDate: String
    public var supplyDate: String
    public var dueDate: String
    public var periodStart: String?
    public var periodEnd: String?
    public var timeZone: String
    public var currency: String
    public var currencyRate: String
    public var totalExcVat: Int64
    public var totalVat: Int64
    public var totalIncVat: Int64
    public var totalCost: Int64
    public var paid: Int64
    public var balance: Int64
    public var paymentReference: String
    public var customerGuid: String
    public var customerNotes: String?
    public var customerReference: String?
    /// The buyer as they were at issue; nil only for a row written without one by another program.
    public var buyer: InvoiceBuyer?
    public var lines: [Line]
    public var vat: [VatRow]
    public var payments: [Payment]
    public var history: [Event]
}

/// What `invoices list` may be narrowed to; nil is "any". Dates are issue dates, `YYYY-MM-DD`, inclusive.
public struct InvoiceListFilter: Sendable, Equatable {
    public var status: InvoiceStatus?
    public var customerId: Int64?
    public var templateId: Int64?
    public var issuedFrom: String?
    public var issuedTo: String?

    public init(status: InvoiceStatus? = nil, customerId: Int64? = nil, templateId: Int64? = nil, issuedFrom: String? = nil,
                issuedTo: String? = nil) {
        self.status = status
        self.customerId = customerId
        self.templateId = templateId
        self.issuedFrom = issuedFrom
        self.issuedTo = issuedTo
    }
}

/// The SQL of one page of `invoices list`: one statement per driving index, each cached; every filter is also
/// checked on each row (`?N IS NULL OR …`), which costs nothing for the filters that are not set.
enum InvoiceListQuery {
    static func sql(for filter: InvoiceListFilter) -> String {
        let from: String
        let order: String
        if filter.templateId != nil {
            (from, order) = ("invoices i JOIN invoice_state s ON s.invoice_id = i.id WHERE i.template_id = ?3 AND", "i.id")
        } else if filter.customerId != nil {
            (from, order) = ("invoices i INDEXED BY invoices_customer JOIN invoice_state s ON s.invoice_id = i.id "
                             + "WHERE i.customer_id = ?2 AND", "i.id")
        } else if filter.status != nil {
            (from, order) = ("invoice_state s JOIN invoices i ON i.id = s.invoice_id WHERE", "s.invoice_id")
        } else {
            (from, order) = ("invoices i JOIN invoice_state s ON s.invoice_id = i.id WHERE", "i.id")
        }
        return """
            SELECT i.id, i.number, s.status, i.template_id, i.issue_date, i.due_date, i.currency, i.total_inc_vat,
                   s.balance
            FROM \(from) \(order) < ?1 AND (?2 IS NULL OR i.customer_id = ?2) AND (?3 IS NULL OR i.template_id = ?3)
              AND (?4 IS NULL OR s.status = ?4) AND (?5 IS NULL OR i.issue_date >= ?5)
              AND (?6 IS NULL OR i.issue_date <= ?6)
            ORDER BY \(order) DESC LIMIT ?7
            """
    }
}

extension Store {
    /// One page of `invoices list`: newest first, the invoices with an id below `before` that pass `filter`.
    ///
    /// The query is driven by the narrowest index the filter allows, so a page costs its own rows, not the table:
    /// a template's invoices through `(template_id, run_index)`, a customer's through `invoices_customer`, by
    /// status through `invoice_state` read downwards by invoice id (narrow rows; a status index would cost the
    /// sweep two index writes per invoice it marks), else `invoices` itself downwards by id.
    public func invoiceSummaries(_ filter: InvoiceListFilter, before: Int64?, limit: Int) throws -> [InvoiceSummary] {
        try read { db in
            try db.cached(InvoiceListQuery.sql(for: filter)).bind(
                .integer(before ?? Int64.max), .int64(filter.customerId), .int64(filter.templateId),
                .string(filter.status?.rawValue), .string(filter.issuedFrom), .string(filter.issuedTo), .int(limit)
            ).all { row in
                InvoiceSummary(
                    id: row.int64(0), number: row.text(1), status: row.text(2), templateId: row.optionalInt64(3),
                    issueDate: row.text(4), dueDate: row.text(5), currency: row.text(6), totalIncVat: row.int64(7),
                    balance: row.int64(8))
            }
        }
    }

    /// The query plan of `invoiceSummaries` for `filter`, for the tests that hold it to its index.
    public func invoiceListQueryPlan(_ filter: InvoiceListFilter) throws -> [String] {
        try read { db in
            try db.prepare("EXPLAIN QUERY PLAN \(InvoiceListQuery.sql(for: filter))").bind(
                .integer(1), .int64(filter.customerId), .int64(filter.templateId), .string(filter.status?.rawValue),
                .string(filter.issuedFrom), .string(filter.issuedTo), .integer(1)
            ).all { $0.text(3) }
        }
    }

    public func invoice(number: String) throws -> InvoiceDetail {
        try read { db in
            guard var detail = try db.cached("""
                SELECT i.id, i.number, s.status, i.template_id, i.run_index, i.run_at_local, i.issue_date, i.due_date,
                       i.period_start, i.period_end, i.time_zone, i.currency, i.currency_rate, i.total_exc_vat,
                       i.total_vat, i.total_inc_vat, i.total_cost, s.paid, s.balance, i.payment_reference, c.guid,
                       coalesce(i.supply_date, i.issue_date), i.customer_notes, i.customer_reference, i.buyer_name,
                       i.buyer_address_line1, i.buyer_address_line2, i.buyer_postal_code, i.buyer_city, i.buyer_country
                FROM invoices i JOIN invoice_state s ON s.invoice_id = i.id JOIN customers c ON c.id = i.customer_id
                WHERE i.number = ?
                """).bind(.text(number)).first({ row in
                InvoiceDetail(
                    id: row.int64(0), number: row.text(1), status: row.text(2), templateId: row.optionalInt64(3),
                    runIndex: row.optionalInt(4), runAt: row.optionalText(5), issueDate: row.text(6),
                    supplyDate: row.text(21), dueDate: row.text(7), periodStart: row.optionalText(8),
                    periodEnd: row.optionalText(9), timeZone: row.text(10), currency: row.text(11),
                    currencyRate: row.text(12), totalExcVat: row.int64(13), totalVat: row.int64(14),
                    totalIncVat: row.int64(15), totalCost: row.int64(16), paid: row.int64(17), balance: row.int64(18),
                    paymentReference: row.text(19), customerGuid: row.text(20), customerNotes: row.optionalText(22),
                    customerReference: row.optionalText(23),
                    buyer: row.optionalText(24).map { name in
                        InvoiceBuyer(name: name, address: PostalAddress(
                            line1: row.optionalText(25), line2: row.optionalText(26), postalCode: row.optionalText(27),
                            city: row.optionalText(28), country: row.optionalText(29)))
                    },
                    lines: [], vat: [], payments: [], history: [])
            }) else {
                throw BillingError(.invoiceNotFound, "No invoice has the number \(number).")
            }
            detail.lines = try db.cached("""
                SELECT line_guid, description, sku, quantity, unit_price, discount_percent, tax_rate, net, vat, gross
                FROM invoice_lines WHERE invoice_id = ? ORDER BY position
                """).bind(.integer(detail.id)).all { row in
                InvoiceDetail.Line(
                    lineGuid: row.optionalText(0), description: row.optionalText(1), sku: row.optionalText(2),
                    quantity: row.text(3), unitPrice: row.text(4), discountPercent: row.text(5), taxRate: row.text(6),
                    net: row.int64(7), vat: row.int64(8), gross: row.int64(9))
            }
            detail.vat = try db.cached("SELECT rate, net, vat FROM invoice_vat WHERE invoice_id = ?")
                .bind(.integer(detail.id)).all { row in
                    InvoiceDetail.VatRow(rate: row.text(0), net: row.int64(1), vat: row.int64(2))
                }
                .sorted { (DecimalValue(plain: $0.rate) ?? .zero) < (DecimalValue(plain: $1.rate) ?? .zero) }
            detail.payments = try db.cached("""
                SELECT id, amount, type, ref_no, payment_date, payer_name, payer_email, notes, created_at
                FROM payments WHERE invoice_id = ? ORDER BY id
                """).bind(.integer(detail.id)).all { row in
                InvoiceDetail.Payment(
                    id: row.int64(0), amount: row.int64(1), type: row.text(2), refNo: row.optionalText(3),
                    paymentDate: row.text(4), payerName: row.optionalText(5), payerEmail: row.optionalText(6),
                    notes: row.optionalText(7), createdAt: row.int64(8))
            }
            // The sweep writes its `past_due` events without a detail (copying the due date into every one of
            // them cost a read of each wide invoice row); the text is the same whenever it is read.
            detail.history = try db.cached("""
                SELECT type, at, channel, target, error_code, error_message,
                       coalesce(detail, CASE type WHEN 'past_due' THEN 'due date ' || ?2 || ' passed unpaid' END)
                FROM invoice_history WHERE invoice_id = ?1 ORDER BY id
                """).bind(.integer(detail.id), .text(detail.dueDate)).all { row in
                InvoiceDetail.Event(
                    type: row.text(0), at: row.int64(1), channel: row.optionalText(2), target: row.optionalText(3),
                    errorCode: row.optionalText(4), errorMessage: row.optionalText(5), detail: row.optionalText(6))
            }
            return detail
        }
    }
}
