import BillingDomain
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// Serves the control socket: one JSON request per line, one JSON answer per line, on SwiftNIO.
///
/// Every limit is explicit: request size (the line framing's buffer limit), connection count and idle time. A
/// malformed, oversized or slow client gets an error line (where it still can) and is dropped; other clients are
/// not affected. The handler, which reaches the database, runs on `pool`, never on an event loop; only answers that
/// are at hand without waiting (`answerAtOnce`, e.g. `status` while its counts are current) are given on the loop,
/// which spares them two thread hand-offs.
///
/// Connections are counted per peer uid (SO_PEERCRED): one user may hold `maxConnectionsPerUID` of them, and all
/// together `maxConnections`. Root and the daemon's own user are exempt from the per-uid cap and have
/// `reservedConnections` slots beyond the total, so idle connections of other users cannot lock them out.
public final class ControlServer: Service, Sendable {
    public struct Limits: Sendable {
        public var maxConnections: Int
        public var maxConnectionsPerUID: Int
        public var maxRequestBytes: Int
        public var idleTimeout: Duration
        public static let reservedConnections = 4

        public init(maxConnections: Int = 64, maxConnectionsPerUID: Int = 16, maxRequestBytes: Int = 8 << 20,
                    idleTimeout: Duration = .seconds(30)) {
            self.maxConnections = maxConnections
            self.maxConnectionsPerUID = maxConnectionsPerUID
            self.maxRequestBytes = maxRequestBytes
            self.idleTimeout = idleTimeout
        }
    }

    public typealias Handler = @Sendable (ControlRequest, UnixSocket.PeerCredentials?) -> ControlResponse
    /// Called on the event loop: an answer only if it needs no waiting (no database work that could block, no job).
    public typealias AtOnceHandler = @Sendable (ControlRequest, UnixSocket.PeerCredentials?) -> ControlResponse?

    /// How long a stop waits for the requests in flight before it gives up on them.
    static let stopTimeout: Duration = .seconds(20)

    private let listener: Int32
    private let limits: Limits
    private let handler: Handler
    private let answerAtOnce: AtOnceHandler
    private let pool: NIOThreadPool
    private let group: any EventLoopGroup

    /// Serves on an already listening socket, bound by us or passed by systemd (socket activation).
    public init(listeningSocket: Int32, limits: Limits, pool: NIOThreadPool,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                answerAtOnce: @escaping AtOnceHandler = { _, _ in nil }, handler: @escaping Handler) {
        listener = listeningSocket
        self.limits = limits
        self.pool = pool
        self.group = group
        self.handler = handler
        self.answerAtOnce = answerAtOnce
    }

    /// Serves until graceful shutdown (or cancellation), then quiesces: stops accepting, closes idle connections,
    /// answers the requests in flight and closes their connections, and returns once all are closed.
    public func run() async throws {
        let quiescing = ServerQuiescingHelper(group: group)
        let admission = ControlAdmission(limits: limits)
        let (limits, handler, answerAtOnce, pool) = (self.limits, self.handler, self.answerAtOnce, self.pool)
        _ = try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // EMFILE and friends: accepting pauses briefly instead of spinning on a listener that stays readable.
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler())
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            // A client that shuts down its side after the request still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: limits.maxRequestBytes))
                    try channel.pipeline.syncOperations.addHandler(
                        ControlConnectionHandler(limits: limits, admission: admission, pool: pool,
                                                 answerAtOnce: answerAtOnce, handler: handler))
                }
            }
            .withBoundSocket(listener).get()
        try? await gracefulShutdown()
        // Whichever comes first: every connection closed, or the stop timeout (a future's `get()` does not end on
        // cancellation, so the timeout completes the same promise instead of racing it in a task group).
        let loop = group.next()
        let closed = loop.makePromise(of: Void.self)
        let done = loop.makePromise(of: Void.self)
        // NIO keeps a promise's first result and ignores a later completion, so the two may race.
        closed.futureResult.cascade(to: done)
        let timeout = loop.scheduleTask(in: TimeAmount(Self.stopTimeout)) { done.succeed() }
        quiescing.initiateShutdown(promise: closed)
        try? await done.futureResult.get()
        timeout.cancel()
    }
}
