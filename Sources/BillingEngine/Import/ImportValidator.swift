import BillingDomain
import ControlProtocol
import Foundation

/// Turns a parsed document into domain values, refusing the first bad field with its path and line.
///
/// SOAP envelopes carry one template; their paths start at `Header`/`Lines[i]` as in the envelope. JSON paths
/// start at the document root (`RecurringInvoices[0].Lines[2].Quantity`). Indexes are 0-based.
struct ImportValidator {
    let defaults: ImportDocument.Defaults
    let soap: Bool

    func validate(_ json: JSONValue) throws -> ImportDocument {
        var root = try FieldReader(json, path: "", line: 1)
        var customers: [Customer] = []
        var seenCustomers: Set<String> = []
        let customerItems = try root.array("Customers") ?? []
        guard customerItems.count <= ImportDocument.maxCustomers else {
            throw BillingError(.tooManyItems, "The document has \(customerItems.count) customers; the limit is \(ImportDocument.maxCustomers).")
        }
        for (index, item) in customerItems.enumerated() {
            let customer = try self.customer(item, path: "Customers[\(index)]", line: root.line(of: "Customers"))
            guard seenCustomers.insert(customer.guid).inserted else {
                throw BillingError(.duplicateRecord, "Customers[\(index)].CustomerGUID \(customer.guid) appears twice in the document.",
                                   field: "Customers[\(index)].CustomerGUID")
            }
            customers.append(customer)
        }
        let templateItems = try root.array("RecurringInvoices") ?? []
        guard templateItems.count <= ImportDocument.maxTemplates else {
            throw BillingError(.tooManyItems, "The document has \(templateItems.count) templates; the limit is \(ImportDocument.maxTemplates).")
        }
        try root.finish()
        guard !customerItems.isEmpty || !templateItems.isEmpty else {
            throw BillingError(.invalidDocument, "The document holds neither Customers nor RecurringInvoices.")
        }
        var templates: [RecurringTemplate] = []
        var seenTemplates: Set<String> = []
        for (index, item) in templateItems.enumerated() {
            let path = soap ? "" : "RecurringInvoices[\(index)]"
            let template = try self.template(item, path: path, line: root.line(of: "RecurringInvoices"))
            guard seenTemplates.insert(template.recordGuid).inserted else {
                throw BillingError(.duplicateRecord, "RecordGuid \(template.recordGuid) appears twice in the document.",
                                   field: "\(path).Header.RecordGuid")
            }
            templates.append(template)
        }
        return ImportDocument(customers: customers, templates: templates)
    }

    private func customer(_ value: JSONValue, path: String, line: Int) throws -> Customer {
        var r = try FieldReader(value, path: path, line: line)
        let email = try r.text("Email", maxLength: 254)
        let mobile = try r.text("MobilePhoneNumber", maxLength: 32)
        let customer = Customer(
            guid: try r.requiredText("CustomerGUID"), firstName: try r.text("FirstName"),
            lastName: try r.text("LastName"), companyName: try r.text("CompanyName"), email: email,
            mobilePhone: mobile, emailConsent: try r.bool("EmailConsent"), smsConsent: try r.bool("SmsConsent") ?? false,
            language: try r.text("Language", maxLength: 35),
            address: PostalAddress(
                line1: try r.text("AddressLine1"), line2: try r.text("AddressLine2"),
                postalCode: try r.text("PostalCode", maxLength: 32), city: try r.text("City"),
                country: try r.text("Country", maxLength: 64)))
        try r.finish()
        try r.checkContactFields(of: customer)
        return customer
    }

