import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `import`, `templates list|show`, `customers list|show`.
enum CatalogCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("import", .typed(ImportArguments.self, mutating: true) { engine, request in
            guard let data = Data(base64Encoded: request.documentBase64) else {
                throw BillingError(.invalidRequest, "import needs the document as base64 in 'documentBase64'.",
                                   field: "documentBase64")
            }
            let outcome = try engine.importDocument([UInt8](data))
            return ImportAnswer(
                customers: outcome.customers,
                templates: outcome.templates.map { TemplateReference(id: $0.id, recordGuid: $0.recordGuid) })
        }),
        ("templates.list", .typed(PageArguments.self, mutating: false) { engine, request in
            let page = try ListPage("templates", limit: request.limit, after: request.after)
            let templates = try engine.templates(before: page.before, limit: page.fetch)
            let (items, next) = page.items(templates, id: \.id) { t in
                TemplateSummary(
                    id: t.id, recordGuid: t.recordGuid, customerGuid: t.customerGuid, repeatVery: t.repeatVery,
                    status: t.status, nextRunDate: t.nextRunDate, timeZone: t.timeZone, currency: t.currency,
                    totalIncVat: Currency(code: t.currency)?.format(t.totalIncVat) ?? String(t.totalIncVat))
            }
            return TemplateListAnswer(templates: items, next: next)
        }),
        ("templates.show", .typed(TemplateShowArguments.self, mutating: false) { engine, request in
            try TemplateAnswer(try engine.template(try Arguments.nonEmpty(request.template, "template")))
        }),
        ("templates.pause", .typed(TemplatePauseArguments.self, mutating: true) { engine, request in
            let status = try engine.pauseTemplate(try Arguments.nonEmpty(request.template, "template"), reason: request.reason)
            return TemplateStatusAnswer(status: status.rawValue)
        }),
        ("templates.resume", .typed(TemplateResumeArguments.self, mutating: true) { engine, request in
            let status = try engine.resumeTemplate(try Arguments.nonEmpty(request.template, "template"))
            return TemplateStatusAnswer(status: status.rawValue)
        }),
        ("customers.list", .typed(PageArguments.self, mutating: false) { engine, request in
            let page = try ListPage("customers", limit: request.limit, after: request.after)
            let customers = try engine.customers(before: page.before, limit: page.fetch)
            let (items, next) = page.items(customers, id: { $0.id ?? 0 }, item: CustomerAnswer.init)
            return CustomerListAnswer(customers: items, next: next)
        }),
        ("customers.show", .typed(CustomerShowArguments.self, mutating: false) { engine, request in
            CustomerAnswer(try engine.customer(guid: try Arguments.nonEmpty(request.customer, "customer")))
        }),
    ]
}

extension CustomerAnswer {
    init(_ c: Customer) {
        self.init(
            id: c.id, customerGUID: c.guid, firstName: c.firstName, lastName: c.lastName, companyName: c.companyName,
            email: c.email, mobilePhoneNumber: c.mobilePhone, emailConsent: c.emailConsent, smsConsent: c.smsConsent,
            language: c.language, addressLine1: c.address.line1, addressLine2: c.address.line2,
            postalCode: c.address.postalCode, city: c.address.city, country: c.address.country)
    }
}

extension TemplateAnswer {
    init(_ t: RecurringTemplate) throws {
        let calculation = try t.calculate()
        let money = { (minor: Int64) in t.currency.format(minor) }
        let header = TemplateHeader(
            id: t.sourceId, recordGuid: t.recordGuid, customerGUID: t.customerGuid, employeeGUID: t.employeeGuid,
            currencyRate: t.currencyRate.description, dueDays: t.dueDays, customerNotes: t.customerNotes,
            createdOnUtc: t.createdOnUtc, customerReference: t.customerReference, repeatVery: t.repeatVery,
            runDate: t.runDate.description, nextRunDate: t.nextRun?.local.description,
            lastRunDate: t.lastRunDate?.description, storeCode: t.storeCode, exported: t.exported,
            totalIncVat: money(calculation.totals.incVat), totalExcVat: money(calculation.totals.excVat),
            totalCost: money(calculation.totals.cost), currency: t.currency.code, timeZone: t.timeZone.identifier,
            pricesIncludeVat: t.pricesIncludeVat, vatRounding: t.vatRounding.rawValue,
            roundingMode: t.roundingMode.rawValue, endDate: t.endDate?.description, maxRuns: t.maxRuns)
        let lines = t.lines.enumerated().map { index, line in
            let computed = calculation.lines[index]
            return TemplateLineAnswer(
                id: line.sourceId, recurringInvoiceGuid: t.recordGuid, lineGuid: line.lineGuid, lineType: line.lineType,
                productGUID: line.productGuid, productDescription: line.productDescription,
                quantity: line.quantity.description, batchNumber: line.batchNumber, expiryDate: line.expiryDate,
                unitPrice: line.unitPrice.description, unitCost: line.unitCost.description,
                totalPriceInc: money(computed.gross), totalPriceExc: money(computed.net), sku: line.sku,
                taxCategoryId: line.taxCategoryId, taxRate: line.taxRate.description,
                discountPercent: line.discountPercent.description, priceIncludesVat: line.priceIncludesVat)
        }
        self.init(
            id: t.id ?? 0, status: t.status.rawValue, statusReason: t.statusReason, runsGenerated: t.runsGenerated,
            header: header, lines: lines)
    }
}
