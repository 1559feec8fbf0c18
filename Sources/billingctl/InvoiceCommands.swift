import ArgumentParser
import ControlProtocol

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the invoices of every due template run now (or of one template).")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only this template (Id or RecordGuid; id:N or guid:G when a RecordGuid is another template's Id).") var template: String?

    func run() throws {
        try options.send("run", arguments: RunArguments(template: template), answer: RunAnswer.self) { run in
            var out = ["generated \(run.generated) invoices"]
            for invoice in run.invoices {
                out.append("  \(invoice.number)  template \(invoice.templateId)  \(invoice.totalIncVat) \(invoice.currency)")
            }
            if run.skippedRuns > 0 { out.append("skipped \(run.skippedRuns) runs (catch-up policy)") }
            if run.alreadyInvoiced > 0 { out.append("\(run.alreadyInvoiced) runs were already invoiced") }
            for paused in run.paused {
                out.append("paused template \(paused.templateId): \(paused.reason)")
            }
            for refused in run.refused {
                out.append("skipped template \(refused.templateId): \(refused.error.message)")
            }
            return out.joined(separator: "\n")
        }
    }
}

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a template's next runs with dates and totals; nothing is written.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Template Id or RecordGuid (id:N or guid:G when a RecordGuid is another template's Id).") var template: String
    @Option(help: "How many runs (1–1000).") var count = 12

    func run() throws {
        try options.send(
            "preview", arguments: PreviewArguments(template: template, count: JSONValue(count)), answer: PreviewAnswer.self
        ) { preview in
            Table.render(
                headers: ["RUN AT", "ISSUE DATE", "DUE DATE", "EXC VAT", "VAT", "INC VAT"],
                rows: preview.runs.map { r in
                    [r.runAt, r.issueDate, r.dueDate, r.totals.excVat, r.totals.vat, r.totals.incVat]
                })
        }
    }
}

struct Invoices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or show invoices.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List invoices, newest first, a page at a time; optionally of one status, customer, template or issue dates.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Draft, Due, PastDue, Paid or Canceled.") var status: String?
        @Option(help: "Only this customer's invoices (CustomerGUID).") var customer: String?
        @Option(help: "Only this template's invoices (Id or RecordGuid).") var template: String?
        @Option(help: "Issued on or after this date (YYYY-MM-DD).") var from: String?
        @Option(help: "Issued on or before this date (YYYY-MM-DD).") var to: String?
        @OptionGroup var page: PageOptions

        func run() throws {
            let arguments = InvoiceListArguments(
                status: status, customer: customer, template: template, from: from, to: to,
                limit: page.arguments.limit, after: page.arguments.after)
            try options.send("invoices.list", arguments: arguments, answer: InvoiceListAnswer.self) { page in
                PageOptions.table(
                    next: page.next, headers: ["NUMBER", "STATUS", "TEMPLATE", "ISSUED", "DUE", "TOTAL", "BALANCE"],
                    rows: page.invoices.map { i in
                        [i.number, i.status, i.templateId.map(String.init) ?? "-", i.issueDate, i.dueDate,
                         "\(i.totalIncVat) \(i.currency)", i.balance]
                    })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one invoice with its buyer, lines, VAT, payments and history.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Invoice number.") var number: String

        func run() throws {
            try options.send(
                "invoices.show", arguments: InvoiceShowArguments(number: number), answer: InvoiceAnswer.self
            ) { i in
                func text(_ value: String?) -> String { value ?? "-" }
                var out: [String] = []
                for (key, value) in [("number", i.number), ("status", i.status), ("issueDate", i.issueDate),
                                     ("supplyDate", i.supplyDate), ("dueDate", i.dueDate), ("runAt", text(i.runAt)),
                                     ("customerGuid", i.customerGuid), ("paymentReference", i.paymentReference),
                                     ("customerReference", text(i.customerReference)),
                                     ("customerNotes", text(i.customerNotes))] {
                    out.append("\(key.padding(toLength: 17, withPad: " ", startingAt: 0)) \(value)")
                }
                let buyerLines = i.buyer.map { b in
                    [b.name, b.addressLine1, b.addressLine2, b.postalCode, b.city, b.country].compactMap { $0 }
                        .filter { !$0.isEmpty }
                } ?? []
                out.append("buyer             \(buyerLines.isEmpty ? "-" : buyerLines.joined(separator: ", "))")
                out.append("total             \(i.totals.incVat) \(i.currency) (exc VAT \(i.totals.excVat), VAT \(i.totals.vat))")
                out.append("paid / balance    \(i.paid) / \(i.balance)")
                out.append("")
                out.append(Table.render(
                    headers: ["DESCRIPTION", "QTY", "UNIT PRICE", "DISC %", "VAT %", "NET", "VAT", "GROSS"],
                    rows: i.lines.map { l in
                        [text(l.description), l.quantity, l.unitPrice, l.discountPercent, l.taxRate, l.net, l.vat, l.gross]
                    }))
                if !i.payments.isEmpty {
                    out.append("")
                    out.append(Table.render(
                        headers: ["PAYMENT", "DATE", "AMOUNT", "TYPE", "REFNO", "PAYER"],
                        rows: i.payments.map { p in
                            [String(p.id), p.paymentDate, p.amount, p.type, text(p.refNo), text(p.payerName)]
                        }))
                }
                out.append("")
                out.append(Table.render(
                    headers: ["AT", "EVENT", "CHANNEL", "TARGET", "ERROR", "MESSAGE"],
                    rows: i.history.map { e in
                        [e.at, e.type, text(e.channel), text(e.target), text(e.errorCode), text(e.errorMessage)]
                    }))
                return out.joined(separator: "\n")
            }
        }
    }
}
