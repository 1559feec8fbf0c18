@testable import ControlProtocol
import BillingDomain
import Foundation
import NIOPosix
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Answers at hand without waiting (`answerAtOnce`, `status` while its counts are current) are given on the event
/// loop; everything else goes to the request threads.
@Suite("Control server: answers given at once", .timeLimit(.minutes(5)))
struct ControlServerAtOnceTests {
    @Test func anAnswerAtHandIsGivenWhileEveryRequestThreadIsBusy() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let release = Mutex(false)
        let (started, handlerStarted) = AsyncStream.makeStream(of: Void.self)
        try await servingControl(pool: pool, answerAtOnce: { request, _ in
            request.command == "status" ? .success(.string("at once")) : nil
        }, { request, _ in
            handlerStarted.yield()
            while !release.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.01) }
            return .success(.string(request.command))
        }) { path, _, _ in
            let slow = Task { try await onOwnThread { try ControlClient(path: path).send(ControlRequest(command: "run")) } }
            var starts = started.makeAsyncIterator()
            _ = await starts.next()
            // The only request thread is held by `run`: only the event loop can answer now.
            let status = try await onOwnThread { try ControlClient(path: path).send(ControlRequest(command: "status")) }
            #expect(status == .success(.string("at once")))
            release.withLock { $0 = true }
            #expect(try await slow.value == .success(.string("run")))
        }
        try await pool.shutdownGracefully()
    }

    @Test func requestsWithoutAnAnswerAtHandGoToTheRequestThreads() async throws {
        let handled = Mutex(0)
        try await servingControl(answerAtOnce: { _, _ in nil }, { request, _ in
            handled.withLock { $0 += 1 }
            return .success(.string(request.command))
        }) { path, _, _ in
            let answer = try await onOwnThread { try ControlClient(path: path).send(ControlRequest(command: "status")) }
            #expect(answer == .success(.string("status")))
            #expect(handled.withLock { $0 } == 1)
        }
    }

    /// Answers written at once go on in the loop instead of recursing: ten thousand pipelined requests in one write
    /// come back complete and in order, alternating with requests that take the request threads.
    @Test func tenThousandPipelinedRequestsAreAnsweredInOrder() async throws {
        try await servingControl(answerAtOnce: { request, _ in
            request.args["n"]?.intValue.map { $0 % 2 == 0 ? .success(.number(String($0))) : nil } ?? nil
        }, { request, _ in
            .success(request.args["n"] ?? .null)
        }) { path, _, _ in
            let fd = try UnixSocket.connect(path: path)
            defer { close(fd) }
            let count = 10_000
            let received = Task { try await onOwnThread { () -> [String] in
                var reader = LineReader(fd: fd, maxLineBytes: 1024)
                var numbers: [String] = []
                while numbers.count < count, case .line(let line) = reader.next(deadline: .now + .seconds(60)) {
                    let answer = try ControlResponse(json: try JSONParser.parse(line))
                    guard case .success(.number(let n)) = answer else { break }
                    numbers.append(n)
                }
                return numbers
            } }
            var requests: [UInt8] = []
            for n in 0..<count { requests += Array(#"{"command": "echo", "args": {"n": \#(n)}}"#.utf8) + [10] }
            try await onOwnThread { [requests] in try UnixSocket.writeAll(fd, requests, deadline: .now + .seconds(60)) }
            #expect(try await received.value == (0..<count).map(String.init))
        }
    }
}
