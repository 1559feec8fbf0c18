import ControlProtocol
import NIOPosix
import ServiceLifecycle

/// The control server as a service: serves until graceful shutdown, then stops accepting and lets the requests in
/// flight finish their answer.
struct ControlService: Service {
    let server: ControlServer
    let pool: NIOThreadPool

    func run() async throws {
        server.start()
        try? await gracefulShutdown()
        try await pool.runIfActive { [server] in server.stop() }
    }
}
