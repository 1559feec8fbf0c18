/// Where an outbox row is in its life (DESIGN.md §2): `pending` until a sender claims it, `sending` under the
/// claim's lease, then `sent`, `failed` (a permanent refusal), `dead` (no attempt left) or `withdrawn` (its invoice
/// was canceled or paid before it went out). An operator's retry makes a failed or dead row pending again.
public enum OutboxStatus: String, Sendable, CaseIterable {
    case pending, sending, sent, failed, dead, withdrawn

    /// The rows an operator may replay.
    public var isRetryable: Bool { self == .dead || self == .failed }
}
