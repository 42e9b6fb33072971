extension Migration {
    /// Version 11: every work-item outcome F&O allows (issue 12, item 3). A decision may also ask for a change
    /// (`change_requested` once F&O recorded it) or delegate, to the Slack user chosen in the modal
    /// (`delegate_slack_id`) and the F&O `SystemUsers` `UserID` they resolve to (`delegate_user`, kept before
    /// `complete` is sent, so a lost answer is settled against the same user).
    static let outcomes = Migration(version: 11, name: "every work-item outcome", sql: #"""
    ALTER TABLE approval DROP CONSTRAINT approval_state_check;
    ALTER TABLE approval ADD CONSTRAINT approval_state_check CHECK (state IN ('pending', 'deciding', 'completing',
        'approved', 'rejected', 'change_requested', 'decided_in_fo', 'delegated', 'unconfirmed', 'failed'));
    ALTER TABLE approval DROP CONSTRAINT approval_decision_check;
    ALTER TABLE approval ADD CONSTRAINT approval_decision_check
        CHECK (decision IN ('approve', 'reject', 'request_change', 'delegate'));
    ALTER TABLE approval ADD COLUMN delegate_slack_id text;
    ALTER TABLE approval ADD COLUMN delegate_user text;
    ALTER TABLE approval ADD CONSTRAINT approval_delegate_check
        CHECK (decision IS DISTINCT FROM 'delegate' OR delegate_slack_id IS NOT NULL);
    """#)
}
