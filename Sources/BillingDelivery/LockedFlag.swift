import Foundation

/// A flag one thread sets and others read: an event loop's timer and the sender waiting for a reply, or the
/// daemon's shutdown and a running drain.
public final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    public init() {}

    public func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
