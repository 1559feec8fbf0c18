import ControlProtocol
import Foundation
import Testing

@Suite("Outbox: SIGKILL during a drain")
struct OutboxCrashTests {
    /// 2,000 messages drain to a real SMTP server; the daemon is killed in the middle and restarted once its
    /// leases ran out. Every row must end sent exactly once in the database, every message must have reached the
    /// server, and a message the server got twice must be a row that was in flight at the kill, carrying the same
    /// Message-ID both times.
    @Test func sigkillMidDrainLosesNothingAndEveryDuplicateCarriesTheSameMessageID() throws {
        let messages = 2_000
        let sink = try LoopbackServer.smtpSink(plan: #"{"light": true, "delay_ms": 20}"#)
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(sink.port, extra: "rate_per_second = 5000")
            + "\nlease_seconds = 60\nconcurrency = 4\n")
        try fixture.once(OutboxFixture.firstRun)
        // A bulk resend queued by another program: one row per recipient, each with its own idempotency key.
        try SQLiteShell.execute(fixture.database, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(messages))
            INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, next_attempt_at,
                                created_at, updated_at)
            SELECT 1, 'email', 'resend', 'r' || i || '@example.com', 'en', 'crash-' || i, 'pending', 0, 0, 0 FROM n
            """)
        let before = sink.count()

        let daemon = try fixture.daemon(now: "2027-01-31T11:00:00+01:00")
        #expect(try eventually(within: 120) { sink.count() - before >= 300 }, "\(daemon.log())")
        daemon.kill9()
        let inFlight = Set(try fixture.rows("SELECT idempotency_key FROM outbox WHERE status = 'sending'").map { $0[0] })
        let sentAtKill = Int(try SQLiteShell.scalar(fixture.database, "SELECT count(*) FROM outbox WHERE status = 'sent' AND idempotency_key LIKE 'crash-%'")) ?? 0
        #expect(sentAtKill < messages, "the kill landed in the middle of the drain")

        // A restart after the dead daemon's leases (60 s) ran out.
        try fixture.once("2027-01-31T11:05:00+01:00")

        let statuses = try fixture.rows("SELECT status, count(*) FROM outbox WHERE channel = 'email' GROUP BY status")
        #expect(statuses == [["sent", String(messages + 1)]], "every row ends sent: \(statuses)")
        #expect(try SQLiteShell.scalar(fixture.database,
                                       "SELECT count(*) FROM outbox WHERE status = 'sent' AND provider_message_id IS NULL") == "0")
        let sentEvents = try fixture.rows("""
            SELECT count(*), count(DISTINCT target) FROM invoice_history
            WHERE type = 'notification_sent' AND target LIKE 'r%@example.com'
            """)
        #expect(sentEvents == [[String(messages), String(messages)]], "recorded sent exactly once per row")

        var received: [String: Int] = [:]
        for record in try sink.records() {
            received[record["messageId"]?.stringValue ?? "none", default: 0] += 1
        }
        let expected = Set((1...messages).map { "<crash-\($0)@example.com>" } + ["<invoice-1-invoice_issued-email@example.com>"])
        #expect(Set(received.keys) == expected, "none lost, nothing unknown")
        let duplicates = received.filter { $0.value > 1 }
        #expect(duplicates.values.allSatisfy { $0 == 2 })
        let duplicateKeys = Set(duplicates.keys.map { String($0.dropFirst().prefix { $0 != "@" }) })
        #expect(duplicateKeys.isSubset(of: inFlight), "only messages in flight at the kill were sent twice")
        print("outbox crash test: \(sentAtKill) of \(messages) marked sent at the kill, \(inFlight.count) in flight, \(duplicates.count) received twice (same Message-ID)")
    }

    /// SIGTERM during a drain: the messages in flight finish, the rest of the claimed batch is handed back at once
    /// (no lease to wait for), and the daemon exits 0. Nothing is sent twice.
    @Test func sigtermMidDrainFinishesTheMessagesInFlightAndHandsTheRestBack() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"{"light": true}"#)
        // 50 messages a second: slow enough that SIGTERM surely lands mid-drain.
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(sink.port, extra: "rate_per_second = 50"))
        try fixture.once(OutboxFixture.firstRun)
        try SQLiteShell.execute(fixture.database, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
            INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, next_attempt_at,
                                created_at, updated_at)
            SELECT 1, 'email', 'resend', 'r' || i || '@example.com', 'en', 'term-' || i, 'pending', 0, 0, 0 FROM n
            """)
        let daemon = try fixture.daemon(now: "2027-01-31T11:00:00+01:00")
        #expect(try eventually(within: 60) { sink.count() >= 50 })
        #expect(daemon.stop() == 0)
        let left = try fixture.rows("SELECT status, count(*) FROM outbox WHERE idempotency_key LIKE 'term-%' GROUP BY status")
        #expect(!left.contains { $0[0] == "sending" }, "nothing stays leased after a clean stop: \(left)")
        #expect(left.contains { $0[0] == "pending" }, "SIGTERM did not wait for the whole queue: \(left)")
        let fast = fixture.config + "\n[email]\nrate_per_second = 5000\n"
        try fast.replacingOccurrences(of: "rate_per_second = 50\n", with: "").write(
            toFile: fixture.configPath, atomically: true, encoding: .utf8)
        try fixture.once("2027-01-31T11:00:30+01:00")
        #expect(try fixture.rows("SELECT status, count(*) FROM outbox WHERE idempotency_key LIKE 'term-%' GROUP BY status")
                == [["sent", "500"]])
        var received: [String: Int] = [:]
        for record in try sink.records() { received[record["messageId"]?.stringValue ?? "", default: 0] += 1 }
        #expect(received.filter { $0.key.hasPrefix("<term-") }.count == 500)
        #expect(received.values.allSatisfy { $0 == 1 }, "a clean stop sends nothing twice")
    }
}
