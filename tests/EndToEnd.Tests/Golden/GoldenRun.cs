namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// One recorded run of a check: its arguments (paths below the input tree spelled <see cref="GoldenInputs.Placeholder"/>),
/// its exit code and its stdout after <see cref="GoldenOutput.Normalise"/>.
/// </summary>
internal sealed record GoldenRun(IReadOnlyList<string> Args, int ExitCode, string Stdout)
{
    public bool SameAs(GoldenRun other) => Args.SequenceEqual(other.Args) && ExitCode == other.ExitCode && Stdout == other.Stdout;
}

/// <summary>
/// One run to make: the arguments, and what to do to the input tree just before (a log that grows between the runs
/// of a <c>--scope new</c> sequence).
/// </summary>
internal sealed record GoldenStep(string[] Args, Action<string>? Before = null);

/// <summary>
/// Runs that must be made one after the other, in order (a <c>--scope new</c> sequence sharing one state file); the
/// runs of different cases are independent and may run in parallel.
/// </summary>
internal sealed record GoldenCase(IReadOnlyList<GoldenStep> Steps)
{
    public static GoldenCase Of(params string[] args) => new([new GoldenStep(args)]);
}
