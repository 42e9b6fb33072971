import Common

// Slack interactivity is built by the approvals issue. Until then every request is answered 503 so Slack
// reports the failure to the person instead of silently dropping a click.
HandlerRuntime.run(component: "handle-slack-interaction", needs: .masterKey) { _, logger in
    { _ in
        logger.warning("Slack interactions are not handled yet")
        return .error(503, "Slack interactions are not handled yet")
    }
}
