/// `run`: the invoices generated, and the templates that were paused or refused.
public struct RunAnswer: Codable, Sendable, Equatable {
    public var generated: Int
    public var invoices: [GeneratedInvoice]
    public var alreadyInvoiced: Int
    public var skippedRuns: Int
    public var paused: [PausedTemplate]
    public var refused: [RefusedTemplate]

    public init(
        generated: Int,
        invoices: [GeneratedInvoice],
        alreadyInvoiced: Int,
        skippedRuns: Int,
        paused: [PausedTemplate],
        refused: [RefusedTemplate]
    ) {
        self.generated = generated
        self.invoices = invoices
        self.alreadyInvoiced = alreadyInvoiced
        self.skippedRuns = skippedRuns
        self.paused = paused
        self.refused = refused
    }
}

/// An invoice a run generated.
public struct GeneratedInvoice: Codable, Sendable, Equatable {
    public var number: String
    public var templateId: Int64
    public var runIndex: Int
    public var totalIncVat: String
    public var currency: String

    public init(number: String, templateId: Int64, runIndex: Int, totalIncVat: String, currency: String) {
        self.number = number
        self.templateId = templateId
        self.runIndex = runIndex
        self.totalIncVat = totalIncVat
        self.currency = currency
    }
}

/// A template the run paused, and why.
public struct PausedTemplate: Codable, Sendable, Equatable {
    public var templateId: Int64
    public var reason: String

    public init(templateId: Int64, reason: String) {
        self.templateId = templateId
        self.reason = reason
    }
}

/// A template the run could not bill, with the refusal.
public struct RefusedTemplate: Codable, Sendable, Equatable {
    public var templateId: Int64
    public var error: ErrorBody

    public init(templateId: Int64, error: ErrorBody) {
        self.templateId = templateId
        self.error = error
    }
}

/// `preview`: a template's next runs; nothing is written.
public struct PreviewAnswer: Codable, Sendable, Equatable {
    public var template: TemplateReference
    public var runs: [PreviewRun]

    public init(template: TemplateReference, runs: [PreviewRun]) {
        self.template = template
        self.runs = runs
    }
}

/// One previewed run.
public struct PreviewRun: Codable, Sendable, Equatable {
    public var runAt: String
    public var issueDate: String
    public var dueDate: String
    public var totals: Totals
    public var vat: [VatShare]

    public init(runAt: String, issueDate: String, dueDate: String, totals: Totals, vat: [VatShare]) {
        self.runAt = runAt
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.totals = totals
        self.vat = vat
    }
}

/// `import`: how many customers, and the templates imported.
public struct ImportAnswer: Codable, Sendable, Equatable {
    public var customers: Int
    public var templates: [TemplateReference]

    public init(customers: Int, templates: [TemplateReference]) {
        self.customers = customers
        self.templates = templates
    }
}
