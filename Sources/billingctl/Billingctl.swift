import ArgumentParser
import BillingDomain
import ControlProtocol
import Foundation

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Control socket of the daemon (default: $BILLINGD_SOCKET, $RUNTIME_DIRECTORY/control.sock or /run/billingd/control.sock).")
    var socket: String?

    @Flag(help: "Print the daemon's answer as JSON, for scripts.")
    var json = false

    /// Sends a request and prints the typed answer: a table from its fields, or with `--json` the daemon's JSON as
    /// it came (the §4 shapes). An answer that does not decode (a daemon of another build) is refused, exit 1,
    /// naming the field, rather than printed with placeholders.
    func send<Arguments: Encodable, Answer: Decodable>(
        _ command: String, arguments: Arguments, answer: Answer.Type, human: (Answer) -> String
    ) throws {
        try send(ControlRequest(command: command, arguments: arguments), answer: answer, human: human)
    }

    private func send<Answer: Decodable>(
        _ request: ControlRequest, answer: Answer.Type, human: (Answer) -> String
    ) throws {
        let result = try exchange(request)
        if json { return print(result.serialized(pretty: true)) }
        let decoded: Answer
        do {
            decoded = try JSONValueDecoder.answers.decode(Answer.self, from: result)
        } catch let error as BillingError {
            printError("billingctl: \(error.code.rawValue): the daemon's answer to '\(request.command)' does not fit "
                       + "this billingctl (\(error.message)); are billingd and billingctl from the same release?")
            throw ExitCode(1)
        }
        print(human(decoded))
    }

    /// The daemon's result; a refusal is printed (as JSON with `--json`) and exits 1, an unreachable daemon exits 3.
    private func exchange(_ request: ControlRequest) throws -> JSONValue {
        let client = ControlClient(path: socket ?? ControlSocketPath.defaultPath())
        let response: ControlResponse
        do {
            response = try client.send(request)
        } catch let error as ControlClient.Unreachable {
            printError("billingctl: \(error.description)")
            throw ExitCode(3)
        }
        switch response {
        case .success(let result):
            return result
        case .failure(let error):
            if json {
                print(JSONValue.object([JSONMember(key: "error", value: ControlResponse.errorObject(error), line: 0)])
                    .serialized(pretty: true))
            } else {
                printError("billingctl: \(error.code.rawValue): \(error.message)")
            }
            throw ExitCode(1)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

@main
struct Billingctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billingctl",
        abstract: "Control a running billingd over its control socket.",
        usage: "billingctl [--socket PATH] [--json] COMMAND …",
        discussion: "Lists show one page, newest first: --limit N (default 100, at most 10000) and --after CURSOR; "
            + "a table ends with the command for the next page, --json answers carry it as \"next\". "
            + "Exit codes: 0 success, 1 refused by the daemon (code and message printed), 2 usage error (an unknown "
            + "command, option or argument), 3 daemon not reachable.",
        subcommands: [Status.self, Import.self, Run.self, Preview.self, Templates.self, Customers.self, Invoices.self,
                      Sweep.self, Pay.self, Cancel.self, Resend.self, Reload.self, Metrics.self,
                      Drain.self, Outbox.self, Backup.self])

    /// ArgumentParser's own usage errors exit 64; billingctl's documented code for them is 2.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // Asked before parsing: with global options in front, ArgumentParser would blame the options instead.
        if let word = splitGlobalOptions(arguments).rest.first, !word.hasPrefix("-"),
           !(configuration.subcommands.map { $0._commandName } + ["help"]).contains(word) {
            printError("billingctl: unknown command '\(word)'. Commands: "
                       + configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
                       + ".\nSee 'billingctl --help' and 'billingctl COMMAND --help'.")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(hoistingGlobalOptions(arguments))
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

/// `billingctl [--socket PATH] [--json] COMMAND …`: the global options may stand before the command; they are
/// moved behind it, where each subcommand's option group reads them.
func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
    let (global, rest) = splitGlobalOptions(arguments)
    guard !global.isEmpty, !rest.isEmpty else { return arguments }
    // Options go after the (possibly nested) subcommand words but before positional arguments would be ambiguous;
    // ArgumentParser accepts options anywhere after the subcommand, so appending them is enough.
    return Array(rest) + global
}

/// The global options in front of the command, and the command with what follows it.
func splitGlobalOptions(_ arguments: [String]) -> (global: [String], rest: ArraySlice<String>) {
    var global: [String] = []
    var rest = arguments[...]
    while let first = rest.first {
        if first == "--json" {
            global.append(first)
            rest = rest.dropFirst()
        } else if first == "--socket", rest.count >= 2 {
            global.append(contentsOf: rest.prefix(2))
            rest = rest.dropFirst(2)
        } else if first.hasPrefix("--socket=") {
            global.append(first)
            rest = rest.dropFirst()
        } else {
            break
        }
    }
    return (global, rest)
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show version, uptime, next wake and queue sizes.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        try options.send("status", arguments: NoArguments(), answer: StatusAnswer.self) { status in
            var lines = [
                "billingd \(status.version)  up \(status.uptimeSeconds) s",
                "database   \(status.database)",
                "next wake  \(status.nextWakeAt ?? "nothing scheduled")",
            ]
            for fault in status.faults {
                lines.append("FAULT      \(fault.code) in \(fault.scope) since \(fault.since): \(fault.message)")
            }
            for (group, counts) in [("templates", status.templates), ("invoices", status.invoices),
                                    ("outbox", status.outbox)] {
                lines.append(group.padding(toLength: 11, withPad: " ", startingAt: 0)
                             + counts.counts.map { "\($0.status) \($0.count)" }.joined(separator: ", "))
            }
            return lines.joined(separator: "\n")
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import customers and recurring templates: a JSON document or a SOAP PostRecurringInvoice envelope.",
        discussion: "The file is imported whole or not at all. '-' reads standard input. Limit: 4 MiB.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The file to import, or - for standard input.") var file: String

    static let maxBytes = 4 << 20

    func run() throws {
        // Read at most one byte past the limit: enough to refuse an oversized document without buffering it.
        let handle: FileHandle
        if file == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: file) else {
                printError("billingctl: cannot read \(file)")
                throw ExitCode(2)
            }
            handle = opened
        }
        var data = Data()
        while data.count <= Self.maxBytes {
            let chunk = handle.readData(ofLength: Self.maxBytes + 1 - data.count)
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        guard data.count <= Self.maxBytes else {
            if options.json {
                print(#"{"error": {"code": "DOCUMENT_TOO_LARGE", "message": "The document is larger than 4 MiB."}}"#)
            } else {
                printError("billingctl: DOCUMENT_TOO_LARGE: \(file) is larger than \(Self.maxBytes) bytes.")
            }
            throw ExitCode(1)
        }
        try options.send(
            "import", arguments: ImportArguments(documentBase64: data.base64EncodedString()), answer: ImportAnswer.self
        ) { imported in
            let templates = imported.templates.map { "  template \($0.id)  \($0.recordGuid)" }
            return (["imported \(imported.customers) customers, \(templates.count) templates"] + templates)
                .joined(separator: "\n")
        }
    }
}
