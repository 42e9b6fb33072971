// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Handlers run once per request: linking the Swift runtime and Foundation statically saves ~5 ms of dynamic
/// symbol binding per invocation (measured with infra/bench/business-event.sh).
let executableLinkerSettings: [LinkerSetting] = [.unsafeFlags(["-static-stdlib"])]
let executableSwiftSettings: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-static-stdlib"])]

let package = Package(
    name: "ml-connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "handle-business-event", targets: ["HandleBusinessEvent"]),
        .executable(name: "handle-slack-interaction", targets: ["HandleSlackInteraction"]),
        .executable(name: "process-job", targets: ["ProcessJob"]),
        .executable(name: "ml-connector", targets: ["MLConnectorCLI"]),
        .executable(name: "ml-connector-sandbox", targets: ["MLConnectorSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The sandbox only: an HTTP server for local stand-ins of Entra ID, F&O and Slack. Never in a handler.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, each behind a small shim.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        .target(
            name: "Common",
            dependencies: ["CLibPQ", "CCurl", "COpenSSL"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "HandleBusinessEvent", dependencies: ["Common"], swiftSettings: executableSwiftSettings, linkerSettings: executableLinkerSettings),
        .executableTarget(name: "HandleSlackInteraction", dependencies: ["Common"], swiftSettings: executableSwiftSettings, linkerSettings: executableLinkerSettings),
        .executableTarget(name: "ProcessJob", dependencies: ["Common"], swiftSettings: executableSwiftSettings, linkerSettings: executableLinkerSettings),
        .executableTarget(
            name: "MLConnectorCLI",
            dependencies: ["Common", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: executableSwiftSettings,
            linkerSettings: executableLinkerSettings
        ),
        .executableTarget(
            name: "MLConnectorSandbox",
            dependencies: [
                "Common",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CommonTests", dependencies: ["Common"], swiftSettings: swiftSettings),
        .testTarget(name: "IntegrationTests", dependencies: ["Common"], swiftSettings: swiftSettings),
    ]
)
