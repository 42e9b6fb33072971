import Domain
import Testing

@Suite("approval state machine")
struct ApprovalStateTests {
    static let transitions: [ApprovalTransition] = [
        .decide(.approve), .decide(.reject), .recorded(.approve), .recorded(.reject), .foundClosed, .refused,
        .completedInDynamics,
    ]

    /// The whole table: every state × every transition, what it leads to (nil: refused).
    static let expected: [ApprovalState: [ApprovalState?]] = [
        .pending: [.deciding, .deciding, nil, nil, nil, nil, .superseded],
        .deciding: [nil, nil, .approved, .rejected, .noLongerOpen, .failed, nil],
        .failed: [nil, nil, .approved, .rejected, .noLongerOpen, .failed, nil],
        .approved: [nil, nil, nil, nil, nil, nil, nil],
        .rejected: [nil, nil, nil, nil, nil, nil, nil],
        .superseded: [nil, nil, nil, nil, nil, nil, nil],
        .noLongerOpen: [nil, nil, nil, nil, nil, nil, nil],
    ]

    @Test("every transition from every state", arguments: ApprovalState.allCases)
    func transitions(from state: ApprovalState) throws {
        let row = try #require(Self.expected[state])
        for (transition, target) in zip(Self.transitions, row) {
            #expect(state.after(transition) == target, "\(state) on \(transition)")
        }
    }

    @Test("sources are exactly the states a transition is allowed from; settled states await nothing")
    func sources() {
        #expect(ApprovalState.sources(of: .decide(.approve)) == [.pending])
        #expect(ApprovalState.sources(of: .completedInDynamics) == [.pending])
        #expect(Set(ApprovalState.sources(of: .recorded(.reject))) == [.deciding, .failed])
        #expect(Set(ApprovalState.sources(of: .refused)) == [.deciding, .failed])
        #expect(ApprovalState.allCases.filter(\.awaitsWriteBack) == [.deciding, .failed])
        #expect(ApprovalDecision.approve.recordedState == .approved && ApprovalDecision.reject.recordedState == .rejected)
    }

    private func approval(_ state: ApprovalState, approver: String? = "U1", email: String? = "a@x.test",
                          decision: ApprovalDecision? = nil, by: String? = nil, at: String? = nil) -> ApprovalRecord {
        ApprovalRecord(id: 1, reference: "r", connectionID: 1, workItemID: "w", approverEmail: email, approverSlackID: approver,
                       state: state, decision: decision, decidedBy: by, decidedAt: at)
    }

    @Test("only the assigned approver's click on an open approval counts")
    func clicks() {
        #expect(approval(.pending).refusal(forClickBy: "U1") == nil)
        #expect(approval(.pending).refusal(forClickBy: "U2") == .notTheApprover(approverSlackID: "U1", approverEmail: "a@x.test"))
        // Nobody is found in Slack for the work item's user: nobody's click counts.
        #expect(approval(.pending, approver: nil).refusal(forClickBy: "U1") == .notTheApprover(approverSlackID: nil, approverEmail: "a@x.test"))
    }

    @Test("every refusal, with the words the person reads")
    func refusals() {
        let cases: [(ApprovalRecord, ApprovalRefusal, String)] = [
            (approval(.pending), .notTheApprover(approverSlackID: "U1", approverEmail: "a@x.test"), "Only <@U1> can decide on this approval."),
            (approval(.pending, approver: nil, email: "<b>@x.test"), .notTheApprover(approverSlackID: nil, approverEmail: "<b>@x.test"),
             "Only the assigned approver (&lt;b&gt;@x.test) can decide on this approval."),
            (approval(.deciding, decision: .reject, by: "U1"), .beingRecorded(.reject, by: "U1"),
             "A rejection by <@U1> is being recorded in Dynamics 365."),
            (approval(.approved, decision: .approve, by: "U1", at: "2026-12-01 10:00 UTC"),
             .alreadyDecided(.approved, by: "U1", at: "2026-12-01 10:00 UTC"), "Already approved by <@U1> at 2026-12-01 10:00 UTC."),
            (approval(.rejected, decision: .reject, by: "U1"), .alreadyDecided(.rejected, by: "U1", at: nil), "Already rejected by <@U1>."),
            (approval(.superseded), .completedInDynamics, "This work item was completed in Dynamics 365; nothing more to decide here."),
            (approval(.noLongerOpen), .noLongerOpen, "This work item is no longer open in Dynamics 365."),
            (approval(.failed), .failedEarlier, "Dynamics 365 did not accept the earlier decision; the operator has been told."),
        ]
        for (record, refusal, message) in cases {
            #expect(record.refusal(forClickBy: "U2") == refusal, "\(record.state)")
            #expect(refusal.message == message)
        }
    }
}
