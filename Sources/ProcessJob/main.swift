import Core
import Glibc
import Jobs
import Outbound
import Logging

// process-job [--once] [--max-jobs N] [--max-seconds S] [--listen]   (DESIGN.md §6.1)
ProcessHardening.disableCoreDumps()
let limits: JobRunner.Limits
let keyed: KeyedConfiguration
do {
    limits = try ProcessJobArguments.parse(Array(CommandLine.arguments.dropFirst()))
    keyed = try KeyedConfiguration.load(from: Environment.current())
} catch let error as ConfigurationError {
    StandardStreams.writeErrorLine("process-job: \(error.description)")
    exit(ConfigurationError.exitCode)
} catch {
    StandardStreams.writeErrorLine("process-job: \(error)\nusage: process-job [--once] [--max-jobs N] [--max-seconds S] [--listen]")
    exit(64)
}
let configuration = keyed.configuration
let logger = Logger.json(component: "process-job", level: configuration.logLevel)
do {
    let db = try PostgresConnection(url: configuration.databaseURL, applicationName: "process-job")
    let context = JobContext(db: db, http: HTTPClient(), box: keyed.secretBox, logger: logger,
                             slackChannelIntervalMilliseconds: configuration.slackChannelIntervalMilliseconds,
                             retryBaseSeconds: configuration.jobRetryBaseSeconds)
    let runner = JobRunner(context: context, worker: ProcessJobArguments.workerName(),
                           leaseSeconds: configuration.jobLeaseSeconds, retryBaseSeconds: configuration.jobRetryBaseSeconds)
    JobRunner.stopOnSignals()
    let count = try runner.run(limits)
    logger.info("done", metadata: ["jobs": "\(count)"])
    exit(0)
} catch let error as PostgresError {
    logger.error("database unavailable", metadata: ["error": "\(error)"])
    exit(1)
} catch {
    logger.error("job runner failed", metadata: ["error": "\(error)"])
    exit(1)
}
