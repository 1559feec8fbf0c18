import BillingDomain
import Foundation

/// What an import stored.
public struct ImportOutcome: Sendable, Equatable {
    public struct TemplateRef: Sendable, Equatable {
        public var id: Int64
        public var recordGuid: String
    }

    public var customers: Int
    public var templates: [TemplateRef]
}

extension Store {
    /// Stores a validated import in one transaction: customers and templates are upserted by CustomerGUID and
    /// RecordGuid, a template's lines replaced as a whole. Either everything is stored or nothing.
    ///
    /// A template that already has invoices keeps its schedule's identity: its anchor, repetition and time zone
    /// cannot change (run indexes would change meaning), and its next run never moves back before a run that was
    /// already invoiced, so a re-import can never bill a run twice.
    public func importCatalog(customers: [Customer], templates: [RecurringTemplate], now: Int64) throws -> ImportOutcome {
        try write { db in
            try db.transaction {
                var customerIDs: [String: Int64] = [:]
                for customer in customers {
                    customerIDs[customer.guid] = try upsertCustomer(customer, db: db, now: now)
                }
                var refs: [ImportOutcome.TemplateRef] = []
                var stubs = 0
                for template in templates {
                    let customerID: Int64
                    if let id = customerIDs[template.customerGuid] {
                        customerID = id
                    } else if let id = try db.cached("SELECT id FROM customers WHERE guid = ?")
                        .bind(.text(template.customerGuid)).scalarInt() {
                        customerID = id
                    } else {
                        // A SOAP template names its customer only by GUID; keep a stub so the template can bill.
                        // Without an address or consent no message is queued for it until the customer is imported.
                        customerID = try upsertCustomer(Customer(guid: template.customerGuid), db: db, now: now)
                        customerIDs[template.customerGuid] = customerID
                        stubs += 1
                    }
                    let id = try upsertTemplate(template, customerID: customerID, db: db, now: now)
                    refs.append(.init(id: id, recordGuid: template.recordGuid))
                }
                return ImportOutcome(customers: customers.count + stubs, templates: refs)
            }
        }
    }

    private func upsertCustomer(_ c: Customer, db: SQLiteConnection, now: Int64) throws -> Int64 {
        let statement = try db.cached("""
            INSERT INTO customers (guid, first_name, last_name, company_name, email, mobile_phone, email_consent,
                sms_consent, language, address_line1, address_line2, postal_code, city, country, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)
            ON CONFLICT (guid) DO UPDATE SET first_name = ?2, last_name = ?3, company_name = ?4, email = ?5,
                mobile_phone = ?6, email_consent = ?7, sms_consent = ?8, language = ?9, address_line1 = ?10,
                address_line2 = ?11, postal_code = ?12, city = ?13, country = ?14, updated_at = ?15
            RETURNING id
            """)
        statement.bind(
            .text(c.guid), .string(c.firstName), .string(c.lastName), .string(c.companyName), .string(c.email),
            .string(c.mobilePhone), .bool(c.emailConsent), .bool(c.smsConsent), .string(c.language),
            .string(c.address.line1), .string(c.address.line2), .string(c.address.postalCode),
            .string(c.address.city), .string(c.address.country), .integer(now))
        guard let id = try statement.scalarInt() else {
            throw BillingError(.storageError, "Customer \(c.guid) was not stored.")
        }
        return id
    }

    /// A template stored under a legacy zone name (`JST`, accepted by an earlier billingd) may be imported again
    /// under the IANA name with the same offsets (`Asia/Tokyo`): no run moves. Any other change is refused.
    private func sameZone(stored: String, imported t: RecurringTemplate) -> Bool {
        guard stored != t.timeZone.identifier, ZoneResolution.isLegacyName(stored),
              let old = ZoneResolution.storedTimeZone(identifier: stored) else { return false }
        let anchor = ZoneResolution.instant(for: t.runDate, in: t.timeZone).instant
        return ZoneResolution.sameOffsets(old, t.timeZone, from: anchor)
    }

