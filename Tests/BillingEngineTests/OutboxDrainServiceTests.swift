@testable import BillingEngine
@testable import BillingStore
import BillingDomain
import Foundation
import ServiceLifecycleTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Outbox drain service: wakes, faults and graceful shutdown")
struct OutboxDrainServiceTests {
    static let number = "INV-2027-000001"

    /// An engine whose clock is at the fixture template's first run, the run invoiced and its e-mail queued.
    private func billedEngine(_ fixture: EngineFixture, configure: (inout Configuration) -> Void = { _ in }) throws
        -> BillingEngine {
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+01:00", configure: configure)
        try fixture.importDocument(engine, EngineFixture.document())
        try fixture.ctl(engine, "run")
        return engine
    }

    private func spooledEmails(_ fixture: EngineFixture) -> Int {
        let folder = fixture.folder.appendingPathComponent("spool/email").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// The drain sends what is due at start, then sleeps (nothing else is due): an import, billing work, does not
    /// wake it, the billing cycle that invoices the imported template does, and the new invoice's e-mail goes out.
    @Test(.timeLimit(.minutes(5)))
    func theDrainSleepsUntilABillingCycleQueuesMessagesThenSendsThem() async throws {
        let fixture = try EngineFixture()
        let engine = try billedEngine(fixture)
        try await runUntilShutdown({ OutboxDrainService(engine: engine, pool: $0, status: $1) }) { trigger, statuses in
            let first = await statuses.next()
            #expect(first?.contains("outbox pending 0") == true, "\(first ?? "no status")")
            #expect(spooledEmails(fixture) == 1)

            try fixture.importDocument(engine, EngineFixture.document().replacingOccurrences(of: "\"t-1\"", with: "\"t-2\""))
            #expect(try engine.runBillingCycle().generated.map(\.number) == ["INV-2027-000002"])
            let second = await statuses.next()
            #expect(second?.contains("outbox pending 0") == true, "\(second ?? "no status")")
            #expect(spooledEmails(fixture) == 2)
            #expect(try engine.outboxMessages(status: .sent, before: nil, limit: 10).count == 2)
            let asked = ContinuousClock.now
            trigger.triggerGracefulShutdown()
            return asked
        }
    }

    /// Four e-mails due, sent one at a time through a sendmail that holds the first until it is let go. The shutdown
    /// comes while it is held: that message finishes and is recorded sent, the three others of the claimed batch
    /// are pending again (no lease, no attempt used), none was started, and the service returns.
    @Test(.timeLimit(.minutes(5)))
    func aShutdownDuringADrainFinishesTheMessageInFlightAndHandsTheRestBack() async throws {
        let fixture = try EngineFixture()
        let sendmail = try HeldSendmail(folder: fixture.folder)
        // Whatever happens, sendmail is not left waiting (SendmailTransport would end it only at its timeout).
        defer { sendmail.release() }
        let engine = try billedEngine(fixture) {
            $0.emailTransport = .sendmail
            $0.sendmailPath = sendmail.path
            $0.outboxConcurrency = 1
        }
        for copy in 1...3 { _ = try engine.resend(number: Self.number, channel: .email, to: "copy\(copy)@example.com") }
        try #require(try engine.outboxMessages(status: .pending, before: nil, limit: 10).count == 4)

        try await runUntilShutdown({ OutboxDrainService(engine: engine, pool: $0, status: $1) }) { trigger, _ in
            try await sendmail.waitUntilStarted()
            trigger.triggerGracefulShutdown()
            // The stop is asked while the message is still with sendmail; sendmail takes it only now.
            try await Task.sleep(for: .milliseconds(300))
            let released = ContinuousClock.now
            sendmail.release()
            return released
        }

        #expect(sendmail.started == 1 && sendmail.received == 1, "the message in flight went out, no other started")
        let rows = try engine.outboxMessages(status: nil, before: nil, limit: 10)
        #expect(rows.filter { $0.status == .sent }.count == 1, "\(rows.map(\.status))")
        #expect(!rows.contains { $0.status == .sending }, "nothing is left claimed: \(rows.map(\.status))")
        let pending = rows.filter { $0.status == .pending }
        #expect(pending.count == 3 && pending.allSatisfy { $0.leaseUntil == nil && $0.attempts == 0 }, "\(pending)")
        let history = try fixture.show(engine, Self.number)["history"]?.arrayValue ?? []
        #expect(history.filter { $0["type"]?.stringValue == "notification_sent" }.count == 1)
    }

    /// A drain that fails on the database (its claim meets another writer's lock) raises the `drain` fault and says
    /// so in STATUS=, with its retry as the next wake (not the message's own due instant, long past); it retries by
    /// itself and clears the fault once a drain succeeds.
    @Test(.timeLimit(.minutes(5)))
    func aDrainThatFailsOnTheDatabaseIsTheDrainFaultAndIsRetriedUntilItSucceeds() async throws {
        let fixture = try EngineFixture()
        let engine = try billedEngine(fixture) { $0.busyTimeoutMilliseconds = 100 }
        let due = try #require(try engine.outboxMessages(status: .pending, before: nil, limit: 10).first?.nextAttemptAt)
        let writer = try SQLiteConnection(path: fixture.databasePath, busyTimeoutMilliseconds: 1_000)
        try writer.execute("BEGIN EXCLUSIVE")

        try await runUntilShutdown({ OutboxDrainService(engine: engine, pool: $0, status: $1) }) { trigger, statuses in
            let failed = await statuses.next() ?? ""
            let fault = try #require(engine.faults.first)
            #expect((fault.scope, fault.code) == (Fault.drainScope, "DATABASE_LOCKED"))
            #expect(failed.hasPrefix("FAULT DATABASE_LOCKED (drain): "), "\(failed)")
            let wake = failed.split(separator: "; ").first { $0.hasPrefix("next wake ") }
                .flatMap { ISO8601DateFormatter().date(from: String($0.dropFirst("next wake ".count))) }
            let retry = try #require(wake, "\(failed)").timeIntervalSince1970
            #expect(retry > TimeInterval(due) && retry <= fault.since.timeIntervalSince1970 + 60, "\(failed)")
            #expect(spooledEmails(fixture) == 0)

            try writer.execute("COMMIT")
            // Retries that failed before the commit may have told their status first; the one after the drain that
            // succeeded leads with no fault.
            var recovered: String?
            repeat { recovered = await statuses.next() } while recovered?.hasPrefix("FAULT") == true
            #expect(recovered?.contains("outbox pending 0") == true, "\(recovered ?? "no status")")
            #expect(engine.faults.isEmpty)
            #expect(spooledEmails(fixture) == 1)
            let asked = ContinuousClock.now
            trigger.triggerGracefulShutdown()
            return asked
        }
    }
}

/// A sendmail that tells when a message reaches it and holds every message until `release()`.
private struct HeldSendmail {
    struct NeverRun: Error {}

    let folder: URL
    var path: String { folder.appendingPathComponent("sendmail").path }

    init(folder: URL) throws {
        self.folder = folder.appendingPathComponent("held-sendmail")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            dir=$(dirname "$0")
            touch "$dir/started-$$"
            while [ ! -e "$dir/release" ]; do sleep 0.02; done
            cat > "$dir/received-$$"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    private func count(_ prefix: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(prefix) }.count
    }

    var started: Int { count("started-") }
    var received: Int { count("received-") }

    /// Looks 1,000 times, 20 ms apart: a count, not a deadline, because in the full suite the synchronous end-to-end
    /// tests can hold every cooperative thread for half a minute, and the test must not blame the drain for that.
    func waitUntilStarted() async throws {
        for _ in 0..<1_000 where started == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        if started == 0 { throw NeverRun() }
    }

    func release() {
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("release").path, contents: nil)
    }
}
