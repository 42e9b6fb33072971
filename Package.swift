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
/// Full Foundation linked statically needs its C parts and ICU named after it (ml-connector-server: SwiftNIO and
/// Hummingbird import Foundation).
let foundationLinkerSettings: [LinkerSetting] = ["CoreFoundation", "_FoundationICU", "stdc++"].map { .linkedLibrary($0) }
/// The CLI links FoundationXML (for `$metadata`) statically: Foundation's C parts, ICU and libxml2, named after it.
let foundationXMLLinkerSettings: [LinkerSetting] = ["_CFXMLInterface", "CoreFoundation", "_FoundationICU", "xml2"]
    .map { .linkedLibrary($0) } + [.linkedLibrary("stdc++")]
/// swift-log, which every module that logs names.
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let executableSwiftSettings: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-static-stdlib"])]

/// The shared library lives in `Sources/Common`, one folder per module. The arrows run one way:
///
///     Core ← Domain ← Inbound ← Interactions
///                   ← Outbound ← Jobs
///                              ← Interactions
///                   ← Metadata (the CLI only)
///     Inbound, Interactions, Jobs ← Server (ml-connector-server only)
///
/// `Core` and `Domain` link libpq and libcrypto; only `Outbound` (and what builds on it) links libcurl, so
/// `handle-business-event`, which makes no outbound call, does not load it. `Server` is the only module that links
/// Hummingbird (SwiftNIO): no handler binary and not process-job.
/// `Inbound`'s Lambda runtime client reaches libcurl through `CDynamicCurl`, which loads it with dlopen when that mode
/// starts, never before.
func common(_ module: String) -> String { "Sources/Common/\(module)" }

