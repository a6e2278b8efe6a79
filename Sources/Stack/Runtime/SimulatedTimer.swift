import Simulation
import Sockets

/// An application timer on the simulated runtime (`SocketHost.after`).
final class SimulatedTimer: Cancellable {
    private let scheduler: Scheduler
    private let handle: TimerHandle

    init(scheduler: Scheduler, handle: TimerHandle) {
        self.scheduler = scheduler
        self.handle = handle
    }

    func cancel() {
        scheduler.cancel(handle)
    }
}
