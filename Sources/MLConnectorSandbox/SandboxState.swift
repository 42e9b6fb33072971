import Foundation
import Synchronization

/// The sandbox's state, shared by Hummingbird's concurrent handlers: each request runs against it under one lock
/// (every answer is computed in memory, in microseconds).
final class SandboxState: Sendable {
    private let world: Mutex<SandboxWorld>
    /// The Lambda Runtime API stand-in, apart from the world: its requests wait (long-polled `next`, an invoke
    /// for its answer), which they never do under the world's lock.
    let lambda = LambdaRuntimeAPI()

    init(config: SandboxConfig, baseURL: String) {
        world = Mutex(SandboxWorld(config: config, baseURL: baseURL))
    }

    func setBaseURL(_ baseURL: String) {
        world.withLock { $0.baseURL = baseURL }
    }

    func handle(_ request: SandboxRequest) -> (service: SandboxService, response: SandboxResponse) {
        let nowMs = Self.nowMs()
        return world.withLock { $0.handle(request, nowMs: nowMs) }
    }

    /// Unix milliseconds.
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
