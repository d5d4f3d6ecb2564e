using System.Text;
using CliWrap;

namespace DuplicityChecks.TestSupport;

/// <summary>The result of running a program: exit code, stdout, stderr.</summary>
public sealed record ProcessOutcome(int ExitCode, string Stdout, string Stderr)
{
    public string FirstLine => Stdout.Split('\n')[0];
}

/// <summary>Runs a program with an argument array (no shell), capturing both streams.</summary>
public static class ProcessRun
{
    public static ProcessOutcome Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var cmd = Cli.Wrap(program)
            .WithArguments(args)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));
        if (env is not null) cmd = cmd.WithEnvironmentVariables(env);
        if (stdin is not null) cmd = cmd.WithStandardInputPipe(PipeSource.FromString(stdin));
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var result = cmd.ExecuteAsync(cts.Token).GetAwaiter().GetResult();
        return new ProcessOutcome(result.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a published check from dist/.</summary>
    public static ProcessOutcome Check(string name, params string[] args) => Run(RepoPaths.Executable(name), args);
}
