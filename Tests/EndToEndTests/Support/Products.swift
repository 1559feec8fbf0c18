import Foundation

/// Builds products live next to the test bundle: `.build/<triple>/debug/`.
enum Products {
    static let directory: URL = {
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0])
        var dir = exe.deletingLastPathComponent()
        // The test runner may sit inside a bundle folder (…/billingdPackageTests.xctest); step out of it.
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("billingd").path),
              dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    static var billingd: String { directory.appendingPathComponent("billingd").path }
    static var billingctl: String { directory.appendingPathComponent("billingctl").path }
}
