/// A message to queue in the outbox, decided by the domain, written by the store.
public struct NotificationIntent: Sendable, Hashable {
    public var channel: OutboxChannel
    /// `invoice_issued`, `reminder_1`, `receipt`, `resend`, …
    public var kind: String
    public var recipient: String
    public var language: String?

    public init(channel: OutboxChannel, kind: String, recipient: String, language: String?) {
        self.channel = channel
        self.kind = kind
        self.recipient = recipient
        self.language = language
    }
}

/// A channel not used, and why: it lands in the invoice's history so nobody wonders where the message went.
public struct NotificationSkip: Sendable, Hashable {
    public var channel: OutboxChannel
    public var code: BillingError.Code
    public var reason: String
}

/// Who may be told what, and how (002_4aa1e99df782f876.txt: SMS only with the customer's consent).
public enum NotificationPolicy {
    /// The messages for `kind` to this customer over e-mail and SMS, and the channels left out with the reason.
    public static func plan(kind: String, for customer: Customer) -> (intents: [NotificationIntent], skipped: [NotificationSkip]) {
        var intents: [NotificationIntent] = []
        var skipped: [NotificationSkip] = []
        if let email = customer.email, !email.isEmpty {
            if customer.emailConsent == false {
                skipped.append(NotificationSkip(channel: .email, code: .noConsent,
                                                reason: "The customer withdrew consent to e-mail."))
            } else {
                intents.append(NotificationIntent(channel: .email, kind: kind, recipient: email, language: customer.language))
            }
        } else {
            skipped.append(NotificationSkip(channel: .email, code: .noAddress, reason: "The customer has no e-mail address."))
        }
        if !customer.smsConsent {
            skipped.append(NotificationSkip(channel: .sms, code: .noConsent,
                                            reason: "The customer has not consented to SMS notifications."))
        } else if let mobile = customer.mobilePhone, !mobile.isEmpty {
            intents.append(NotificationIntent(channel: .sms, kind: kind, recipient: mobile, language: customer.language))
        } else {
            skipped.append(NotificationSkip(channel: .sms, code: .noAddress, reason: "The customer has no mobile number."))
        }
        return (intents, skipped)
    }
}
