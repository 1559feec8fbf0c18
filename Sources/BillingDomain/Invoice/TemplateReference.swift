/// How a command names a template: by Id or by RecordGuid. A RecordGuid may itself be digits ("1"), so a bare
/// reference can match one template's Id and another's RecordGuid; `id:` and `guid:` say which is meant, and the
/// bare form is then refused as ambiguous rather than guessed (DESIGN §4).
public enum TemplateReference: Sendable, Equatable {
    case id(Int64)
    case recordGuid(String)
    /// Bare text: an Id when it is a whole number, else or also a RecordGuid.
    case either(String)

    public init(_ text: String) throws {
        if text.hasPrefix("id:") {
            guard let id = Int64(text.dropFirst(3)) else {
                throw BillingError(.invalidRequest, "'\(text.prefix(64))': id: takes a whole number (id:7).",
                                   field: "template")
            }
            self = .id(id)
        } else if text.hasPrefix("guid:") {
            self = .recordGuid(String(text.dropFirst(5)))
        } else {
            self = .either(text)
        }
    }
}
