import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `run`, `preview`, `invoices list|show`.
enum InvoiceCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("run", .init(mutating: true) { engine, args in
            let report = try engine.runRecurring(onlyTemplate: try args.string("template"))
            let listed = report.generated.prefix(1_000)
            return [
                "generated": JSONValue(report.generated.count),
                "invoices": .array(listed.map { g in
                    [
                        "number": .string(g.number), "templateId": JSONValue(Int(g.templateId)),
                        "runIndex": JSONValue(g.runIndex),
                        "totalIncVat": .string(Currency(code: g.currency)?.format(g.totalIncVat) ?? String(g.totalIncVat)),
                        "currency": .string(g.currency),
                    ]
                }),
                "alreadyInvoiced": JSONValue(report.alreadyInvoiced),
                "skippedRuns": JSONValue(report.skippedRuns),
                "paused": .array(report.paused.map {
                    ["templateId": JSONValue(Int($0.templateId)), "reason": .string($0.reason)]
                }),
                "refused": .array(report.refused.map {
                    ["templateId": JSONValue(Int($0.templateId)), "error": ControlResponse.errorObject($0.error)]
                }),
            ]
        }),
        ("preview", .init(mutating: false) { engine, args in
            let count = try args.int("count", range: 1...1_000) ?? 12
            let (template, invoices) = try engine.preview(try args.requiredString("template"), count: count)
            return [
                "template": ["id": JSONValue(Int(template.id ?? 0)), "recordGuid": .string(template.recordGuid)],
                "runs": .array(invoices.map { invoice in
                    let money = { (minor: Int64) in JSONValue.string(invoice.currency.format(minor)) }
                    let totals = invoice.calculation.totals
                    return [
                        "runAt": .string(ISO8601.format(invoice.run)),
                        "issueDate": .string(invoice.issueDate.description),
                        "dueDate": .string(invoice.dueDate.description),
                        "totals": ["excVat": money(totals.excVat), "vat": money(totals.vat),
                                   "incVat": money(totals.incVat), "cost": money(totals.cost)],
                        "vat": .array(invoice.calculation.vat.map {
                            ["rate": .string($0.rate.normalized.description), "net": money($0.net), "vat": money($0.vat)]
                        }),
                    ]
                }),
            ]
        }),
        ("invoices.list", .init(mutating: false) { engine, args in
            let page = try ListPage("invoices", args)
            let invoices = try engine.invoices(
                try invoiceFilter(engine, args), before: page.before, limit: page.fetch)
            return page.answer("invoices", invoices, id: \.id) { i in
                let money = { (minor: Int64) in JSONValue.string(Currency(code: i.currency)?.format(minor) ?? String(minor)) }
                return [
                    "id": JSONValue(Int(i.id)), "number": .string(i.number), "status": .string(i.status),
                    "templateId": i.templateId.map { JSONValue(Int($0)) } ?? .null, "issueDate": .string(i.issueDate),
                    "dueDate": .string(i.dueDate), "currency": .string(i.currency),
                    "totalIncVat": money(i.totalIncVat), "balance": money(i.balance),
                ]
            }
        }),
        ("invoices.show", .init(mutating: false) { engine, args in
            try InvoiceJSON.render(try engine.invoice(number: try args.requiredString("number")),
                               baseCurrency: engine.configuration.defaultCurrency)
        }),
    ]
}

extension InvoiceCommands {
    /// The filters of `invoices list`, each refused with its own field named when it is not valid.
    static func invoiceFilter(_ engine: BillingEngine, _ args: Arguments) throws -> InvoiceListFilter {
        var filter = InvoiceListFilter()
        if let text = try args.string("status") {
            guard let status = InvoiceStatus(rawValue: text) else {
                let known = InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw BillingError(.invalidField, "Unknown status '\(text)'; use one of \(known).", field: "status")
            }
            filter.status = status
        }
        if let guid = try args.string("customer") {
            filter.customerId = try engine.customerID(guid: guid)
        }
        if let reference = try args.string("template") {
            do {
                filter.templateId = try engine.template(reference).id
            } catch var error as BillingError where error.code == .templateNotFound {
                error.field = "template"
                throw error
            }
        }
        for (name, option) in [("from", "--from"), ("to", "--to")] {
            guard let text = try args.string(name) else { continue }
            guard LocalDate(iso: text) != nil else {
                throw BillingError(.invalidDate, "\(option) must be an issue date YYYY-MM-DD, not '\(text.prefix(64))'.", field: name)
            }
            if name == "from" { filter.issuedFrom = text } else { filter.issuedTo = text }
        }
        return filter
    }
}

