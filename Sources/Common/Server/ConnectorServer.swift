public import Core
import Hummingbird
import Inbound
public import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// `ml-connector-server` (DESIGN.md §5.3): both handlers over HTTP/1.1 on `address`, their blocking work on
/// `poolSize` threads sharing `poolSize` PostgreSQL connections, and `workers` job loops beside them. SIGTERM or
/// SIGINT starts a graceful shutdown: the listener closes, requests in hand are answered, the workers finish their
/// jobs in hand, then `run` returns.
public struct ConnectorServer {
    public let address: ListenAddress
    public let poolSize: Int
    public let workers: Int
    private let configuration: KeyedConfiguration
    private let logger: Logger

    public init(address: ListenAddress, poolSize: Int, workers: Int, configuration: KeyedConfiguration, logger: Logger) {
        self.address = address
        self.poolSize = poolSize
        self.workers = workers
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let databaseURL = configuration.configuration.databaseURL
        let database = ConnectionPool(capacity: poolSize) {
            try PostgresConnection(url: databaseURL, applicationName: "ml-connector-server", connectTimeout: 3)
        }
        let threads = NIOThreadPool(numberOfThreads: poolSize)
        threads.start()
        let executor = HandlerExecutor(threads: threads, database: database, box: configuration.secretBox, logger: logger)
        let (host, logger) = (address.host, logger)
        let application = Application(
            responder: ConnectorResponder(executor: executor, healthLimit: .seconds(2)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: address.port)),
            onServerRunning: { channel in
                let url = "http://\(host):\(channel.localAddress?.port ?? 0)"
                logger.info("listening", metadata: ["url": "\(url)"])
                StandardStreams.write(Array("listening on \(url)\n".utf8))
            },
            logger: logger
        )
        let services: [any Service] = workers > 0
            ? [JobWorkers(count: workers, configuration: configuration, logger: logger), application]
            : [application]
        // Shut down in reverse order: the listener and the requests in hand first, then the workers.
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await threads.shutdownGracefully()
        logger.info("stopped")
    }
}
