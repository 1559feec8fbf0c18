import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking, buffered socket for the bench's own clients and servers (the SMTP sink, the plain SMTP client and
/// the control-protocol clients): whole writes, CRLF- or LF-terminated line reads.
final class BlockingSocket {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw BenchFailure(description: "socket write failed: errno \(errno)")
            }
            offset += written
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Whether a whole line has already arrived (a pipelining client's next command).
    var hasBufferedLine: Bool { buffer[start...].contains(10) }

    /// The next line without its terminator, or nil at the end of the stream.
    func readLine() throws -> [UInt8]? {
        var scanned = start
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 10) {
                var end = newline
                if end > start, buffer[end - 1] == 13 { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                compact()
                return line
            }
            scanned = buffer.count
            guard try fill() else { return nil }
        }
    }

    /// Reads an SMTP message text up to and including the "CRLF.CRLF" that ends it (a message is never empty: it
    /// has headers); returns its size in bytes.
    func readMessageText() throws -> Int? {
        var scanned = start
        while true {
            var index = max(start, scanned - 4)
            while index + 5 <= buffer.count {
                if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 46, buffer[index + 3] == 13,
                   buffer[index + 4] == 10 {
                    let size = index + 2 - start
                    start = index + 5
                    compact()
                    return size
                }
                index += 1
            }
            scanned = buffer.count
            guard try fill() else { return nil }
        }
    }

    private func fill() throws -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw BenchFailure(description: "socket read failed: errno \(errno)")
            }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    /// A TCP connection to 127.0.0.1:`port`.
    static func connectLoopback(port: UInt16) throws -> BlockingSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, rc == 0 else {
            close(fd)
            throw BenchFailure(description: "cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return BlockingSocket(fd: fd)
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
