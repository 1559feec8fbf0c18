@testable import BillingEngine
import NIOPosix
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// Runs the service `make` builds (on a pool thread of its own, telling its STATUS= lines to a stream) under the
/// test kit's graceful shutdown. `body` reads the lines, triggers the shutdown and answers when it did; the service
/// must then return within 5 s, without an error.
func runUntilShutdown(
    _ make: @escaping @Sendable (NIOThreadPool, @escaping @Sendable (String) -> Void) -> any Service,
    _ body: @escaping (GracefulShutdownTestTrigger, inout AsyncStream<String>.Iterator) async throws
        -> ContinuousClock.Instant
) async throws {
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    let (stream, statuses) = AsyncStream.makeStream(of: String.self)
    try await testGracefulShutdown { trigger in
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await make(pool, { statuses.yield($0) }).run() }
            var iterator = stream.makeAsyncIterator()
            let asked = try await body(trigger, &iterator)
            try await group.next()
            #expect(ContinuousClock.now - asked < .seconds(5), "the service returned promptly after the shutdown")
        }
    }
    try await pool.shutdownGracefully()
}
