import Synchronization

/// A flag one thread sets and others read: an event loop's timer and the sender waiting for a reply, or the
/// daemon's shutdown and a running drain.
public final class SetOnceFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func set() {
        value.store(true, ordering: .releasing)
    }

    public var isSet: Bool {
        value.load(ordering: .acquiring)
    }
}
