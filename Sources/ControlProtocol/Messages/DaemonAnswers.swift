/// `drain`: what one drain of the outbox did.
public struct DrainAnswer: Codable, Sendable, Equatable {
    public var claimed: Int
    public var sent: Int
    public var retrying: Int
    public var failed: Int
    public var dead: Int

    public init(claimed: Int, sent: Int, retrying: Int, failed: Int, dead: Int) {
        self.claimed = claimed
        self.sent = sent
        self.retrying = retrying
        self.failed = failed
        self.dead = dead
    }
}

/// `templates pause` and `templates resume`: the template's status after it.
public struct TemplateStatusAnswer: Codable, Sendable, Equatable {
    public var status: String

    public init(status: String) {
        self.status = status
    }
}

/// `reload`: the configuration was re-read and is in force.
public struct ReloadAnswer: Codable, Sendable, Equatable {
    public var reloaded: Bool

    public init(reloaded: Bool) {
        self.reloaded = reloaded
    }
}

/// `metrics`: the Prometheus text exposition.
public struct MetricsAnswer: Codable, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}

/// `backup`: where the copy was written and its size.
public struct BackupAnswer: Codable, Sendable, Equatable {
    public var path: String
    public var bytes: Int

    public init(path: String, bytes: Int) {
        self.path = path
        self.bytes = bytes
    }
}
