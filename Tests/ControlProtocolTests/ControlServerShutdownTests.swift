@testable import ControlProtocol
import BillingDomain
import Foundation
import NIOPosix
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Control server: graceful shutdown", .timeLimit(.minutes(5)))
struct ControlServerShutdownTests {
    @Test func aStopAnswersTheRequestInFlightClosesIdleConnectionsAndReturns() async throws {
        let (started, handlerStarted) = AsyncStream.makeStream(of: Void.self)
        try await servingControl({ request, _ in
            handlerStarted.yield()
            Thread.sleep(forTimeInterval: 0.5)
            return .success(.string(request.command))
        }) { path, trigger, server in
            let idle = try UnixSocket.connect(path: path)
            defer { close(idle) }
            let answer = Task { try await onOwnThread { try ControlClient(path: path).send(ControlRequest(command: "slow")) } }
            var handlerStarts = started.makeAsyncIterator()
            _ = await handlerStarts.next()
            let asked = ContinuousClock.now
            trigger.triggerGracefulShutdown()
            #expect(try await answer.value == .success(.string("slow")), "the request in flight is answered")
            let outcome = try await onOwnThread {
                var reader = LineReader(fd: idle, maxLineBytes: 1024)
                return reader.next(deadline: .now + .seconds(15))
            }
            guard case .end = outcome else {
                Issue.record("the idle connection is closed by the stop, not \(outcome)")
                return
            }
            try await server.value
            #expect(ContinuousClock.now - asked < .seconds(15), "the server returned once its connections closed")
        }
    }

    @Test func aConnectionAfterTheStopIsRefusedAtTheSocket() async throws {
        try await servingControl({ request, _ in .success(.string(request.command)) }) { path, trigger, server in
            let client = ControlClient(path: path)
            #expect(try await onOwnThread { try client.send(ControlRequest(command: "status")) }
                == .success(.string("status")))
            trigger.triggerGracefulShutdown()
            try await server.value
            #expect(throws: ControlClient.Unreachable.self) { try client.send(ControlRequest(command: "status")) }
        }
    }

    /// An answer larger than the socket buffers to a client that never reads it (a suspended `billingctl`): the
    /// connection is dropped at the idle limit, so neither its slot nor the daemon's stop waits for it.
    @Test func aClientThatStopsReadingIsDroppedAtTheIdleLimitAndDoesNotHoldTheStop() async throws {
        let big = String(repeating: "x", count: 8 << 20)
        try await servingControl(limits: .init(idleTimeout: .seconds(1)), { _, _ in .success(.string(big)) }) {
            path, trigger, server in
            let stuck = try UnixSocket.connect(path: path)
            defer { close(stuck) }
            try await onOwnThread { try UnixSocket.writeAll(stuck, Array(#"{"command": "list"}"#.utf8) + [10], deadline: nil) }
            try await Task.sleep(for: .milliseconds(300))
            let asked = ContinuousClock.now
            trigger.triggerGracefulShutdown()
            try await server.value
            #expect(ContinuousClock.now - asked < .seconds(10), "the stop waited \(ContinuousClock.now - asked)")
        }
    }

}
