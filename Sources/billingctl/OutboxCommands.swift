import ArgumentParser
import ControlProtocol

struct Drain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send every outbox message that is due now, and print what happened.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        try options.send("drain", arguments: NoArguments(), answer: DrainAnswer.self) { d in
            "claimed \(d.claimed): sent \(d.sent), retrying \(d.retrying), failed \(d.failed), dead \(d.dead)"
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
            let arguments = OutboxListArguments(status: status, limit: page.arguments.limit, after: page.arguments.after)
            try options.send("outbox.list", arguments: arguments, answer: OutboxListAnswer.self) { page in
                PageOptions.table(
                    next: page.next,
                    headers: ["ID", "INVOICE", "CHANNEL", "KIND", "RECIPIENT", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"],
                    rows: page.messages.map { m in
                        let error = [m.lastErrorCode, m.lastError].compactMap { $0 }.joined(separator: ": ")
                        return [String(m.id), m.invoiceNumber ?? "-", m.channel, m.kind, m.recipient, m.status,
                                String(m.attempts), m.status == "pending" ? m.nextAttemptAt ?? "-" : "-",
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
            try options.send(
                "outbox.retry", arguments: OutboxRetryArguments(id: String(id)), answer: OutboxMessageAnswer.self
            ) { m in
                "outbox message \(m.id) (\(m.channel) to \(m.recipient)) is \(m.status) again"
            }
        }
    }
}
