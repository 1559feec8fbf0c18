@testable import ControlProtocol
import Foundation
import NIOPosix
import ServiceLifecycle
import ServiceLifecycleTestKit

/// Runs a control server on a fresh socket under swift-service-lifecycle's test kit's graceful shutdown; `body` gets
/// the socket's path, the trigger and the server's task.
func servingControl(
    pool: NIOThreadPool = .singleton,
    limits: ControlServer.Limits = .init(),
    answerAtOnce: @escaping ControlServer.AtOnceHandler = { _, _ in nil },
    _ handler: @escaping ControlServer.Handler,
    _ body: (String, GracefulShutdownTestTrigger, Task<Void, Error>) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("control-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("control.sock").path
    let server = ControlServer(
        listeningSocket: try UnixSocket.listen(path: path, mode: 0o600), limits: limits, pool: pool,
        answerAtOnce: answerAtOnce, handler: handler)
    try await testGracefulShutdown { trigger in
        let running = Task { try await server.run() }
        try await body(path, trigger, running)
        running.cancel()
    }
}

/// Runs a blocking call (a socket client, a read with a deadline) on a thread of its own: on the cooperative pool it
/// would hold one of its few threads, and the test kit's and the server's tasks would wait behind it.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
