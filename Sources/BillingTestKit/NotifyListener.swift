import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The service manager's side of sd_notify(3): an AF_UNIX datagram socket whose path goes into NOTIFY_SOCKET.
/// Every datagram is kept with the instant it arrived, so tests can check order and spacing. Its receiving thread
/// keeps it alive until `close()`.
public final class NotifyListener: @unchecked Sendable {
    public struct Datagram: Sendable, CustomStringConvertible {
        /// When the listener received it: the figures that time readiness take this, not the instant a wait returned.
        public var at: ContinuousClock.Instant
        public var text: String
        /// The "KEY=value" assignments of the datagram.
        public var assignments: [String] { text.split(separator: "\n").map(String.init) }
        public func has(_ assignment: String) -> Bool { assignments.contains(assignment) }
        public func value(_ key: String) -> String? {
            assignments.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        public var description: String { text.replacingOccurrences(of: "\n", with: "\\n") }
    }

    public let directory: URL
    public var path: String { directory.appendingPathComponent("notify.sock").path }
    private let fd: Int32
    private let condition = NSCondition()
    private var received: [Datagram] = []
    private var closing = false
    private var finished = false

    public init() throws {
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("billingd-notify-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(directory.appendingPathComponent("notify.sock").path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw TestFailure("bind \(path): errno \(errno)") }
        Thread.detachNewThread { [self] in receiveLoop() }
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            condition.lock()
            let stop = closing
            condition.unlock()
            if stop { break }
            // A short poll, so that close() is noticed without a datagram to wake the loop.
            guard poll(&entry, 1, 100) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n >= 0 else { continue }
            let datagram = Datagram(at: .now, text: String(decoding: buffer[..<n], as: UTF8.self))
            condition.lock()
            received.append(datagram)
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    public var datagrams: [Datagram] {
        condition.lock()
        defer { condition.unlock() }
        return received
    }

    /// Waits for the first datagram at index `from` or later that `matches`; returns its index and the datagram.
    @discardableResult
    public func wait(from: Int = 0, timeout: TimeInterval = 30, _ what: String = "a datagram",
              matching matches: (Datagram) -> Bool) throws -> (index: Int, datagram: Datagram) {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if from < received.count, let index = received[from...].firstIndex(where: matches) {
                return (index, received[index])
            }
            guard condition.wait(until: deadline) || Date() < deadline else {
                throw TestFailure("no \(what) within \(timeout) s; received: \(received.map(\.description))")
            }
        }
    }

    /// Waits for a datagram that carries `assignment` (e.g. "READY=1").
    @discardableResult
    public func wait(for assignment: String, from: Int = 0, timeout: TimeInterval = 30) throws -> (index: Int, datagram: Datagram) {
        try wait(from: from, timeout: timeout, assignment) { $0.has(assignment) }
    }

    /// Waits until `count` datagrams carrying `assignment` have arrived and returns them.
    public func wait(for count: Int, of assignment: String, timeout: TimeInterval = 30) throws -> [Datagram] {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            let matching = received.filter { $0.has(assignment) }
            if matching.count >= count { return matching }
            guard condition.wait(until: deadline) || Date() < deadline else {
                throw TestFailure("\(matching.count) of \(count) \(assignment) within \(timeout) s")
            }
        }
    }

    public func close() {
        condition.lock()
        closing = true
        while !finished { condition.wait() }
        condition.unlock()
        Glibc.close(fd)
        try? FileManager.default.removeItem(at: directory)
    }
}
