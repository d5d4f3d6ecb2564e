using System.Diagnostics;
namespace DuplicityChecks.Plugin;

/// <summary>
/// What a running check gets from the runner: its options, the evaluation time (--now), verbosity, the
/// diagnostics logger, a cancellation token tied to the timeout and SIGTERM, the secret masker, and the
/// current stage (named in a timeout message).
/// </summary>
public sealed class PluginContext
{
    private string _stage = "starting";

    internal PluginContext(ParsedOptions options, DateTimeOffset now, int verbosity, DiagnosticLog log, SecretMasker masker, CancellationToken cancellation, TimeSpan timeout)
        => (Options, Now, Verbosity, Log, Secrets, Cancellation, Timeout) = (options, now, verbosity, log, masker, cancellation, timeout);

    public ParsedOptions Options { get; }

    public DateTimeOffset Now { get; }

    public int Verbosity { get; }

    public DiagnosticLog Log { get; }

    public SecretMasker Secrets { get; }

    public CancellationToken Cancellation { get; }

    public TimeSpan Timeout { get; }

    /// <summary>What <see cref="AfterOutput"/> registered, in order.</summary>
    internal List<Action> AfterOutputActions { get; } = [];

    /// <summary>
    /// Runs <paramref name="action"/> once the check's own result was written to stdout and flushed, and only then
    /// (not after a timeout, SIGTERM, an exception or a failed write). A check that remembers what it reported (the
    /// log tail's position) commits here: killed before the output, it commits nothing and the next check reports
    /// the same lines again; killed after it, at worst they are reported twice, never lost.
    /// </summary>
    public void AfterOutput(Action action) => AfterOutputActions.Add(action);

    /// <summary>What the check is doing now, e.g. "waiting for duplicity collection-status".</summary>
    public string CurrentStage => Volatile.Read(ref _stage);

    /// <summary>Names a stage for timeout messages and logs how long it took (at -vv).</summary>
    public IDisposable Stage(string description)
    {
        var previous = Volatile.Read(ref _stage);
        Volatile.Write(ref _stage, description);
        return new StageScope(this, description, previous);
    }

    private sealed class StageScope(PluginContext context, string description, string previous) : IDisposable
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        public void Dispose()
        {
            if (context.Log.IsDebug)
                context.Log.Debug("{Stage:l} took {Ms:l} ms", description, Stopwatch.GetElapsedTime(_start).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
            Volatile.Write(ref context._stage, previous);
        }
    }
}
