import Core
import Jobs
import Glibc

/// The few flags of `process-job`, parsed without a framework (the binary starts often, from cron or timers).
enum ProcessJobArguments {
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws -> JobRunner.Limits {
        var limits = JobRunner.Limits()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--once": limits.maxJobs = 1
            case "--listen": limits.listen = true
            case "--max-jobs":
                guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { throw UsageError(description: "--max-jobs needs a positive whole number") }
                limits.maxJobs = value
            case "--max-seconds":
                guard let value = rest.popFirst().flatMap(Double.init), value > 0 else { throw UsageError(description: "--max-seconds needs a positive number") }
                limits.maxSeconds = value
            default:
                throw UsageError(description: "unknown argument \(argument)")
            }
        }
        return limits
    }

    /// `host:pid`, recorded as the lease holder.
    static func workerName() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return "\(String(cString: host)):\(getpid())"
    }
}
