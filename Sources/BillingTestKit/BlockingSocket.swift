import ControlProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A connected stream socket read and written whole: every write sends all its bytes, reads come a line (or a
/// delimited run of bytes) at a time from a buffer. Blocking, one thread at a time: the harness's own clients and
/// servers, where the point is to behave exactly as told (a daemon client, an SMTP sink), not to scale.
public final class BlockingSocket {
    /// A read that found nothing more before its deadline.
    public struct TimedOut: Error {}

    public let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    /// Takes over `fd`, closing it when freed.
    public init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// A connection to the Unix stream socket at `path` (billingd's control socket).
    public convenience init(path: String) throws {
        self.init(fd: try UnixSocket.connect(path: path))
    }

    /// A TCP connection to 127.0.0.1:`port`, without Nagle's delay.
    public static func connectLoopback(port: UInt16) throws -> BlockingSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, rc == 0 else {
            close(fd)
            throw TestFailure("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return BlockingSocket(fd: fd)
    }

    /// 127.0.0.1:`port` (0: any free port, for a listener).
    public static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Sends all of `bytes`; fails when the peer has closed the connection (EPIPE, ECONNRESET).
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw TestFailure("socket write failed: errno \(errno)")
            }
            offset += written
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// "I have nothing more to say": shutdown(SHUT_WR); the peer reads end-of-file after the bytes sent.
    public func halfClose() { shutdown(fd, Int32(SHUT_WR)) }

    /// Whether a whole line has already arrived (a pipelining client's next command).
    public var hasBufferedLine: Bool { buffer[start...].contains(10) }

    /// The next line without its terminator (LF or CRLF), or nil at the end of the stream; with a `timeout` (in
    /// seconds), `TimedOut` when no whole line came within it.
    public func readLine(timeout: TimeInterval? = nil) throws -> [UInt8]? {
        guard let end = try seek([10], timeout: timeout) else { return nil }
        var lineEnd = end - 1
        if lineEnd > start, buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
        let line = Array(buffer[start..<lineEnd])
        consume(to: end)
        return line
    }

    /// Reads past the first `delimiter` without keeping the bytes (an SMTP message, whose size is all a sink needs):
    /// how many there were, the delimiter included, or nil at the end of the stream.
    public func skip(through delimiter: [UInt8]) throws -> Int? {
        guard let end = try seek(delimiter, timeout: nil) else { return nil }
        defer { consume(to: end) }
        return end - start
    }

    /// Reads until the buffer holds `delimiter`; the index just past its first occurrence.
    private func seek(_ delimiter: [UInt8], timeout: TimeInterval?) throws -> Int? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        // Each byte is looked at once: the search goes on from where it stopped, a delimiter's length before the end.
        var index = start
        while true {
            while index + delimiter.count <= buffer.count {
                if buffer[index] == delimiter[0], buffer[index..<index + delimiter.count].elementsEqual(delimiter) {
                    return index + delimiter.count
                }
                index += 1
            }
            guard try fill(until: deadline) else { return nil }
        }
    }

    private func fill(until deadline: Date?) throws -> Bool {
        while true {
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else { throw TimedOut() }
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&entry, 1, Int32(left * 1000) + 1)
                if ready < 0, errno == EINTR { continue }
                if ready == 0 { throw TimedOut() }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw TestFailure("socket read failed: errno \(errno)")
            }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private func consume(to end: Int) {
        start = end
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }
}
