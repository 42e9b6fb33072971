import Common
import Glibc

// process-job [--once] [--max-jobs N] [--max-seconds S] [--listen]   (DESIGN.md §6.1)
let environment = Environment.current()
let limits: JobRunner.Limits
let configuration: Configuration
do {
    limits = try ProcessJobArguments.parse(Array(CommandLine.arguments.dropFirst()))
    configuration = try Configuration.load(from: environment, needs: .masterKey)
} catch let error as ConfigurationError {
    StandardStreams.writeErrorLine("process-job: \(error.description)")
    exit(ConfigurationError.exitCode)
} catch {
    StandardStreams.writeErrorLine("process-job: \(error)\nusage: process-job [--once] [--max-jobs N] [--max-seconds S] [--listen]")
    exit(64)
}
let logger = Logger(component: "process-job", level: configuration.logLevel)
do {
    let db = try PostgresConnection(url: configuration.databaseURL, applicationName: "process-job")
    let context = JobContext(db: db, http: HTTPClient(), box: SecretBox(keys: configuration.masterKeys!), logger: logger,
                             slackChannelIntervalMilliseconds: configuration.slackChannelIntervalMilliseconds)
    let runner = JobRunner(context: context, worker: ProcessJobArguments.workerName(),
                           leaseSeconds: configuration.jobLeaseSeconds, retryBaseSeconds: configuration.jobRetryBaseSeconds)
    let count = try runner.run(limits)
    logger.info("done", [("jobs", String(count))])
    exit(0)
} catch let error as PostgresError {
    logger.error("database unavailable", [("error", error.description)])
    exit(1)
} catch {
    logger.error("job runner failed", [("error", "\(error)")])
    exit(1)
}