    private func template(_ value: JSONValue, path: String, line: Int) throws -> RecurringTemplate {
        var document = try FieldReader(value, path: path, line: line)
        guard let (headerValue, headerLine) = document.object("Header") else {
            throw document.error(.missingField, "Header", "is required")
        }
        guard let lineItems = try document.array("Lines"), !lineItems.isEmpty else {
            throw document.error(.missingField, "Lines", "needs at least one line")
        }
        guard lineItems.count <= ImportDocument.maxLinesPerTemplate else {
            throw document.error(.tooManyItems, "Lines", "has \(lineItems.count) lines; the limit is \(ImportDocument.maxLinesPerTemplate)")
        }
        let linesLine = document.line(of: "Lines")
        try document.finish()

        var h = try FieldReader(headerValue, path: path.isEmpty ? "Header" : "\(path).Header", line: headerLine)
        let zoneName = try h.text("TimeZone", maxLength: 64)
        var zone = defaults.timeZone
        if let zoneName {
            guard let named = try? ZoneResolution.timeZone(identifier: zoneName) else {
                throw h.error(.invalidTimeZone, "TimeZone", "'\(zoneName)' is not an IANA time zone")
            }
            zone = named
        }
        let currencyCode = try h.text("Currency", maxLength: 3)
        var currency = defaults.currency
        if let currencyCode {
            guard let named = Currency(code: currencyCode) else {
                throw h.error(.invalidCurrency, "Currency", "'\(currencyCode)' is not an ISO 4217 currency code")
            }
            currency = named
        }
        let repeatText = try h.requiredText("RepeatVery")
        let recurrence: Recurrence
        do { recurrence = try Recurrence.parse(repeatText) } catch let error as BillingError {
            throw h.error(.invalidRepeat, "RepeatVery", error.message)
        }
        func dateTime(_ name: String, required: Bool) throws -> LocalDateTime? {
            guard let text = try h.text(name, required: required, maxLength: 64) else { return nil }
            do { return try LocalDateTime.parse(text, in: zone) } catch let error as BillingError {
                throw h.error(.invalidDate, name, error.message)
            }
        }
        let runDate = try dateTime("RunDate", required: true)!
        let nextRunDate = try dateTime("NextRunDate", required: true)!
        let lastRunDate = try dateTime("LastRunDate", required: false)
        if let created = try h.text("CreatedOnUtc", maxLength: 64) {
            do { _ = try LocalDateTime.parse(created, in: TimeZone(identifier: "UTC")!) } catch let error as BillingError {
                throw h.error(.invalidDate, "CreatedOnUtc", error.message)
            }
        }
        var endDate: LocalDate?
        if let text = try h.text("EndDate", maxLength: 64) {
            do { endDate = try LocalDateTime.parse(text, in: zone).date } catch let error as BillingError {
                throw h.error(.invalidDate, "EndDate", error.message)
            }
        }
        // The rate converts the template's amounts into billing.currency; without one a foreign currency would be
        // booked as if it were at par with it.
        let rate: DecimalValue
        if let given = try h.decimal("CurrencyRate") {
            rate = given
        } else if currency == defaults.currency {
            rate = DecimalValue(1)
        } else {
            throw h.error(.missingField, "CurrencyRate",
                          "is required for a template in \(currency.code), which is not billing.currency (\(defaults.currency.code))")
        }
        guard !rate.isNegative, !rate.isZero, rate.fractionDigits <= 10, rate <= ImportDocument.maxCurrencyRate else {
            throw h.error(.invalidField, "CurrencyRate",
                          "\(rate) must be a positive decimal of at most \(ImportDocument.maxCurrencyRate) with at most 10 decimals")
        }
        let roundingMode = try h.text("RoundingMode", maxLength: 16).map { text -> RoundingMode in
            guard let mode = RoundingMode(rawValue: text) else {
                throw h.error(.invalidField, "RoundingMode", "'\(text)' is not one of \(RoundingMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return mode
        } ?? defaults.roundingMode
        let vatRounding = try h.text("VatRounding", maxLength: 16).map { text -> VatRounding in
            guard let mode = VatRounding(rawValue: text) else {
                throw h.error(.invalidField, "VatRounding", "'\(text)' is not one of \(VatRounding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return mode
        } ?? defaults.vatRounding

        var template = RecurringTemplate(
            sourceId: try h.integer("Id", range: 0...Int(Int32.max)),
            recordGuid: try h.requiredText("RecordGuid"), customerGuid: try h.requiredText("CustomerGUID"),
            employeeGuid: try h.text("EmployeeGUID"), currency: currency, currencyRate: rate,
            dueDays: try h.integer("DueDays", range: 0...3650) ?? 0,
            customerNotes: try h.text("CustomerNotes", maxLength: FieldReader.maxNotesLength),
            createdOnUtc: try h.text("CreatedOnUtc", maxLength: 64),
            customerReference: try h.text("CustomerReference"), repeatVery: repeatText, recurrence: recurrence,
            runDate: runDate, lastRunDate: lastRunDate, storeCode: try h.text("StoreCode"),
            exported: try h.text("Exported"), timeZone: zone, endDate: endDate,
            maxRuns: try h.integer("MaxRuns", range: 1...1_000_000), status: .active,
            pricesIncludeVat: try h.bool("PricesIncludeVat") ?? false, vatRounding: vatRounding,
            roundingMode: roundingMode, lines: [])
        if nextRunDate < runDate {
            throw h.error(.invalidDate, "NextRunDate", "\(nextRunDate) is before RunDate \(runDate)")
        }
        if let endDate, endDate < runDate.date {
            throw h.error(.invalidDate, "EndDate", "\(endDate) is before RunDate \(runDate)")
        }
        // NextRunDate is kept as a run index: a NextRunDate between two runs (an old system's drifted date)
        // is aligned to the first scheduled run at or after it.
        let nextInstant = ZoneResolution.instant(for: nextRunDate, in: zone).instant
        template.nextRunIndex = template.schedule.firstRunIndex(atOrAfter: nextInstant)
        // The limit is on the first run that would be billed (a long-running template moved from another system
        // keeps its old RunDate as the anchor, with a NextRunDate today), not on the anchor itself.
        if let limit = defaults.backdateLimit, limit.storedRunDate(template.recordGuid) != runDate,
           let firstToBill = template.nextRun {
            let days = ZoneResolution.local(of: limit.now, in: zone).date.daysSinceEpoch - firstToBill.local.date.daysSinceEpoch
            if days > limit.maxDays {
                let field = nextRunDate == runDate ? "RunDate" : "NextRunDate"
                throw h.error(.invalidDate, field, "the first run to bill, \(firstToBill.local), is \(days) days in the "
                              + "past; billing.max_backdate_days allows \(limit.maxDays) (every run since would be billed "
                              + "and sent at once)")
            }
        }
        let totalIncVat = try h.decimal("TotalIncVat")
        let totalExcVat = try h.decimal("TotalExcVat")
        let totalCost = try h.decimal("TotalCost")
        try h.finish()

        var lineGuids: Set<String> = []
        for (index, item) in lineItems.enumerated() {
            let linePath = path.isEmpty ? "Lines[\(index)]" : "\(path).Lines[\(index)]"
            let line = try self.line(item, path: linePath, line: linesLine, template: template)
            guard lineGuids.insert(line.lineGuid).inserted else {
                throw BillingError(.duplicateLine, "\(linePath).LineGuid \(line.lineGuid) appears twice in the template.",
                                   field: "\(linePath).LineGuid")
            }
            template.lines.append(line)
        }
        let totals = try template.calculate().totals
        if currency != defaults.currency {
            // Every invoice of the template is shown converted; refuse here a rate that makes that impossible.
            for total in [totals.incVat, totals.cost] {
                do {
                    _ = try InvoiceCalculator.checkedConvert(total, from: currency, rate: rate, to: defaults.currency,
                                                             mode: .halfUp)
                } catch let error as BillingError where error.code == .amountTooLarge {
                    throw h.error(.amountTooLarge, "CurrencyRate",
                                  "\(rate) converts \(currency.format(total)) \(currency.code) into more than the largest amount billingd stores in \(defaults.currency.code)")
                }
            }
        }
        for (name, imported, computed) in [("TotalIncVat", totalIncVat, totals.incVat),
                                           ("TotalExcVat", totalExcVat, totals.excVat),
                                           ("TotalCost", totalCost, totals.cost)] {
            guard let imported else { continue }
            try Self.checkTotal(imported, computed, currency: currency) {
                h.error(.totalsMismatch, name, "is \(imported) but the lines add up to \(currency.format(computed)) \(currency.code)")
            }
        }
        return template
    }

    private func line(_ value: JSONValue, path: String, line: Int, template: RecurringTemplate) throws -> TemplateLine {
        var r = try FieldReader(value, path: path, line: line)
        if let parent = try r.text("RecurringInvoiceGuid"), parent != template.recordGuid {
            throw r.error(.invalidField, "RecurringInvoiceGuid", "'\(parent)' does not match the header's RecordGuid '\(template.recordGuid)'")
        }
        if let expiry = try r.text("ExpiryDate", maxLength: 64) {
            do { _ = try LocalDateTime.parse(expiry, in: template.timeZone) } catch let error as BillingError {
                throw r.error(.invalidDate, "ExpiryDate", error.message)
            }
        }
        let result = TemplateLine(
            sourceId: try r.integer("Id", range: 0...Int(Int32.max)), lineGuid: try r.requiredText("LineGuid"),
            lineType: try r.integer("LineType", range: 0...Int(Int32.max)), productGuid: try r.text("ProductGUID"),
            productDescription: try r.text("ProductDescription"), quantity: try r.decimal("Quantity", required: true)!,
            batchNumber: try r.text("BatchNumber"), expiryDate: try r.text("ExpiryDate"),
            unitPrice: try r.decimal("UnitPrice", required: true)!, unitCost: try r.decimal("UnitCost") ?? DecimalValue(0),
            sku: try r.text("Sku"), taxCategoryId: try r.integer("TaxCategoryId", range: 0...Int(Int32.max)),
            taxRate: try r.decimal("TaxRate", required: true)!,
            discountPercent: try r.decimal("DiscountPercent") ?? DecimalValue(0),
            priceIncludesVat: try r.bool("PriceIncludesVat"))
        let totalInc = try r.decimal("TotalPriceInc")
        let totalExc = try r.decimal("TotalPriceExc")
        try r.finish()
        // Range rules (quantity > 0, price ≥ 0, rate 0–100, …) are the domain's; name the field they refuse.
        do {
            let input = try result.input(headerPricesIncludeVat: template.pricesIncludeVat)
            let computed = try InvoiceCalculator.calculate(
                lines: [input], currency: template.currency, vatRounding: .perLine, roundingMode: template.roundingMode)
            if template.vatRounding == .perLine {
                for (name, imported, value) in [("TotalPriceInc", totalInc, computed.lines[0].gross),
                                                ("TotalPriceExc", totalExc, computed.lines[0].net)] {
                    guard let imported else { continue }
                    try Self.checkTotal(imported, value, currency: template.currency) {
                        r.error(.totalsMismatch, name, "is \(imported) but the line computes to \(template.currency.format(value))")
                    }
                }
            }
        } catch let error as BillingError where error.field != nil && !error.field!.contains(".") {
            throw r.error(error.code, error.field!, error.message)
        }
        return result
    }

    private static func checkTotal(
        _ imported: DecimalValue, _ computed: Int64, currency: Currency, mismatch: () -> BillingError
    ) throws {
        let scaled = imported.normalized
        guard scaled.scale <= currency.exponent,
              scaled.roundedMinorUnits(exponent: currency.exponent, mode: .halfUp) == Int128(computed) else {
            throw mismatch()
        }
    }
}
