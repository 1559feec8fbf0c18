import BillingDomain
import BillingStore

/// Invoices and their life cycle as control commands (and later the HTTP API) see them.
extension BillingEngine {
    /// One page of `invoices list`: newest first, the invoices with an id below `before` that pass `filter`.
    public func invoices(_ filter: InvoiceListFilter, before: Int64?, limit: Int) throws -> [InvoiceSummary] {
        try store.invoiceSummaries(filter, before: before, limit: limit)
    }

    public func invoice(number: String) throws -> InvoiceDetail {
        try store.invoice(number: number)
    }

    /// Applies a payment; the one that closes the invoice queues a receipt when `send_receipts` is on.
    public func applyPayment(_ request: PaymentRequest) throws -> PaymentOutcome {
        let outcome = try store.applyPayment(request, now: clock.nowSeconds(), sendReceipt: configuration.sendReceipts)
        notifyChange()
        return outcome
    }

    /// Cancels an unpaid Due or PastDue invoice and withdraws its messages not yet sent.
    public func cancel(number: String) throws -> CancelOutcome {
        let outcome = try store.cancel(number: number, now: clock.nowSeconds())
        notifyChange()
        return outcome
    }

    /// Queues the invoice again on `channel`; the drain wakes to send it.
    public func resend(number: String, channel: OutboxChannel, to: String?) throws -> ResendOutcome {
        let outcome = try store.resend(number: number, channel: channel, to: to, now: clock.nowSeconds())
        notifyChange(.outbox)
        return outcome
    }
}
