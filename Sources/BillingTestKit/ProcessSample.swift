import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about a process: resident memory, CPU time, and context switches summed over its threads.
public struct ProcessSample: Sendable {
    public var rssKiB: Int
    /// Of which file-backed (executable and shared libraries) and anonymous (heap, stacks).
    public var rssFileKiB: Int
    public var rssAnonKiB: Int
    public var cpuTicks: Int
    /// CPU time from the scheduler's accounting (`schedstat`), summed over the threads: finer than clock ticks.
    public var cpuNanoseconds: Int
    public var voluntarySwitches: Int
    public var involuntarySwitches: Int
    public var threads: Int

    public init(pid: Int32) throws {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        // A process that has ended (a zombie) has no memory to report: that is a failure, not a figure of 0.
        guard let rss = Self.field("VmRSS", in: status) else { throw TestFailure("no VmRSS in /proc/\(pid)/status") }
        rssKiB = rss
        rssFileKiB = Self.field("RssFile", in: status) ?? 0
        rssAnonKiB = Self.field("RssAnon", in: status) ?? 0
        // utime and stime are fields 14 and 15; the command name in parentheses may contain spaces.
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let afterName = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        cpuTicks = (Int(afterName[11]) ?? 0) + (Int(afterName[12]) ?? 0)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        threads = tasks.count
        voluntarySwitches = 0
        involuntarySwitches = 0
        cpuNanoseconds = 0
        for task in tasks {
            if let schedstat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8) {
                cpuNanoseconds += Int(schedstat.split(separator: " ").first ?? "") ?? 0
            }
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            voluntarySwitches += Self.field("voluntary_ctxt_switches", in: text) ?? 0
            involuntarySwitches += Self.field("nonvoluntary_ctxt_switches", in: text) ?? 0
        }
    }

    public var contextSwitches: Int { voluntarySwitches + involuntarySwitches }

    public static let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))

    private static func field(_ name: String, in text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
        return Int(line.split(separator: ":")[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
}
