/// A channel a message can go out on: one outbox row per message and channel.
public enum OutboxChannel: String, Sendable, CaseIterable {
    case email, sms, post
}
