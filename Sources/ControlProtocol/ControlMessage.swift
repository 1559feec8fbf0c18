import BillingDomain

/// One control request: a single JSON line `{"command": "status", "version": 1, "args": {…}}`.
public struct ControlRequest: Sendable, Equatable {
    public var command: String
    /// The control protocol version the client speaks; nil when the request had none (see `ControlProtocolVersion`).
    public var version: Int?
    public var args: JSONValue

    public init(command: String, version: Int? = ControlProtocolVersion.current, args: JSONValue = .object([])) {
        self.command = command
        self.version = version
        self.args = args
    }

    /// A request whose arguments are a typed value (see `Messages/`).
    public init<Arguments: Encodable>(command: String, arguments: Arguments) throws {
        self.init(command: command, args: try JSONValueEncoder().encode(arguments))
    }

    public var json: JSONValue {
        var members = [JSONMember(key: "command", value: .string(command), line: 0)]
        if let version { members.append(JSONMember(key: "version", value: JSONValue(version), line: 0)) }
        members.append(JSONMember(key: "args", value: args, line: 0))
        return .object(members)
    }

    public init(json: JSONValue) throws {
        guard case .object = json else {
            throw BillingError(.invalidRequest, "A request is a JSON object with \"command\" and \"args\".")
        }
        guard let command = json["command"]?.stringValue, !command.isEmpty else {
            throw BillingError(.invalidRequest, "The request has no \"command\" string.")
        }
        let args = json["args"] ?? .object([])
        guard case .object = args else {
            throw BillingError(.invalidRequest, "\"args\" must be a JSON object.")
        }
        var version: Int?
        if let field = json["version"] {
            guard let number = field.intValue else {
                throw BillingError(.invalidRequest, "\"version\" must be a whole number (the control protocol version).")
            }
            version = number
        }
        self.command = command
        self.version = version
        self.args = args
    }
}

/// One control response: `{"ok": true, "result": …}` or `{"ok": false, "error": {"code", "message"}}`.
public enum ControlResponse: Sendable, Equatable {
    case success(JSONValue)
    case failure(BillingError)

    public var json: JSONValue {
        switch self {
        case .success(let result):
            return .object([JSONMember(key: "ok", value: .bool(true), line: 0),
                            JSONMember(key: "result", value: result, line: 0)])
        case .failure(let error):
            return .object([JSONMember(key: "ok", value: .bool(false), line: 0),
                            JSONMember(key: "error", value: ControlResponse.errorObject(error), line: 0)])
        }
    }

    /// `{"code", "message", "field"}` (`field` only when one field is at fault): `ErrorBody` on the wire.
    public static func errorObject(_ error: BillingError) -> JSONValue {
        // Three strings cannot fail to encode.
        (try? JSONValueEncoder().encode(ErrorBody(error))) ?? .null
    }

    public init(json: JSONValue) throws {
        switch json["ok"] {
        case .bool(true)?:
            self = .success(json["result"] ?? .null)
        case .bool(false)?:
            guard let error = json["error"], let code = error["code"]?.stringValue,
                  let message = error["message"]?.stringValue else {
                throw BillingError(.invalidRequest, "The daemon answered with an error without code and message.")
            }
            guard let known = BillingError.Code(rawValue: code) else {
                // Daemon and billingctl ship together, so this is a daemon newer than its client: say so, keep
                // the daemon's code in the sentence.
                self = .failure(BillingError(
                    .invalidAnswer, "The daemon refused with \(code.prefix(64)), a code this billingctl does not know: "
                        + message, field: error["field"]?.stringValue))
                return
            }
            self = .failure(BillingError(known, message, field: error["field"]?.stringValue))
        default:
            throw BillingError(.invalidRequest, "The daemon's answer has no \"ok\" field.")
        }
    }
}
