import BillingDomain
import CSQLite
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Copies the database into a new file at `path` with SQLite's online backup API and returns its size.
    ///
    /// Online and consistent: the copy is read from a connection of its own in one read transaction, a snapshot
    /// of one instant (WAL), while jobs and control commands go on writing and reading. Private: the file is
    /// created with O_EXCL and mode 0600 before a byte is written, so an existing file (or a link planted at the
    /// path) is refused, never overwritten, and the customers' data is never readable by others, not even for
    /// an instant. The copy is left in rollback-journal mode: one self-contained file, like any other copy.
    public func backup(to path: String) throws -> Int64 {
        guard path.hasPrefix("/") else {
            throw BillingError(.invalidField, "The backup path must be absolute: '\(path.prefix(256))'.", field: "path")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw BillingError(.fileExists, "\(path) exists; a backup never overwrites a file.", field: "path")
            }
            throw BillingError(.storageError, "Cannot create \(path): \(String(cString: strerror(code))).", field: "path")
        }
        // The umask may have taken more than the group and others' bits; the owner must be able to write it.
        fchmod(fd, 0o600)
        // SQLite opens the file again by its path; the descriptor stays open until then so the file it opened can
        // be checked to be the one created here (same device and inode), not one swapped in meanwhile.
        defer { close(fd) }
        var done = false
        defer { if !done { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) } } }

        let source = try SQLiteConnection(path: self.path, busyTimeoutMilliseconds: 10_000, readOnly: true)
        var destination: OpaquePointer?
        // NOFOLLOW: a link put at the path after the file was created is refused, never written through.
        guard sqlite3_open_v2(path, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                              nil) == SQLITE_OK,
              let destination else {
            let message = destination.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(destination)
            throw BillingError(.storageError, "Cannot open the backup file \(path): \(message).", field: "path")
        }
        defer { sqlite3_close_v2(destination) }
        var created = stat(), opened = stat()
        guard fstat(fd, &created) == 0, lstat(path, &opened) == 0,
              created.st_dev == opened.st_dev, created.st_ino == opened.st_ino else {
            throw BillingError(.storageError, "\(path) was replaced while the backup began; nothing was written.",
                               field: "path")
        }
        func failure(_ what: String, _ rc: Int32) -> BillingError {
            var error = SQLiteConnection.error(rc, String(cString: sqlite3_errmsg(destination)))
            error.message = "Backup to \(path) failed (\(what)): \(error.message)"
            return error
        }
        try withExtendedLifetime(source) {
            guard let backup = sqlite3_backup_init(destination, "main", source.handle, "main") else {
                throw failure("start", sqlite3_errcode(destination))
            }
            // All pages in one step: one read transaction, so the copy is one snapshot.
            let step = sqlite3_backup_step(backup, -1)
            let finish = sqlite3_backup_finish(backup)
            guard step == SQLITE_DONE else { throw failure("copy", step) }
            guard finish == SQLITE_OK else { throw failure("finish", finish) }
        }
        guard sqlite3_exec(destination, "PRAGMA journal_mode = DELETE", nil, nil, nil) == SQLITE_OK else {
            throw failure("journal mode", sqlite3_errcode(destination))
        }
        done = true
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
