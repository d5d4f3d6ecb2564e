using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Checks.Log;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>
/// Issue 15 item 3: a damaged Backup Statistics block read as a success ("OK - last backup succeeded (? files,
/// ..., Errors ?)"; 160 of 400 targeted mutants hid "Errors 3"). Every fixture log whose run is a success, and the
/// same log with "Errors 3" (a readable failure), is damaged by <see cref="StatisticsMutator"/>; no mutant may be
/// OK, and the damage must be named.
/// </summary>
public class StatisticsMutantTests
{
    /// <summary>Each distinct fixture log with a statistics block whose run reads OK as recorded.</summary>
    private static IEnumerable<FixtureLog> SuccessfulLogs()
    {
        var seen = new HashSet<string>();
        foreach (var log in FixtureLogs.All())
        {
            if (StatisticsMutator.Locate(log.Text.Split('\n')) is null) continue;
            if (!seen.Add(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(log.Text))))) continue;
            if (LogCheck.Judge(log.Text).Result.State != ServiceState.Ok) continue;
            yield return log;
        }
    }

    [Test]
    public void No_damaged_statistics_block_is_ok()
    {
        var cases = new Dictionary<string, int>();
        var falseOks = new List<string>();
        var logs = 0;
        var judged = 0;
        var seed = 1500;
        foreach (var log in SuccessfulLogs())
        {
            logs++;
            var withErrors = WithErrors3(log.Text);
            LogCheck.Judge(withErrors).Result.State.Should().Be(ServiceState.Warning, $"{log} with Errors 3 is a readable failure");
            foreach (var (baseText, label) in new[] { (log.Text, "Errors 0"), (withErrors, "Errors 3") })
                foreach (var m in StatisticsMutator.Of($"{log} ({label})", baseText, seed++))
                {
                    if (m.Text == baseText) continue;
                    cases[m.Kind] = cases.GetValueOrDefault(m.Kind) + 1;
                    var result = JudgeInMemory(m.Text);
                    if (result.State == ServiceState.Ok) falseOks.Add($"{m}: {FixtureRunTests.Describe(result)}");
                    // Every 97th case also through the probe (a file, as the check reads it): the same verdict.
                    if (++judged % 97 == 0) LogCheck.Judge(m.Text).Result.State.Should().Be(result.State, m.Description);
                }
        }
        TestContext.Out.WriteLine($"{logs} logs, {cases.Values.Sum()} mutants ({string.Join(", ", cases.Select(c => $"{c.Key} {c.Value}"))}), {falseOks.Count} OK");
        foreach (var g in falseOks.GroupBy(f => f.Split(": ")[1].Split(' ')[0] + " " + f.Split(": ")[1].Split(' ').ElementAtOrDefault(2)).Take(40))
            TestContext.Out.WriteLine($"{g.Count()} x {g.Key}: {g.First()}");
        logs.Should().BeGreaterThan(50);
        falseOks.Should().BeEmpty();
    }

    /// <summary>
    /// The last run of <paramref name="text"/> judged by the real scanner and evaluator, without the temporary file
    /// and the probe (some 700,000 cases); the probe keeps the last run and a maintenance run after it the same way.
    /// </summary>
    private static CheckResult JudgeInMemory(string text)
    {
        var kept = new List<LogRun>();
        var count = 0;
        LogRun? last = null;
        var scanner = new LogScanner(run =>
        {
            count++;
            last = run;
            if (!(run.IsMaintenance && kept.Count > 0)) kept.Clear();
            kept.Add(run);
        });
        var bytes = Encoding.UTF8.GetBytes(text);
        scanner.Scan(new MemoryStream(bytes));
        scanner.Finish();
        var scan = new LogScanResult
        {
            Path = "/var/log/duplicity/job.log",
            Scope = LogScope.LastRun,
            Length = bytes.Length,
            BytesRead = bytes.Length,
            Runs = kept,
            RunCount = count,
            FailedRunCount = kept.Count(r => r.Failures.Count > 0),
            LastRun = last,
            LastStatisticsRun = kept.FirstOrDefault(r => r.Statistics is { IsComplete: true }),
            LinesScanned = scanner.Lines,
            LastWriteUtc = DateTime.UtcNow,
        };
        return new LogEvaluator(Options, Now, new SecretMasker()).Evaluate(scan);
    }

    private static readonly LogOptions Options = LogCheck.Options("/var/log/duplicity/job.log");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795700000);

    private static string WithErrors3(string text)
    {
        var lines = text.Split('\n');
        var (first, closing) = StatisticsMutator.Locate(lines)!.Value;
        for (var i = first; i < closing; i++)
            if (lines[i] is "Errors 0" or ". Errors 0") lines[i] = lines[i].Replace("Errors 0", "Errors 3", StringComparison.Ordinal);
        return string.Join('\n', lines);
    }
}
