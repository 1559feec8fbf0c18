import BillingDomain
import ControlProtocol
import Foundation
import Logging

/// Maps control requests to engine operations. Each command states whether it changes billing data; those are
/// allowed only to authorised peers and logged with the peer's uid and pid.
public struct CommandRouter: Sendable {
    struct Command: Sendable {
        let mutating: Bool
        let run: @Sendable (BillingEngine, JSONValue) throws -> JSONValue
        /// The answer when it can be given without waiting for the database or a job, else nil; only read-only
        /// commands have one.
        var atOnce: (@Sendable (BillingEngine, JSONValue) -> JSONValue?)? = nil
    }

    let engine: BillingEngine
    let commands: [String: Command]

    public init(engine: BillingEngine) {
        self.engine = engine
        var commands: [String: Command] = [:]
        for (name, command) in CatalogCommands.all + InvoiceCommands.all + LifecycleCommands.all + DaemonCommands.all
            + OutboxCommands.all {
            commands[name] = command
        }
        self.commands = commands
    }

    public func handle(_ request: ControlRequest, peer: UnixSocket.PeerCredentials?) -> ControlResponse {
        let response = route(request, peer: peer)
        let known = commands[request.command] != nil
        if case .success = response {
            engine.metrics.controlRequest(command: request.command, ok: true)
        } else {
            engine.metrics.controlRequest(command: known ? request.command : "unknown", ok: false)
        }
        return response
    }

    /// The answer to `request` when it is at hand without waiting (today: `status` while its counts are current),
    /// so the control server gives it on its event loop; nil sends the request to `handle` on a request thread.
    /// Anything unusual (another version, arguments to refuse) is left to `handle`, which explains it.
    public func answerAtOnce(_ request: ControlRequest, peer: UnixSocket.PeerCredentials?) -> ControlResponse? {
        guard ControlProtocolVersion.refusal(for: request.version) == nil,
              let command = commands[request.command], !command.mutating, let atOnce = command.atOnce,
              let answer = atOnce(engine, request.args) else { return nil }
        engine.metrics.controlRequest(command: request.command, ok: true)
        return .success(answer)
    }

    private func route(_ request: ControlRequest, peer: UnixSocket.PeerCredentials?) -> ControlResponse {
        // Before anything else: a client of another version might mean something else by the same command.
        if let refusal = ControlProtocolVersion.refusal(for: request.version) {
            return .failure(refusal)
        }
        guard let command = commands[request.command] else {
            return .failure(BillingError(
                .unknownCommand,
                "Unknown command '\(request.command.prefix(64))'; known: \(commands.keys.sorted().joined(separator: ", ")).",
                field: nil))
        }
        if command.mutating {
            // Read at each request, so that a reload that changes the control group takes effect at once.
            let access = ControlAccess(groupName: engine.configuration.controlGroup)
            guard access.mayMutate(peer) else {
                engine.logger.warning(
                    "refused \(request.command): peer not authorised",
                    metadata: Self.peerMetadata(peer))
                return .failure(BillingError(
                    .permissionDenied,
                    "'\(request.command)' changes billing data or the daemon; only root, billingd's own user and the "
                    + "'\(access.groupName)' group may run it."))
            }
            engine.logger.info(
                "control command \(request.command)",
                metadata: Self.peerMetadata(peer))
        }
        do {
            return .success(try command.run(engine, request.args))
        } catch let error as BillingError {
            return .failure(error)
        } catch {
            engine.logger.error("command \(request.command) failed: \(error)")
            return .failure(BillingError(.internalError, "The command failed: \(error)."))
        }
    }
}

extension CommandRouter {
    /// SO_PEERCRED of the client; "unknown" rather than a made-up 0 (root) when the kernel gave none.
    static func peerMetadata(_ peer: UnixSocket.PeerCredentials?) -> Logger.Metadata {
        ["peer_uid": "\(peer.map { String($0.uid) } ?? "unknown")",
         "peer_pid": "\(peer.map { String($0.pid) } ?? "unknown")"]
    }
}

extension CommandRouter.Command {
    /// A command with typed arguments and answer (ControlProtocol's `Messages/`): the arguments are decoded strictly
    /// (a missing, mistyped or unknown argument is refused naming it), the answer is encoded field by field.
    static func typed<Request: Decodable & Sendable, Answer: Encodable & Sendable>(
        _ request: Request.Type, mutating: Bool, _ run: @escaping @Sendable (BillingEngine, Request) throws -> Answer
    ) -> Self {
        .init(mutating: mutating) { engine, args in
            let request = try JSONValueDecoder.requests.decode(Request.self, from: args)
            return try JSONValueEncoder().encode(try run(engine, request))
        }
    }

    /// A read-only typed command that can often answer without waiting: `atOnce` gives that answer or nil, and
    /// `run` is the full path (arguments it would refuse always take the full path, which refuses them).
    static func typed<Request: Decodable & Sendable, Answer: Encodable & Sendable>(
        _ request: Request.Type, atOnce: @escaping @Sendable (BillingEngine, Request) -> Answer?,
        _ run: @escaping @Sendable (BillingEngine, Request) throws -> Answer
    ) -> Self {
        var command = typed(request, mutating: false, run)
        command.atOnce = { engine, args in
            guard let request = try? JSONValueDecoder.requests.decode(Request.self, from: args),
                  let answer = atOnce(engine, request) else { return nil }
            return try? JSONValueEncoder().encode(answer)
        }
        return command
    }
}

/// The checks on decoded arguments that their types cannot state, refused like the decoder's own.
enum Arguments {
    /// A required text given as an empty string is as good as missing.
    static func nonEmpty(_ text: String, _ name: String) throws -> String {
        guard !text.isEmpty else {
            throw BillingError(.invalidRequest, "Argument '\(name)' is required.", field: name)
        }
        return text
    }

    /// A whole number in `range`, given as a JSON number or its text; nil when absent or null.
    static func wholeNumber(_ field: JSONValue?, _ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let field, !field.isNull else { return nil }
        guard let number = field.intValue ?? field.stringValue.flatMap({ Int($0) }), range.contains(number) else {
            throw BillingError(
                .invalidRequest, "Argument '\(name)' must be a whole number in \(range.lowerBound)…\(range.upperBound).",
                field: name)
        }
        return number
    }
}
