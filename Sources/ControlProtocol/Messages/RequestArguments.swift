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

/// `templates list` and `customers list`: one page. `limit` is a whole number or its text (scripts write either);
/// the daemon refuses anything else with INVALID_FIELD, as the option's own refusal.
public struct PageArguments: Codable, Sendable, Equatable {
    public var limit: JSONValue?
    public var after: String?

    public init(limit: JSONValue?, after: String?) {
        self.limit = limit
        self.after = after
    }
}

/// `invoices list` with its filters and page.
public struct InvoiceListArguments: Codable, Sendable, Equatable {
    public var status: String?
    public var customer: String?
    public var template: String?
    public var from: String?
    public var to: String?
    public var limit: JSONValue?
    public var after: String?

    public init(
        status: String?,
        customer: String?,
        template: String?,
        from: String?,
        to: String?,
        limit: JSONValue?,
        after: String?
    ) {
        self.status = status
        self.customer = customer
        self.template = template
        self.from = from
        self.to = to
        self.limit = limit
        self.after = after
    }
}

/// `outbox list [--status S]` and page.
public struct OutboxListArguments: Codable, Sendable, Equatable {
    public var status: String?
    public var limit: JSONValue?
    public var after: String?

    public init(status: String?, limit: JSONValue?, after: String?) {
        self.status = status
        self.limit = limit
        self.after = after
    }
}

/// `preview TEMPLATE [--count N]`; `count` as `limit` above.
public struct PreviewArguments: Codable, Sendable, Equatable {
    public var template: String
    public var count: JSONValue?

    public init(template: String, count: JSONValue?) {
        self.template = template
        self.count = count
    }
}

/// `outbox retry ID`: the id as text, checked by the daemon.
public struct OutboxRetryArguments: Codable, Sendable, Equatable {
    public var id: String

    public init(id: String) {
        self.id = id
    }
}
