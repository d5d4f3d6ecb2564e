using System.Text;
using System.Text.RegularExpressions;
using CliWrap;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// Runs a check of a golden case and makes its stdout comparable across machines and runs. The normalisations,
/// and nothing else:
/// <list type="bullet">
/// <item>the input tree's root (a temporary directory) becomes <see cref="GoldenInputs.Placeholder"/>, the job file's
/// folder <see cref="GoldenJobs.Placeholder"/>;</item>
/// <item>timings of -vv/-vvv: the <c>+Nms</c> of a diagnostic line's prefix and the <c>took N ms</c> of a stage
/// become <c>+&lt;n&gt;ms</c> and <c>took &lt;n&gt; ms</c>;</item>
/// <item>the stack frames of -vvv (<c>   at ...</c> with their native offsets, and <c>--- End of ... ---</c>) are left out:
/// they name private methods and move with every build; the exception type and message lines stay.</item>
/// </list>
/// </summary>
internal static partial class GoldenOutput
{
    [GeneratedRegex(@"^\[(trace|debug|info|warn|error|fatal) \+\d+ms\]", RegexOptions.Multiline)]
    private static partial Regex DiagnosticPrefix();

    [GeneratedRegex(@" took \d+(\.\d+)? ms")]
    private static partial Regex StageTiming();

    [GeneratedRegex(@"^(   at \S.*\)( \+ 0x[0-9a-f]+)?|   --- End of inner exception stack trace ---|--- End of stack trace from previous location ---)\n", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    /// <summary>
    /// Nothing of the test's own environment (the checks mask the values of secret-named variables wherever they
    /// appear), and TZ=UTC: a ps capture's lstart is local time, the captures were taken in UTC.
    /// </summary>
    private static readonly Dictionary<string, string?> CronLikeEnvironment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
        .ToDictionary(name => name, _ => (string?)null)
        .Concat(new Dictionary<string, string?> { ["TZ"] = "UTC", ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" })
        .GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static GoldenRun Run(string executable, GoldenInputs inputs, string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var result = Cli.Wrap(executable)
            .WithArguments(args.Select(inputs.Resolve))
            .WithEnvironmentVariables(CronLikeEnvironment)
            .WithWorkingDirectory(inputs.Root)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStream(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStream(stderr))
            .ExecuteAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token).GetAwaiter().GetResult();
        // A check never writes to stderr: a run that does is not a golden run of anything.
        var text = stderr.Length == 0 ? StrictUtf8.GetString(stdout.ToArray()) : $"<stderr was not empty>\n{Encoding.UTF8.GetString(stderr.ToArray())}";
        return new GoldenRun(args, result.ExitCode, Normalise(inputs.Unresolve(text)));
    }

    public static string Normalise(string stdout)
    {
        var text = DiagnosticPrefix().Replace(stdout, "[$1 +<n>ms]");
        text = StageTiming().Replace(text, " took <n> ms");
        return StackFrame().Replace(text, "");
    }
}
