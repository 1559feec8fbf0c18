import BillingDomain
import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// The typed answers of ControlProtocol against the real daemon: each `--json` answer decodes into its type (a
/// field renamed on one side fails here), billingctl prints its tables from them, and a client of another protocol
/// version is refused with VERSION_MISMATCH.
@Suite("Typed control messages over the real socket")
struct TypedControlMessageTests {
    /// `billingctl --json ARGS…` succeeded, its answer decoded as `Answer`, and the table from the same command.
    @discardableResult
    func answer<Answer: Decodable>(_ daemon: DaemonProcess, _ type: Answer.Type, _ arguments: String...) throws -> Answer {
        let json = try runProgram(Products.billingctl, ["--socket", daemon.socket, "--json"] + arguments)
        #expect(json.exitCode == 0, "\(arguments): \(json.stdout)\(json.stderr)")
        let decoded = try JSONValueDecoder.answers.decode(Answer.self, from: try json.json())
        let human = try runProgram(Products.billingctl, ["--socket", daemon.socket] + arguments)
        #expect(human.exitCode == 0 && human.stderr.isEmpty, "\(arguments): \(human.stderr)")
        return decoded
    }

    @Test func everyTypedAnswerOfTheRealDaemonDecodes() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-10-20T00:00:00Z"])
        let imported = try JSONValueDecoder.answers.decode(
            ImportAnswer.self, from: try daemon.ctl("--json", "import", Examples.path("templates.json")).json())
        #expect(imported.customers == 2 && imported.templates.map(\.recordGuid) == ["t-hosting-ada", "t-courts-sakura"])

        let run = try JSONValueDecoder.answers.decode(RunAnswer.self, from: try daemon.ctl("--json", "run").json())
        #expect(run.generated == run.invoices.count)
        let status = try answer(daemon, StatusAnswer.self, "status")
        #expect(status.invoices.counts.map(\.status) == InvoiceStatus.allCases.map(\.rawValue))
        let preview = try answer(daemon, PreviewAnswer.self, "preview", "t-hosting-ada", "--count", "3")
        #expect(preview.runs.count == 3 && preview.template.recordGuid == "t-hosting-ada")

        let templates = try answer(daemon, TemplateListAnswer.self, "templates", "list")
        #expect(templates.templates.count == 2 && templates.next == nil)
        let template = try answer(daemon, TemplateAnswer.self, "templates", "show", "t-hosting-ada")
        #expect(template.header.recordGuid == "t-hosting-ada" && !template.lines.isEmpty)

        let customers = try answer(daemon, CustomerListAnswer.self, "customers", "list", "--limit", "1")
        #expect(customers.customers.count == 1 && customers.next != nil)
        #expect(try answer(daemon, CustomerAnswer.self, "customers", "show", "c-ada").customerGUID == "c-ada")

        let invoices = try answer(daemon, InvoiceListAnswer.self, "invoices", "list")
        let number = try #require(invoices.invoices.first?.number)
        let invoice = try answer(daemon, InvoiceAnswer.self, "invoices", "show", number)
        #expect(invoice.number == number && !invoice.lines.isEmpty && !invoice.history.isEmpty)

        let paid = try JSONValueDecoder.answers.decode(PaymentAnswer.self, from: try daemon.ctl(
            "--json", "pay", number, "--amount", "1.00", "--type", "cash").json())
        #expect(!paid.duplicate && paid.currency == invoice.currency)
        try answer(daemon, OutboxListAnswer.self, "outbox", "list")

        // The commands that change things: each once, --json, decoded.
        @discardableResult
        func changed<Answer: Decodable>(_ type: Answer.Type, _ arguments: String...) throws -> Answer {
            let result = try runProgram(Products.billingctl, ["--socket", daemon.socket, "--json"] + arguments)
            #expect(result.exitCode == 0, "\(arguments): \(result.stdout)\(result.stderr)")
            return try JSONValueDecoder.answers.decode(Answer.self, from: try result.json())
        }
        try changed(SweepAnswer.self, "sweep")
        #expect(try changed(ResendAnswer.self, "resend", number, "--via", "email").channel == "email")
        try changed(DrainAnswer.self, "drain")
        #expect(try changed(TemplateStatusAnswer.self, "templates", "pause", "t-courts-sakura").status == "paused")
        #expect(try changed(TemplateStatusAnswer.self, "templates", "resume", "t-courts-sakura").status == "active")
        #expect(try changed(MetricsAnswer.self, "metrics").text.contains("billingd_"))
        let copy = daemon.directory.appendingPathComponent("copy.sqlite").path
        #expect(try changed(BackupAnswer.self, "backup", copy).bytes > 0)
        if let unpaid = invoices.invoices.dropFirst().first?.number {
            #expect(try changed(CancelAnswer.self, "cancel", unpaid).status == "Canceled")
        }
        #expect(daemon.stop() == 0)
    }

    @Test func aRequestOfAnotherProtocolVersionIsRefusedNamingBoth() throws {
        let daemon = try DaemonProcess()
        let connection = try RawControlConnection(path: daemon.socket)
        connection.send(#"{"command": "status", "version": 2, "args": {}}"# + "\n")
        let reply = connection.readLine()
        #expect(RawControlConnection.outcome(reply) == "VERSION_MISMATCH")
        if case .line(let text) = reply {
            #expect(text.contains("version 2") && text.contains("speaks version 1"), "\(text)")
        }
        // Without a version the request is version 1, as every client before versions were sent; with it, too.
        connection.send(#"{"command": "status"}"# + "\n")
        #expect(RawControlConnection.outcome(connection.readLine()) == "ok")
        connection.send(#"{"command": "status", "version": 1}"# + "\n")
        #expect(RawControlConnection.outcome(connection.readLine()) == "ok")
        connection.send(#"{"command": "status", "version": "1"}"# + "\n")
        #expect(RawControlConnection.outcome(connection.readLine()) == "INVALID_REQUEST")
        // A typed command refuses an argument it does not take, naming it.
        connection.send(#"{"command": "invoices.show", "version": 1, "args": {"number": "1", "numbr": "1"}}"# + "\n")
        let unknown = connection.readLine()
        #expect(RawControlConnection.outcome(unknown) == "INVALID_REQUEST")
        if case .line(let text) = unknown { #expect(text.contains(#""field":"numbr""#), "\(text)") }
        #expect(daemon.stop() == 0)
    }

    @Test func billingctlPrintsTheVersionMismatchAndExits1() throws {
        // A stand-in for a billingd of protocol version 2: it answers one request the way such a daemon would.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vm-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = folder.appendingPathComponent("control.sock").path
        let script = """
            import json, socket, sys
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(sys.argv[1]); server.listen(1)
            open(sys.argv[1] + ".ready", "w").close()
            connection, _ = server.accept()
            request = json.loads(connection.makefile().readline())
            message = "The request speaks control protocol version %d; this billingd speaks version 2." % request["version"]
            answer = {"ok": False, "error": {"code": "VERSION_MISMATCH", "message": message, "field": "version"}}
            connection.sendall((json.dumps(answer) + "\\n").encode())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, socket]
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(try eventually(within: 20) { FileManager.default.fileExists(atPath: socket + ".ready") })
        let result = try runProgram(Products.billingctl, ["--socket", socket, "status"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("VERSION_MISMATCH") && result.stderr.contains("version 1")
                && result.stderr.contains("version 2"), "\(result.stderr)")
    }
}
