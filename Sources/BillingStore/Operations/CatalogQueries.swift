import BillingDomain
import Foundation

/// A line of `templates list`.
public struct TemplateSummary: Sendable, Equatable {
    public var id: Int64
    public var recordGuid: String
    public var customerGuid: String
    public var repeatVery: String
    public var status: String
    public var nextRunDate: String?
    public var currency: String
    public var totalIncVat: Int64
    public var timeZone: String
}

extension Store {
    /// One page of `templates list`: newest first, the templates with an id below `before`.
    public func templateSummaries(before: Int64?, limit: Int) throws -> [TemplateSummary] {
        try read { db in
            try db.cached("""
                SELECT t.id, t.record_guid, c.guid, t.repeat_very, t.status, t.next_run_date, t.currency,
                       t.total_inc_vat, t.time_zone
                FROM templates t JOIN customers c ON c.id = t.customer_id WHERE t.id < ? ORDER BY t.id DESC LIMIT ?
                """).bind(.integer(before ?? Int64.max), .int(limit)).all { row in
                TemplateSummary(
                    id: row.int64(0), recordGuid: row.text(1), customerGuid: row.text(2), repeatVery: row.text(3),
                    status: row.text(4), nextRunDate: row.optionalText(5), currency: row.text(6),
                    totalIncVat: row.int64(7), timeZone: row.text(8))
            }
        }
    }

    /// A template addressed by Id or RecordGuid (`id:7`, `guid:7`; see `TemplateReference`), decoded and checked;
    /// TEMPLATE_NOT_FOUND if there is none, AMBIGUOUS_TEMPLATE if a bare reference names two.
    public func template(_ reference: String) throws -> RecurringTemplate {
        let parsed = try TemplateReference(reference)
        return try read { db in
            let id: Int64?
            switch parsed {
            case .id(let number):
                id = try db.cached("SELECT id FROM templates WHERE id = ?").bind(.integer(number)).scalarInt()
            case .recordGuid(let guid):
                id = try db.cached("SELECT id FROM templates WHERE record_guid = ?").bind(.text(guid)).scalarInt()
            case .either(let text):
                // Ids and RecordGuids are each unique, so two rows are one template's Id and another's RecordGuid.
                let matches = try db.cached("SELECT id, record_guid FROM templates WHERE id = ? OR record_guid = ?")
                    .bind(.int64(Int64(text)), .text(text)).all { (id: $0.int64(0), guid: $0.text(1)) }
                if matches.count > 1, let byID = matches.first(where: { $0.guid != text }),
                   let byGuid = matches.first(where: { $0.guid == text }) {
                    throw BillingError(
                        .ambiguousTemplate,
                        "'\(text)' is both the Id of template \(byID.id) (RecordGuid \(byID.guid)) and the RecordGuid of "
                            + "template \(byGuid.id); say id:\(text) or guid:\(text).",
                        field: "template")
                }
                id = matches.first?.id
            }
            guard let id else {
                throw BillingError(.templateNotFound, "No template has the Id or RecordGuid \(reference).")
            }
            return try TemplateRow.load(id: id, db: db)
        }
    }

    /// One page of `customers list`: newest first, the customers with an id below `before`.
    public func customers(before: Int64?, limit: Int) throws -> [Customer] {
        try read { db in
            try db.cached(CustomerRow.page).bind(.integer(before ?? Int64.max), .int(limit)).all(CustomerRow.decode)
        }
    }

    /// The id of the customer with `guid`; CUSTOMER_NOT_FOUND if there is none.
    public func customerID(guid: String) throws -> Int64 {
        guard let id = try read({ db in
            try db.cached("SELECT id FROM customers WHERE guid = ?").bind(.text(guid)).scalarInt()
        }) else {
            throw BillingError(.customerNotFound, "No customer has the CustomerGUID \(guid).", field: "customer")
        }
        return id
    }

    public func customer(guid: String) throws -> Customer {
        try read { db in
            guard let customer = try db.cached(CustomerRow.byGuid).bind(.text(guid))
                .first(CustomerRow.decode) else {
                throw BillingError(.customerNotFound, "No customer has the CustomerGUID \(guid).")
            }
            return customer
        }
    }
}

enum CustomerRow {
    static let byID = select + " WHERE id = ?"
    static let byGuid = select + " WHERE guid = ?"
    static let byTemplate = select + " WHERE id = (SELECT customer_id FROM templates WHERE id = ?)"
    static let page = select + " WHERE id < ? ORDER BY id DESC LIMIT ?"
    static let select = """
        SELECT id, guid, first_name, last_name, company_name, email, mobile_phone, email_consent, sms_consent,
               language, address_line1, address_line2, postal_code, city, country FROM customers
        """

    static func decode(_ row: Statement) -> Customer {
        Customer(
            id: row.int64(0), guid: row.text(1), firstName: row.optionalText(2), lastName: row.optionalText(3),
            companyName: row.optionalText(4), email: row.optionalText(5), mobilePhone: row.optionalText(6),
            emailConsent: row.optionalBool(7), smsConsent: row.bool(8), language: row.optionalText(9),
            address: PostalAddress(
                line1: row.optionalText(10), line2: row.optionalText(11), postalCode: row.optionalText(12),
                city: row.optionalText(13), country: row.optionalText(14)))
    }
}

