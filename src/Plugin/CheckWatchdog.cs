using System.Runtime.InteropServices;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Enforces the check's timeout while the check runs on the main thread. The kernel keeps the time: an interval
/// timer (setitimer, ITIMER_REAL) raises SIGALRM at the timeout; then the check gets a grace period (the timer
/// re-armed) to stop its children, and when it still has not finished it is abandoned. <see cref="Wake"/> (SIGTERM)
/// starts the grace period at once.
/// Why a signal and not a thread sleeping until the timeout: starting a managed thread (its stack, its runtime
/// set-up, and the spin until it runs) cost about 1 ms of a 5 ms check (packaging/docs/benchmarks.md), and the
/// timer costs one system call; the runtime runs the SIGALRM handler on a thread only when the alarm fires.
/// Nothing else in the process uses SIGALRM or ITIMER_REAL; children do not inherit the timer (fork(2)).
/// </summary>
internal sealed class CheckWatchdog : IDisposable
{
    private const int SigAlrm = 14; // the same number on every Linux architecture .NET runs on

    private const int Running = 0;
    private const int Grace = 1;
    private const int Done = 2;

    private readonly TimeSpan _grace;
    private readonly Action _onTimeout;
    private readonly Action _onAbandon;
    private readonly PosixSignalRegistration _alarm;
    private int _phase = Running;

    /// <param name="onTimeout">Called on a runtime thread when the timeout passes first.</param>
    /// <param name="onAbandon">Called on a runtime thread when, after the timeout or <see cref="Wake"/>, the check
    /// did not finish within <paramref name="grace"/>; it must end the process.</param>
    public CheckWatchdog(TimeSpan timeout, TimeSpan grace, Action onTimeout, Action onAbandon)
    {
        _grace = grace;
        _onTimeout = onTimeout;
        _onAbandon = onAbandon;
        // Registered before the timer is armed: SIGALRM's default action would end the process without an answer.
        _alarm = PosixSignalRegistration.Create((PosixSignal)SigAlrm, OnAlarm);
        Arm(timeout);
    }

    /// <summary>The check was interrupted from outside (SIGTERM): start the grace period now.</summary>
    public void Wake()
    {
        if (Interlocked.CompareExchange(ref _phase, Grace, Running) == Running) Arm(_grace);
    }

    /// <summary>The check returned or threw: the watchdog has nothing left to do.</summary>
    public void Finished()
    {
        Volatile.Write(ref _phase, Done);
        Arm(TimeSpan.Zero);
    }

    private void OnAlarm(PosixSignalContext context)
    {
        context.Cancel = true; // never the default action (end of the process without an answer)
        switch (Volatile.Read(ref _phase))
        {
            case Running:
                if (Interlocked.CompareExchange(ref _phase, Grace, Running) != Running) return; // Wake() came first
                _onTimeout();
                Arm(_grace); // after the cancellation ran, as the grace is for the check to unwind
                break;
            case Grace:
                _onAbandon();
                break;
        }
    }

    // A zero interval disarms; anything shorter than the timer's microsecond would too, so it is rounded up.
    private static void Arm(TimeSpan after)
    {
        var micros = after <= TimeSpan.Zero ? 0 : Math.Max(1, (long)Math.Ceiling(after.TotalMicroseconds));
        if (!ProcessCalls.SetRealTimer(micros, out var error))
            throw new InvalidOperationException($"setitimer failed (errno {error})");
    }

    // The process ends right after the check; the registration stays until then so a late alarm is ignored.
    public void Dispose() => Finished();
}
