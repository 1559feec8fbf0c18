import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `import`, `templates list|show`, `customers list|show`.
enum CatalogCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("import", .init(mutating: true) { engine, args in
            guard let encoded = try args.string("documentBase64"),
                  let data = Data(base64Encoded: encoded) else {
                throw BillingError(.invalidRequest, "import needs the document as base64 in 'documentBase64'.")
            }
            let outcome = try engine.importDocument([UInt8](data))
            return [
                "customers": JSONValue(outcome.customers),
                "templates": .array(outcome.templates.map {
                    ["id": JSONValue(Int($0.id)), "recordGuid": .string($0.recordGuid)]
                }),
            ]
        }),
        ("templates.list", .init(mutating: false) { engine, args in
            let page = try ListPage("templates", args)
            let templates = try engine.templates(before: page.before, limit: page.fetch)
            return page.answer("templates", templates, id: \.id) { t in
                [
                    "id": JSONValue(Int(t.id)), "recordGuid": .string(t.recordGuid), "customerGuid": .string(t.customerGuid),
                    "repeatVery": .string(t.repeatVery), "status": .string(t.status),
                    "nextRunDate": t.nextRunDate.map(JSONValue.string) ?? .null, "timeZone": .string(t.timeZone),
                    "currency": .string(t.currency),
                    "totalIncVat": .string(Currency(code: t.currency)?.format(t.totalIncVat) ?? String(t.totalIncVat)),
                ]
            }
        }),
        ("templates.show", .init(mutating: false) { engine, args in
            try TemplateJSON.render(try engine.template(try args.requiredString("template")))
        }),
        ("templates.pause", .init(mutating: true) { engine, args in
            let status = try engine.pauseTemplate(try args.requiredString("template"), reason: try args.string("reason"))
            return ["status": .string(status.rawValue)]
        }),
        ("templates.resume", .init(mutating: true) { engine, args in
            let status = try engine.resumeTemplate(try args.requiredString("template"))
            return ["status": .string(status.rawValue)]
        }),
        ("customers.list", .init(mutating: false) { engine, args in
            let page = try ListPage("customers", args)
            let customers = try engine.customers(before: page.before, limit: page.fetch)
            return page.answer("customers", customers, id: { $0.id ?? 0 }, item: CustomerJSON.render)
        }),
        ("customers.show", .init(mutating: false) { engine, args in
            CustomerJSON.render(try engine.customer(guid: try args.requiredString("customer")))
        }),
    ]
}

enum CustomerJSON {
    static func render(_ c: Customer) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return [
            "id": c.id.map { JSONValue(Int($0)) } ?? .null,
            "CustomerGUID": .string(c.guid), "FirstName": text(c.firstName), "LastName": text(c.lastName),
            "CompanyName": text(c.companyName), "Email": text(c.email), "MobilePhoneNumber": text(c.mobilePhone),
            "EmailConsent": c.emailConsent.map(JSONValue.bool) ?? .null, "SmsConsent": .bool(c.smsConsent),
            "Language": text(c.language), "AddressLine1": text(c.address.line1), "AddressLine2": text(c.address.line2),
            "PostalCode": text(c.address.postalCode), "City": text(c.address.city), "Country": text(c.address.country),
        ]
    }
}

/// A stored template in the import document's own field names, so what was imported can be compared field by field.
enum TemplateJSON {
    static func render(_ t: RecurringTemplate) throws -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        func int(_ n: Int?) -> JSONValue { n.map { JSONValue($0) } ?? .null }
        let calculation = try t.calculate()
        let money = { (minor: Int64) in JSONValue.string(t.currency.format(minor)) }
        let nextRun = t.nextRun
        let header: JSONValue = [
            "Id": int(t.sourceId), "RecordGuid": .string(t.recordGuid), "CustomerGUID": .string(t.customerGuid),
            "EmployeeGUID": text(t.employeeGuid), "CurrencyRate": .string(t.currencyRate.description),
            "DueDays": JSONValue(t.dueDays), "CustomerNotes": text(t.customerNotes),
            "CreatedOnUtc": text(t.createdOnUtc), "CustomerReference": text(t.customerReference),
            "RepeatVery": .string(t.repeatVery), "RunDate": .string(t.runDate.description),
            "NextRunDate": text(nextRun?.local.description), "LastRunDate": text(t.lastRunDate?.description),
            "StoreCode": text(t.storeCode), "Exported": text(t.exported),
            "TotalIncVat": money(calculation.totals.incVat), "TotalExcVat": money(calculation.totals.excVat),
            "TotalCost": money(calculation.totals.cost), "Currency": .string(t.currency.code),
            "TimeZone": .string(t.timeZone.identifier), "PricesIncludeVat": .bool(t.pricesIncludeVat),
            "VatRounding": .string(t.vatRounding.rawValue), "RoundingMode": .string(t.roundingMode.rawValue),
            "EndDate": text(t.endDate?.description), "MaxRuns": int(t.maxRuns),
        ]
        let lines: [JSONValue] = t.lines.enumerated().map { index, line in
            let computed = calculation.lines[index]
            return [
                "Id": int(line.sourceId), "RecurringInvoiceGuid": .string(t.recordGuid),
                "LineGuid": .string(line.lineGuid), "LineType": int(line.lineType),
                "ProductGUID": text(line.productGuid), "ProductDescription": text(line.productDescription),
                "Quantity": .string(line.quantity.description), "BatchNumber": text(line.batchNumber),
                "ExpiryDate": text(line.expiryDate), "UnitPrice": .string(line.unitPrice.description),
                "UnitCost": .string(line.unitCost.description), "TotalPriceInc": money(computed.gross),
                "TotalPriceExc": money(computed.net), "Sku": text(line.sku), "TaxCategoryId": int(line.taxCategoryId),
                "TaxRate": .string(line.taxRate.description), "DiscountPercent": .string(line.discountPercent.description),
                "PriceIncludesVat": line.priceIncludesVat.map(JSONValue.bool) ?? .null,
            ]
        }
        return [
            "id": JSONValue(Int(t.id ?? 0)), "status": .string(t.status.rawValue),
            "statusReason": text(t.statusReason), "runsGenerated": JSONValue(t.runsGenerated),
            "Header": header, "Lines": .array(lines),
        ]
    }
}
