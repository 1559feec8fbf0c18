import BillingDomain
import NIOCore
import NIOExtras
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// One control connection: admits it (SO_PEERCRED, per-uid cap), answers its request lines one at a time, and
/// closes it at the idle limit, on a stop, or after an oversized request.
///
/// The requests are handled on the thread pool: they reach the database, which must not block the event loop. A
/// short line is parsed on the loop, and a request whose answer is at hand without waiting (`answerAtOnce`) is
/// answered there. Reading pauses while a request is in flight, so a client that pipelines requests is served in
/// order and cannot make the daemon queue more than one read of them.
final class ControlConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: ControlServer.Limits
    private let admission: ControlAdmission
    private let pool: NIOThreadPool
    private let handler: ControlServer.Handler
    private let answerAtOnce: ControlServer.AtOnceHandler

    private var peer: UnixSocket.PeerCredentials?
    private var admitted = false
    private var pending: CircularBuffer<[UInt8]> = []
    private var inFlight = false
    private var readHeld = false
    private var inputClosed = false
    private var quiescing = false
    /// `serveNext` is on the stack: an answer whose write completes at once lets its loop go on instead of recursing.
    private var serving = false
    private var idleTimer: Scheduled<Void>?
    /// Bounds an answer's write: a client that stops reading (a suspended `billingctl`) is dropped after the idle
    /// limit instead of holding its slot, and the daemon's stop, for ever.
    private var writeTimer: Scheduled<Void>?

    /// Lines up to this size are parsed on the event loop (microseconds); longer ones, such as imports, on the pool.
    static let eventLoopParseLimit = 16 << 10

    init(limits: ControlServer.Limits, admission: ControlAdmission, pool: NIOThreadPool,
         answerAtOnce: @escaping ControlServer.AtOnceHandler, handler: @escaping ControlServer.Handler) {
        self.limits = limits
        self.admission = admission
        self.pool = pool
        self.answerAtOnce = answerAtOnce
        self.handler = handler
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = Self.peerCredentials(context.channel)
        if let refusal = admission.admit(peer?.uid) {
            writeThenClose(.failure(BillingError(.busy, "\(refusal); try again.")), context: context)
            return
        }
        admitted = true
        armIdleTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        writeTimer?.cancel()
        if admitted {
            admitted = false
            admission.release(peer?.uid)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted else { return }
        let line = unwrapInboundIn(data)
        // The framing's buffer limit catches a long line that arrives in pieces; one that came in a single read
        // is caught here.
        guard line.readableBytes <= limits.maxRequestBytes else { return refuseTooLarge(context: context) }
        pending.append(Array(line.readableBytesView))
        serveNext(context: context)
    }

    func read(context: ChannelHandlerContext) {
        // Back-pressure: no more bytes are read while a request is in flight or waiting.
        if inFlight || !pending.isEmpty {
            readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            inputClosed = true
            closeIfDone(context: context)
        case is ChannelShouldQuiesceEvent:
            quiescing = true
            closeIfDone(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case let leftOver as NIOExtrasErrors.LeftOverBytesError:
            // The client closed its side after a last request without a newline: it is still a request.
            guard admitted else { return }
            pending.append(Array(leftOver.leftOverBytes.readableBytesView))
            serveNext(context: context)
        case is ByteToMessageDecoderError.PayloadTooLargeError:
            refuseTooLarge(context: context)
        default:
            context.close(promise: nil)
        }
    }

    /// Answers REQUEST_TOO_LARGE and closes: the rest of the line cannot be told apart from a next request.
    private func refuseTooLarge(context: ChannelHandlerContext) {
        guard admitted else { return }
        admitted = false
        admission.release(peer?.uid)
        pending.removeAll()
        let answer = ControlResponse.failure(BillingError(
            .requestTooLarge, "The request is larger than \(limits.maxRequestBytes) bytes."))
        writeThenClose(answer, context: context)
    }

    private func writeThenClose(_ answer: ControlResponse, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(Self.line(answer))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Starts the next waiting request unless one is in flight.
    private func serveNext(context: ChannelHandlerContext) {
        guard !inFlight, admitted, !serving else { return }
        serving = true
        defer { serving = false }
        while !quiescing, admitted, let line = pending.popFirst() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            inFlight = true
            idleTimer?.cancel()
            let (limits, handler, peer) = (self.limits, self.handler, self.peer)
            guard line.count <= Self.eventLoopParseLimit else {
                answerOnPool(context: context) { Self.answer(line, limits: limits, handler: handler, peer: peer) }
                return
            }
            switch Self.parse(line, limits: limits) {
            case .failure(let refusal):
                send(.failure(refusal), context: context)
            case .success(let request):
                if let answer = answerAtOnce(request, peer) {
                    send(answer, context: context)
                } else {
                    answerOnPool(context: context) { handler(request, peer) }
                    return
                }
            }
            // Written already (the usual case): go on with the next line here rather than from the write's callback.
            if inFlight { return }
        }
        if closeIfDone(context: context) { return }
        armIdleTimer(context: context)
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    private func answerOnPool(context: ChannelHandlerContext, _ answer: @escaping @Sendable () -> ControlResponse) {
        pool.runIfActive(eventLoop: context.eventLoop) { Self.line(answer()) }.assumeIsolated().whenComplete { result in
            guard case .success(let answer) = result else {
                context.close(promise: nil)
                return
            }
            self.send(answer, context: context)
        }
    }

    private func send(_ answer: ControlResponse, context: ChannelHandlerContext) {
        send(Self.line(answer), context: context)
    }

    /// Writes an answer; the next request waits until it is written, so a client that does not read its answers
    /// stops being read from.
    private func send(_ answer: ByteBuffer, context: ChannelHandlerContext) {
        var completed = false
        context.writeAndFlush(wrapOutboundOut(answer)).assumeIsolated().whenComplete { written in
            completed = true
            self.writeTimer?.cancel()
            self.writeTimer = nil
            self.inFlight = false
            guard case .success = written else {
                context.close(promise: nil)
                return
            }
            self.serveNext(context: context)
        }
        // The usual write completes at once; one the client does not read gets the idle limit.
        if !completed {
            writeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.idleTimeout)) {
                context.close(promise: nil)
            }
        }
    }

    /// Closes the connection when nothing more will be answered on it: a stop or the client's end of input,
    /// once the request in flight (if any) has its answer.
    @discardableResult
    private func closeIfDone(context: ChannelHandlerContext) -> Bool {
        guard (quiescing || inputClosed), !inFlight, pending.isEmpty || quiescing else { return false }
        context.close(promise: nil)
        return true
    }

    /// The idle limit also bounds how long one request may take to arrive, so a client trickling bytes cannot hold
    /// a connection slot for ever: the timer runs from the last answer, not from the last byte (which is why this is
    /// not NIO's IdleStateHandler).
    private func armIdleTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.idleTimeout)) {
            context.close(promise: nil)
        }
    }

    /// The answer to one long request line, on a pool thread.
    private static func answer(_ bytes: [UInt8], limits: ControlServer.Limits, handler: ControlServer.Handler,
                               peer: UnixSocket.PeerCredentials?) -> ControlResponse {
        switch parse(bytes, limits: limits) {
        case .success(let request): return handler(request, peer)
        case .failure(let refusal): return .failure(refusal)
        }
    }

    private static func parse(_ bytes: [UInt8], limits: ControlServer.Limits) -> Result<ControlRequest, BillingError> {
        do {
            return .success(try ControlRequest(json: try JSONParser.parse(
                bytes, limits: JSONLimits(
                    maxBytes: limits.maxRequestBytes,
                    longString: .init(path: ["args", "documentBase64"], maxBytes: limits.maxRequestBytes)))))
        } catch let error as BillingError {
            let code: BillingError.Code = error.code == .documentTooLarge ? .requestTooLarge : .invalidRequest
            return .failure(BillingError(code, "Malformed request: \(error.message)"))
        } catch {
            return .failure(BillingError(.invalidRequest, "Malformed request: \(error)"))
        }
    }

    private static func line(_ response: ControlResponse) -> ByteBuffer {
        ByteBuffer(bytes: response.json.serializedLine())
    }

    /// The peer's pid, uid and gid (SO_PEERCRED), read once when the connection is accepted.
    private static func peerCredentials(_ channel: Channel) -> UnixSocket.PeerCredentials? {
        guard let provider = channel as? SocketOptionProvider else { return nil }
        // struct ucred (pid, uid, gid) is hidden behind _GNU_SOURCE in Glibc's headers; PeerCredentials has its
        // fixed layout.
        let future: EventLoopFuture<UnixSocket.PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        // On the channel's own event loop the option is read at once: the future is complete and the callback
        // runs before this returns.
        var peer: UnixSocket.PeerCredentials?
        future.assumeIsolated().whenSuccess { peer = $0 }
        return peer
    }
}
