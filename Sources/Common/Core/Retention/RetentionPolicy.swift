/// How long each kind of row that grows with use is kept before the worker's maintenance deletes it (DESIGN.md §7:
/// nothing is deleted except by retention rules the operator can see). Pure: the defaults live here, the database
/// holds only the operator's overrides (`RetentionStore`), and `ml-connector retention` shows and sets them.
///
/// The history of an approval that is not final is kept whatever its age (`RetentionHold`).
public struct RetentionPolicy: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        /// `audit_log` rows, by `at`.
        case audit
        /// `business_event` rows by `received_at`, with what came of them: closed approvals (by their last change)
        /// and the records of posted messages (by `posted_at`). An event stays while a job, a message record or an
        /// approval refers to it.
        case businessEvents = "business-events"
        /// `interaction_receipt` rows (Slack `trigger_id` / `event_id` seen), by `received_at`.
        case interactionReceipts = "interaction-receipts"
        /// `slack_user` cache entries, counted from when they expired.
        case slackUsers = "slack-users"
        /// `refusal_count` rows, by their minute.
        case refusalCounts = "refusal-counts"
        /// Completed jobs (and their attempts), by when they finished.
        case completedJobs = "completed-jobs"
        /// Discarded or cancelled jobs (and their attempts), by when they finished; replayable until then.
        case discardedJobs = "discarded-jobs"

        /// Days kept unless the operator says otherwise.
        public var defaultDays: Int {
            switch self {
            case .audit, .businessEvents: 400
            case .interactionReceipts, .slackUsers, .discardedJobs: 30
            case .refusalCounts: 90
            case .completedJobs: 7
            }
        }

        /// The shortest period the operator may set. The audit trail and the events it is about are evidence: a month
        /// at least (the database refuses to delete younger audit rows, too). Everything else: a day.
        public var minimumDays: Int {
            switch self {
            case .audit, .businessEvents: 30
            case .interactionReceipts, .slackUsers, .refusalCounts, .completedJobs, .discardedJobs: 1
            }
        }

        /// What the kind covers, for the operator.
        public var summary: String {
            switch self {
            case .audit: "audit log rows"
            case .businessEvents: "business events, their closed approvals and posted-message records"
            case .interactionReceipts: "Slack deliveries seen (trigger_id, event_id), kept to ignore repeats"
            case .slackUsers: "cached Slack user lookups, counted from their expiry"
            case .refusalCounts: "per-minute counts of refused unauthenticated requests"
            case .completedJobs: "completed jobs and their attempts"
            case .discardedJobs: "discarded or cancelled jobs and their attempts (replayable until deleted)"
            }
        }
    }

    /// The longest period that can be set (a hundred years: "keep").
    public static let maximumDays = 36_500

    private let overrides: [Kind: Int]

    /// The defaults with the operator's overrides. An override outside a kind's bounds (only possible by editing the
    /// table by hand, or after a later version raised a minimum) counts as the nearest bound.
    public init(overrides: [Kind: Int] = [:]) {
        var bounded: [Kind: Int] = [:]
        for (kind, days) in overrides { bounded[kind] = min(max(days, kind.minimumDays), Self.maximumDays) }
        self.overrides = bounded
    }

    /// Days rows of `kind` are kept.
    public func days(_ kind: Kind) -> Int { overrides[kind] ?? kind.defaultDays }

    /// Whether the operator set `kind`'s period (even to its default).
    public func isOverridden(_ kind: Kind) -> Bool { overrides[kind] != nil }

    /// A period as the operator writes it: `400d` or `400` (days), within the kind's bounds.
    public static func days(parsing text: String, for kind: Kind) throws(RetentionError) -> Int {
        var digits = Substring(text)
        if digits.last == "d" { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let days = Int(digits) else {
            throw RetentionError(.malformedPeriod, "\(kind.rawValue): \"\(text.prefix(20))\" is not a period; write days, e.g. 400d")
        }
        guard days >= kind.minimumDays else {
            throw RetentionError(.belowMinimum, "\(kind.rawValue) must be kept at least \(format(days: kind.minimumDays)); got \(format(days: days))")
        }
        guard days <= maximumDays else {
            throw RetentionError(.aboveMaximum, "\(kind.rawValue) can be kept at most \(format(days: maximumDays)); got \(format(days: days))")
        }
        return days
    }

    /// `400d`.
    public static func format(days: Int) -> String { "\(days)d" }
}
