import ControlProtocol
import Foundation
import TestSupport
import Testing

@Suite("Outbox: SIGKILL during a drain")
struct OutboxCrashTests {
    /// E-mails drain to a real SMTP server while the daemon is killed at random instants (seeded) and restarted each
    /// time, after the dead daemon's leases ran out. After every restart no row is lost (each is pending, sending or
    /// sent) and the database passes integrity_check. At the end every row is sent and recorded sent exactly once,
    /// every message reached the server, and a message it received twice was in flight at a kill and carried the
    /// same Message-ID both times.
    @Test(.timeLimit(.minutes(20)))
    func sigkillAtRandomInstantsMidDrainLosesNothingAndEveryDuplicateCarriesTheSameMessageID() throws {
        let messages = HeavyTests.size(1_000, heavy: 10_000), kills = HeavyTests.size(20, heavy: 100)
        let sink = try LoopbackServer.smtpSink(plan: #"{"light": true, "delay_ms": 20}"#)
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(sink.port, extra: "rate_per_second = 5000")
            + "\nlease_seconds = 60\nconcurrency = 4\n")
        try fixture.once(OutboxFixture.firstRun)
        try fixture.queueResends(messages, keyPrefix: "crash")
        let log = fixture.folder.appendingPathComponent("crash.log")
        var random = SplitMix64(seed: 0xD4A1_2027_0131)
        var inFlight = Set<String>(), killsMidDrain = 0, restarts = 0, sentAtLastKill = 0
        let start = Date(timeIntervalSince1970: 1_801_389_600)  // 2027-01-31T11:00:00+01:00
        while true {
            // Each restart two simulated minutes after the last: the killed daemon's 60 s leases have run out.
            let now = ISO8601DateFormatter().string(from: start.addingTimeInterval(TimeInterval(restarts * 120)))
            let killed = try KilledRun.run(
                ["--once", "--database", fixture.database, "--config", fixture.configPath, "--now", now],
                environment: fixture.environment,
                killAfterMilliseconds: killsMidDrain >= kills ? 600_000 : random.int(in: 50...300), log: log)
            restarts += 1
            var statuses: [String: Int] = [:]
            for row in try fixture.rows("SELECT status, count(*) FROM outbox WHERE idempotency_key LIKE 'crash-%' GROUP BY status") {
                statuses[row[0]] = Int(row[1])
            }
            #expect(statuses.values.reduce(0, +) == messages && Set(statuses.keys).isSubset(of: ["pending", "sending", "sent"]),
                    "after restart \(restarts): \(statuses)")
            #expect(try SQLiteShell.rows(fixture.database, "PRAGMA integrity_check") == [["ok"]])
            guard killed else { break }
            inFlight.formUnion(try fixture.rows("SELECT idempotency_key FROM outbox WHERE status = 'sending'").map { $0[0] })
            if statuses["sent", default: 0] < messages {
                killsMidDrain += 1
                sentAtLastKill = statuses["sent", default: 0]
            } else if killsMidDrain < kills {
                Issue.record("the drain finished after \(killsMidDrain) kills; the workload is too small")
                break
            }
        }
        #expect(killsMidDrain >= kills)

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
        let duplicateKeys = Set(duplicates.keys.map { String($0.dropFirst().prefix { $0 != "@" }) })
        #expect(duplicateKeys.isSubset(of: inFlight), "only messages in flight at a kill were sent again")
        print("outbox crash test: \(killsMidDrain) kills mid-drain in \(restarts) runs (\(sentAtLastKill) sent at the last), \(messages) messages, "
              + "\(duplicates.count) received more than once (same Message-ID), \(inFlight.count) in flight at the kills")
    }

    /// SIGTERM during a drain: the messages in flight finish, the rest of the claimed batch is handed back at once
    /// (no lease to wait for), and the daemon exits 0. Nothing is sent twice.
    @Test func sigtermMidDrainFinishesTheMessagesInFlightAndHandsTheRestBack() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"{"light": true}"#)
        // 50 messages a second: slow enough that SIGTERM surely lands mid-drain.
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(sink.port, extra: "rate_per_second = 50"))
        try fixture.once(OutboxFixture.firstRun)
        try fixture.queueResends(500, keyPrefix: "term")
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
