public import Domain
public import Outbound

extension PlatformError {
    /// The queue outcome for this failure: a rate limit snoozes the job (no attempt spent) and holds back the
    /// bucket the platform named.
    public var outcome: JobOutcome {
        switch disposition {
        case .retry(let after): .retry(error: message, after: after)
        case .rateLimited(let seconds, let rateKey): .snooze(error: message, seconds: seconds, rateKey: rateKey)
        case .permanent: .discard(error: message)
        }
    }
}
