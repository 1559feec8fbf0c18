import BillingDomain
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One SMTP session, driven synchronously by a sender thread: each command waits for its reply, bounded by the
/// command timeout. The bytes move on NIO's event loops; only the waiting happens on the caller's thread.
final class SMTPConnection: Sendable {
    struct Settings: Sendable {
        var host: String
        var port: Int
        var heloName: String
        var startTLS: Bool
        var tlsContext: NIOSSLContext?
        var username: String?
        var password: (@Sendable () throws -> String)?
        var timeout: TimeAmount
    }

    private let channel: Channel
    private let settings: Settings
    /// What the server offered in its EHLO reply; set by the handshake, read for each message.
    private let offered = Mutex<[String]>([])
    private var extensions: [String] {
        get { offered.withLock { $0 } }
        set { offered.withLock { $0 = newValue } }
    }
    /// Set when our timeout closed the connection, so the error reads "timeout", not "connection lost".
    private let timedOut = SetOnceFlag()

    private init(channel: Channel, settings: Settings) {
        self.channel = channel
        self.settings = settings
    }

    /// Connects, reads the greeting, says EHLO, upgrades with STARTTLS and authenticates as configured.
    ///
    /// Everything before MAIL FROM is about the session, not the message: any refusal here is reported as
    /// transient (`SMTP_SESSION_…`), because the message was never judged and a fixed relay will take it.
    static func open(_ settings: Settings, group: EventLoopGroup) throws -> SMTPConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(settings.timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPClientHandler())
                }
            }
        let channel: Channel
        do {
            channel = try bootstrap.connect(host: settings.host, port: settings.port).wait()
        } catch {
            throw DeliveryFailure.transient(
                .connectionFailed, "Cannot connect to \(settings.host):\(settings.port): \(error).")
        }
        let connection = SMTPConnection(channel: channel, settings: settings)
        do {
            try connection.handshake()
        } catch {
            connection.abort()
            throw error
        }
        return connection
    }

    private func handshake() throws {
        try expect(nil, 220, stage: "greeting")
        try hello()
        if settings.startTLS {
            guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw DeliveryFailure.transient(
                    .starttlsUnavailable, "\(settings.host) does not offer STARTTLS, and smtp_starttls requires it.")
            }
            try expect("STARTTLS", 220, stage: "STARTTLS")
            let context = try settings.tlsContext ?? NIOSSLContext(configuration: .makeClientConfiguration())
            // SNI takes a host name, never an address literal.
            let serverName = settings.host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : settings.host
            try channel.eventLoop.submit { [channel] in
                try channel.pipeline.syncOperations.addHandler(
                    NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first)
            }.wait()
            try hello()
        }
        if let username = settings.username {
            try authenticate(username: username)
        }
    }

    private func hello() throws {
        let reply = try command("EHLO \(settings.heloName)")
        if reply.code == 250 {
            extensions = Array(reply.lines.dropFirst())
        } else {
            try expect("HELO \(settings.heloName)", 250, stage: "HELO")
            extensions = []
        }
    }

    /// AUTH PLAIN when offered, else LOGIN. A password is never sent over a plain connection to another host.
    private func authenticate(username: String) throws {
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(settings.host)
        guard settings.startTLS || loopback else {
            throw DeliveryFailure.transient(
                .smtpAuthRefused, "smtp_username is set but smtp_starttls is off: the password would cross the network in clear.")
        }
        let mechanisms = extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased()
            .split(separator: " ").dropFirst().map(String.init) ?? []
        let password = try settings.password?() ?? ""
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            try expect("AUTH PLAIN \(b64("\0\(username)\0\(password)"))", 235, stage: "AUTH", secret: true)
        } else {
            try expect("AUTH LOGIN", 334, stage: "AUTH")
            try expect(b64(username), 334, stage: "AUTH", secret: true)
            try expect(b64(password), 235, stage: "AUTH", secret: true)
        }
    }

    /// Sends a session-stage command and insists on `code`.
    private func expect(_ line: String?, _ code: Int, stage: String, secret: Bool = false) throws {
        let reply = try command(line)
        guard reply.code == code else {
            throw DeliveryFailure.transient(
                .smtpSessionReply(reply.code),
                "\(settings.host) refused \(secret ? stage : (line ?? stage)): \(reply.code) \(reply.text)")
        }
    }

    /// Writes one command line (or nothing, to read an unsolicited reply) and waits for the reply.
    func command(_ line: String?) throws -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: (line?.utf8.count ?? 0) + 2)
        if let line { buffer.writeString(line + "\r\n") }
        return try exchange(buffer, replies: 1)[0]
    }

    /// Whether the server takes a group of commands before their replies (RFC 2920 PIPELINING).
    var pipelining: Bool { extensions.contains { $0.uppercased() == "PIPELINING" } }

    /// Writes `lines` in one packet and waits for their replies, in order: one round trip for MAIL, RCPT and DATA
    /// where the server offers PIPELINING.
    func commands(_ lines: [String]) throws -> [SMTPReply] {
        var buffer = channel.allocator.buffer(capacity: lines.reduce(0) { $0 + $1.utf8.count + 2 })
        for line in lines { buffer.writeString(line + "\r\n") }
        return try exchange(buffer, replies: lines.count)
    }

    /// Sends the message text after a 354: dot-stuffed, ended by CRLF.CRLF.
    func data(_ message: [UInt8]) throws -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: message.count + message.count / 50 + 5)
        var lineStart = 0
        // Copies line by line; a line that starts with "." gets a second one (RFC 5321 §4.5.2).
        while lineStart < message.count {
            let lineEnd = message[lineStart...].firstIndex(of: 10).map { $0 + 1 } ?? message.count
            if message[lineStart] == UInt8(ascii: ".") { buffer.writeInteger(UInt8(ascii: ".")) }
            buffer.writeBytes(message[lineStart..<lineEnd])
            lineStart = lineEnd
        }
        if message.last != 10 { buffer.writeString("\r\n") }
        buffer.writeString(".\r\n")
        return try exchange(buffer, replies: 1)[0]
    }

    /// Hands `bytes` to the event loop and waits for `count` replies. The timeout is armed, and disarmed by the
    /// last reply, on the loop itself, so an exchange costs one hop to the loop and one wake-up back.
    private func exchange(_ bytes: ByteBuffer, replies count: Int) throws -> [SMTPReply] {
        let loop = channel.eventLoop
        let slots = (0..<count).map { _ in SMTPReplySlot(eventLoop: loop) }
        let result = loop.makePromise(of: [SMTPReply].self)
        let flag = timedOut
        let timeout = settings.timeout
        loop.execute { [channel] in
            let timer = loop.scheduleTask(in: timeout) {
                flag.set()
                channel.close(promise: nil)
            }
            let replies = EventLoopFuture.whenAllSucceed(slots.map(\.promise.futureResult), on: loop)
            replies.whenComplete { _ in timer.cancel() }
            result.completeWith(replies)
            channel.writeAndFlush(SMTPRequest(bytes: bytes, replies: slots)).whenFailure { error in
                for slot in slots { slot.complete(.failure(error)) }
            }
        }
        do {
            return try result.futureResult.wait()
        } catch {
            if timedOut.isSet {
                throw DeliveryFailure.transient(
                    .timeout, "\(settings.host):\(settings.port) did not answer within \(settings.timeout.nanoseconds / 1_000_000_000) s.")
            }
            if case SMTPConnectionError.malformedReply(let line)? = error as? SMTPConnectionError {
                throw DeliveryFailure.transient(
                    .smtpProtocol, "\(settings.host):\(settings.port) sent a reply that is not SMTP: '\(line)'.")
            }
            throw DeliveryFailure.transient(.connectionLost, "\(settings.host):\(settings.port) closed the connection (\(error)).")
        }
    }

    var isOpen: Bool { channel.isActive }

    /// QUIT politely, then close.
    func close() {
        if channel.isActive { _ = try? command("QUIT") }
        abort()
    }

    func abort() {
        try? channel.close().wait()
    }
}
