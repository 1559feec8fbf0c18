import BillingDomain

/// The billing operations the engine, its jobs and its control commands need from a database (DESIGN.md §1).
///
/// Every store implements the whole of it: the embedded SQLite `Store` today, a PostgreSQL store for several
/// nodes next. What crosses it are plain values (domain types and the small result types of this module), never
/// SQL, rows or connection handles, so the engine cannot tell the stores apart.
///
/// Each operation is one transaction: it is done whole or not at all, and a failure throws a `BillingError`
/// (`STORAGE_ERROR`, `BUSY` for the database's faults; a billing code such as `INVALID_TRANSITION` for a refusal).
/// Operations that change billing data take `now` (Unix seconds) from the caller, so the business clock is the
/// engine's. The methods are synchronous and block the calling thread for the length of the transaction: that is
/// what SQLite does, and callers keep such work off the cooperative pool. They become `async` with the PostgreSQL
/// store, whose client is asynchronous.
public protocol BillingStorage: AnyObject, Sendable {
    /// Where the data lives, for `billingctl status` and the journal: a file path, or a URL without credentials.
    var location: String { get }
    /// The migrations this process applied when it opened the store, oldest first (empty when none were due).
    var appliedMigrations: [String] { get }

    // MARK: Catalog

    /// Stores a validated import whole or not at all: customers and templates upserted by CustomerGUID and
    /// RecordGuid, a template's lines replaced as a whole. A template with invoices keeps its schedule's
    /// identity and never moves its next run back before a run already invoiced.
    func importCatalog(customers: [Customer], templates: [RecurringTemplate], now: Int64) throws -> ImportOutcome
    /// Pauses or resumes a template (by `TemplateReference`); returns its status afterwards.
    func setTemplatePaused(_ reference: String, paused: Bool, reason: String?, now: Int64) throws
        -> RecurringTemplate.Status
    /// A template addressed by Id or RecordGuid, decoded and checked; TEMPLATE_NOT_FOUND, AMBIGUOUS_TEMPLATE.
    func template(_ reference: String) throws -> RecurringTemplate
    /// One page of templates, newest first, with an id below `before`.
    func templateSummaries(before: Int64?, limit: Int) throws -> [TemplateSummary]
    /// One page of customers, newest first, with an id below `before`.
    func customers(before: Int64?, limit: Int) throws -> [Customer]
    /// CUSTOMER_NOT_FOUND if there is none.
    func customer(guid: String) throws -> Customer
    /// The id of the customer with `guid`; CUSTOMER_NOT_FOUND if there is none.
    func customerID(guid: String) throws -> Int64

    // MARK: Generation and sweep

    /// Active templates whose next run is due at `now`, earliest first; with `only`, that template if it is due.
    func dueTemplateIDs(at now: Int64, limit: Int, only templateID: Int64?) throws -> [Int64]
    /// Generates the invoices `plan` decides for each of `templateIDs` in one transaction, exactly once per
    /// (template, run), with gapless numbers; the templates' next runs advance with their invoices. A template
    /// that cannot be billed is paused and reported in `refused`; the others go on.
    func generate(
        templateIDs: [Int64], now: Int64, numberFormat: InvoiceNumberFormat,
        plan: (RecurringTemplate, Customer) throws -> TemplatePlan
    ) throws -> GenerationResult
    /// Marks Due invoices past their due date PastDue and queues the reminders `dunning` makes due, in one
    /// transaction.
    func sweep(now: Int64, dunning: DunningSchedule) throws -> SweepResult
    /// The earliest instant at which billing work becomes due: a template run, a past-due boundary or a reminder
    /// (the scheduler's wake). One index seek per kind.
    func nextBillingWakeAt() throws -> Int64?

    // MARK: Invoices and their life cycle

