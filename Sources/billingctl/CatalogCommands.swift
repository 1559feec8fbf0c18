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
            try options.send(
                "templates.pause", arguments: TemplatePauseArguments(template: template, reason: reason),
                answer: TemplateStatusAnswer.self
            ) { r in "template \(template) \(r.status)" }
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused template; runs missed meanwhile are caught up under the catch-up policy.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Template Id or RecordGuid (id:N or guid:G when a RecordGuid is another template's Id).") var template: String

        func run() throws {
            try options.send(
                "templates.resume", arguments: TemplateResumeArguments(template: template),
                answer: TemplateStatusAnswer.self
            ) { r in "template \(template) \(r.status)" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List templates with their next run, newest first, a page at a time.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var page: PageOptions

        func run() throws {
            try options.send("templates.list", arguments: page.arguments, answer: TemplateListAnswer.self) { page in
                PageOptions.table(
                    next: page.next, headers: ["ID", "RECORD GUID", "CUSTOMER", "REPEAT", "STATUS", "NEXT RUN", "TOTAL"],
                    rows: page.templates.map { t in
                        [String(t.id), t.recordGuid, t.customerGuid, t.repeatVery, t.status, t.nextRunDate ?? "-",
                         "\(t.totalIncVat) \(t.currency)"]
                    })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one template, every header and line field.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Template Id or RecordGuid (id:N or guid:G when a RecordGuid is another template's Id).") var template: String

        func run() throws {
            try options.send(
                "templates.show", arguments: TemplateShowArguments(template: template), answer: TemplateAnswer.self
            ) { shown in
                // Every field in the import document's names and order: the decoded fields, written back as JSON.
                var out = ["template \(shown.id)  status \(shown.status)"]
                out += Table.fields(of: shown.header, width: 18).map { "  " + $0 }
                for (index, line) in shown.lines.enumerated() {
                    out.append("line \(index)")
                    out += Table.fields(of: line, width: 20).map { "  " + $0 }
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
            try options.send("customers.list", arguments: page.arguments, answer: CustomerListAnswer.self) { page in
                PageOptions.table(
                    next: page.next, headers: ["CUSTOMER GUID", "NAME", "E-MAIL", "MOBILE", "SMS CONSENT"],
                    rows: page.customers.map { c in
                        let name = [c.companyName, c.firstName, c.lastName].compactMap { $0 }
                        return [c.customerGUID, name.joined(separator: " "), c.email ?? "-", c.mobilePhoneNumber ?? "-",
                                c.smsConsent ? "yes" : "no"]
                    })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one customer.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "CustomerGUID.") var customer: String

        func run() throws {
            try options.send(
                "customers.show", arguments: CustomerShowArguments(customer: customer), answer: CustomerAnswer.self
            ) { shown in
                Table.fields(of: shown, width: 18).joined(separator: "\n")
            }
        }
    }
}
