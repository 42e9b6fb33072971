import Domain
import Testing

@Suite("approval state machine")
struct ApprovalStateTests {
    static let transitions: [ApprovalTransition] = [
        .decide(.approve), .send, .recorded(.approve), .recorded(.reject), .recorded(.requestChange), .recorded(.delegate),
        .answerLost, .refused, .reopen, .closedInDynamics, .delegated,
    ]

    /// The whole table: every state × every transition, what it leads to (nil: refused).
    static let expected: [ApprovalState: [ApprovalState?]] = [
        .pending: [.deciding, nil, nil, nil, nil, nil, nil, nil, nil, .decidedInDynamics, .delegated],
        .deciding: [nil, .completing, nil, nil, nil, nil, nil, .failed, .pending, .decidedInDynamics, .delegated],
        .completing: [nil, nil, .approved, .rejected, .changeRequested, .delegated, .unconfirmed, .failed, nil, nil, .delegated],
        .unconfirmed: [nil, .completing, .approved, .rejected, .changeRequested, .delegated, nil, .failed, nil, nil, .delegated],
        .failed: [nil, .completing, nil, nil, nil, nil, nil, nil, nil, .decidedInDynamics, .delegated],
        .approved: Array(repeating: nil, count: 11),
        .rejected: Array(repeating: nil, count: 11),
        .changeRequested: Array(repeating: nil, count: 11),
        .decidedInDynamics: Array(repeating: nil, count: 11),
        .delegated: Array(repeating: nil, count: 11),
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
        #expect(Set(ApprovalState.sources(of: .closedInDynamics)) == [.pending, .deciding, .failed])
        #expect(Set(ApprovalState.sources(of: .recorded(.reject))) == [.completing, .unconfirmed], "recorded only after a send")
        #expect(Set(ApprovalState.sources(of: .send)) == [.deciding, .unconfirmed, .failed])
        #expect(Set(ApprovalState.allCases.filter(\.awaitsWriteBack)) == [.deciding, .completing, .unconfirmed, .failed])
        #expect(ApprovalState.allCases.filter(\.isOpen) == [.pending])
        #expect(ApprovalDecision.approve.recordedState == .approved && ApprovalDecision.reject.recordedState == .rejected)
        #expect(ApprovalDecision.requestChange.recordedState == .changeRequested && ApprovalDecision.delegate.recordedState == .delegated)
        #expect(ApprovalState.sources(of: .reopen) == [.deciding], "only a decision not yet sent can be taken back")
        #expect(ApprovalState.changeRequested.isFinal && !ApprovalState.changeRequested.isOutstanding)
        #expect(ApprovalDecision.allCases.filter(\.needsComment) == [.reject, .requestChange])
    }

    private func approval(_ state: ApprovalState, approver: String? = "U1", email: String? = "a@x.test",
                          decision: ApprovalDecision? = nil, by: String? = nil, at: String? = nil) -> ApprovalRecord {
        ApprovalRecord(id: 1, reference: "r", connectionID: 1, workItemID: "w", assignee: "alicia", approverEmail: email, approverSlackID: approver,
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
            (approval(.completing, decision: .approve, by: "U1"), .beingRecorded(.approve, by: "U1"),
             "A approval by <@U1> is being recorded in Dynamics 365."),
            (approval(.unconfirmed, decision: .approve, by: "U1"), .notYetConfirmed(.approve, by: "U1"),
             "A approval by <@U1> was sent to Dynamics 365 and is not yet confirmed."),
            (approval(.decidedInDynamics), .completedInDynamics, "This work item was completed in Dynamics 365; nothing more to decide here."),
            (approval(.delegated), .delegated, "This work item was delegated or reassigned in Dynamics 365; it is no longer yours to decide here."),
            (approval(.failed), .failedEarlier, "Dynamics 365 did not accept the earlier decision; the operator has been told."),
            (approval(.changeRequested, decision: .requestChange, by: "U1"), .alreadyDecided(.changeRequested, by: "U1", at: nil),
             "Already sent back for a change by <@U1>."),
            (approval(.delegated, decision: .delegate, by: "U1"), .alreadyDecided(.delegated, by: "U1", at: nil), "Already delegated by <@U1>."),
            (approval(.deciding, decision: .requestChange, by: "U1"), .beingRecorded(.requestChange, by: "U1"),
             "A change request by <@U1> is being recorded in Dynamics 365."),
        ]
        for (record, refusal, message) in cases {
            #expect(record.refusal(forClickBy: "U2") == refusal, "\(record.state)")
            #expect(refusal.message == message)
        }
    }

