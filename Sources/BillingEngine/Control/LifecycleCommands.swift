import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `sweep`, `pay`, `cancel`, `resend`.
enum LifecycleCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("sweep", .init(mutating: true) { engine, _ in
            let result = try engine.sweep()
            return [
                "markedPastDue": JSONValue(result.markedPastDue),
                "reminders": .array(result.reminders.map {
                    ["number": .string($0.number), "level": JSONValue($0.level),
                     "skippedLevels": .array($0.skipped.map { JSONValue($0) })]
                }),
            ]
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
        ("cancel", .init(mutating: true) { engine, args in
            let outcome = try engine.cancel(number: try args.requiredString("number"))
            return ["status": .string(outcome.status.rawValue), "withdrawnMessages": JSONValue(outcome.withdrawn)]
        }),
        ("resend", .init(mutating: true) { engine, args in
            let via = try args.requiredString("via")
            guard let channel = OutboxChannel(rawValue: via) else {
                throw BillingError(.invalidRequest, "--via '\(via.prefix(20))' is not one of email, sms, post.", field: "via")
            }
            let to = try args.string("to")
            if let to, to.count > 254 {
                throw BillingError(.fieldTooLong, "--to is longer than 254 characters.", field: "to")
            }
            if let to, let refusal = RecipientAddress.refusal(to, via: channel) {
                throw BillingError(.invalidField, "--to \(refusal).", field: "to")
            }
            let outcome = try engine.resend(number: try args.requiredString("number"), channel: channel, to: to)
            return ["outboxId": JSONValue(Int(outcome.outboxId)), "channel": .string(channel.rawValue),
                    "recipient": .string(outcome.recipient)]
        }),
    ]
}
