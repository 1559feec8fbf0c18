/// `status`: what the daemon is, how long it has run, and the sizes of its queues.
public struct StatusAnswer: Codable, Sendable, Equatable {
    public var version: String
    public var uptimeSeconds: Int
    public var database: String
    public var nextWakeAt: String?
    public var templates: StatusCounts
    public var invoices: StatusCounts
    public var outbox: StatusCounts
    public var faults: [DaemonFault]

    public init(
        version: String,
        uptimeSeconds: Int,
        database: String,
        nextWakeAt: String?,
        templates: StatusCounts,
        invoices: StatusCounts,
        outbox: StatusCounts,
        faults: [DaemonFault]
    ) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.database = database
        self.nextWakeAt = nextWakeAt
        self.templates = templates
        self.invoices = invoices
        self.outbox = outbox
        self.faults = faults
    }
}

/// A fault the daemon is in (a database it cannot write, a transport that refuses), since when.
public struct DaemonFault: Codable, Sendable, Equatable {
    public var scope: String
    public var code: String
    public var message: String
    public var since: String

    public init(scope: String, code: String, message: String, since: String) {
        self.scope = scope
        self.code = code
        self.message = message
        self.since = since
    }
}
