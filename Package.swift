// swift-tools-version:6.1
import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
]
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")

let package = Package(
    name: "billingd",
    products: [
        .executable(name: "billingd", targets: ["billingd"]),
        .executable(name: "billingctl", targets: ["billingctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Money, VAT, recurrence and invoice life cycle: values in, values out, no I/O and no clock reads.
        .target(name: "BillingDomain"),

        // The system libsqlite3 through its C API (see README, "Design notes").
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "BillingStore", dependencies: ["BillingDomain", "CSQLite"]),

        // libsystemd: sd_notify, watchdog, socket activation, journal.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "SystemdInterop", dependencies: ["CSystemd", logging]),

        // The control protocol shared by daemon and CLI: JSON values, line framing, socket client and server (SwiftNIO).
        .target(name: "ControlProtocol", dependencies: [
            "BillingDomain", .product(name: "NIOCore", package: "swift-nio"), nioPosix,
            .product(name: "NIOExtras", package: "swift-nio-extras"), serviceLifecycle,
        ]),

        // Renderers and transports for the outbox.
        .target(name: "BillingDelivery", dependencies: ["BillingDomain", mustache, logging] + nio),

        // Jobs, scheduler, import and the control commands, over the store's billing operations.
        .target(name: "BillingEngine", dependencies: [
            "BillingDomain", "BillingStore", "BillingDelivery", "ControlProtocol", logging, metrics, prometheus,
            nioPosix, serviceLifecycle,
        ]),

        .executableTarget(name: "billingd", dependencies: [
            "BillingEngine", "BillingStore", "BillingDelivery", "ControlProtocol", "SystemdInterop", argumentParser,
            logging, nioPosix, serviceLifecycle, .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "billingctl", dependencies: ["ControlProtocol", argumentParser]),

        // How the tests and billing-bench drive real programs: billingd started with posix_spawn as systemd starts it,
        // its NOTIFY_SOCKET datagrams, its /proc figures, raw clients of its sockets; any program run to completion.
        .target(name: "BillingTestKit", dependencies: ["ControlProtocol"]),

        // `swift run -c release billing-bench`: builds workloads through the daemon's own code and measures them.
        .executableTarget(name: "billing-bench", dependencies: [
            "BillingEngine", "BillingStore", "BillingDomain", "BillingTestKit", "ControlProtocol", "CSQLite", argumentParser,
            logging,
        ]),

        // Helpers shared by the test targets: a seeded generator for property and fuzz tests, byte-level mutations.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BillingDomainTests", dependencies: ["BillingDomain", "TestSupport"]),
        .testTarget(name: "BillingStoreTests", dependencies: ["BillingStore", "BillingDomain"]),
        .testTarget(name: "BillingDeliveryTests", dependencies: ["BillingDelivery", "BillingDomain", "BillingTestKit", "ControlProtocol"]),
        .testTarget(name: "ControlProtocolTests", dependencies: [
            "ControlProtocol", "BillingDomain", "TestSupport", nioPosix, serviceLifecycle,
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "BillingEngineTests", dependencies: [
            "BillingEngine", "BillingStore", "BillingDelivery", "ControlProtocol", "BillingTestKit", "TestSupport", nioPosix,
            serviceLifecycle,
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "BillingTestKit", "ControlProtocol", "TestSupport", "billingd", "billingctl",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
