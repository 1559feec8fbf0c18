import BillingDomain
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A minimal HTTP/1.1 client for one JSON POST per connection, on NIO's HTTP/1 codec (TLS through NIOSSL for
/// https URLs). It does what the SMS gateway needs and no more: no redirects, no keep-alive, no proxy. See the
/// README for why this is not async-http-client.
struct HTTPPostClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Bodies larger than this are cut: a gateway's answer is a few hundred bytes.
    static let maxResponseBytes = 64 << 10

    var group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    var timeout: TimeAmount
    /// For https URLs: made once per transport (`tlsContext(caFile:)`), since building one reads the trust store.
    var tlsContext: NIOSSLContext?

    /// A client TLS context that trusts the system's CAs, or only those in `caFile` (a private CA).
    static func tlsContext(caFile: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The request target (RFC 9112 §3.2.1): the URL's path and query as written, percent-encoding kept.
    static func requestTarget(_ url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? ""
        return (path.isEmpty ? "/" : path) + (components?.percentEncodedQuery.map { "?\($0)" } ?? "")
    }

    func post(_ url: URL, headers: [(String, String)], body: [UInt8]) throws -> Response {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host else {
            throw DeliveryFailure.permanent(.invalidURL, "\(url) is not an http(s) URL.")
        }
        let tls = scheme == "https"
        let port = url.port ?? (tls ? 443 : 80)
        let sslContext = tls ? tlsContext : nil
        if tls, sslContext == nil {
            throw DeliveryFailure.transient(.tlsConfiguration, "No TLS context for \(url).")
        }
        let result = ResultBox()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: host))
                    }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(ResponseCollector(result: result))
                }
            }
        let channel: Channel
        do {
            channel = try bootstrap.connect(host: host, port: port).wait()
        } catch {
            throw DeliveryFailure.transient(.connectionFailed, "Cannot connect to \(host):\(port): \(error).")
        }
        let timedOut = SetOnceFlag()
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            timedOut.set()
            channel.close(promise: nil)
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: Self.requestTarget(url))
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        var buffer = channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        do {
            return try result.promise(on: channel.eventLoop).futureResult.wait()
        } catch {
            if timedOut.isSet {
                throw DeliveryFailure.transient(.timeout, "\(host):\(port) did not answer within \(timeout.nanoseconds / 1_000_000_000) s.")
            }
            throw DeliveryFailure.transient(.connectionLost, "\(host):\(port) closed the connection before answering (\(error)).")
        }
    }
}

/// Holds the response until the caller asks for it; the collector may finish before the caller waits.
private final class ResultBox: Sendable {
    private struct State {
        var result: Result<HTTPPostClient.Response, Error>?
        var promise: EventLoopPromise<HTTPPostClient.Response>?
    }

    private let state = Mutex(State())

    func complete(_ value: Result<HTTPPostClient.Response, Error>) {
        let waiting = state.withLock { state -> EventLoopPromise<HTTPPostClient.Response>? in
            guard state.result == nil else { return nil }
            state.result = value
            return state.promise
        }
        waiting?.completeWith(value)
    }

    func promise(on eventLoop: EventLoop) -> EventLoopPromise<HTTPPostClient.Response> {
        let made = eventLoop.makePromise(of: HTTPPostClient.Response.self)
        let result = state.withLock { state in
            state.promise = made
            return state.result
        }
        if let result { made.completeWith(result) }
        return made
    }
}

private struct ConnectionClosed: Error {}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let result: ResultBox
    private var response = HTTPPostClient.Response(status: 0, headers: [], body: [])

    init(result: ResultBox) { self.result = result }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response.status = Int(head.status.code)
            response.headers = head.headers.map { ($0.name, $0.value) }
        case .body(var buffer):
            let room = HTTPPostClient.maxResponseBytes - response.body.count
            if room > 0, let bytes = buffer.readBytes(length: min(room, buffer.readableBytes)) {
                response.body += bytes
            }
        case .end:
            result.complete(.success(response))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        result.complete(.failure(ConnectionClosed()))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        result.complete(.failure(error))
        context.close(promise: nil)
    }
}
