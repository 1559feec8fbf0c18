import Foundation
import NIOCore
import Synchronization

/// A server's reply: a three-digit code and its text lines (`250-…` continuation lines included).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " ") }
    var isTransient: Bool { (400..<500).contains(code) }
}

/// Where a reply is delivered. Completing it twice (a reply racing a timeout or a closed connection) is harmless:
/// only the first result counts.
final class SMTPReplySlot: Sendable {
    let promise: EventLoopPromise<SMTPReply>
    private let done = Atomic<Bool>(false)

    init(eventLoop: EventLoop) { promise = eventLoop.makePromise(of: SMTPReply.self) }

    func complete(_ result: Result<SMTPReply, Error>) {
        if !done.exchange(true, ordering: .acquiringAndReleasing) { promise.completeWith(result) }
    }
}

/// Commands to write and the slots their replies go to, in order: one slot for one command, several for a
/// pipelined group (RFC 2920); empty bytes wait for an unsolicited reply (the greeting).
struct SMTPRequest: Sendable {
    var bytes: ByteBuffer
    var replies: [SMTPReplySlot]
}
