#if canImport(Glibc)
import Glibc
#endif

// What billingd creates (database, WAL, spool files and folders, the control socket) is private whatever umask it
// inherits: files at most 0640, folders 0750. A stricter umask is kept.
umask(umask(0o027) | 0o027)
await BillingdCommand.runFromCommandLine()
