@testable import BillingDelivery
import Foundation
import Testing

@Suite("Outbox: e-mail through sendmail")
struct SendmailTransportTests {
    /// A sendmail that writes 1 MiB to stderr and to stdout before it reads the message, as a chatty MTA wrapper
    /// may: billingd drains both while it writes, so neither side waits for the other.
    @Test func sendmailThatFloodsStderrBeforeReadingStdinDoesNotStall() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("sendmail").path
        try """
            #!/bin/sh
            head -c 1048576 /dev/zero | tr '\\0' e >&2
            head -c 1048576 /dev/zero | tr '\\0' o
            cat > "$0.received"
            exit 0
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let message = EmailMessage(
            from: Mailbox(parsing: "Billing <billing@example.com>"), to: Mailbox(name: "Ada", address: "ada@example.com"),
            subject: "Invoice", text: String(repeating: "A line of the invoice text.\n", count: 10_000), html: nil,
            attachments: [.init(fileName: "i.pdf", contentType: "application/pdf", bytes: Array(repeating: 7, count: 200_000))],
            messageID: "<k@example.com>", date: Date(timeIntervalSince1970: 0), idempotencyKey: "k")
        let started = Date()
        #expect(try SendmailTransport(path: script, timeout: 10).send(message) == "<k@example.com>")
        #expect(Date().timeIntervalSince(started) < 8, "no stall until the timeout")
        let received = try Data(contentsOf: URL(fileURLWithPath: script + ".received"))
        #expect(received.count > 300_000 && String(decoding: received, as: UTF8.self).contains("Subject: Invoice\n"))
    }
}
