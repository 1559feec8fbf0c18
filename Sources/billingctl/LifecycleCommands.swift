import ArgumentParser
import ControlProtocol

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark unpaid invoices whose due date has passed as PastDue and queue the reminders now due.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        try options.send("sweep", arguments: NoArguments(), answer: SweepAnswer.self) { sweep in
            var out = ["marked \(sweep.markedPastDue) invoices past due"]
            for reminder in sweep.reminders {
                out.append("  reminder \(reminder.level) queued for \(reminder.number)")
            }
            return out.joined(separator: "\n")
        }
    }
}

struct Pay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply a payment to an invoice; the payment that reaches a zero balance closes it.",
        discussion: """
            The same --ref again on one invoice with the same amount, type and date answers the existing payment \
            ("duplicate": true) and applies nothing; with another amount, type or date it is refused (REFNO_CONFLICT).
            """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Invoice number.") var number: String
    @Option(help: "Amount in the invoice's currency, e.g. 125.50.") var amount: String
    @Option(help: "ach, cash, cc or check.") var type: String
    @Option(help: "Payment reference (RefNo).") var ref: String?
    @Option(help: "Payment date YYYY-MM-DD (default: today in the invoice's time zone).") var date: String?
    @Option(help: "Payer's name.") var payerName: String?
    @Option(help: "Payer's e-mail.") var payerEmail: String?
    @Option(help: "Free-text notes.") var notes: String?

    func run() throws {
        let arguments = PayArguments(
            number: number, amount: amount, type: type, ref: ref, date: date, payerName: payerName,
            payerEmail: payerEmail, notes: notes)
        try options.send("pay", arguments: arguments, answer: PaymentAnswer.self) { p in
            let prefix = p.duplicate ? "already applied (same RefNo): payment" : "applied payment"
            return "\(prefix) \(p.paymentId) of \(p.amount) \(p.currency); invoice \(p.status), paid \(p.paid), balance \(p.balance)"
        }
    }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel an unpaid Due or PastDue invoice; its pending messages are withdrawn.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Invoice number.") var number: String

    func run() throws {
        try options.send("cancel", arguments: CancelArguments(number: number), answer: CancelAnswer.self) { c in
            "invoice \(number) \(c.status); \(c.withdrawnMessages) pending messages withdrawn"
        }
    }
}

struct Resend: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue an invoice again by e-mail, SMS or post.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Invoice number.") var number: String
    @Option(help: "email, sms or post.") var via: String
    @Option(help: "Send to this address or number instead of the customer's.") var to: String?

    func run() throws {
        try options.send(
            "resend", arguments: ResendArguments(number: number, via: via, to: to), answer: ResendAnswer.self
        ) { r in
            "queued \(r.channel) to \(r.recipient) (outbox \(r.outboxId))"
        }
    }
}
