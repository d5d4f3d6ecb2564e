using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Tests.Logs;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Generated bad backup logs: every recorded run in every form (cron-merged, stdout+stderr, machine log), damaged,
/// through <see cref="LogScanner"/> (streamed, as the check reads a log) and, for machine logs,
/// <see cref="MachineLogReader"/>. The scanner must never throw: a log is evidence, not a contract.
/// </summary>
public class LogRobustnessTests
{
    public static readonly string[] FutureLines =
    [
        "ERROR 99 NewBackendException",
        ". Something duplicity 9 says",
        "--------------[ Backup Statistics v2 ]--------------",
        "ElapsedTime 1e400 (forever)",
        "StartTime 99999999999999999999.0 (Fri Dec 31 23:59:59 9999)",
        "Traceback (most recent call last):",
        "NOTICE 1 18446744073709551615",
    ];

    public static IEnumerable<(FixtureLog Log, Mutant Mutant)> Cases()
    {
        var seen = new HashSet<string>();
        var i = 0;
        foreach (var log in FixtureLogs.All())
        {
            var bytes = Encoding.UTF8.GetBytes(log.Text);
            if (bytes.Length == 0 || !seen.Add(Convert.ToHexString(SHA256.HashData(bytes)))) continue;
            var seed = 8000 + i++;
            // Truncation every third line (the runs are long and alike); every other damage in full.
            foreach (var m in Mutator.Of(log.ToString(), bytes, seed, FutureLines).Where((m, k) => m.Kind != "truncated" || k % 3 == 0))
                yield return (log, m);
        }
        var big = FixtureLogs.All().First(l => l.Form == "log-fd3" && l.Text.Contains("Backup Statistics", StringComparison.Ordinal));
        yield return (big, Mutator.HugeLine(big.ToString(), Encoding.UTF8.GetBytes(big.Text)));
        yield return (big, Mutator.MillionLines(big.ToString(), Encoding.UTF8.GetBytes(big.Text), "INFO 1"));
    }

    [Test]
    public void Every_generated_log_is_scanned()
    {
        var contract = new ParserContract();
        foreach (var (log, m) in Cases())
        {
            contract.Run(m, b =>
            {
                var runs = new List<LogRun>();
                var scanner = new LogScanner(runs.Add, bufferSize: 4096);
                scanner.Scan(new MemoryStream(b));
                scanner.Finish();
                foreach (var r in runs) _ = (r.Failures.Count, r.Epoch, r.Statistics?.EndTime);
                if (log.Form == "log-fd3")
                {
                    using var reader = new StreamReader(new MemoryStream(b), Encoding.UTF8);
                    _ = MachineLogReader.Read(reader).Count();
                }
                return runs;
            });
        }
        contract.AssertClean("backup logs", 3000);
    }
}
