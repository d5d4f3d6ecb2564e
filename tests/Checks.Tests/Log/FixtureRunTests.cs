using System.Globalization;
using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>Every recorded duplicity run, in every form it was recorded in, judged as the last run of a log.</summary>
public partial class FixtureRunTests
{
    public static IEnumerable<FixtureLog> Logs() => FixtureLogs.All();

    [TestCaseSource(nameof(Logs))]
    public void Every_run_gets_the_failures_its_facts_call_for(FixtureLog log)
    {
        var (result, scan) = LogCheck.Judge(log.Text);
        var expected = FixtureLogs.ExpectedFailures(log);
        var names = LogCheck.FailureNames(scan).ToHashSet();

        if (scan.RunCount == 0)
        {
            // Only output with no duplicity sentence in it (JSON alone with --verbosity error) may be unrecognised,
            // and then the verdict is UNKNOWN, never OK.
            log.Text.Trim().Should().Match(t => t.Length == 0 || t.StartsWith('{') || t.StartsWith("INFO 3", StringComparison.Ordinal), because: $"{log} has duplicity text");
            result.State.Should().Be(ServiceState.Unknown);
            return;
        }
        names.Should().BeEquivalentTo(expected, because: $"{log}: {Describe(result)}");
        if (log.ExitCode != 0) result.State.Should().NotBe(ServiceState.Ok, because: $"{log} exited {log.ExitCode}");
        if (expected.Count == 0) result.State.Should().Be(ServiceState.Ok, because: $"{log}: {Describe(result)}");
    }

    public static IEnumerable<FixtureLog> SuccessfulBackups() => FixtureLogs.All().Where(l => l.ExitCode == 0 && l.Has("backup_statistics"));

    [TestCaseSource(nameof(SuccessfulBackups))]
    public void A_successful_backup_is_ok_with_its_statistics(FixtureLog log)
    {
        var (result, scan) = LogCheck.Judge(log.Text);
        var expected = IndependentStatistics(log.Text);
        var perf = result.PerfData.ToDictionary(p => p.Label, p => p.Value);
        perf["source_files"].Should().Be(expected["SourceFiles"]);
        perf["source_file_size"].Should().Be(expected["SourceFileSize"]);
        perf["new_files"].Should().Be(expected["NewFiles"]);
        perf["deleted_files"].Should().Be(expected["DeletedFiles"]);
        perf["changed_files"].Should().Be(expected["ChangedFiles"]);
        perf["changed_file_size"].Should().Be(expected["ChangedFileSize"]);
        perf["raw_delta_size"].Should().Be(expected["RawDeltaSize"]);
        perf["destination_size_change"].Should().Be(expected["TotalDestinationSizeChange"]);
        perf["errors"].Should().Be(expected["Errors"]);
        perf["elapsed_time"].Should().Be(expected["ElapsedTime"]);
        perf.Keys.Should().Equal("elapsed_time", "source_files", "source_file_size", "new_files", "deleted_files", "changed_files",
            "changed_file_size", "raw_delta_size", "destination_size_change", "errors", "log_age");
        var warnings = FixtureLogs.ExpectedFailures(log);
        if (warnings.Count == 0)
        {
            result.State.Should().Be(ServiceState.Ok, because: Describe(result));
            result.Summary.Should().StartWith("last backup succeeded");
        }
        scan.Runs[0].Statistics!.Closed.Should().BeTrue();
    }

    /// <summary>The statistics read with a plain regular expression, not with the code under test.</summary>
    private static Dictionary<string, double> IndependentStatistics(string text)
    {
        var values = new Dictionary<string, double>();
        foreach (Match m in StatLine().Matches(text))
            values[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return values;
    }

    [GeneratedRegex(@"^(?:\. )?(StartTime|EndTime|ElapsedTime|SourceFiles|SourceFileSize|NewFiles|DeletedFiles|ChangedFiles|ChangedFileSize|RawDeltaSize|TotalDestinationSizeChange|Errors) (-?[0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex StatLine();

    internal static string Describe(CheckResult r)
        => $"{r.State} {r.Summary} [{string.Join("; ", r.SubChecks.Select(s => $"{s.State} {s.Text}"))}]";
}