    @Test("what F&O's reading of the work item means, for every state that can meet it")
    func settlement() {
        let pending = WorkItemReading(status: "Pending", userID: "Alicia")
        let elsewhere = WorkItemReading(status: "Pending", userID: "julia")
        let completed = WorkItemReading(status: "Completed", userID: "alicia")
        let delegated = WorkItemReading(status: "Delegated", userID: "alicia")
        func step(_ state: ApprovalState, _ reading: WorkItemReading) -> ApprovalSettlement {
            ApprovalSettlement.step(for: approval(state, decision: state == .pending ? nil : .approve, by: "U1"), reading: reading)
        }
        // An open card stays open while F&O has the item pending for its user: a late "started" event closes nothing.
        #expect(step(.pending, pending) == .keep)
        #expect(step(.pending, completed) == .settle(.closedInDynamics, note: nil, reassignedTo: nil))
        #expect(step(.pending, delegated) == .settle(.delegated, note: "delegated", reassignedTo: nil))
        #expect(step(.pending, elsewhere) == .settle(.delegated, note: "reassigned to julia", reassignedTo: "julia"))
        #expect(step(.pending, .notFound) == .settle(.closedInDynamics, note: "the work item no longer exists there", reassignedTo: nil))
        // Not sent yet: sent only while pending for the same user; completed there means decided in F&O.
        #expect(step(.deciding, pending) == .send)
        #expect(step(.deciding, completed) == .settle(.closedInDynamics, note: nil, reassignedTo: nil))
        #expect(step(.deciding, elsewhere) == .settle(.delegated, note: "reassigned to julia", reassignedTo: "julia"))
        // Sent, answer lost: Completed means ours was recorded; still pending for us means send again; gone means ask later.
        for state in [ApprovalState.completing, .unconfirmed] {
            #expect(step(state, completed) == .settle(.recorded(.approve), note: nil, reassignedTo: nil))
            #expect(step(state, pending) == .send)
            #expect(step(state, .notFound) == .recheck)
            #expect(step(state, WorkItemReading(status: "Failed", userID: "alicia")) == .recheck)
            #expect(step(state, delegated) == .settle(.delegated, note: "delegated", reassignedTo: nil))
        }
    }

    @Test("a delegation or change request sent from the card is recorded by what F&O then says")
    func outcomesBeyondApproveAndReject() {
        func sent(_ decision: ApprovalDecision, _ state: ApprovalState = .completing) -> ApprovalRecord {
            ApprovalRecord(id: 1, reference: "r", connectionID: 1, workItemID: "w", assignee: "alicia", approverSlackID: "U1", state: state,
                           decision: decision, decidedBy: "U1", delegateSlackID: "U5", delegateUser: decision == .delegate ? "julia" : nil)
        }
        let recordedDelegation = ApprovalSettlement.settle(.recorded(.delegate), note: "delegated to julia", reassignedTo: nil)
        for state in [ApprovalState.completing, .unconfirmed] {
            // F&O's way: this item Delegated (a new one for the delegate); or the same item now pending for the delegate.
            #expect(ApprovalSettlement.step(for: sent(.delegate, state), reading: WorkItemReading(status: "Delegated", userID: "alicia"))
                    == recordedDelegation)
            #expect(ApprovalSettlement.step(for: sent(.delegate, state), reading: WorkItemReading(status: "Pending", userID: "JULIA"))
                    == .settle(.recorded(.delegate), note: "delegated to julia", reassignedTo: "JULIA"))
            // Still ours: send again. Completed after a delegation was sent: not ours — decided in F&O.
            #expect(ApprovalSettlement.step(for: sent(.delegate, state), reading: WorkItemReading(status: "Pending", userID: "alicia")) == .send)
            #expect(ApprovalSettlement.step(for: sent(.delegate, state), reading: WorkItemReading(status: "Completed", userID: "alicia"))
                    == .settle(.closedInDynamics, note: nil, reassignedTo: nil))
            // Pending for a third person: reassigned in F&O, not our delegation.
            #expect(ApprovalSettlement.step(for: sent(.delegate, state), reading: WorkItemReading(status: "Pending", userID: "bob"))
                    == .settle(.delegated, note: "reassigned to bob", reassignedTo: "bob"))
            #expect(ApprovalSettlement.step(for: sent(.requestChange, state), reading: WorkItemReading(status: "Completed", userID: "alicia"))
                    == .settle(.recorded(.requestChange), note: nil, reassignedTo: nil))
        }
        // Not yet sent, the item delegated in F&O meanwhile: F&O's delegation, not ours.
        #expect(ApprovalSettlement.step(for: sent(.delegate, .deciding), reading: WorkItemReading(status: "Delegated", userID: "alicia"))
                == .settle(.delegated, note: "delegated", reassignedTo: nil))
    }

    @Test("a work item given to another user with a higher EscalationLevel closes the card as escalated by F&O")
    func escalation() {
        func card(level: Int?) -> ApprovalRecord {
            ApprovalRecord(id: 1, reference: "r", connectionID: 1, workItemID: "w", assignee: "alicia", state: .pending, escalationLevel: level)
        }
        func reading(level: Int?) -> WorkItemReading { WorkItemReading(status: "Pending", userID: "julia", due: nil, escalationLevel: level) }
        let escalated = ApprovalSettlement.settle(.delegated, note: "escalated by F&O to julia", reassignedTo: "julia")
        let reassigned = ApprovalSettlement.settle(.delegated, note: "reassigned to julia", reassignedTo: "julia")
        #expect(ApprovalSettlement.step(for: card(level: 0), reading: reading(level: 1)) == escalated)
        #expect(ApprovalSettlement.step(for: card(level: nil), reading: reading(level: 2)) == escalated)
        #expect(ApprovalSettlement.step(for: card(level: 1), reading: reading(level: 1)) == reassigned)
        #expect(ApprovalSettlement.step(for: card(level: 0), reading: reading(level: nil)) == reassigned)
        #expect(ApprovalSettlement.step(for: card(level: 2), reading: reading(level: 1)) == reassigned)
        // Still Alicia's, whatever the level says: nothing to close.
        #expect(ApprovalSettlement.step(for: card(level: 0),
                                        reading: WorkItemReading(status: "Pending", userID: "alicia", escalationLevel: 1)) == .keep)
    }
}
