import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct ProcessOutput: Sendable {
    var status: Int32          // exit status, or 128 + signal
    var stdout: [UInt8]
    var stderr: [UInt8]
}

enum ProcessRunError: Error, Equatable {
    case spawnFailed(String)
    case timedOut
}

/// Runs a command (no shell) with the given environment, collecting stdout and stderr, and
/// kills it (and its process group) after `timeout` seconds. The blocking work runs on a
/// Dispatch thread.
func runProcess(arguments: [String], environment: [String: String], timeout: Double) async throws -> ProcessOutput {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result {
                let child = try spawnChild(arguments: arguments, environment: environment)
                return try collect(child, timeout: timeout)
            })
        }
    }
}

private struct Child {
    var pid: pid_t
    var stdout: Int32
    var stderr: Int32
}

/// Pipes are created close-on-exec and the child is spawned under one process-wide lock, so
/// a process spawned at the same time by another thread never inherits them (the child gets
/// its copies through dup2, which clears the flag). Without that, a reader could wait for
/// the end of an unrelated process.
private let spawnLock = Mutex<Int>(0)

private func spawnChild(arguments: [String], environment: [String: String]) throws -> Child {
    guard let program = arguments.first else { throw ProcessRunError.spawnFailed("empty command") }
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for p in argv { free(p) }
        for p in envp { free(p) }
    }
    return try spawnLock.withLock { _ in
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard makePipe(&outPipe) == 0 else { throw ProcessRunError.spawnFailed(systemErrorText(errno)) }
        guard makePipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw ProcessRunError.spawnFailed(systemErrorText(errno))
        }
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // The child leads a new process group, so a timeout can kill what it started too.
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw ProcessRunError.spawnFailed("cannot run '\(program)': \(systemErrorText(rc))")
        }
        return Child(pid: pid, stdout: outPipe[0], stderr: errPipe[0])
    }
}

/// Reads until both pipes close, or the child has exited and its output is drained (a
/// background process it left behind may keep the pipes open), or the deadline passes.
private func collect(_ child: Child, timeout: Double) throws -> ProcessOutput {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var open = [child.stdout, child.stderr]
    let deadline = AWSEnvironment.systemClock() + timeout
    var buffer = [UInt8](repeating: 0, count: 16384)
    var timedOut = false
    var exited = false
    var status: Int32 = 0
    let limit = 4 << 20
    while !open.isEmpty {
        if !exited, waitpid(child.pid, &status, WNOHANG) == child.pid { exited = true }
        let remaining = deadline - AWSEnvironment.systemClock()
        if remaining <= 0 && !exited {
            timedOut = true
            break
        }
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let wait = exited ? 0 : Int32(min(max(remaining, 0), 0.05) * 1000) + 1
        let n = poll(&fds, nfds_t(fds.count), wait)
        if n < 0 {
            if errno == EINTR { continue }
            break
        }
        if n == 0 {
            if exited { break }
            continue
        }
        for entry in fds where entry.revents != 0 {
            let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if entry.fd == child.stdout {
                    if stdout.count < limit { stdout.append(contentsOf: buffer[0..<count]) }
                } else if stderr.count < limit {
                    stderr.append(contentsOf: buffer[0..<count])
                }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                close(entry.fd)
                open.removeAll { $0 == entry.fd }
            }
        }
    }
    for fd in open { close(fd) }
    if timedOut {
        kill(-child.pid, SIGKILL)
        kill(child.pid, SIGKILL)
    }
    if !exited {
        while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
    }
    if timedOut { throw ProcessRunError.timedOut }
    let exitStatus: Int32
    if status & 0x7f == 0 { exitStatus = (status >> 8) & 0xff } else { exitStatus = 128 + (status & 0x7f) }
    return ProcessOutput(status: exitStatus, stdout: stdout, stderr: stderr)
}

/// A pipe whose two ends are close-on-exec (called under `spawnLock`).
private func makePipe(_ fds: inout [Int32]) -> Int32 {
    guard pipe(&fds) == 0 else { return -1 }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return 0
}
