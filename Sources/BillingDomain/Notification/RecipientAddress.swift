/// Syntax checks of a recipient: run where it arrives (import, `resend --to`) and again by the sender worker just
/// before sending.
///
/// Consent and presence are decided when a message is queued (`NotificationPolicy`); at send time these checks
/// catch what another program wrote that no server could ever deliver to, so it fails at once instead of being
/// retried for hours. They are deliberately conservative: ASCII addresses only (no SMTPUTF8), no comments, no
/// quoted local parts, and never a CR or LF, which could smuggle extra headers into a message.
public enum RecipientAddress {
    private static let localSpecials: Set<Character> = ["!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?",
                                                       "^", "_", "`", "{", "|", "}", "~", "."]

    /// An RFC 5321 mailbox `local@domain.tld` (dot-atom local part, a domain of at least two labels).
    public static func isValidEmail(_ address: String) -> Bool {
        guard address.utf8.count <= 254, address.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else { return false }
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."),
              !local.contains(".."),
              local.allSatisfy({ $0.isLetter || $0.isNumber || localSpecials.contains($0) }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// A phone number an SMS gateway can take: E.164, an optional `+` and 7–15 digits; spaces and dashes, as
    /// people write numbers, are ignored.
    public static func normalizedPhone(_ number: String) -> String? {
        var text = Substring(number.filter { $0 != " " && $0 != "-" })
        let plus = text.hasPrefix("+")
        if plus { text = text.dropFirst() }
        guard (7...15).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return (plus ? "+" : "") + text
    }

    /// Why `recipient` cannot be sent to over `channel`, or nil when it can: the rule `resend --to` applies.
    public static func refusal(_ recipient: String, via channel: OutboxChannel) -> String? {
        switch channel {
        case .email:
            return isValidEmail(recipient) ? nil : "is not an e-mail address billingd can send to (ASCII local@domain.tld, no comments or quoted parts)"
        case .sms:
            return normalizedPhone(recipient) != nil ? nil : "is not a mobile number (an optional + and 7–15 digits; spaces and dashes are allowed)"
        case .post:
            return ContactText.hasControl(recipient) ? "contains a control character (a line break, tab, …)" : nil
        }
    }
}
