using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The recording of one check's golden runs, a text file a person can read and diff: a header, then per run
/// <code>
/// ### run 17
/// args: ["-s","&lt;inputs&gt;/fixtures/duplicity-0.8.22/single-full/03-collection-status-logfd/log-fd3.txt","--now","1795687980"]
/// exit: 0
/// stdout: 2 lines
/// | DUPLICITY FRESHNESS OK - ...
/// | ...
/// </code>
/// Every stdout line is written after "| " (an empty line as "|"); a stdout that does not end in a newline is
/// followed by <c>\ no newline at end of stdout</c>, so the text is exact to the byte.
/// </summary>
internal static class GoldenFile
{
    private const string NoNewline = "\\ no newline at end of stdout";

    private static readonly JsonSerializerOptions ArgsJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Header(string check, int runs) => $"""
        # Golden run of {check}: {runs} runs. Every fixture run of the fixture tests, every option error, --help and
        # --version, recorded from the default (dynamic) executables before the issue-16 refactor (commit efb6233).
        # GoldenRunTests runs the current executables the same way and requires, run by run, the same arguments, the
        # same exit code and byte-identical stdout.
        #
        # Re-record ONLY for a named behaviour change, in the same commit as that change, and say which in its message:
        #   GOLDEN_RECORD=1 dotnet test tests/EndToEnd.Tests --no-build --filter FullyQualifiedName~GoldenRunTests
        # (DUPLICITY_CHECKS_DIST picks the executables, default dist/). Normalised (GoldenOutput.cs): the temporary input
        # tree's root is <inputs>, the job file's folder <jobs>; the +Nms and "took N ms" timings of -vv/-vvv are <n>;
        # the stack frames of -vvv are left out. The static build differs where it says so (users from /etc/passwd only).
        """;

    public static void Write(string path, string check, IReadOnlyList<GoldenRun> runs)
    {
        var text = new StringBuilder(Header(check, runs.Count)).Append('\n');
        for (var i = 0; i < runs.Count; i++) text.Append('\n').Append(Format(i + 1, runs[i]));
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    public static string Format(int number, GoldenRun run)
    {
        var lines = run.Stdout.Split('\n').ToList();
        var endsWithNewline = lines[^1].Length == 0;
        if (endsWithNewline) lines.RemoveAt(lines.Count - 1);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"### run {number}\n")
            .Append("args: ").Append(JsonSerializer.Serialize(run.Args, ArgsJson)).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"exit: {run.ExitCode}\n")
            .Append(CultureInfo.InvariantCulture, $"stdout: {lines.Count} lines\n");
        foreach (var line in lines) text.Append(line.Length == 0 ? "|" : "| " + line).Append('\n');
        if (!endsWithNewline && run.Stdout.Length > 0) text.Append(NoNewline).Append('\n');
        return text.ToString();
    }

    public static List<GoldenRun> Read(string path)
    {
        var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        var runs = new List<GoldenRun>();
        var i = 0;
        while (i < lines.Length && !lines[i].StartsWith("### run ", StringComparison.Ordinal)) i++;
        while (i < lines.Length && lines[i].StartsWith("### run ", StringComparison.Ordinal))
        {
            var args = JsonSerializer.Deserialize<string[]>(Field(lines[++i], "args: "))!;
            var exit = int.Parse(Field(lines[++i], "exit: "), CultureInfo.InvariantCulture);
            var count = int.Parse(Field(lines[++i], "stdout: ").Split(' ')[0], CultureInfo.InvariantCulture);
            var stdout = new StringBuilder();
            for (var n = 0; n < count; n++)
            {
                var line = lines[++i];
                stdout.Append(line == "|" ? "" : Field(line, "| ")).Append('\n');
            }
            i++;
            if (i < lines.Length && lines[i] == NoNewline)
            {
                stdout.Length--;
                i++;
            }
            runs.Add(new GoldenRun(args, exit, stdout.ToString()));
            while (i < lines.Length && lines[i].Length == 0) i++;
        }
        if (i < lines.Length) throw new InvalidDataException($"{path} line {i + 1}: not a run: '{lines[i]}'");
        return runs;
    }

    private static string Field(string line, string prefix)
        => line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : throw new InvalidDataException($"expected '{prefix}...', found '{line}'");
}