/// Decodes a stored template and its lines back into domain values.
///
/// Rows can be edited by other programs; every column is checked again here, and a bad one is reported with the
/// template and column named, so the engine can skip that template and keep billing the others.
enum TemplateRow {
    /// `validate` recomputes the invoice to prove the stored lines are billable; generation skips it because it
    /// computes the invoice right after, with the same checks.
    static func load(id: Int64, db: SQLiteConnection, validate: Bool = true) throws -> RecurringTemplate {
        let header = try db.cached("""
            SELECT t.id, t.record_guid, c.guid, t.employee_guid, t.currency, t.currency_rate, t.due_days,
                   t.customer_notes, t.created_on_utc, t.customer_reference, t.repeat_very, t.run_date,
                   t.last_run_date, t.store_code, t.exported, t.time_zone, t.end_date, t.max_runs, t.status,
                   t.status_reason, t.prices_include_vat, t.vat_rounding, t.rounding_mode, t.next_run_index,
                   t.runs_generated, t.source_id
            FROM templates t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?
            """).bind(.integer(id)).first { row -> RecurringTemplate in
            let guid = row.text(1)
            func bad(_ column: String, _ value: String) -> BillingError {
                BillingError(.invalidField, "Stored template \(guid) (id \(id)) has an invalid \(column): '\(value)'.",
                             field: column)
            }
            let zoneText = row.text(15)
            guard let zone = ZoneResolution.storedTimeZone(identifier: zoneText) else { throw bad("time_zone", zoneText) }
            guard let currency = Currency(code: row.text(4)) else { throw bad("currency", row.text(4)) }
            guard let rate = DecimalValue(plain: row.text(5)), !rate.isNegative, !rate.isZero else {
                throw bad("currency_rate", row.text(5))
            }
            let recurrence: Recurrence
            do { recurrence = try Recurrence.parse(row.text(10)) } catch { throw bad("repeat_very", row.text(10)) }
            func dateTime(_ column: Int32, _ name: String) throws -> LocalDateTime? {
                guard let text = row.optionalText(column) else { return nil }
                do { return try LocalDateTime.parse(text, in: zone) } catch { throw bad(name, text) }
            }
            guard let runDate = try dateTime(11, "run_date") else { throw bad("run_date", "NULL") }
            var endDate: LocalDate?
            if let text = row.optionalText(16) {
                guard let date = LocalDate(iso: text) else { throw bad("end_date", text) }
                endDate = date
            }
            guard let status = RecurringTemplate.Status(rawValue: row.text(18)) else { throw bad("status", row.text(18)) }
            guard let vatRounding = VatRounding(rawValue: row.text(21)) else { throw bad("vat_rounding", row.text(21)) }
            guard let mode = RoundingMode(rawValue: row.text(22)) else { throw bad("rounding_mode", row.text(22)) }
            let dueDays = row.int(6)
            guard (0...3650).contains(dueDays) else { throw bad("due_days", String(dueDays)) }
            let maxRuns = row.optionalInt(17)
            if let maxRuns, maxRuns < 1 { throw bad("max_runs", String(maxRuns)) }
            let nextRunIndex = row.int(23)
            guard nextRunIndex >= 0 else { throw bad("next_run_index", String(nextRunIndex)) }
            return RecurringTemplate(
                id: row.int64(0), sourceId: row.optionalInt(25), recordGuid: guid, customerGuid: row.text(2), employeeGuid: row.optionalText(3),
                currency: currency, currencyRate: rate, dueDays: dueDays, customerNotes: row.optionalText(7),
                createdOnUtc: row.optionalText(8), customerReference: row.optionalText(9), repeatVery: row.text(10),
                recurrence: recurrence, runDate: runDate, lastRunDate: try dateTime(12, "last_run_date"),
                storeCode: row.optionalText(13), exported: row.optionalText(14), timeZone: zone, endDate: endDate,
                maxRuns: maxRuns, status: status, statusReason: row.optionalText(19),
                pricesIncludeVat: row.bool(20), vatRounding: vatRounding, roundingMode: mode, lines: [],
                nextRunIndex: nextRunIndex, runsGenerated: row.int(24))
        }
        guard var template = header else {
            throw BillingError(.templateNotFound, "No template has the Id \(id).")
        }
        template.lines = try db.cached("""
            SELECT source_id, line_guid, line_type, product_guid, product_description, quantity, batch_number,
                   expiry_date, unit_price, unit_cost, sku, tax_category_id, tax_rate, discount_percent,
                   price_includes_vat
            FROM template_lines WHERE template_id = ? ORDER BY position
            """).bind(.integer(id)).all { row -> TemplateLine in
            let lineGuid = row.text(1)
            func decimal(_ column: Int32, _ name: String) throws -> DecimalValue {
                let text = row.text(column)
                guard let value = DecimalValue(plain: text) else {
                    throw BillingError(
                        .invalidField,
                        "Stored template \(template.recordGuid) line \(lineGuid) has an invalid \(name): '\(text)'.",
                        field: name)
                }
                return value
            }
            return TemplateLine(
                sourceId: row.optionalInt(0), lineGuid: lineGuid, lineType: row.optionalInt(2),
                productGuid: row.optionalText(3), productDescription: row.optionalText(4),
                quantity: try decimal(5, "quantity"), batchNumber: row.optionalText(6),
                expiryDate: row.optionalText(7), unitPrice: try decimal(8, "unit_price"),
                unitCost: try decimal(9, "unit_cost"), sku: row.optionalText(10), taxCategoryId: row.optionalInt(11),
                taxRate: try decimal(12, "tax_rate"), discountPercent: try decimal(13, "discount_percent"),
                priceIncludesVat: row.optionalBool(14))
        }
        if template.lines.isEmpty {
            throw BillingError(.invalidField, "Stored template \(template.recordGuid) has no lines.", field: "lines")
        }
        // Range checks (quantity > 0, rate 0–100, …) live in the domain; run them on what was read.
        if validate { _ = try template.calculate() }
        return template
    }
}
