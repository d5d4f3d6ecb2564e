using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>
/// The run-boundary rules on every fixture: each recorded run, appended to a log between successful runs of the
/// same version and form (as a cron job's log grows), must come out as exactly one run with its own failures.
/// </summary>
public class RunBoundaryTests
{
    public static IEnumerable<TestCaseData> VersionsAndForms()
        => FixtureLogs.All().Select(l => (l.Version, l.Form)).Distinct().Select(p => new TestCaseData(p.Version, p.Form));

    [TestCaseSource(nameof(VersionsAndForms))]
    public void Every_run_between_successful_runs_is_one_run_with_its_own_failures(string version, string form)
    {
        var logs = FixtureLogs.All().Where(l => l.Version == version && l.Form == form).ToList();
        var success = Success(version, form);
        // Runs that print nothing duplicity says (JSON alone) cannot be told apart: left out.
        var steps = logs.Where(l => LogCheck.Judge(l.Text).Scan.RunCount == 1).ToList();

        var text = new System.Text.StringBuilder(success.Text);
        foreach (var step in steps) text.Append(Terminated(step.Text)).Append(Terminated(success.Text));

        var runs = new List<LogRun>();
        var scanner = new LogScanner(runs.Add);
        scanner.Scan(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
        scanner.Finish();

        runs.Should().HaveCount(1 + 2 * steps.Count, because: "every step and every successful run in between is one run");
        for (var i = 0; i < steps.Count; i++)
        {
            var run = runs[1 + 2 * i];
            run.Failures.Select(f => f.Failure.Name).Should().BeEquivalentTo(FixtureLogs.ExpectedFailures(steps[i]), because: steps[i].ToString());
            runs[2 + 2 * i].Failures.Should().BeEmpty(because: $"the successful run after {steps[i]}");
        }
    }

    [TestCaseSource(nameof(VersionsAndForms))]
    public void A_later_successful_run_clears_an_earlier_failure_and_a_later_failure_wins(string version, string form)
    {
        var logs = FixtureLogs.All().Where(l => l.Version == version && l.Form == form).ToList();
        var success = Success(version, form);
        var failure = logs.FirstOrDefault(l => l.ExitCode is not (0 or 137) && FixtureLogs.IsBackupAction(l.Action));
        if (failure is null) Assert.Inconclusive($"no failed backup recorded for {version} {form}");

        LogCheck.Judge(Terminated(failure!.Text) + success.Text).Result.State.Should().Be(ServiceState.Ok);
        LogCheck.Judge(Terminated(success.Text) + failure.Text).Result.State.Should().NotBe(ServiceState.Ok);
        var all = LogCheck.Judge(Terminated(failure.Text) + success.Text, "--scope", "all");
        all.Result.State.Should().NotBe(ServiceState.Ok, because: "--scope all judges every run");
        all.Scan.RunCount.Should().Be(2);
    }

    /// <summary>A successful cron-form backup of the same version, in the same form (text forms stand in for each other).</summary>
    private static FixtureLog Success(string version, string form)
        => FixtureLogs.All().Where(l => l.Version == version && l.ExitCode == 0 && l.Has("backup_statistics") && FixtureLogs.ExpectedFailures(l).Count == 0
                && l.Action == "backup (implicit full/inc)" && (l.Form == "log-fd3") == (form == "log-fd3"))
            .OrderBy(l => l.Form == form ? 0 : 1).First();

    private static string Terminated(string text) => text.Length == 0 || text.EndsWith('\n') ? text : text + "\n";
}
