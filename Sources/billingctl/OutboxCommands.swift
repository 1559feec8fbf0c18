import ArgumentParser
import ControlProtocol

struct Drain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send every outbox message that is due now, and print what happened.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        try options.send("drain") { r in
            let count = { (key: String) in r[key]?.intValue ?? 0 }
            return "claimed \(count("claimed")): sent \(count("sent")), retrying \(count("retrying")), failed \(count("failed")), dead \(count("dead"))"
        }
    }
}

struct Outbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List outbox messages or replay a dead one.", subcommands: [List.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List outbox messages, newest first, a page at a time.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "pending, sending, sent, failed, dead or withdrawn.") var status: String?
        @OptionGroup var page: PageOptions

        func run() throws {
            try options.send("outbox.list", (status.map { [("status", .string($0))] } ?? []) + page.args) { result in
                PageOptions.table(
                    result, headers: ["ID", "INVOICE", "CHANNEL", "KIND", "RECIPIENT", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"],
                    rows: (result["messages"]?.arrayValue ?? []).map { m in
                        let error = [m["lastErrorCode"], m["lastError"]].compactMap { $0?.stringValue }.joined(separator: ": ")
                        return ["id", "invoiceNumber", "channel", "kind", "recipient", "status", "attempts"]
                            .map { Table.text(m[$0] ?? .null) }
                            + [m["status"]?.stringValue == "pending" ? Table.text(m["nextAttemptAt"] ?? .null) : "-",
                               error.isEmpty ? "-" : String(error.prefix(80))]
                    })
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a dead or failed message: pending again, due now, with a fresh set of attempts.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Outbox message id (see 'outbox list').") var id: Int

        func run() throws {
            try options.send("outbox.retry", [("id", .string(String(id)))]) { m in
                "outbox message \(Table.text(m["id"] ?? .null)) (\(Table.text(m["channel"] ?? .null)) to \(Table.text(m["recipient"] ?? .null))) is \(Table.text(m["status"] ?? .null)) again"
            }
        }
    }
}
