import BillingTestKit
import ControlProtocol
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif


/// One misbehaving connection: what it sends and which refusal codes it must get back, one per request line.
struct Abuse {
    var payload: [UInt8]
    var expected: [String]
    var halfClose = false
    /// An oversized request: the daemon answers REQUEST_TOO_LARGE and hangs up, possibly before all was sent.
    var closesAfterAnswer = false

    static let shapes = [
        "[]", "\"status\"", "42", "null", #"{"command": 5}"#, #"{"command": ""}"#, #"{"args": {}}"#,
        #"{"command": "status", "args": []}"#, #"{"command": "status", "args": "x"}"#, "{", "}", #"{"command"}"#,
        #"{"command": "status",}"#, #"{'command': 'status'}"#, "\u{FEFF}{}",
    ]

    static func make(_ index: Int, using random: inout SplitMix64) -> Abuse {
        func garbage(_ count: Int) -> [UInt8] {
            // Any byte but the newline; at least one that is not blank, so the line is a request and is answered.
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }.map { $0 == 10 ? 0 : $0 }
            bytes[0] = UInt8(ascii: "#")
            return bytes
        }
        let valid = Array(#"{"command": "templates.show", "args": {"template": "1"}}"#.utf8)
        switch index % 9 {
        case 0: return Abuse(payload: garbage(Int.random(in: 1...512, using: &random)) + [10], expected: ["INVALID_REQUEST"])
        case 1: return Abuse(payload: Array(valid[..<Int.random(in: 1..<valid.count, using: &random)]) + [10],
                             expected: ["INVALID_REQUEST"])
        case 2: return Abuse(payload: Array((shapes.randomElement(using: &random)! + "\n").utf8), expected: ["INVALID_REQUEST"])
        case 3:
            let name = String((0..<Int.random(in: 1...40, using: &random)).map { _ in
                "abcdefghijklmnopqrstuvwxyz._-".randomElement(using: &random)!
            })
            return Abuse(payload: Array(#"{"command": "x\#(name)"}"#.utf8) + [10], expected: ["UNKNOWN_COMMAND"])
        case 4:
            var bytes = Array(#"{"command": "status", "args": {"k": "v"}}"#.utf8)
            bytes[Int.random(in: 13...18, using: &random)] = [0xC0, 0xFF, 0xED, 0x80].randomElement(using: &random)!
            return Abuse(payload: bytes + [10], expected: ["INVALID_REQUEST"])
        case 5:
            let depth = Int.random(in: 40...400, using: &random)
            return Abuse(payload: Array((#"{"command": "status", "args": {"a": "# + String(repeating: "[", count: depth)
                                         + String(repeating: "]", count: depth) + "}}\n").utf8),
                         expected: ["INVALID_REQUEST"])
        case 6:
            return Abuse(payload: [UInt8](repeating: UInt8(ascii: "{"), count: Int.random(in: 65_537...90_000, using: &random))
                            + [10], expected: ["REQUEST_TOO_LARGE"], closesAfterAnswer: true)
        case 7:
            return Abuse(payload: Array(#"{"command": "half-closed"}"#.utf8), expected: ["UNKNOWN_COMMAND"], halfClose: true)
        default:
            let lines = (0..<5).map { _ in garbage(Int.random(in: 1...64, using: &random)) + [10] }
            return Abuse(payload: lines.flatMap { $0 }, expected: Array(repeating: "INVALID_REQUEST", count: 5))
        }
    }

    /// Sends the payload and returns a description of every answer that is not the expected one.
    func run(socket: String) -> [String] {
        guard let connection = try? RawControlConnection(path: socket) else { return ["cannot connect"] }
        let sent = connection.send(payload)
        if !sent && !closesAfterAnswer { return ["the daemon hung up while the request was sent"] }
        if halfClose { connection.halfClose() }
        var problems: [String] = []
        for code in expected {
            let outcome = RawControlConnection.outcome(connection.readLine(timeout: 30))
            if outcome != code { problems.append("expected \(code), got \(outcome)") }
        }
        if closesAfterAnswer || halfClose, connection.readLine(timeout: 30) != .closed {
            problems.append("the connection stayed open")
        }
        return problems
    }
}

/// Runs `body(worker)` on `count` threads and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for worker in 0..<count {
        group.enter()
        Thread.detachNewThread {
            body(worker)
            group.leave()
        }
    }
    group.wait()
}

final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var problems: [String] = []
    private(set) var requests = 0

    /// The next job number below `limit`, or nil when all were handed out.
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }

    private var finished = false
    var isFinished: Bool { lock.withLock { finished } }
    func finish() { lock.withLock { finished = true } }

    func record(requests count: Int, problems found: [String]) {
        lock.lock()
        requests += count
        problems += found.prefix(3)
        lock.unlock()
    }
}

@Suite("Control socket fuzz")
struct SystemdControlSocketFuzzTests {
    /// 10,000 requests: malformed, truncated, badly shaped, invalid UTF-8, deeply nested, oversized, half-closed and
    /// pipelined ones from 4 threads, slow trickling clients from 6 more, and an honest client asking `status`
    /// throughout. Memory is measured after a warm-up (allocator arenas and thread stacks reach their working size)
    /// and again at the end: growing by 1 KiB per request would show as 9 MiB.
    @Test(.timeLimit(.minutes(5)))
    func tenThousandBadRequestsLeaveStatusAnsweringAndMemoryFlat() throws {
        let daemon = try DaemonProcess(config: abuseConfig)
        let socket = daemon.socket
        let slowClients = 100, warmUp = 1_000, total = 10_000
        let fast = Tally(), slow = Tally(), honest = Tally()

        func fastRound(until limit: Int) {
            onThreads(4) { worker in
                var random = SplitMix64(seed: 0x6_B111_46D + UInt64(worker))
                while let index = fast.take(below: limit) {
                    let abuse = Abuse.make(index, using: &random)
                    fast.record(requests: abuse.expected.count, problems: abuse.run(socket: socket))
                }
            }
        }
        fastRound(until: warmUp)
        #expect(fast.problems.isEmpty, "\(fast.problems.prefix(5))")
        let baseline = try ProcessSample(pid: daemon.pid).rssKiB

        let monitor = Thread {
            while !honest.isFinished {
                let answered = (try? ControlClient(path: socket).send(ControlRequest(command: "status")))
                    .map { if case .success = $0 { true } else { false } } ?? false
                honest.record(requests: 1, problems: answered ? [] : ["status was not answered"])
                usleep(100_000)
            }
        }
        monitor.start()
        let slowers = Thread {
            onThreads(6) { _ in
                while slow.take(below: slowClients) != nil {
                    guard let connection = try? RawControlConnection(path: socket) else {
                        slow.record(requests: 1, problems: ["cannot connect"])
                        continue
                    }
                    // Three bytes of a request, 200 ms apart, then silence: the 1 s idle limit must end it.
                    for byte in Array(#"{"c"#.utf8) { connection.send([byte]); usleep(200_000) }
                    let reply = connection.readLine(timeout: 10)
                    slow.record(requests: 1, problems: reply == .closed ? [] : ["slow client got \(reply)"])
                }
            }
        }
        slowers.start()
        // The fast requests make up the rest of the 10,000 (pipelined connections carry five each).
        var limit = warmUp
        while fast.requests + slowClients < total {
            limit += max(1, (total - slowClients - fast.requests) / 2)
            fastRound(until: limit)
        }
        while slow.requests < slowClients { usleep(50_000) }
        honest.finish()
        while honest.requests == 0 || monitor.isExecuting { usleep(20_000) }

        #expect(fast.requests + slow.requests >= total)
        #expect(fast.problems.isEmpty, "\(fast.problems.prefix(5))")
        #expect(slow.problems.isEmpty, "\(slow.problems.prefix(5))")
        #expect(honest.problems.isEmpty, "\(honest.problems.count) of \(honest.requests) status requests failed")
        #expect(honest.requests >= 5)

        let status = try daemon.ctl("--json", "status")
        #expect(status.exitCode == 0, "\(status.stderr)")
        #expect(text(try status.json()["version"]) != nil)
        let after = try ProcessSample(pid: daemon.pid).rssKiB
        #expect(after - baseline < 8 * 1024, "VmRSS \(baseline) KiB after the warm-up, \(after) KiB at the end")
        #expect(daemon.stop() == 0)
    }
}
