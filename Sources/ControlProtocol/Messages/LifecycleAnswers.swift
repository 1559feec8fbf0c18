/// `sweep`: invoices marked PastDue and the reminders queued.
public struct SweepAnswer: Codable, Sendable, Equatable {
    public var markedPastDue: Int
    public var reminders: [QueuedReminder]

    public init(markedPastDue: Int, reminders: [QueuedReminder]) {
        self.markedPastDue = markedPastDue
        self.reminders = reminders
    }
}

/// A reminder the sweep queued; `skippedLevels` were passed over (only the highest level due is sent).
public struct QueuedReminder: Codable, Sendable, Equatable {
    public var number: String
    public var level: Int
    public var skippedLevels: [Int]

    public init(number: String, level: Int, skippedLevels: [Int]) {
        self.number = number
        self.level = level
        self.skippedLevels = skippedLevels
    }
}

/// `cancel`: the invoice's new status and how many pending messages were withdrawn.
public struct CancelAnswer: Codable, Sendable, Equatable {
    public var status: String
    public var withdrawnMessages: Int

    public init(status: String, withdrawnMessages: Int) {
        self.status = status
        self.withdrawnMessages = withdrawnMessages
    }
}

/// `resend`: the message queued.
public struct ResendAnswer: Codable, Sendable, Equatable {
    public var outboxId: Int64
    public var channel: String
    public var recipient: String

    public init(outboxId: Int64, channel: String, recipient: String) {
        self.outboxId = outboxId
        self.channel = channel
        self.recipient = recipient
    }
}
