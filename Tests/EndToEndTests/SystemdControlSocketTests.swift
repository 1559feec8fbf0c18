import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Tight limits, so that oversized and slow clients are cheap to produce.
let abuseConfig = """
    [control]
    max_connections = 32
    max_request_bytes = 65536
    idle_timeout_seconds = 1
    """

@Suite("Control socket: malformed, oversized, slow and half-closed clients")
struct SystemdControlSocketTests {
    @Test func malformedAndUnknownRequestsAreAnsweredAndTheConnectionStaysUsable() throws {
        let daemon = try DaemonProcess(config: abuseConfig)
        let connection = try RawControlConnection(path: daemon.socket)
        connection.send("this is not JSON\n")
        #expect(RawControlConnection.outcome(connection.readLine()) == "INVALID_REQUEST")
        connection.send(#"{"command": "templates.destroy"}"# + "\n")
        let unknown = connection.readLine()
        #expect(RawControlConnection.outcome(unknown) == "UNKNOWN_COMMAND")
        if case .line(let text) = unknown { #expect(text.contains("status"), "the answer lists the known commands") }
        connection.send([UInt8](#"{"command": "st"#.utf8) + [0xFF] + [UInt8](#"atus"}"#.utf8) + [10])
        #expect(RawControlConnection.outcome(connection.readLine()) == "INVALID_REQUEST")
        connection.send(#"{"command": "status"}"# + "\n")
        #expect(RawControlConnection.outcome(connection.readLine()) == "ok")
        #expect(daemon.stop() == 0)
    }

    @Test func anOversizedRequestIsRefusedAndItsConnectionClosed() throws {
        let daemon = try DaemonProcess(config: abuseConfig)
        let connection = try RawControlConnection(path: daemon.socket)
        connection.send(#"{"command": "status", "args": {"pad": ""# + String(repeating: "x", count: 70_000) + "\"}}\n")
        #expect(RawControlConnection.outcome(connection.readLine()) == "REQUEST_TOO_LARGE")
        #expect(connection.readLine() == .closed)
        #expect(try daemon.ctl("status").exitCode == 0)
        #expect(daemon.stop() == 0)
    }

    @Test func aHalfClosedClientGetsItsAnswerEvenWithoutTheFinalNewline() throws {
        let daemon = try DaemonProcess(config: abuseConfig)
        let connection = try RawControlConnection(path: daemon.socket)
        connection.send(#"{"command": "status"}"#)
        connection.halfClose()
        #expect(RawControlConnection.outcome(connection.readLine()) == "ok")
        #expect(connection.readLine() == .closed)
        #expect(daemon.stop() == 0)
    }

    @Test func aSlowClientIsDroppedAtTheIdleLimitWhileOthersAreServed() throws {
        let daemon = try DaemonProcess(config: abuseConfig)
        let slow = try RawControlConnection(path: daemon.socket)
        for byte in Array(#"{"comm"#.utf8) {
            slow.send([byte])
            usleep(100_000)
        }
        let others = try daemon.ctl("--json", "status")
        #expect(others.exitCode == 0, "a trickling client does not hold up the others")
        #expect(slow.readLine(timeout: 10) == .closed, "dropped without an answer at the 1 s idle limit")
        #expect(daemon.stop() == 0)
    }

    @Test func connectionsBeyondTheLimitAreTurnedAwayWithBusyAndServedAgainAfterwards() throws {
        let daemon = try DaemonProcess(config: abuseConfig.replacingOccurrences(
            of: "max_connections = 32", with: "max_connections = 3").replacingOccurrences(
            of: "idle_timeout_seconds = 1", with: "idle_timeout_seconds = 5"))
        // Each held connection is served (answered) before the next is opened, so all three occupy slots. A slot
        // may still be taken for a moment by the start-up probe's connection, whose thread ends just after it
        // closes: a BUSY then is retried. The test runs as root, which has 4 reserved slots beyond the limit.
        var held: [RawControlConnection] = []
        for _ in 0..<7 {
            for _ in 0..<100 {
                let connection = try RawControlConnection(path: daemon.socket)
                connection.send(#"{"command": "status"}"# + "\n")
                if RawControlConnection.outcome(connection.readLine()) == "ok" {
                    held.append(connection)
                    break
                }
                usleep(20_000)
            }
        }
        #expect(held.count == 7)
        let refused = try RawControlConnection(path: daemon.socket)
        #expect(RawControlConnection.outcome(refused.readLine()) == "BUSY")
        #expect(refused.readLine() == .closed)
        for connection in held { connection.halfClose() }
        // The server frees a slot when the connection's thread has finished, a moment after the close.
        var answered = false
        for _ in 0..<100 where !answered {
            answered = try daemon.ctl("status").exitCode == 0
            if !answered { usleep(50_000) }
        }
        #expect(answered, "slots come back once the held connections end")
        #expect(daemon.stop() == 0)
    }

    @Test func mutatingCommandsAreLoggedWithThePeersUidAndPid() throws {
        let daemon = try DaemonProcess(config: abuseConfig)
        let imported = try daemon.ctl("import", "-", input: Data(defaultCurrencyDocument("t-peer").utf8))
        #expect(imported.exitCode == 0)
        let line = daemon.log().split(separator: "\n").first { $0.contains("control command import") }
        let logged = try #require(line, "\(daemon.log())")
        #expect(logged.contains("peer_uid=\(getuid())"), "\(logged)")
        #expect(logged.range(of: #"peer_pid=[1-9][0-9]*"#, options: .regularExpression) != nil, "\(logged)")
        #expect(daemon.stop() == 0)
    }
}
