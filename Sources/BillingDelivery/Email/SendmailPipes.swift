import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The pipes to and from the MTA, each served by a thread of its own.
///
/// An MTA may write to stderr or stdout before (or instead of) reading the message: if nobody read those pipes
/// while billingd wrote the message, both would wait for each other until the timeout. So the message is written
/// by one thread while two others drain stdout and stderr to their end.
enum SendmailPipes {
    /// Writes `bytes` to `handle` and closes it. SIGPIPE is blocked on the writing thread, so an MTA that exits
    /// without reading gives EPIPE here (its exit status says why) instead of ending the daemon.
    final class Feed: Sendable {
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle, bytes: [UInt8]) {
            Thread.detachNewThread { [self] in
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGPIPE)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes[offset...].withUnsafeBytes { Glibc.write(handle.fileDescriptor, $0.baseAddress, $0.count) }
                    if written < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    offset += written
                }
                try? handle.close()
                done.signal()
            }
        }

        func wait(until deadline: DispatchTime) -> Bool { done.wait(timeout: deadline) == .success }
    }

    /// Reads `handle` to its end, keeping the first `keep` bytes (what the MTA said, for the error message).
    final class Drain: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let kept = Mutex<[UInt8]>([])

        init(_ handle: FileHandle, keep: Int) {
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 64 << 10)
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { break }
                    kept.withLock { kept in
                        if kept.count < keep { kept += buffer[0..<min(count, keep - kept.count)] }
                    }
                }
                done.signal()
            }
        }

        /// What was kept, once the pipe ended (nil when it did not end by `deadline`: a grandchild still holds it).
        func wait(until deadline: DispatchTime) -> [UInt8]? { done.wait(timeout: deadline) == .success ? kept.withLock { $0 } : nil }
    }
}
