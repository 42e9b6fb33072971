import Core
public import Domain
import Outbound

/// Runs one claimed job by kind and turns every failure into a queue outcome.
public struct JobDispatcher {
    let context: JobContext

    public init(context: JobContext) { self.context = context }

    public func run(_ job: ClaimedJob) -> JobOutcome {
        do {
            switch job.kind {
            case .deliverEvent: return try EventDeliveryJob(context: context, job: job).run()
            case .postMessage: return try PostMessageJob(context: context, job: job).run()
            case .postDigest: return try PostDigestJob(context: context, job: job).run()
            case .workflowEvent: return try WorkflowEventJob(context: context, job: job).run()
            case .decideApproval: return try DecideApprovalJob(context: context, job: job).run()
            case .updateCard: return try UpdateCardJob(context: context, job: job).run()
            case .remindApproval: return try RemindApprovalJob(context: context, job: job).run()
            case .publishHome: return try PublishHomeJob(context: context, job: job).run()
            case nil: return .discard(error: "unknown job kind \(job.kindName)")
            }
        } catch let error as PlatformError {
            return error.outcome
        } catch let error as PostgresError {
            return error.isTransient ? .retry(error: error.description, after: nil) : .discard(error: error.description)
        } catch let error as CryptoError {
            return .discard(error: "stored secrets could not be opened: \(error.description)")
        } catch {
            return .retry(error: "\(error)", after: nil)
        }
    }
}
