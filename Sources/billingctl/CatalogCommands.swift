import ArgumentParser
import ControlProtocol

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show, pause or resume recurring templates.",
        subcommands: [List.self, Show.self, Pause.self, Resume.self])

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a template from billing until it is resumed.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Template Id or RecordGuid (id:N or guid:G when a RecordGuid is another template's Id).") var template: String
        @Option(help: "Why (kept in the template's events).") var reason: String?

        func run() throws {
            var args: [(String, JSONValue)] = [("template", .string(template))]
            if let reason { args.append(("reason", .string(reason))) }
            try options.send("templates.pause", args) { r in "template \(template) \(Table.text(r["status"] ?? .null))" }
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused template; runs missed meanwhile are caught up under the catch-up policy.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Template Id or RecordGuid (id:N or guid:G when a RecordGuid is another template's Id).") var template: String

        func run() throws {
            try options.send("templates.resume", [("template", .string(template))]) { r in
                "template \(template) \(Table.text(r["status"] ?? .null))"
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List templates with their next run, newest first, a page at a time.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var page: PageOptions

        func run() throws {
            try options.send("templates.list", page.args) { result in
                PageOptions.table(
                    result, headers: ["ID", "RECORD GUID", "CUSTOMER", "REPEAT", "STATUS", "NEXT RUN", "TOTAL"],
                    rows: (result["templates"]?.arrayValue ?? []).map { t in
                        [t["id"]?.intValue.map(String.init) ?? "", t["recordGuid"]?.stringValue ?? "",
                         t["customerGuid"]?.stringValue ?? "", t["repeatVery"]?.stringValue ?? "",
                         t["status"]?.stringValue ?? "", t["nextRunDate"]?.stringValue ?? "-",
                         "\(t["totalIncVat"]?.stringValue ?? "") \(t["currency"]?.stringValue ?? "")"]
                    })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one template, every header and line field.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Template Id or RecordGuid (id:N or guid:G when a RecordGuid is another template's Id).") var template: String

        func run() throws {
            try options.send("templates.show", [("template", .string(template))]) { result in
                var out = ["template \(result["id"]?.intValue ?? 0)  status \(result["status"]?.stringValue ?? "")"]
                for member in result["Header"]?.members ?? [] {
                    out.append("  \(member.key.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Table.text(member.value))")
                }
                for (index, line) in (result["Lines"]?.arrayValue ?? []).enumerated() {
                    out.append("line \(index)")
                    for member in line.members ?? [] {
                        out.append("  \(member.key.padding(toLength: 20, withPad: " ", startingAt: 0)) \(Table.text(member.value))")
                    }
                }
                return out.joined(separator: "\n")
            }
        }
    }
}

struct Customers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or show customers.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List customers, newest first, a page at a time.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var page: PageOptions

        func run() throws {
            try options.send("customers.list", page.args) { result in
                PageOptions.table(
                    result, headers: ["CUSTOMER GUID", "NAME", "E-MAIL", "MOBILE", "SMS CONSENT"],
                    rows: (result["customers"]?.arrayValue ?? []).map { c in
                        let name = [c["CompanyName"], c["FirstName"], c["LastName"]].compactMap { $0?.stringValue }
                        return [c["CustomerGUID"]?.stringValue ?? "", name.joined(separator: " "),
                                c["Email"]?.stringValue ?? "-", c["MobilePhoneNumber"]?.stringValue ?? "-",
                                c["SmsConsent"]?.boolValue == true ? "yes" : "no"]
                    })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one customer.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "CustomerGUID.") var customer: String

        func run() throws {
            try options.send("customers.show", [("customer", .string(customer))]) { result in
                (result.members ?? []).map {
                    "\($0.key.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Table.text($0.value))"
                }.joined(separator: "\n")
            }
        }
    }
}

/// Plain aligned columns for terminals.
enum Table {
    static func render(headers: [String], rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return value.serialized()
        }
    }
}