    private func upsertTemplate(_ t: RecurringTemplate, customerID: Int64, db: SQLiteConnection, now: Int64) throws -> Int64 {
        var t = t
        let existing = try db.cached("""
            SELECT t.id, t.run_date, t.repeat_very, t.time_zone, t.status, t.status_reason, t.runs_generated,
                   (SELECT max(run_index) FROM invoices WHERE template_id = t.id), t.last_run_date, t.next_run_index,
                   EXISTS (SELECT 1 FROM template_events WHERE template_id = t.id AND type = 'runs_skipped')
            FROM templates t WHERE t.record_guid = ?
            """).bind(.text(t.recordGuid)).first { row in
            (id: row.int64(0), runDate: row.text(1), repeatVery: row.text(2), timeZone: row.text(3),
             status: row.text(4), reason: row.optionalText(5), runs: row.int(6), lastInvoiced: row.optionalInt(7),
             lastRunDate: row.optionalText(8), nextRunIndex: row.int(9), skippedRuns: row.int(10) != 0)
        }
        var lastRunDate = t.lastRunDate?.description
        if let existing {
            if let lastInvoiced = existing.lastInvoiced {
                let changed = [
                    ("RunDate", existing.runDate, t.runDate.description),
                    ("RepeatVery", (try? Recurrence.parse(existing.repeatVery))?.description ?? existing.repeatVery,
                     t.recurrence.description),
                    ("TimeZone", sameZone(stored: existing.timeZone, imported: t) ? t.timeZone.identifier : existing.timeZone,
                     t.timeZone.identifier),
                ].first { $0.1 != $0.2 }
                if let (field, old, new) = changed {
                    throw BillingError(
                        .invalidField,
                        "Template \(t.recordGuid) already has invoices, so its \(field) cannot change (stored \(old), imported \(new)); import it under a new RecordGuid instead.",
                        field: field)
                }
                t.nextRunIndex = max(t.nextRunIndex, lastInvoiced + 1)
            }
            t.runsGenerated = existing.runs
            // What billingd's own runs determined (the last run, the runs invoiced or skipped) outlives a re-import:
            // the sending system knows nothing of them.
            if existing.runs > 0 || existing.lastInvoiced != nil || existing.skippedRuns {
                lastRunDate = existing.lastRunDate ?? lastRunDate
                t.nextRunIndex = max(t.nextRunIndex, existing.nextRunIndex)
            }
            // An operator's pause survives a re-import; only the schedule decides whether the template has ended.
            if existing.status == RecurringTemplate.Status.paused.rawValue {
                t.status = .paused
                t.statusReason = existing.reason
            }
        }
        let calculation = try t.calculate()
        let nextRun = t.nextRun
        if nextRun == nil {
            t.status = .ended
            t.statusReason = t.statusReason ?? "The schedule has no run left (EndDate or MaxRuns reached)."
        } else if t.status == .ended {
            t.status = .active
            t.statusReason = nil
        }
        let statement = try db.cached("""
            INSERT INTO templates (record_guid, customer_id, employee_guid, currency, currency_rate, due_days,
                customer_notes, created_on_utc, customer_reference, repeat_very, run_date, next_run_date,
                last_run_date, store_code, exported, total_inc_vat, total_exc_vat, total_vat, total_cost, time_zone,
                end_date, max_runs, status, status_reason, prices_include_vat, vat_rounding, rounding_mode,
                next_run_index, next_run_at, runs_generated, created_at, updated_at, source_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
                ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?31, ?32)
            ON CONFLICT (record_guid) DO UPDATE SET customer_id = ?2, employee_guid = ?3, currency = ?4,
                currency_rate = ?5, due_days = ?6, customer_notes = ?7, created_on_utc = ?8, customer_reference = ?9,
                repeat_very = ?10, run_date = ?11, next_run_date = ?12, last_run_date = ?13, store_code = ?14,
                exported = ?15, total_inc_vat = ?16, total_exc_vat = ?17, total_vat = ?18, total_cost = ?19,
                time_zone = ?20, end_date = ?21, max_runs = ?22, status = ?23, status_reason = ?24,
                prices_include_vat = ?25, vat_rounding = ?26, rounding_mode = ?27, next_run_index = ?28,
                next_run_at = ?29, runs_generated = ?30, updated_at = ?31, source_id = ?32
            RETURNING id
            """)
        statement.bind(
            .text(t.recordGuid), .integer(customerID), .string(t.employeeGuid), .text(t.currency.code),
            .text(t.currencyRate.description), .int(t.dueDays), .string(t.customerNotes), .string(t.createdOnUtc),
            .string(t.customerReference), .text(t.repeatVery), .text(t.runDate.description),
            .string(nextRun?.local.description), .string(lastRunDate), .string(t.storeCode),
            .string(t.exported), .integer(calculation.totals.incVat), .integer(calculation.totals.excVat),
            .integer(calculation.totals.vat), .integer(calculation.totals.cost), .text(t.timeZone.identifier),
            .string(t.endDate?.description), .int(t.maxRuns), .text(t.status.rawValue), .string(t.statusReason),
            .bool(t.pricesIncludeVat), .text(t.vatRounding.rawValue), .text(t.roundingMode.rawValue),
            .int(t.nextRunIndex), .int64(nextRun.map { Int64($0.instant.timeIntervalSince1970.rounded(.down)) }),
            .int(t.runsGenerated), .integer(now), .int(t.sourceId))
        guard let id = try statement.scalarInt() else {
            throw BillingError(.storageError, "Template \(t.recordGuid) was not stored.")
        }
        try db.cached("DELETE FROM template_lines WHERE template_id = ?").bind(.integer(id)).run()
        let insertLine = try db.cached("""
            INSERT INTO template_lines (template_id, position, line_guid, source_id, line_type, product_guid,
                product_description, quantity, batch_number, expiry_date, unit_price, unit_cost, total_price_inc,
                total_price_exc, sku, tax_category_id, tax_rate, discount_percent, price_includes_vat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, line) in t.lines.enumerated() {
            let computed = calculation.lines[position]
            insertLine.reset()
            insertLine.bind(
                .integer(id), .int(position), .text(line.lineGuid), .int(line.sourceId), .int(line.lineType),
                .string(line.productGuid), .string(line.productDescription), .text(line.quantity.description),
                .string(line.batchNumber), .string(line.expiryDate), .text(line.unitPrice.description),
                .text(line.unitCost.description), .integer(computed.gross), .integer(computed.net), .string(line.sku),
                .int(line.taxCategoryId), .text(line.taxRate.description), .text(line.discountPercent.description),
                .bool(line.priceIncludesVat))
            try insertLine.run()
        }
        return id
    }
}

extension Store {
    /// Pauses or resumes a template (by Id or RecordGuid). A resumed template picks up at its next run; runs
    /// that fell due while it was paused are then caught up under the catch-up policy.
    public func setTemplatePaused(_ reference: String, paused: Bool, reason: String?, now: Int64) throws -> RecurringTemplate.Status {
        let template = try self.template(reference)
        guard let id = template.id else { throw BillingError(.templateNotFound, "No template \(reference).") }
        return try write { db in
            try db.transaction {
                let status: RecurringTemplate.Status
                let message: String
                if paused {
                    guard template.status == .active else {
                        throw BillingError(.invalidTransition, "Template \(template.recordGuid) is \(template.status.rawValue), not active.")
                    }
                    status = .paused
                    message = reason ?? "Paused by an operator."
                } else {
                    guard template.status == .paused else {
                        throw BillingError(.invalidTransition, "Template \(template.recordGuid) is \(template.status.rawValue), not paused.")
                    }
                    status = template.nextRun == nil ? .ended : .active
                    message = "Resumed by an operator."
                }
                try db.cached("UPDATE templates SET status = ?, status_reason = ?, updated_at = ? WHERE id = ? AND status = ?")
                    .bind(.text(status.rawValue), .string(paused ? message : nil), .integer(now), .integer(id),
                          .text(template.status.rawValue)).run()
                guard db.changes == 1 else {
                    throw BillingError(.busy, "Template \(template.recordGuid) changed meanwhile; try again.")
                }
                try TemplateEvents.add(id, paused ? "paused" : "resumed", message, db: db, now: now)
                return status
            }
        }
    }
}
