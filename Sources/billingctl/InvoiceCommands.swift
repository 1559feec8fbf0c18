import ArgumentParser
import ControlProtocol

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the invoices of every due template run now (or of one template).")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only this template (Id or RecordGuid; id:N or guid:G when a RecordGuid is another template's Id).") var template: String?

    func run() throws {
        try options.send("run", template.map { [("template", .string($0))] } ?? []) { result in
            var out = ["generated \(result["generated"]?.intValue ?? 0) invoices"]
            for invoice in result["invoices"]?.arrayValue ?? [] {
                out.append("  \(Table.text(invoice["number"] ?? .null))  template \(Table.text(invoice["templateId"] ?? .null))  \(Table.text(invoice["totalIncVat"] ?? .null)) \(Table.text(invoice["currency"] ?? .null))")
            }
            if let skipped = result["skippedRuns"]?.intValue, skipped > 0 { out.append("skipped \(skipped) runs (catch-up policy)") }
            if let already = result["alreadyInvoiced"]?.intValue, already > 0 { out.append("\(already) runs were already invoiced") }
            for paused in result["paused"]?.arrayValue ?? [] {
                out.append("paused template \(Table.text(paused["templateId"] ?? .null)): \(Table.text(paused["reason"] ?? .null))")
            }
            for refused in result["refused"]?.arrayValue ?? [] {
                out.append("skipped template \(Table.text(refused["templateId"] ?? .null)): \(Table.text(refused["error"]?["message"] ?? .null))")
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
        try options.send("preview", [("template", .string(template)), ("count", JSONValue(count))]) { result in
            Table.render(
                headers: ["RUN AT", "ISSUE DATE", "DUE DATE", "EXC VAT", "VAT", "INC VAT"],
                rows: (result["runs"]?.arrayValue ?? []).map { r in
                    [Table.text(r["runAt"] ?? .null), Table.text(r["issueDate"] ?? .null), Table.text(r["dueDate"] ?? .null),
                     Table.text(r["totals"]?["excVat"] ?? .null), Table.text(r["totals"]?["vat"] ?? .null),
                     Table.text(r["totals"]?["incVat"] ?? .null)]
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
            let filters = [("status", status), ("customer", customer), ("template", template), ("from", from), ("to", to)]
                .compactMap { name, value in value.map { (name, JSONValue.string($0)) } }
            try options.send("invoices.list", filters + page.args) { result in
                PageOptions.table(
                    result, headers: ["NUMBER", "STATUS", "TEMPLATE", "ISSUED", "DUE", "TOTAL", "BALANCE"],
                    rows: (result["invoices"]?.arrayValue ?? []).map { i in
                        [Table.text(i["number"] ?? .null), Table.text(i["status"] ?? .null),
                         Table.text(i["templateId"] ?? .null), Table.text(i["issueDate"] ?? .null),
                         Table.text(i["dueDate"] ?? .null),
                         "\(Table.text(i["totalIncVat"] ?? .null)) \(Table.text(i["currency"] ?? .null))",
                         Table.text(i["balance"] ?? .null)]
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
            try options.send("invoices.show", [("number", .string(number))]) { i in
                var out: [String] = []
                for key in ["number", "status", "issueDate", "supplyDate", "dueDate", "runAt", "customerGuid",
                            "paymentReference", "customerReference", "customerNotes"] {
                    out.append("\(key.padding(toLength: 17, withPad: " ", startingAt: 0)) \(Table.text(i[key] ?? .null))")
                }
                let buyer = i["buyer"] ?? .null
                let buyerLines = ["name", "addressLine1", "addressLine2", "postalCode", "city", "country"]
                    .compactMap { buyer[$0]?.stringValue }.filter { !$0.isEmpty }
                out.append("buyer             \(buyerLines.isEmpty ? "-" : buyerLines.joined(separator: ", "))")
                let currency = Table.text(i["currency"] ?? .null)
                out.append("total             \(Table.text(i["totals"]?["incVat"] ?? .null)) \(currency) (exc VAT \(Table.text(i["totals"]?["excVat"] ?? .null)), VAT \(Table.text(i["totals"]?["vat"] ?? .null)))")
                out.append("paid / balance    \(Table.text(i["paid"] ?? .null)) / \(Table.text(i["balance"] ?? .null))")
                out.append("")
                out.append(Table.render(
                    headers: ["DESCRIPTION", "QTY", "UNIT PRICE", "DISC %", "VAT %", "NET", "VAT", "GROSS"],
                    rows: (i["lines"]?.arrayValue ?? []).map { l in
                        ["description", "quantity", "unitPrice", "discountPercent", "taxRate", "net", "vat", "gross"]
                            .map { Table.text(l[$0] ?? .null) }
                    }))
                if let payments = i["payments"]?.arrayValue, !payments.isEmpty {
                    out.append("")
                    out.append(Table.render(
                        headers: ["PAYMENT", "DATE", "AMOUNT", "TYPE", "REFNO", "PAYER"],
                        rows: payments.map { p in
                            ["id", "paymentDate", "amount", "type", "refNo", "payerName"].map { Table.text(p[$0] ?? .null) }
                        }))
                }
                out.append("")
                out.append(Table.render(
                    headers: ["AT", "EVENT", "CHANNEL", "TARGET", "ERROR", "MESSAGE"],
                    rows: (i["history"]?.arrayValue ?? []).map { e in
                        ["at", "type", "channel", "target", "errorCode", "errorMessage"].map { Table.text(e[$0] ?? .null) }
                    }))
                return out.joined(separator: "\n")
            }
        }
    }
}
