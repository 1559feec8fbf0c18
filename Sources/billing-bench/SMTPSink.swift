import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A local SMTP server on 127.0.0.1 that accepts every message and counts it: the far end of the outbox-smtp
/// scenario. One thread per connection, replies as soon as a command line (or the message's final dot) arrives.
final class SMTPSink: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var _messages = 0
    private var _bytes = 0

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = BlockingSocket.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else {
            throw BenchFailure(description: "the SMTP sink cannot listen on 127.0.0.1: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Messages accepted so far, and their bytes.
    var counts: (messages: Int, bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (_messages, _bytes)
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread.detachNewThread { [self] in try? serve(BlockingSocket(fd: client)) }
        }
    }

    private func serve(_ connection: BlockingSocket) throws {
        try connection.write("220 sink ESMTP\r\n")
        while let line = try connection.readLine() {
            let verb = String(decoding: line.prefix(4), as: UTF8.self).uppercased()
            switch verb {
            case "EHLO": try connection.write("250-sink\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
            case "DATA":
                try connection.write("354 go ahead\r\n")
                guard let size = try connection.readMessageText() else { return }
                lock.lock()
                _messages += 1
                _bytes += size
                let number = _messages
                lock.unlock()
                try connection.write("250 2.0.0 queued as \(number)\r\n")
            case "QUIT":
                try connection.write("221 bye\r\n")
                return
            default: try connection.write("250 ok\r\n")
            }
        }
    }
}

/// The reference client: the simplest sender there is, one connection reused for every message, each command
/// waiting for its reply (no pipelining), messages of a given size prepared before the clock starts.
enum PlainSMTPClient {
    /// Sends `count` messages of about `size` bytes and returns the seconds it took.
    static func send(count: Int, size: Int, port: UInt16) throws -> Double {
        let line = Array(repeating: UInt8(ascii: "A"), count: 76) + [13, 10]
        var text = Array("From: bench@example.com\r\nTo: sink@example.com\r\nSubject: plain\r\n\r\n".utf8)
        while text.count + line.count <= size { text += line }
        text += Array(".\r\n".utf8)
        let connection = try BlockingSocket.connectLoopback(port: port)
        func expect(_ code: String) throws {
            // A multi-line reply ends with the line whose fourth character is a space.
            while let reply = try connection.readLine() {
                guard reply.starts(with: Array(code.utf8)) else {
                    throw BenchFailure(description: "the sink answered \(String(decoding: reply, as: UTF8.self)), expected \(code)")
                }
                if reply.count < 4 || reply[3] == 32 { return }
            }
            throw BenchFailure(description: "the sink closed the connection")
        }
        try expect("220")
        try connection.write("EHLO plain\r\n")
        try expect("250")
        let (_, seconds) = try measure {
            for _ in 0..<count {
                try connection.write("MAIL FROM:<bench@example.com>\r\n")
                try expect("250")
                try connection.write("RCPT TO:<sink@example.com>\r\n")
                try expect("250")
                try connection.write("DATA\r\n")
                try expect("354")
                try connection.write(text)
                try expect("250")
            }
        }
        try connection.write("QUIT\r\n")
        try expect("221")
        return seconds
    }
}
