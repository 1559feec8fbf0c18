import Foundation

/// One e-mail, ready to be written as RFC 5322 text: headers, a text and an HTML alternative, attachments.
public struct EmailMessage: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public var fileName: String
        public var contentType: String
        public var bytes: [UInt8]

        public init(fileName: String, contentType: String, bytes: [UInt8]) {
            self.fileName = fileName
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// `<key@domain>`, derived from the outbox row: the same row always gets the same Message-ID, so a resend after
    /// a crash between sending and marking is recognisable as a duplicate.
    public var messageID: String
    public var date: Date
    public var idempotencyKey: String

    public init(from: Mailbox, to: Mailbox, subject: String, text: String, html: String?, attachments: [Attachment],
                messageID: String, date: Date, idempotencyKey: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    /// The Message-ID for an outbox row's key: `<key@domain-of-the-sender>`.
    public static func messageID(key: String, from: Mailbox) -> String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "billingd.invalid"
        let safeKey = String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" })
        return "<\(safeKey)@\(domain)>"
    }

    /// The message as RFC 5322 text with CRLF line ends: multipart/mixed (when there are attachments) around
    /// multipart/alternative (text, then HTML, as readers prefer the last part they understand).
    public func rfc5322() -> [UInt8] {
        // Boundaries start with "=_": quoted-printable and base64 bodies can never contain that sequence.
        let tag = String(idempotencyKey.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 36)
        var out: [String] = [
            HeaderField.folded("From", from.headerWords(firstRoom: HeaderField.firstRoom("From"))),
            HeaderField.folded("To", to.headerWords(firstRoom: HeaderField.firstRoom("To"))),
            HeaderField.folded("Subject", MIMEEncoding.headerWords(subject, firstRoom: HeaderField.firstRoom("Subject"))),
            "Date: \(MIMEEncoding.date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "X-Billingd-Idempotency-Key: \(idempotencyKey)",
        ]
        let alternative = alternativePart(boundary: "=_alt_\(tag)")
        if attachments.isEmpty {
            out += alternative
        } else {
            let mixed = "=_mixed_\(tag)"
            out += ["Content-Type: multipart/mixed; boundary=\"\(mixed)\"", "", "--\(mixed)"]
            out += alternative
            for attachment in attachments {
                let name = MIMEEncoding.parameter(attachment.fileName)
                out += ["--\(mixed)", "Content-Type: \(attachment.contentType); name=\(name)",
                        "Content-Disposition: attachment; filename=\(name)", "Content-Transfer-Encoding: base64", "",
                        Data(attachment.bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])]
            }
            out += ["--\(mixed)--"]
        }
        return Array((out.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private func alternativePart(boundary: String) -> [String] {
        var lines = ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)",
                     "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
                     MIMEEncoding.quotedPrintable(text)]
        if let html {
            lines += ["--\(boundary)", "Content-Type: text/html; charset=utf-8",
                      "Content-Transfer-Encoding: quoted-printable", "", MIMEEncoding.quotedPrintable(html)]
        }
        lines += ["--\(boundary)--", ""]
        return lines
    }
}

/// A display name and an address, as in `Billing <billing@example.com>`.
public struct Mailbox: Sendable, Equatable {
    public var name: String?
    public var address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// Reads `Name <address>` or a bare address (the `email.from` setting).
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            self.init(name: name.isEmpty ? nil : name,
                      address: String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]))
        } else {
            self.init(name: nil, address: trimmed)
        }
    }

    /// `"Name" <address>` as header words; the display name is always quoted or encoded (see `MIMEEncoding`).
    func headerWords(firstRoom: Int) -> [String] {
        guard let name, let words = MIMEEncoding.displayNameWords(name, firstRoom: firstRoom) else { return [address] }
        return words + ["<\(address)>"]
    }
}
