extension Migration {
    /// Version 6: a connection may hold the Slack signing secret it is rotating away from
    /// (`slack_signing_secret_previous`), accepted beside the new one until the operator drops it
    /// (`ml-connector connection update … --drop-previous-signing-secret`, DESIGN.md §6.2).
    static let signingSecretRotation = Migration(version: 6, name: "signing secret rotation", sql: #"""
    ALTER TABLE connection_secret DROP CONSTRAINT connection_secret_field_check;
    ALTER TABLE connection_secret ADD CONSTRAINT connection_secret_field_check CHECK (field IN (
        'dynamics_url', 'dynamics_client_secret', 'slack_bot_token', 'slack_signing_secret',
        'slack_signing_secret_previous'));
    """#)
}
