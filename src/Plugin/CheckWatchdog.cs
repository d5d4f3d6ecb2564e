namespace DuplicityChecks.Plugin;

/// <summary>
/// Enforces the check's timeout while the check runs on the main thread. One dedicated background thread
/// sleeps until the check finishes, the timeout passes, or <see cref="Wake"/> is called (SIGTERM); then it
/// gives the check a grace period to stop its children and, when the check still has not finished, abandons
/// it. Why not <c>Task.Run</c> plus a wait: starting the thread pool costs more CPU than a whole typical
/// check (its workers spin), and checks run every few minutes on every host.
/// </summary>
internal sealed class CheckWatchdog : IDisposable
{
    private readonly ManualResetEventSlim _wake = new();
    private readonly ManualResetEventSlim _finished = new();
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _grace;
    private readonly Action _onTimeout;
    private readonly Action _onAbandon;

    /// <param name="onTimeout">Called on the watchdog thread when the timeout passes first.</param>
    /// <param name="onAbandon">Called on the watchdog thread when, after the timeout or <see cref="Wake"/>, the
    /// check did not finish within <paramref name="grace"/>; it must end the process.</param>
    public CheckWatchdog(TimeSpan timeout, TimeSpan grace, Action onTimeout, Action onAbandon)
    {
        _timeout = timeout;
        _grace = grace;
        _onTimeout = onTimeout;
        _onAbandon = onAbandon;
        new Thread(Watch) { IsBackground = true, Name = "check watchdog" }.Start();
    }

    /// <summary>The check was interrupted from outside (SIGTERM): start the grace period now.</summary>
    public void Wake() => _wake.Set();

    /// <summary>The check returned or threw: the watchdog has nothing left to do.</summary>
    public void Finished()
    {
        _finished.Set();
        _wake.Set();
    }

    private void Watch()
    {
        if (!_wake.Wait(_timeout)) _onTimeout();
        if (_finished.IsSet) return;
        if (!_finished.Wait(_grace)) _onAbandon();
    }

    // The events stay alive for the watchdog thread; the process ends right after the check anyway.
    public void Dispose() => Finished();
}
