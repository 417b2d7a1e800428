import Dispatch
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
/// kills it after `timeout` seconds. The blocking work runs on a Dispatch thread.
func runProcess(arguments: [String], environment: [String: String], timeout: Double) async throws -> ProcessOutput {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runProcessBlocking(arguments: arguments, environment: environment, timeout: timeout) })
        }
    }
}

private func runProcessBlocking(arguments: [String], environment: [String: String], timeout: Double) throws -> ProcessOutput {
    guard let program = arguments.first else { throw ProcessRunError.spawnFailed("empty command") }
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipe(&outPipe) == 0 else { throw ProcessRunError.spawnFailed(systemErrorText(errno)) }
    guard pipe(&errPipe) == 0 else {
        close(outPipe[0]); close(outPipe[1])
        throw ProcessRunError.spawnFailed(systemErrorText(errno))
    }
    for fd in [outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

    #if canImport(Darwin)
    var actions: posix_spawn_file_actions_t? = nil
    #else
    var actions = posix_spawn_file_actions_t()
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    posix_spawn_file_actions_addclose(&actions, outPipe[0])
    posix_spawn_file_actions_addclose(&actions, errPipe[0])

    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for p in argv { free(p) }
        for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, program, &actions, nil, argv, envp)
    close(outPipe[1])
    close(errPipe[1])
    guard rc == 0 else {
        close(outPipe[0]); close(errPipe[0])
        throw ProcessRunError.spawnFailed("cannot run '\(program)': \(systemErrorText(rc))")
    }

    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var open = [outPipe[0], errPipe[0]]
    let deadline = AWSEnvironment.systemClock() + timeout
    var buffer = [UInt8](repeating: 0, count: 16384)
    var timedOut = false
    let limit = 4 << 20
    while !open.isEmpty {
        let remaining = deadline - AWSEnvironment.systemClock()
        if remaining <= 0 { timedOut = true; break }
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1) * 1000) + 1)
        if n < 0 {
            if errno == EINTR { continue }
            break
        }
        for entry in fds where entry.revents != 0 {
            let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if entry.fd == outPipe[0] {
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
    if timedOut { kill(pid, SIGKILL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if timedOut { throw ProcessRunError.timedOut }
    let exitStatus: Int32
    if status & 0x7f == 0 { exitStatus = (status >> 8) & 0xff } else { exitStatus = 128 + (status & 0x7f) }
    return ProcessOutput(status: exitStatus, stdout: stdout, stderr: stderr)
}
