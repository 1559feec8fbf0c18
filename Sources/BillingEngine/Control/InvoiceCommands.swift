import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `run`, `preview`, `invoices list|show`.
enum InvoiceCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("run", .typed(RunArguments.self, mutating: true) { engine, request in
            let report = try engine.runRecurring(onlyTemplate: request.template)
            return RunAnswer(
                generated: report.generated.count,
                invoices: report.generated.prefix(1_000).map { g in
                    GeneratedInvoice(
                        number: g.number, templateId: g.templateId, runIndex: g.runIndex,
                        totalIncVat: Currency(code: g.currency)?.format(g.totalIncVat) ?? String(g.totalIncVat),
                        currency: g.currency)
                },
                alreadyInvoiced: report.alreadyInvoiced, skippedRuns: report.skippedRuns,
                paused: report.paused.map { PausedTemplate(templateId: $0.templateId, reason: $0.reason) },
                refused: report.refused.map { RefusedTemplate(templateId: $0.templateId, error: ErrorBody($0.error)) })
        }),
        ("preview", .typed(PreviewArguments.self, mutating: false) { engine, request in
            let count = try Arguments.wholeNumber(request.count, "count", range: 1...1_000) ?? 12
            let (template, invoices) = try engine.preview(try Arguments.nonEmpty(request.template, "template"), count: count)
            return PreviewAnswer(
                template: TemplateReference(id: template.id ?? 0, recordGuid: template.recordGuid),
                runs: invoices.map { invoice in
                    let money = { (minor: Int64) in invoice.currency.format(minor) }
                    let totals = invoice.calculation.totals
                    return PreviewRun(
                        runAt: ISO8601.format(invoice.run), issueDate: invoice.issueDate.description,
                        dueDate: invoice.dueDate.description,
                        totals: Totals(excVat: money(totals.excVat), vat: money(totals.vat), incVat: money(totals.incVat),
                                       cost: money(totals.cost)),
                        vat: invoice.calculation.vat.map {
                            VatShare(rate: $0.rate.normalized.description, net: money($0.net), vat: money($0.vat))
                        })
                })
        }),
        ("invoices.list", .typed(InvoiceListArguments.self, mutating: false) { engine, request in
            let page = try ListPage("invoices", limit: request.limit, after: request.after)
            let invoices = try engine.invoices(
                try invoiceFilter(engine, request), before: page.before, limit: page.fetch)
            let (items, next) = page.items(invoices, id: \.id) { i in
                let money = { (minor: Int64) in Currency(code: i.currency)?.format(minor) ?? String(minor) }
                return InvoiceSummary(
                    id: i.id, number: i.number, status: i.status, templateId: i.templateId, issueDate: i.issueDate,
                    dueDate: i.dueDate, currency: i.currency, totalIncVat: money(i.totalIncVat), balance: money(i.balance))
            }
            return InvoiceListAnswer(invoices: items, next: next)
        }),
        ("invoices.show", .typed(InvoiceShowArguments.self, mutating: false) { engine, request in
            try InvoiceAnswer(try engine.invoice(number: try Arguments.nonEmpty(request.number, "number")),
                              baseCurrency: engine.configuration.defaultCurrency)
        }),
    ]
}

extension InvoiceCommands {
    /// The filters of `invoices list`, each refused with its own field named when it is not valid.
    static func invoiceFilter(_ engine: BillingEngine, _ request: InvoiceListArguments) throws -> InvoiceListFilter {
        var filter = InvoiceListFilter()
        if let text = request.status {
            guard let status = InvoiceStatus(rawValue: text) else {
                let known = InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw BillingError(.invalidField, "Unknown status '\(text)'; use one of \(known).", field: "status")
            }
            filter.status = status
        }
        if let guid = request.customer {
            filter.customerId = try engine.customerID(guid: guid)
        }
        if let reference = request.template {
            do {
                filter.templateId = try engine.template(reference).id
            } catch var error as BillingError where error.code == .templateNotFound {
                error.field = "template"
                throw error
            }
        }
        for (name, option, value) in [("from", "--from", request.from), ("to", "--to", request.to)] {
            guard let text = value else { continue }
            guard LocalDate(iso: text) != nil else {
                throw BillingError(.invalidDate, "\(option) must be an issue date YYYY-MM-DD, not '\(text.prefix(64))'.", field: name)
            }
            if name == "from" { filter.issuedFrom = text } else { filter.issuedTo = text }
        }
        return filter
    }
}

