import Foundation
import NIOCore

enum SMTPConnectionError: Error {
    case closed
    case lineTooLong
    /// A line that does not start with a reply code: the server does not speak SMTP (or not yet, or no longer).
    case malformedReply(String)
}

/// Turns the server's bytes into replies and hands each to the oldest command waiting for one.
///
/// Bounded: a reply line longer than 4 KiB or a reply of more than 100 lines closes the connection, so a broken or
/// hostile server cannot make the daemon buffer without limit.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var partial: [UInt8] = []
    private var lines: [String] = []
    private var unclaimed: [SMTPReply] = []
    private var waiting: [SMTPReplySlot] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(contentsOf: request.replies)
        deliver()
        if request.bytes.readableBytes > 0 {
            context.write(wrapOutboundOut(request.bytes), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        while let byte = buffer.readInteger(as: UInt8.self) {
            if byte == 10 {
                if partial.last == 13 { partial.removeLast() }
                let line = String(decoding: partial, as: UTF8.self)
                partial.removeAll(keepingCapacity: true)
                lines.append(line)
                // "250-" continues a reply; "250 " (or a bare "250") ends it.
                let bytes = Array(line.utf8)
                // RFC 5321 §4.2: a reply line is a code 2xx–5xx, then a space, a hyphen or nothing. Anything else
                // cannot be judged, so it says nothing about the message (never a permanent failure).
                guard bytes.count >= 3, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0]),
                      bytes[1...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                      bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-"),
                      let code = Int(line.prefix(3)) else {
                    fail(context: context, SMTPConnectionError.malformedReply(String(line.prefix(100))))
                    return
                }
                if bytes.count < 4 || bytes[3] != UInt8(ascii: "-") {
                    unclaimed.append(SMTPReply(code: code, lines: lines.map { String($0.dropFirst(min(4, $0.count))) }))
                    lines.removeAll()
                } else if lines.count > 100 {
                    fail(context: context, SMTPConnectionError.lineTooLong)
                    return
                }
            } else {
                partial.append(byte)
                if partial.count > 4096 {
                    fail(context: context, SMTPConnectionError.lineTooLong)
                    return
                }
            }
        }
        deliver()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failWaiting(SMTPConnectionError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(context: context, error)
    }

    private func fail(context: ChannelHandlerContext, _ error: Error) {
        failWaiting(error)
        context.close(promise: nil)
    }

    private func failWaiting(_ error: Error) {
        let slots = waiting
        waiting.removeAll()
        for slot in slots { slot.complete(.failure(error)) }
    }

    private func deliver() {
        while !waiting.isEmpty, !unclaimed.isEmpty {
            waiting.removeFirst().complete(.success(unclaimed.removeFirst()))
        }
    }
}
