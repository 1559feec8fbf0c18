import BillingTestKit
import ControlProtocol
import Foundation
import Testing

@Suite("Faults: the SMTP server vanishing mid-drain")
struct FaultSMTPTests {
    /// 300 messages drain to a real SMTP server that is killed after about 50. The e-mail channel reports a fault,
    /// every message stays pending (none failed or dead), and once a server listens on the port again every
    /// message arrives; a message received twice is one the dead server took without answering, and carries the
    /// same Message-ID both times.
    @Test(.timeLimit(.minutes(5)))
    func anSMTPServerThatVanishesIsAChannelFaultAndEveryMessageArrivesOnceItReturns() throws {
        let messages = 300
        let first = try LoopbackServer.smtpSink(plan: #"{"light": true, "delay_ms": 20}"#)
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(
            first.port, extra: "rate_per_second = 5000",
            outbox: "backoff_base_seconds = 1\nbackoff_max_seconds = 2\nmax_attempts = 100\nconcurrency = 4"))
        try fixture.once(OutboxFixture.firstRun)
        try fixture.queueResends(messages, keyPrefix: "vanish")
        let notify = try NotifyListener()
        defer { notify.close() }
        var environment = fixture.environment
        environment["NOTIFY_SOCKET"] = notify.path
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-31T11:00:00+01:00"], config: fixture.config,
                                       environment: environment, database: fixture.database)
        #expect(try eventually(within: 60) { first.count() >= 51 })
        first.stop()

        let fault = try notify.waitForStatus(leading: "FAULT CONNECTION_")
        #expect(fault.datagram.value("STATUS")?.contains("(email): ") == true, "\(fault.datagram)")
        let code = try #require(try daemon.ctl("--json", "status").json()["faults"]?.arrayValue?.first.flatMap { text($0["code"]) })
        try ReportedFault.expectRaised(code, scope: "email", daemon)
        let waiting = try fixture.rows("SELECT status, count(*) FROM outbox WHERE idempotency_key LIKE 'vanish-%' GROUP BY status")
        #expect(waiting.allSatisfy { ["pending", "sending", "sent"].contains($0[0]) }, "nothing failed or dead: \(waiting)")
        #expect(waiting.contains { $0[0] == "pending" }, "\(waiting)")

        let second = try LoopbackServer.smtpSink(plan: #"{"light": true}"#, port: first.port)
        try notify.waitForStatus(leading: "FAULT", leads: false, from: fault.index)
        #expect(try eventually(within: 60) {
            try fixture.rows("SELECT status, count(*) FROM outbox WHERE idempotency_key LIKE 'vanish-%' GROUP BY status")
                == [["sent", String(messages)]]
        })
        try ReportedFault.expectCleared(code, daemon)
        #expect(daemon.stop() == 0)

        var received: [String: Int] = [:]
        for record in try first.records() + second.records() {
            received[record["messageId"]?.stringValue ?? "none", default: 0] += 1
        }
        let expected = Set((1...messages).map { "<vanish-\($0)@example.com>" })
        #expect(expected.isSubset(of: Set(received.keys)), "every message arrived")
        #expect(Set(received.keys).subtracting(expected) == ["<invoice-1-invoice_issued-email@example.com>"])
        let twice = received.filter { $0.value > 1 }
        #expect(twice.values.allSatisfy { $0 == 2 } && twice.count <= 4, "at most the 4 messages in flight: \(twice)")
        #expect(try fixture.rows("""
            SELECT count(*), count(DISTINCT target) FROM invoice_history
            WHERE type = 'notification_sent' AND target LIKE 'r%@example.com'
            """) == [[String(messages), String(messages)]], "recorded sent exactly once per row")
    }
}
