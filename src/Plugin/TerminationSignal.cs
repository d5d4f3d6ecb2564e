using System.Runtime.InteropServices;

namespace DuplicityChecks.Plugin;

/// <summary>
/// SIGTERM, handled from the first statement of the runner until the process ends. A monitoring core that stops
/// (or reloads) sends SIGTERM to the checks it started, at any moment: before the check's own handling was set up,
/// and after its result was written. Without a handler the kernel ends the process with no output (67 of 200 runs
/// signalled within 5 ms of the start), or with the output and "killed by signal 15" instead of its exit code.
/// A signal that arrives before the runner is ready is remembered and delivered when it is (before the runtime
/// started, by a native constructor: src/Plugin/native/early-sigterm.c); one that arrives after the result was
/// written is ignored, so the check exits with the code of the line it printed.
/// </summary>
internal static class TerminationSignal
{
    private static PosixSignalRegistration? _registration;
    private static Action? _handler;
    private static int _received;

    /// <summary>Takes SIGTERM away from its default action (the end of the process without an answer).</summary>
    public static void Install()
    {
        _registration ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true; // the runner exits itself, with its own line
            Interlocked.Exchange(ref _received, 1);
            Volatile.Read(ref _handler)?.Invoke();
        });
        // One that came while the runtime started was recorded by the native constructor (published checks only).
        if (ArrivedBeforeRuntime()) Interlocked.Exchange(ref _received, 1);
    }

    /// <summary>
    /// A SIGTERM came and was recorded, by the runtime or by the native handler. Asked once more before the answer:
    /// a signal that comes while the runtime installs its handler can be passed back to the native one (the runtime
    /// found no registration yet and restored the handler it replaced), which only records it.
    /// </summary>
    public static bool Arrived => Volatile.Read(ref _received) == 1 || ArrivedBeforeRuntime();

    private static bool ArrivedBeforeRuntime() => ProcessCalls.EarlyTerminationRecorded();

    /// <summary>
    /// Routes SIGTERM to <paramref name="handler"/>, at once when one has already arrived. It may be called twice
    /// for one signal (when the signal comes while routing is set up): it must do nothing the second time.
    /// </summary>
    public static void Route(Action handler)
    {
        Interlocked.Exchange(ref _handler, handler); // a full fence: the check below sees a signal the handler missed
        if (Volatile.Read(ref _received) == 1) handler();
    }
}
