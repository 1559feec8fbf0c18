import BillingDomain
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Thin, explicit wrappers over the POSIX calls the control socket needs.
public enum UnixSocket {
    /// The identity of a connected peer, from SO_PEERCRED.
    public struct PeerCredentials: Sendable, Equatable {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
    }

    static func makeAddress(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw BillingError(.socketPathInvalid, "The socket path \(path) is empty or longer than \(capacity - 1) bytes.")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// Binds and listens on `path`. A stale socket file left by a crash is removed; a live daemon on the same
    /// path is an error, never silently displaced.
    public static func listen(path: String, mode: mode_t, backlog: Int32 = 128) throws -> Int32 {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFSOCK else {
                throw BillingError(.invalidConfig, "\(path) exists and is not a socket; refusing to replace it.")
            }
            if let probe = try? connect(path: path) {
                close(probe)
                throw BillingError(.socketInUse, "Another billingd already listens on \(path).")
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw posixError("socket") }
        var address = try makeAddress(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let error = posixError("bind \(path)")
            close(fd)
            throw error
        }
        chmod(path, mode)
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = posixError("listen")
            close(fd)
            throw error
        }
        return fd
    }

    public static func connect(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw posixError("socket") }
        var address = try makeAddress(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let error = posixError("connect \(path)")
            close(fd)
            throw error
        }
        return fd
    }

    /// Waits until `fd` is readable (or writable) or the deadline passes; false on timeout.
    static func wait(_ fd: Int32, forWriting: Bool = false, until deadline: ContinuousClock.Instant?) -> Bool {
        var entries = [pollfd(fd: fd, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)]
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                if left <= .zero { return false }
                let (seconds, attoseconds) = left.components
                timeout = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            }
            let rc = poll(&entries, nfds_t(entries.count), timeout)
            if rc > 0 { return true }
            if rc == 0 { return false }
            if errno != EINTR { return true }  // let the following read/write report the error
        }
    }

    /// Writes all of `bytes`, or throws when the peer is gone or too slow.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws {
        var offset = 0
        while offset < bytes.count {
            guard wait(fd, forWriting: true, until: deadline) else {
                throw BillingError(.socketTimeout, "The peer did not read the answer in time.")
            }
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw posixError("send")
            }
            offset += n
        }
    }

    /// A failed socket call, coded by what an operator has to fix: permissions, a path that cannot hold a
    /// socket, a socket already in use, or the peer.
    static func posixError(_ what: String) -> BillingError {
        let code = errno
        let kind: BillingError.Code
        switch code {
        case EACCES, EPERM: kind = .socketPermissionDenied
        case EADDRINUSE: kind = .socketInUse
        case ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EROFS, EISDIR: kind = .socketPathInvalid
        case ECONNREFUSED: kind = .socketConnectionRefused
        default: kind = .socketError
        }
        return BillingError(kind, "\(what) failed: \(String(cString: strerror(code))) (errno \(code)).")
    }
}

/// Reads newline-terminated lines from a socket without ever buffering more than `maxLineBytes`.
struct LineReader {
    enum Outcome {
        case line([UInt8])
        case end
        /// The deadline passed.
        case timedOut
        case tooLong
    }

    let fd: Int32
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32, maxLineBytes: Int) {
        self.fd = fd
        self.maxLineBytes = maxLineBytes
    }

    mutating func next(deadline: ContinuousClock.Instant?) -> Outcome {
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 10) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line.count > maxLineBytes ? .tooLong : .line(line)
            }
            scanned = buffer.count
            if buffer.count > maxLineBytes { return .tooLong }
            guard UnixSocket.wait(fd, until: deadline) else { return .timedOut }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return .end }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .end
            }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
