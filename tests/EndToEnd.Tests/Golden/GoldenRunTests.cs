using System.Collections.Concurrent;
using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The golden run (issue 16: "the outputs of every fixture run are byte-identical"): every run of
/// <see cref="FreshnessGoldenCases"/>, <see cref="RunningGoldenCases"/> and <see cref="LogGoldenCases"/> through the
/// executables of DUPLICITY_CHECKS_DIST (default dist/) must give the exit code and the stdout recorded in
/// Golden/CHECK.golden.txt. With GOLDEN_RECORD=1 the runs are written there instead (see the files' header for when
/// that is allowed).
/// </summary>
[Category("EndToEnd")]
public class GoldenRunTests
{
    private const int ShownMismatches = 3;

    private static bool Recording => Environment.GetEnvironmentVariable("GOLDEN_RECORD") == "1";

    private GoldenInputs _inputs = null!;

    [OneTimeSetUp]
    public void BuildInputs() => _inputs = GoldenInputs.Build();

    [OneTimeTearDown]
    public void RemoveInputs() => _inputs.Dispose();

    public static IEnumerable<TestCaseData> Checks() =>
    [
        new TestCaseData(FreshnessGoldenCases.Check).SetArgDisplayNames(FreshnessGoldenCases.Check),
        new TestCaseData(RunningGoldenCases.Check).SetArgDisplayNames(RunningGoldenCases.Check),
        new TestCaseData(LogGoldenCases.Check).SetArgDisplayNames(LogGoldenCases.Check),
    ];

    private static IReadOnlyList<GoldenCase> CasesOf(string check) => check switch
    {
        FreshnessGoldenCases.Check => [.. FreshnessGoldenCases.All()],
        RunningGoldenCases.Check => [.. RunningGoldenCases.All()],
        _ => [.. LogGoldenCases.All()],
    };

    public static string GoldenPath(string check) => Path.Combine(RepoPaths.Root, "tests", "EndToEnd.Tests", "Golden", check + ".golden.txt");

    [TestCaseSource(nameof(Checks))]
    public void Every_fixture_run_prints_what_the_golden_run_recorded(string check)
    {
        var executable = RepoPaths.Executable(check);
        File.Exists(executable).Should().BeTrue($"the published {check} is needed (packaging/publish.sh dist, or DUPLICITY_CHECKS_DIST)");
        var runs = RunAll(executable, CasesOf(check));
        var path = GoldenPath(check);
        if (Recording)
        {
            GoldenFile.Write(path, check, runs);
            Assert.Pass($"recorded {runs.Count} runs of {executable} in {path}");
        }

        File.Exists(path).Should().BeTrue($"the golden run of {check} is recorded in {path}");
        var recorded = GoldenFile.Read(path);
        recorded.Should().NotBeEmpty($"{path} holds runs");
        recorded.Should().HaveCount(runs.Count, $"{path} must hold every run the fixtures give (re-record only for a named behaviour change)");
        var mismatches = Enumerable.Range(0, runs.Count).Where(i => !recorded[i].SameAs(runs[i])).ToList();
        if (mismatches.Count == 0) return;
        var report = new StringBuilder($"{mismatches.Count} of {runs.Count} runs of {executable} differ from {path}; the first:\n");
        foreach (var i in mismatches.Take(ShownMismatches)) report.Append(Difference(i + 1, recorded[i], runs[i]));
        Assert.Fail(report.ToString());
    }

    [Test]
    public void The_recording_format_keeps_stdout_exact_to_the_byte()
    {
        var path = Path.Combine(_inputs.Root, "state", "roundtrip.golden.txt");
        GoldenRun[] runs =
        [
            new(["-s", "<inputs>/a b", "\"quoted\""], 0, "one\n\ntwo |x\n"),
            new([], 3, "no newline at the end"),
            new(["--now", "1"], 2, ""),
            new(["-v"], 1, "\n\n| looks like a line\n\\ no newline at end of stdout\n### run 9\n"),
        ];
        GoldenFile.Write(path, "check_x", runs);

        var read = GoldenFile.Read(path);

        read.Should().HaveCount(runs.Length);
        for (var i = 0; i < runs.Length; i++) read[i].SameAs(runs[i]).Should().BeTrue($"run {i + 1} reads back as written: {read[i]}");
    }

    private List<GoldenRun> RunAll(string executable, IReadOnlyList<GoldenCase> cases)
    {
        var results = new ConcurrentDictionary<int, GoldenRun[]>();
        // AOT checks start in milliseconds; the machine's cores are the limit, and a case's own runs stay in order.
        Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount * 2) }, i =>
            results[i] = [.. cases[i].Steps.Select(step =>
            {
                step.Before?.Invoke(_inputs.Root);
                return GoldenOutput.Run(executable, _inputs, step.Args);
            })]);
        return [.. Enumerable.Range(0, cases.Count).SelectMany(i => results[i])];
    }

    /// <summary>The run's arguments, both exit codes, and the stdout lines around the first that differs.</summary>
    private static string Difference(int number, GoldenRun recorded, GoldenRun actual)
    {
        var text = new StringBuilder($"\n### run {number}: {string.Join(' ', actual.Args)}\n");
        if (!recorded.Args.SequenceEqual(actual.Args)) text.Append($"  recorded args: {string.Join(' ', recorded.Args)}\n");
        if (recorded.ExitCode != actual.ExitCode) text.Append($"  exit: recorded {recorded.ExitCode}, now {actual.ExitCode}\n");
        string[] before = recorded.Stdout.Split('\n'), after = actual.Stdout.Split('\n');
        var first = Enumerable.Range(0, Math.Min(before.Length, after.Length)).FirstOrDefault(i => before[i] != after[i], Math.Min(before.Length, after.Length));
        if (recorded.Stdout == actual.Stdout) return text.ToString();
        text.Append($"  stdout differs from line {first + 1} (- recorded, + now):\n");
        for (var i = Math.Max(0, first - 1); i < Math.Min(before.Length, first + 3); i++) text.Append("  - ").Append(before[i]).Append('\n');
        for (var i = Math.Max(0, first - 1); i < Math.Min(after.Length, first + 3); i++) text.Append("  + ").Append(after[i]).Append('\n');
        return text.ToString();
    }
}
