/// The life of an invoice (002_4aa1e99df782f876.txt): Draft → Due (published) → PastDue → Paid;
/// Due/PastDue → Canceled. Only drafts may be deleted.
public enum InvoiceStatus: String, Sendable, CaseIterable {
    case draft = "Draft"
    case due = "Due"
    case pastDue = "PastDue"
    case paid = "Paid"
    case canceled = "Canceled"
}

/// What can happen to an invoice.
public enum InvoiceAction: String, Sendable, CaseIterable {
    case publish
    case markPastDue
    /// A payment that leaves a balance: the status does not change.
    case payPartially
    /// The payment that brings the balance to zero closes the invoice.
    case payInFull
    case cancel
    case delete
}

public enum InvoiceLifecycle {
    /// The status an invoice is issued with. A 0.00 invoice (free of charge, or discounted by 100 %) owes nothing,
    /// so it is Paid at issue (DESIGN.md §2): it cannot fall past due, be dunned, or wait for a payment that
    /// could never be applied. It is still issued and sent.
    public static func statusAtIssue(totalIncVat: Int64) -> InvoiceStatus {
        totalIncVat == 0 ? .paid : .due
    }

    /// The status after `action`, or INVALID_TRANSITION naming the current status. `paid` is what has been paid
    /// so far: an invoice with any payment on it can no longer be canceled (it would hide received money).
    /// `nil` means the invoice is gone (a deleted draft).
    public static func apply(_ action: InvoiceAction, to status: InvoiceStatus, paid: Int64 = 0) throws -> InvoiceStatus? {
        switch (action, status) {
        case (.publish, .draft): return .due
        case (.markPastDue, .due): return .pastDue
        case (.payPartially, .due), (.payPartially, .pastDue): return status
        case (.payInFull, .due), (.payInFull, .pastDue): return .paid
        case (.cancel, .due) where paid == 0, (.cancel, .pastDue) where paid == 0: return .canceled
        case (.cancel, .due), (.cancel, .pastDue):
            throw BillingError(
                .invalidTransition,
                "The invoice is \(status.rawValue) with payments received; only unpaid invoices can be canceled.")
        case (.delete, .draft): return nil
        default:
            throw BillingError(.invalidTransition, "Cannot \(describe(action)) an invoice that is \(status.rawValue).")
        }
    }

    static func describe(_ action: InvoiceAction) -> String {
        switch action {
        case .publish: return "publish"
        case .markPastDue: return "mark past due"
        case .payPartially, .payInFull: return "apply a payment to"
        case .cancel: return "cancel"
        case .delete: return "delete"
        }
    }
}
