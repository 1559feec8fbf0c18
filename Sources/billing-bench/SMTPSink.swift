import BillingTestKit
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A local SMTP server on 127.0.0.1 that accepts every message and counts it: the far end of the outbox-smtp
/// scenario. One thread per connection, replies as soon as a command line (or the message's final dot) arrives.
final class SMTPSink: Sendable {
    let port: UInt16
    private let listener: Int32
    private let accepted = Mutex<(messages: Int, bytes: Int)>((0, 0))
    private static let endOfData = Array("\r\n.\r\n".utf8)

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
        accepted.withLock { $0 }
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

    /// Replies go out when the client has no further command waiting, so a pipelined group is answered in one
    /// write, as Postfix does; a client that waits for each reply gets each at once.
    private func serve(_ connection: BlockingSocket) throws {
        var replies: [UInt8] = []
        func reply(_ text: String, flush: Bool = false) throws {
            replies += text.utf8
            if flush || !connection.hasBufferedLine {
                try connection.write(replies)
                replies.removeAll(keepingCapacity: true)
            }
        }
        try reply("220 sink ESMTP\r\n")
        while let line = try connection.readLine() {
            let verb = String(decoding: line.prefix(4), as: UTF8.self).uppercased()
            switch verb {
            // PIPELINING as Postfix and most relays offer it: commands are read and answered in order either way.
            case "EHLO": try reply("250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
            case "DATA":
                try reply("354 go ahead\r\n", flush: true)
                // The message's text up to the line with the lone dot, the CRLF before that line included.
                guard let read = try connection.skip(through: Self.endOfData) else { return }
                let size = read - 3
                let number = accepted.withLock { accepted in
                    accepted.messages += 1
                    accepted.bytes += size
                    return accepted.messages
                }
                try reply("250 2.0.0 queued as \(number)\r\n")
            case "QUIT":
                try reply("221 bye\r\n", flush: true)
                return
            default: try reply("250 ok\r\n")
            }
        }
    }
}

/// The reference client: the simplest sender there is. Messages of a given size prepared before the clock starts,
/// connections opened and greeted before it starts too, every connection reused for all its messages. With
/// `pipelining`, MAIL, RCPT and DATA go out in one write and their three replies are read after it (RFC 2920, as
/// the drain does when the server offers it); without, each command waits for its reply.
enum PlainSMTPClient {
    /// Sends `count` messages of about `size` bytes over `connections` parallel connections (a thread each) and
    /// returns the seconds it took.
    static func send(count: Int, size: Int, port: UInt16, connections: Int = 1, pipelining: Bool) throws -> Double {
        let line = Array(repeating: UInt8(ascii: "A"), count: 76) + [13, 10]
        var text = Array("From: bench@example.com\r\nTo: sink@example.com\r\nSubject: plain\r\n\r\n".utf8)
        while text.count + line.count <= size { text += line }
        text += Array(".\r\n".utf8)
        let message = text
        let failure = LockedFailure()
        let ready = DispatchGroup(), started = DispatchSemaphore(value: 0), sent = DispatchGroup(), closed = DispatchGroup()
        for index in 0..<connections {
            // An even share each; the first connections take the remainder.
            let share = count / connections + (index < count % connections ? 1 : 0)
            ready.enter()
            sent.enter()
            closed.enter()
            Thread.detachNewThread {
                defer { closed.leave() }
                var greeted = false
                do {
                    let socket = try BlockingSocket.connectLoopback(port: port)
                    try expect("220", on: socket)
                    try socket.write("EHLO plain\r\n")
                    try expect("250", on: socket)
                    greeted = true
                    ready.leave()
                    started.wait()
                    defer { sent.leave() }
                    for _ in 0..<share {
                        if pipelining {
                            try socket.write("MAIL FROM:<bench@example.com>\r\nRCPT TO:<sink@example.com>\r\nDATA\r\n")
                            try expect("250", on: socket)
                            try expect("250", on: socket)
                            try expect("354", on: socket)
                        } else {
                            try socket.write("MAIL FROM:<bench@example.com>\r\n")
                            try expect("250", on: socket)
                            try socket.write("RCPT TO:<sink@example.com>\r\n")
                            try expect("250", on: socket)
                            try socket.write("DATA\r\n")
                            try expect("354", on: socket)
                        }
                        try socket.write(message)
                        try expect("250", on: socket)
                    }
                    try socket.write("QUIT\r\n")
                    try expect("221", on: socket)
                } catch {
                    failure.record(error)
                    if !greeted {
                        ready.leave()
                        sent.leave()
                    }
                }
            }
        }
        // Connections open and greeted before the clock starts, as the drain's are after its first message.
        ready.wait()
        let (_, seconds) = measure {
            for _ in 0..<connections { started.signal() }
            sent.wait()
        }
        closed.wait()
        if let error = failure.error { throw error }
        return seconds
    }

    private static func expect(_ code: String, on connection: BlockingSocket) throws {
        // A multi-line reply ends with the line whose fourth character is a space.
        while let reply = try connection.readLine() {
            guard reply.starts(with: Array(code.utf8)) else {
                throw BenchFailure(description: "the sink answered \(String(decoding: reply, as: UTF8.self)), expected \(code)")
            }
            if reply.count < 4 || reply[3] == 32 { return }
        }
        throw BenchFailure(description: "the sink closed the connection")
    }
}

/// The first error of the plain client's threads.
private final class LockedFailure: Sendable {
    private let first = Mutex<Error?>(nil)

    func record(_ error: Error) {
        first.withLock { first in
            if first == nil { first = error }
        }
    }

    var error: Error? {
        first.withLock { $0 }
    }
}
