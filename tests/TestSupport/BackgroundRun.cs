using System.Text;
using CliWrap;

namespace DuplicityChecks.TestSupport;

/// <summary>A program running in the background through CliWrap; Dispose kills its whole process tree.</summary>
public sealed class BackgroundRun : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private BackgroundRun() { }

    public int ProcessId { get; private set; }
    public Task<CommandResult> Task { get; private set; } = null!;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => Task.IsCompleted;

    public static BackgroundRun Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var run = new BackgroundRun();
        var cmd = Cli.Wrap(program).WithArguments(args)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(l => { lock (run._stdout) run._stdout.AppendLine(l); }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(l => { lock (run._stderr) run._stderr.AppendLine(l); }));
        if (env is not null) cmd = cmd.WithEnvironmentVariables(env);
        var task = cmd.ExecuteAsync(run._cts.Token);
        run.ProcessId = task.ProcessId;
        run.Task = task.Task;
        return run;
    }

    /// <summary>Waits for the program to end by itself, up to <paramref name="seconds"/>.</summary>
    public CommandResult Wait(int seconds = 300)
    {
        if (!Task.Wait(TimeSpan.FromSeconds(seconds))) throw new TimeoutException($"PID {ProcessId} still running after {seconds} s");
        return Task.Result;
    }

    public void Dispose()
    {
        if (!Task.IsCompleted)
        {
            _cts.Cancel();
            try { Task.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        }
        _cts.Dispose();
    }
}
