/// The `args` of a command that takes none (`status`); any argument given is refused.
public struct NoArguments: Codable, Sendable, Equatable {
    public init() {}

    /// Opens the object, so that the decoder sees every member as not asked for (a synthesized init would not look).
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyCodingKey.self)
    }

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyCodingKey.self)
    }
}

/// `invoices show NUMBER`.
public struct InvoiceShowArguments: Codable, Sendable, Equatable {
    public var number: String

    public init(number: String) {
        self.number = number
    }
}

/// `templates show ID`: an Id or RecordGuid (`id:N`, `guid:G` where both could match).
public struct TemplateShowArguments: Codable, Sendable, Equatable {
    public var template: String

    public init(template: String) {
        self.template = template
    }
}

/// `customers show GUID`.
public struct CustomerShowArguments: Codable, Sendable, Equatable {
    public var customer: String

    public init(customer: String) {
        self.customer = customer
    }
}

/// `import FILE`: the document, base64-encoded so any bytes (a SOAP envelope in any encoding) travel in a JSON string.
public struct ImportArguments: Codable, Sendable, Equatable {
    public var documentBase64: String

    public init(documentBase64: String) {
        self.documentBase64 = documentBase64
    }
}

/// `run [--template ID]`.
public struct RunArguments: Codable, Sendable, Equatable {
    public var template: String?

    public init(template: String?) {
        self.template = template
    }
}

/// `pay NUMBER --amount A --type T …`: the amount as text in the invoice's currency, never a binary number.
public struct PayArguments: Codable, Sendable, Equatable {
    public var number: String
    public var amount: String
    public var type: String
    public var ref: String?
    public var date: String?
    public var payerName: String?
    public var payerEmail: String?
    public var notes: String?

    public init(
        number: String,
        amount: String,
        type: String,
        ref: String?,
        date: String?,
        payerName: String?,
        payerEmail: String?,
        notes: String?
    ) {
        self.number = number
        self.amount = amount
        self.type = type
        self.ref = ref
        self.date = date
        self.payerName = payerName
        self.payerEmail = payerEmail
        self.notes = notes
    }
}

/// `templates pause ID [--reason R]`.
public struct TemplatePauseArguments: Codable, Sendable, Equatable {
    public var template: String
    public var reason: String?

    public init(template: String, reason: String?) {
        self.template = template
        self.reason = reason
    }
}

/// `templates resume ID`.
public struct TemplateResumeArguments: Codable, Sendable, Equatable {
    public var template: String

    public init(template: String) {
        self.template = template
    }
}

/// `cancel NUMBER`.
public struct CancelArguments: Codable, Sendable, Equatable {
    public var number: String

    public init(number: String) {
        self.number = number
    }
}

/// `resend NUMBER --via email|sms|post [--to ADDRESS]`.
public struct ResendArguments: Codable, Sendable, Equatable {
    public var number: String
    public var via: String
    public var to: String?

    public init(number: String, via: String, to: String?) {
        self.number = number
        self.via = via
        self.to = to
    }
}

/// `backup FILE`: an absolute path, written by the daemon with its own rights.
public struct BackupArguments: Codable, Sendable, Equatable {
    public var path: String

    public init(path: String) {
        self.path = path
    }
}
