// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ml-connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "handle-business-event", targets: ["HandleBusinessEvent"]),
        .executable(name: "handle-slack-interaction", targets: ["HandleSlackInteraction"]),
        .executable(name: "process-job", targets: ["ProcessJob"]),
        .executable(name: "ml-connector", targets: ["MLConnectorCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, each behind a small shim.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        .target(
            name: "Common",
            dependencies: ["CLibPQ", "CCurl", "COpenSSL"],
            resources: [],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "HandleBusinessEvent", dependencies: ["Common"], swiftSettings: swiftSettings),
        .executableTarget(name: "HandleSlackInteraction", dependencies: ["Common"], swiftSettings: swiftSettings),
        .executableTarget(name: "ProcessJob", dependencies: ["Common"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "MLConnectorCLI",
            dependencies: ["Common", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CommonTests", dependencies: ["Common"], swiftSettings: swiftSettings),
        .testTarget(name: "IntegrationTests", dependencies: ["Common"], swiftSettings: swiftSettings),
    ]
)