let package = Package(
    name: "ml-connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "handle-business-event", targets: ["HandleBusinessEvent"]),
        .executable(name: "handle-slack-interaction", targets: ["HandleSlackInteraction"]),
        .executable(name: "process-job", targets: ["ProcessJob"]),
        .executable(name: "ml-connector", targets: ["MLConnectorCLI"]),
        .executable(name: "ml-connector-sandbox", targets: ["MLConnectorSandbox"]),
        .executable(name: "ml-connector-server", targets: ["MLConnectorServer"]),
        // libFuzzer over the parsers that see outside input. Only infra/fuzz/run.sh builds it with sanitizers and
        // the fuzzer driver (-DFUZZING); a normal build gives a stub that says so. No product links it.
        .executable(name: "mlc-fuzz", targets: ["Fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The sandbox and ml-connector-server only (with the SwiftNIO thread pool and service lifecycle it builds on):
        // an HTTP server. Never in a handler binary or process-job.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, each behind a small shim.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // libc calls Swift cannot make itself: ppoll (hidden behind _GNU_SOURCE, for the FastCGI server's waits)
        // and prctl (variadic, for turning core dumps off).
        .target(name: "CPosix"),
        // libcurl bound at run time (dlopen), for the Lambda runtime client: the handlers load it only in that mode.
        .target(name: "CDynamicCurl"),
        // The declaration of libFuzzer's LLVMFuzzerRunDriver (mlc-fuzz only).
        .target(name: "CFuzzDriver"),

        // Configuration, logging, exact JSON, crypto over OpenSSL, PostgreSQL over libpq, migrations, audit.
        .target(
            name: "Core",
            dependencies: ["CLibPQ", "COpenSSL", "CPosix", logging],
            path: common("Core"),
            swiftSettings: swiftSettings
        ),
        // What ml-connector knows, without I/O of its own beyond its stores: connections, routes, business
        // events, the event catalog, OData addressing, Block Kit cards, the job queue, approvals.
        .target(name: "Domain", dependencies: ["Core"], path: common("Domain"), swiftSettings: swiftSettings),
        // Requests to the handlers (CGI, FastCGI, function events, the Lambda runtime loop), the handler runtime, and the business-event intake.
        .target(name: "Inbound", dependencies: ["Core", "Domain", "CPosix", "CDynamicCurl", logging], path: common("Inbound"), swiftSettings: swiftSettings),
        // Outbound HTTP over libcurl and the Entra ID, F&O OData and Slack Web API clients.
        .target(name: "Outbound", dependencies: ["Core", "Domain", "CCurl", logging], path: common("Outbound"), swiftSettings: swiftSettings),
        // What process-job runs: delivery, posting, decisions written back, workflow updates.
        .target(name: "Jobs", dependencies: ["Core", "Domain", "Outbound", logging], path: common("Jobs"), swiftSettings: swiftSettings),
        // Slack interactivity: signatures, clicks, the reason modal.
        .target(name: "Interactions", dependencies: ["Core", "Domain", "Inbound", "Outbound", logging], path: common("Interactions"),
                swiftSettings: swiftSettings),
        // An environment's `$metadata` (CSDL) and `catalog check`. Its XML parser (FoundationXML, libxml2) is for the CLI
        // only: no handler links this module.
        .target(name: "Metadata", dependencies: ["Core", "Domain"], path: common("Metadata"), swiftSettings: swiftSettings),

        // ml-connector-server: both handlers over HTTP/1.1, a bounded PostgreSQL pool, optional job workers.
        .target(
            name: "Server",
            dependencies: [
                "Core", "Domain", "Inbound", "Outbound", "Jobs", "Interactions", logging,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: common("Server"),
            swiftSettings: swiftSettings
        ),

        .executableTarget(name: "HandleBusinessEvent", dependencies: ["Core", "Inbound"],
                          swiftSettings: executableSwiftSettings, linkerSettings: executableLinkerSettings),
        .executableTarget(name: "HandleSlackInteraction", dependencies: ["Core", "Inbound", "Interactions"],
                          swiftSettings: executableSwiftSettings, linkerSettings: executableLinkerSettings),
        .executableTarget(name: "ProcessJob", dependencies: ["Core", "Outbound", "Jobs", logging],
                          swiftSettings: executableSwiftSettings, linkerSettings: executableLinkerSettings),
        .executableTarget(
            name: "MLConnectorCLI",
            dependencies: ["Core", "Domain", "Outbound", "Jobs", "Metadata", logging, .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: executableSwiftSettings,
            linkerSettings: executableLinkerSettings + foundationXMLLinkerSettings
        ),
        .executableTarget(
            name: "MLConnectorServer",
            dependencies: ["Core", "Server", logging, .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: executableSwiftSettings,
            linkerSettings: executableLinkerSettings + foundationLinkerSettings
        ),
        .executableTarget(
            name: "MLConnectorSandbox",
            dependencies: [
                "Core", "Domain", "Outbound", "Interactions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "Fuzz", dependencies: ["Core", "Domain", "Inbound", "Outbound", "Interactions", "CFuzzDriver"],
                          swiftSettings: swiftSettings),
        .testTarget(name: "CoreTests", dependencies: ["Core", logging], swiftSettings: swiftSettings),
        .testTarget(name: "DomainTests", dependencies: ["Core", "Domain"], swiftSettings: swiftSettings),
        .testTarget(name: "InboundTests", dependencies: ["Core", "Domain", "Inbound"], swiftSettings: swiftSettings),
        .testTarget(name: "MetadataTests", dependencies: ["Core", "Domain", "Metadata"], exclude: ["Fixtures"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ServerTests", dependencies: ["Core", "Inbound", "Server"], swiftSettings: swiftSettings),
        .testTarget(name: "OutboundTests", dependencies: ["Core", "Domain", "Outbound"], swiftSettings: swiftSettings),
        .testTarget(name: "IntegrationTests",
                    dependencies: ["Core", "Domain", "Inbound", "Outbound", "Jobs", "Interactions", logging,
                                   .product(name: "InMemoryLogging", package: "swift-log")],
                    exclude: ["Corpus"],  // the hostile corpus: case files read from the source tree, not resources
                    swiftSettings: swiftSettings),
    ]
)
