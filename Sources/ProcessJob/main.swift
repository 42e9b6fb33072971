import Common
import Glibc

// The job runner (claiming, OData reads, Slack posts) is built by the delivery issue. Until then this binary
// validates its configuration and says plainly that it does nothing, so no deployment mistakes it for a worker.
do {
    _ = try Configuration.load(from: Environment.current(), needs: .masterKey)
} catch {
    StandardStreams.writeErrorLine("process-job: \(error.description)")
    exit(ConfigurationError.exitCode)
}
StandardStreams.writeErrorLine("process-job: the job runner is not implemented yet; queued jobs stay queued")
exit(70)
