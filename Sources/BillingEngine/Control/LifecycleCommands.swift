import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `sweep`, `pay`, `cancel`, `resend`.
enum LifecycleCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("sweep", .typed(NoArguments.self, mutating: true) { engine, _ in
            let result = try engine.sweep()
            return SweepAnswer(
                markedPastDue: result.markedPastDue,
                reminders: result.reminders.map {
                    QueuedReminder(number: $0.number, level: $0.level, skippedLevels: $0.skipped)
                })
        }),
        ("pay", .typed(PayArguments.self, mutating: true) { engine, arguments in
            let typeText = try Arguments.nonEmpty(arguments.type, "type")
            guard let type = PaymentType(rawValue: typeText) else {
                throw BillingError(.invalidRequest, "Payment type '\(typeText.prefix(20))' is not one of ach, cash, cc, check.",
                                   field: "type")
            }
            let request = PaymentRequest(
                number: try Arguments.nonEmpty(arguments.number, "number"),
                amount: try Arguments.nonEmpty(arguments.amount, "amount"), type: type,
                refNo: arguments.ref, paymentDate: arguments.date,
                payerName: arguments.payerName, payerEmail: arguments.payerEmail, notes: arguments.notes)
            for (name, value) in [("ref", request.refNo), ("payerName", request.payerName),
                                  ("payerEmail", request.payerEmail), ("notes", request.notes)] {
                if let value, value.count > 1_000 {
                    throw BillingError(.fieldTooLong, "\(name) is longer than 1,000 characters.", field: name)
                }
            }
            if let email = request.payerEmail, !RecipientAddress.isValidEmail(email) {
                throw BillingError(.invalidField, "Payer e-mail '\(email.prefix(100))' is not a valid e-mail address.",
                                   field: "payerEmail")
            }
            let outcome = try engine.applyPayment(request)
            let currency = Currency(code: outcome.currency)
            let money = { (minor: Int64) in currency?.format(minor) ?? String(minor) }
            return PaymentAnswer(
                paymentId: outcome.paymentId, amount: money(outcome.amount), duplicate: outcome.duplicate,
                status: outcome.status, paid: money(outcome.paid), balance: money(outcome.balance),
                currency: outcome.currency)
        }),
        ("cancel", .typed(CancelArguments.self, mutating: true) { engine, request in
            let outcome = try engine.cancel(number: try Arguments.nonEmpty(request.number, "number"))
            return CancelAnswer(status: outcome.status.rawValue, withdrawnMessages: outcome.withdrawn)
        }),
        ("resend", .typed(ResendArguments.self, mutating: true) { engine, request in
            let via = try Arguments.nonEmpty(request.via, "via")
            guard let channel = OutboxChannel(rawValue: via) else {
                throw BillingError(.invalidRequest, "--via '\(via.prefix(20))' is not one of email, sms, post.", field: "via")
            }
            let to = request.to
            if let to, to.count > 254 {
                throw BillingError(.fieldTooLong, "--to is longer than 254 characters.", field: "to")
            }
            if let to, let refusal = RecipientAddress.refusal(to, via: channel) {
                throw BillingError(.invalidField, "--to \(refusal).", field: "to")
            }
            let outcome = try engine.resend(
                number: try Arguments.nonEmpty(request.number, "number"), channel: channel, to: to)
            return ResendAnswer(outboxId: outcome.outboxId, channel: channel.rawValue, recipient: outcome.recipient)
        }),
    ]
}
