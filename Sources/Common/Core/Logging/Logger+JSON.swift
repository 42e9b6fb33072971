public import Logging

extension Logger {
    /// A logger for one binary writing JSON lines to stderr at `level` (`MLC_LOG_LEVEL`). Built directly rather
    /// than through `LoggingSystem.bootstrap`, so tests can hand the same code an in-memory handler instead.
    public static func json(component: String, level: Logger.Level) -> Logger {
        Logger(label: component) { _ in JSONLogHandler(component: component, level: level) }
    }
}
