import BillingDomain
import BillingStore

/// The catalog as control commands (and later the HTTP API) see it: templates and customers.
extension BillingEngine {
    /// One page of `templates list`: newest first, the templates with an id below `before`.
    public func templates(before: Int64?, limit: Int) throws -> [TemplateSummary] {
        try store.templateSummaries(before: before, limit: limit)
    }

    /// A template by Id or RecordGuid (see `TemplateReference`).
    public func template(_ reference: String) throws -> RecurringTemplate {
        try store.template(reference)
    }

    /// Pauses an active template; its runs wait until it is resumed.
    public func pauseTemplate(_ reference: String, reason: String?) throws -> RecurringTemplate.Status {
        let status = try store.setTemplatePaused(reference, paused: true, reason: reason, now: clock.nowSeconds())
        notifyChange(.billing)
        return status
    }

    /// Resumes a paused template at its next run; runs that fell due meanwhile follow the catch-up policy.
    public func resumeTemplate(_ reference: String) throws -> RecurringTemplate.Status {
        let status = try store.setTemplatePaused(reference, paused: false, reason: nil, now: clock.nowSeconds())
        notifyChange(.billing)
        return status
    }

    /// One page of `customers list`: newest first, the customers with an id below `before`.
    public func customers(before: Int64?, limit: Int) throws -> [Customer] {
        try store.customers(before: before, limit: limit)
    }

    public func customer(guid: String) throws -> Customer {
        try store.customer(guid: guid)
    }

    /// The id of the customer with `guid`, to narrow a list; CUSTOMER_NOT_FOUND.
    public func customerID(guid: String) throws -> Int64 {
        try store.customerID(guid: guid)
    }
}
