import BillingDomain
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Serves the control socket: one JSON request per line, one JSON answer per line.
///
/// Every limit is explicit: request size, connection count and idle time. A malformed, oversized or slow client
/// gets an error line (where it still can) and is dropped; other clients are not affected, because each
/// connection has its own thread and the handler is the only shared part.
///
/// Connections are counted per peer uid (SO_PEERCRED): one user may hold `maxConnectionsPerUID` of them, and all
/// together `maxConnections`. Root and the daemon's own user are exempt from the per-uid cap and have
/// `reservedConnections` slots beyond the total, so idle connections of other users cannot lock them out.
public final class ControlServer: @unchecked Sendable {
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

    private let listener: Int32
    private let limits: Limits
    private let handler: Handler
    private let state = NSCondition()
    private var active = 0
    private var activePerUID: [uid_t: Int] = [:]
    private var stopping = false
    private var wakePipe: [Int32] = [-1, -1]

    /// Serves on an already listening socket (bound by us or passed by systemd).
    public init(listeningSocket: Int32, limits: Limits, handler: @escaping Handler) {
        listener = listeningSocket
        self.limits = limits
        self.handler = handler
        _ = pipe(&wakePipe)
        for fd in wakePipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    public func start() {
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    public var activeConnections: Int {
        state.lock()
        defer { state.unlock() }
        return active
    }

    /// Stops accepting, drops idle connections and waits (up to `timeout`) for requests in flight to finish their
    /// answer.
    public func stop(timeout: Duration = .seconds(20)) {
        state.lock()
        stopping = true
        state.unlock()
        var byte: UInt8 = 1
        _ = write(wakePipe[1], &byte, 1)
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        state.lock()
        while active > 0, state.wait(until: deadline) {}
        state.unlock()
    }

    private var isStopping: Bool {
        state.lock()
        defer { state.unlock() }
        return stopping
    }

    private func acceptLoop() {
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
        while !isStopping {
            let rc = poll(&fds, 2, -1)
            if rc < 0 { if errno == EINTR { continue } else { break } }
            if fds[1].revents != 0 { break }
            guard fds[0].revents != 0 else { continue }
            let client = accept(listener, nil, nil)
            if client < 0 {
                // EMFILE and friends: back off briefly instead of spinning on a listener that stays readable.
                if errno != EINTR && errno != EAGAIN && errno != ECONNABORTED { usleep(10_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let uid = UnixSocket.peerCredentials(client)?.uid
            state.lock()
            let refusal = stopping ? "billingd is stopping" : admission(uid)
            if refusal == nil {
                active += 1
                if let uid { activePerUID[uid, default: 0] += 1 }
            }
            state.unlock()
            if let refusal {
                let answer = ControlResponse.failure(BillingError(.busy, "\(refusal); try again.")).json
                try? UnixSocket.writeAll(client, Array((answer.serialized() + "\n").utf8),
                                         deadline: .now + .milliseconds(100))
                close(client)
                continue
            }
            Thread.detachNewThread { [self] in
                serve(client)
                close(client)
                state.lock()
                active -= 1
                if let uid {
                    activePerUID[uid, default: 1] -= 1
                    if activePerUID[uid] == 0 { activePerUID[uid] = nil }
                }
                state.broadcast()
                state.unlock()
            }
        }
    }

    /// Why a connection from `uid` is not admitted now, or nil. Called with `state` locked.
    private func admission(_ uid: uid_t?) -> String? {
        if let uid, uid == 0 || uid == getuid() {
            guard active < limits.maxConnections + Limits.reservedConnections else {
                return "Too many control connections (limit \(limits.maxConnections), all reserved slots taken)"
            }
            return nil
        }
        guard active < limits.maxConnections else {
            return "Too many control connections (limit \(limits.maxConnections))"
        }
        guard (uid.flatMap { activePerUID[$0] } ?? 0) < limits.maxConnectionsPerUID else {
            return "Too many control connections from uid \(uid.map(String.init) ?? "?") (limit \(limits.maxConnectionsPerUID) per user)"
        }
        return nil
    }

    private func serve(_ fd: Int32) {
        let peer = UnixSocket.peerCredentials(fd)
        var reader = LineReader(fd: fd, maxLineBytes: limits.maxRequestBytes)
        reader.acceptsUnterminatedLastLine = true
        // An idle client must not hold up a stop until its idle limit: the wake pipe ends the wait at once.
        reader.cancel = wakePipe[0]
        while true {
            // The idle limit also bounds how long one request may take to arrive, so a client trickling bytes
            // cannot hold a connection slot for ever.
            switch reader.next(deadline: .now + limits.idleTimeout) {
            case .end, .timedOut:
                return
            case .tooLong:
                reply(fd, .failure(BillingError(
                    .requestTooLarge, "The request is larger than \(limits.maxRequestBytes) bytes.")))
                return
            case .line(let bytes):
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                let response: ControlResponse
                do {
                    let request = try ControlRequest(json: try JSONParser.parse(
                        bytes, limits: JSONLimits(
                            maxBytes: limits.maxRequestBytes,
                            longString: .init(path: ["args", "documentBase64"], maxBytes: limits.maxRequestBytes))))
                    response = handler(request, peer)
                } catch let error as BillingError {
                    let code: BillingError.Code = error.code == .documentTooLarge ? .requestTooLarge : .invalidRequest
                    response = .failure(BillingError(code, "Malformed request: \(error.message)"))
                } catch {
                    response = .failure(BillingError(.invalidRequest, "Malformed request: \(error)"))
                }
                guard reply(fd, response) else { return }
                if isStopping { return }
            }
        }
    }

    @discardableResult
    private func reply(_ fd: Int32, _ response: ControlResponse) -> Bool {
        let line = Array((response.json.serialized() + "\n").utf8)
        do {
            try UnixSocket.writeAll(fd, line, deadline: .now + limits.idleTimeout)
            return true
        } catch {
            return false
        }
    }
}
