import Glibc
public import Core
import Jobs
public import Logging
import NIOPosix
import Outbound
public import ServiceLifecycle

/// `--worker N` (DESIGN.md §5.3): N `process-job --listen` loops in the server process, each on a thread of its own
/// with its own PostgreSQL connection, HTTP client and `JobContext`. Graceful shutdown asks every runner to stop
/// (`JobRunner.requestStop`); each finishes the job in hand first. A loop whose database fails starts again after a
/// pause, as a supervisor would restart `process-job`.
public struct JobWorkers: Service {
    private let count: Int
    private let configuration: KeyedConfiguration
    private let logger: Logger

    public init(count: Int, configuration: KeyedConfiguration, logger: Logger) {
        self.count = count
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
        let (configuration, logger, name) = (configuration, logger, Self.workerName())
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    for index in 1...count {
                        group.addTask {
                            try? await threads.runIfActive { Self.work(worker: "\(name):worker-\(index)", configuration, logger) }
                        }
                    }
                }
            } onGracefulShutdown: {
                JobRunner.requestStop()
            }
        } onCancel: {
            JobRunner.requestStop()
        }
        try await threads.shutdownGracefully()
    }

    /// One worker: the runner's listen loop until a stop is requested.
    private static func work(worker: String, _ keyed: KeyedConfiguration, _ logger: Logger) {
        let configuration = keyed.configuration
        while !JobRunner.isStopRequested {
            do {
                let db = try PostgresConnection(url: configuration.databaseURL, applicationName: "ml-connector-server worker")
                let context = JobContext(db: db, http: HTTPClient(), box: keyed.secretBox, logger: logger,
                                         slackChannelIntervalMilliseconds: configuration.slackChannelIntervalMilliseconds,
                                         retryBaseSeconds: configuration.jobRetryBaseSeconds)
                let runner = JobRunner(context: context, worker: worker, leaseSeconds: configuration.jobLeaseSeconds,
                                       retryBaseSeconds: configuration.jobRetryBaseSeconds)
                let count = try runner.run(JobRunner.Limits(listen: true))
                logger.info("job worker stopped", metadata: ["worker": "\(worker)", "jobs": "\(count)"])
            } catch {
                logger.error("job worker failed; starting again in 5 s", metadata: ["worker": "\(worker)", "error": "\(error)"])
                if JobRunner.waitForStop(seconds: 5) { break }
            }
        }
    }

    /// `host:pid`, as process-job records its lease holder.
    private static func workerName() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return "\(String(cString: host)):\(getpid())"
    }
}