enum InvoiceJSON {
    /// `baseCurrency` is the configured book-keeping currency: an invoice in another currency also shows its
    /// totals converted at the invoice's CurrencyRate, beside (never instead of) the document amounts. When a
    /// converted total does not fit (a rate stored before rates were bounded), `converted` is null: never a
    /// saturated value, and the invoice itself can still be shown.
    static func render(_ i: InvoiceDetail, baseCurrency: Currency) throws -> JSONValue {
        let currency = Currency(code: i.currency)
        let money = { (minor: Int64) in JSONValue.string(currency?.format(minor) ?? String(minor)) }
        let zone = TimeZone(identifier: i.timeZone) ?? TimeZone(identifier: "UTC")!
        func instant(_ seconds: Int64) -> JSONValue {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            return .string(ISO8601.formatInstant(date, offsetSeconds: ZoneResolution.offsetSeconds(at: date, in: zone)))
        }
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        var converted: JSONValue = .null
        if let currency, currency != baseCurrency, let rate = DecimalValue(plain: i.currencyRate) {
            let convert = { (minor: Int64) in
                JSONValue.string(baseCurrency.format(try InvoiceCalculator.checkedConvert(
                    minor, from: currency, rate: rate, to: baseCurrency, mode: .halfUp)))
            }
            converted = (try? ["currency": .string(baseCurrency.code), "rate": .string(i.currencyRate),
                               "excVat": convert(i.totalExcVat), "vat": convert(i.totalVat),
                               "incVat": convert(i.totalIncVat)] as JSONValue) ?? .null
        }
        return [
            "id": JSONValue(Int(i.id)), "number": .string(i.number), "status": .string(i.status),
            "templateId": i.templateId.map { JSONValue(Int($0)) } ?? .null,
            "runIndex": i.runIndex.map { JSONValue($0) } ?? .null, "runAt": text(i.runAt),
            "issueDate": .string(i.issueDate), "supplyDate": .string(i.supplyDate), "dueDate": .string(i.dueDate),
            "periodStart": text(i.periodStart), "periodEnd": text(i.periodEnd), "customerGuid": .string(i.customerGuid),
            "currency": .string(i.currency), "currencyRate": .string(i.currencyRate),
            "totals": ["excVat": money(i.totalExcVat), "vat": money(i.totalVat), "incVat": money(i.totalIncVat),
                       "cost": money(i.totalCost)],
            "vat": .array(i.vat.map { ["rate": .string($0.rate), "net": money($0.net), "vat": money($0.vat)] }),
            "converted": converted,
            "paid": money(i.paid), "balance": money(i.balance), "paymentReference": .string(i.paymentReference),
            "customerReference": text(i.customerReference), "customerNotes": text(i.customerNotes),
            "buyer": i.buyer.map { b -> JSONValue in
                [
                    "name": .string(b.name), "addressLine1": text(b.address.line1),
                    "addressLine2": text(b.address.line2), "postalCode": text(b.address.postalCode),
                    "city": text(b.address.city), "country": text(b.address.country),
                ]
            } ?? .null,
            "lines": .array(i.lines.map { l in
                [
                    "lineGuid": text(l.lineGuid), "description": text(l.description), "sku": text(l.sku),
                    "quantity": .string(l.quantity), "unitPrice": .string(l.unitPrice),
                    "discountPercent": .string(l.discountPercent), "taxRate": .string(l.taxRate),
                    "net": money(l.net), "vat": money(l.vat), "gross": money(l.gross),
                ]
            }),
            "payments": .array(i.payments.map { p in
                [
                    "id": JSONValue(Int(p.id)), "amount": money(p.amount), "type": .string(p.type),
                    "refNo": text(p.refNo), "paymentDate": .string(p.paymentDate), "payerName": text(p.payerName),
                    "payerEmail": text(p.payerEmail), "notes": text(p.notes), "at": instant(p.createdAt),
                ]
            }),
            "history": .array(i.history.map { e in
                [
                    "type": .string(e.type), "at": instant(e.at), "channel": text(e.channel), "target": text(e.target),
                    "errorCode": text(e.errorCode), "errorMessage": text(e.errorMessage), "detail": text(e.detail),
                ]
            }),
        ]
    }
}
