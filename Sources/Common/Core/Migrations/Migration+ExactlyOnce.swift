extension Migration {
    /// Version 3: approvals as F&O records them — one per work item and assignee (`WorkflowWorkItems.UserId`), the
    /// write-back states of DESIGN.md §7 (`completing` committed before `complete` is sent, `unconfirmed` until a
    /// lost answer is settled by reading the work item), and F&O's words on a closed or refused approval.
    static let exactlyOnce = Migration(version: 3, name: "exactly-once approvals", sql: #"""
    ALTER TABLE approval DROP CONSTRAINT approval_state_check;
    UPDATE approval SET state = 'decided_in_fo' WHERE state IN ('superseded', 'no_longer_open');
    ALTER TABLE approval ADD CONSTRAINT approval_state_check CHECK (state IN ('pending', 'deciding', 'completing',
        'approved', 'rejected', 'decided_in_fo', 'delegated', 'unconfirmed', 'failed'));
    ALTER TABLE approval ADD COLUMN assignee text NOT NULL DEFAULT '';
    ALTER TABLE approval ADD COLUMN note text;
    DROP INDEX approval_work_item_idx;
    CREATE UNIQUE INDEX approval_work_item_idx ON approval (connection_id, work_item_id, assignee);
    """#)
}