extension InvoiceAnswer {
    /// `baseCurrency` is the configured book-keeping currency: an invoice in another currency also shows its
    /// totals converted at the invoice's CurrencyRate, beside (never instead of) the document amounts. When a
    /// converted total does not fit (a rate stored before rates were bounded), `converted` is null: never a
    /// saturated value, and the invoice itself can still be shown.
    init(_ i: InvoiceDetail, baseCurrency: Currency) throws {
        let currency = Currency(code: i.currency)
        let money = { (minor: Int64) in currency?.format(minor) ?? String(minor) }
        let zone = TimeZone(identifier: i.timeZone) ?? TimeZone(identifier: "UTC")!
        func instant(_ seconds: Int64) -> String {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            return ISO8601.formatInstant(date, offsetSeconds: ZoneResolution.offsetSeconds(at: date, in: zone))
        }
        var converted: ConvertedTotals?
        if let currency, currency != baseCurrency, let rate = DecimalValue(plain: i.currencyRate) {
            let convert = { (minor: Int64) in
                baseCurrency.format(try InvoiceCalculator.checkedConvert(
                    minor, from: currency, rate: rate, to: baseCurrency, mode: .halfUp))
            }
            converted = try? ConvertedTotals(
                currency: baseCurrency.code, rate: i.currencyRate, excVat: convert(i.totalExcVat),
                vat: convert(i.totalVat), incVat: convert(i.totalIncVat))
        }
        self.init(
            id: i.id, number: i.number, status: i.status, templateId: i.templateId, runIndex: i.runIndex,
            runAt: i.runAt, issueDate: i.issueDate, supplyDate: i.supplyDate, dueDate: i.dueDate,
            periodStart: i.periodStart, periodEnd: i.periodEnd, customerGuid: i.customerGuid, currency: i.currency,
            currencyRate: i.currencyRate,
            totals: Totals(excVat: money(i.totalExcVat), vat: money(i.totalVat), incVat: money(i.totalIncVat),
                           cost: money(i.totalCost)),
            vat: i.vat.map { VatShare(rate: $0.rate, net: money($0.net), vat: money($0.vat)) },
            converted: converted, paid: money(i.paid), balance: money(i.balance),
            paymentReference: i.paymentReference, customerReference: i.customerReference,
            customerNotes: i.customerNotes,
            buyer: i.buyer.map { b in
                InvoiceBuyerAnswer(
                    name: b.name, addressLine1: b.address.line1, addressLine2: b.address.line2,
                    postalCode: b.address.postalCode, city: b.address.city, country: b.address.country)
            },
            lines: i.lines.map { l in
                InvoiceLineAnswer(
                    lineGuid: l.lineGuid, description: l.description, sku: l.sku, quantity: l.quantity,
                    unitPrice: l.unitPrice, discountPercent: l.discountPercent, taxRate: l.taxRate,
                    net: money(l.net), vat: money(l.vat), gross: money(l.gross))
            },
            payments: i.payments.map { p in
                InvoicePaymentAnswer(
                    id: p.id, amount: money(p.amount), type: p.type, refNo: p.refNo, paymentDate: p.paymentDate,
                    payerName: p.payerName, payerEmail: p.payerEmail, notes: p.notes, at: instant(p.createdAt))
            },
            history: i.history.map { e in
                InvoiceEventAnswer(
                    type: e.type, at: instant(e.at), channel: e.channel, target: e.target, errorCode: e.errorCode,
                    errorMessage: e.errorMessage, detail: e.detail)
            })
    }
}
