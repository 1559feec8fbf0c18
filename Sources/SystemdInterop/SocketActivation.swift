import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Sockets passed by systemd socket activation (sd_listen_fds(3)).
public enum SocketActivation {
    public struct PassedSocket: Sendable, Equatable {
        public var fd: Int32
        /// FileDescriptorName= of the socket unit ("control" in billingd.socket); "unknown" when none was given.
        public var name: String
        /// A listening AF_UNIX stream socket, the only kind the control server can serve.
        public var isListeningUnixStream: Bool
    }

    /// The passed file descriptors (starting at 3) with their names; empty when none were passed.
    ///
    /// The names are read in the same call that counts the descriptors: a separate sd_listen_fds(1) first would
    /// unset LISTEN_FDNAMES and every socket would come back "unknown". The variables are unset afterwards so
    /// that no child process believes the sockets are meant for it.
    public static func passedSockets() -> [PassedSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        defer {
            if let names {
                for index in 0..<Int(max(count, 0)) { free(names[index]) }
                free(names)
            }
        }
        guard count > 0 else { return [] }
        return (0..<count).map { index in
            let fd = SD_LISTEN_FDS_START + index
            let name = names?[Int(index)].map { String(cString: $0) } ?? "unknown"
            let unixStream = sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
            return PassedSocket(fd: fd, name: name, isListeningUnixStream: unixStream)
        }
    }
}