    /// One page of invoices, newest first, with an id below `before`, narrowed by `filter`.
    func invoiceSummaries(_ filter: InvoiceListFilter, before: Int64?, limit: Int) throws -> [InvoiceSummary]
    /// An invoice with its lines, VAT, payments and history; INVOICE_NOT_FOUND.
    func invoice(number: String) throws -> InvoiceDetail
    /// Applies a payment; the one that brings the balance to zero closes the invoice, withdraws its pending
    /// reminders and, with `sendReceipt`, queues a receipt.
    func applyPayment(_ request: PaymentRequest, now: Int64, sendReceipt: Bool) throws -> PaymentOutcome
    /// Cancels an unpaid Due or PastDue invoice and withdraws its messages not yet sent.
    func cancel(number: String, now: Int64) throws -> CancelOutcome
    /// Queues the invoice again on `channel`, to `to` or the customer's own address; consent still applies.
    func resend(number: String, channel: OutboxChannel, to: String?, now: Int64) throws -> ResendOutcome

    // MARK: Outbox

    /// Claims up to `limit` due rows for `leaseSeconds`: pending rows whose attempt is due and `sending` rows
    /// whose lease ran out. Oldest due first.
    func claimOutbox(now: Int64, leaseSeconds: Int64, limit: Int) throws -> [OutboxMessage]
    /// Records sent messages in one transaction and returns how many rows it marked; a row already sent is not
    /// marked twice.
    @discardableResult
    func markOutboxSent(_ sends: [OutboxSent], now: Int64) throws -> Int
    /// Records a failed attempt and moves the row on under `policy`; OUTBOX_NOT_FOUND.
    func recordOutboxFailure(
        id: Int64, failure: DeliveryFailure, policy: RetryPolicy, now: Int64, jitter: Double
    ) throws -> OutboxFailureOutcome
    /// Hands claimed rows back unsent: pending again, due as before.
    func releaseOutbox(ids: [Int64], now: Int64) throws
    /// The earliest instant at which an outbox message becomes due: a pending row's next attempt or a claimed row's
    /// lease running out (the drain's wake). One index seek.
    func nextOutboxWakeAt() throws -> Int64?
    /// Rows of one status (or all) with an id below `before`, newest first.
    func outboxMessages(status: OutboxStatus?, before: Int64?, limit: Int) throws -> [OutboxMessage]
    /// An operator's replay of a dead or failed row: pending again, due now, with a fresh set of attempts.
    func retryOutbox(id: Int64, now: Int64) throws -> OutboxMessage

    // MARK: The store itself

    /// The counts and the next wakes for `billingctl status`, STATUS= and the metrics, from one snapshot.
    func statusSnapshot() throws -> StatusSnapshot
    /// The last status snapshot when it is at hand without waiting and without counting (nothing changed since it
    /// was taken and no other read holds the connection), so it may be asked from an event loop; nil sends the
    /// caller to `statusSnapshot()`.
    func statusSnapshotIfCurrent() -> StatusSnapshot?
    /// Proves the database answers, for the watchdog; waits behind a stuck write, so a stuck database stops it.
    func ping() throws
    /// Writes a consistent copy of the data to a new file at `path` (absolute, never overwritten) and returns its
    /// size in bytes. A store that cannot copy itself to a file refuses with the tool to use instead.
    func backup(to path: String) throws -> Int64
    /// Gives back memory a large job needed; called after each job.
    func releaseMemory()
}

extension BillingStorage {
    public func dueTemplateIDs(at now: Int64, limit: Int) throws -> [Int64] {
        try dueTemplateIDs(at: now, limit: limit, only: nil)
    }

    public func outboxMessages(status: OutboxStatus? = nil) throws -> [OutboxMessage] {
        try outboxMessages(status: status, before: nil, limit: 1_000)
    }

    /// Records one sent message; false when it was already marked sent.
    @discardableResult
    public func markOutboxSent(id: Int64, providerMessageId: String?, now: Int64) throws -> Bool {
        try markOutboxSent([OutboxSent(id: id, providerMessageId: providerMessageId)], now: now) == 1
    }
}

/// Opens the store `location` names and runs its pending migrations: the one place that chooses a store.
///
/// A file path opens the embedded SQLite store (created with its folder when missing).
public func openBillingStorage(location: String, busyTimeoutMilliseconds: Int32, now: Int64) throws
    -> any BillingStorage {
    try Store(options: Store.Options(path: location, busyTimeoutMilliseconds: busyTimeoutMilliseconds), now: now)
}
