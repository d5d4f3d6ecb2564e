using System.Text;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Tests.Log;

/// <summary>
/// Issue 15 item 3: only a Backup Statistics block that reads completely, with <c>Errors 0</c>, is a success; a
/// damaged one is UNKNOWN and says what is damaged. The lines are those of the 2.1.4 single-full fixture.
/// </summary>
public class StatisticsBlockTests
{
    private const string Heading = "--------------[ Backup Statistics ]--------------";
    private const string Closing = "-------------------------------------------------";

    private static readonly string[] Body =
    [
        "StartTime 1795690672.12 (Thu Nov 26 10:57:52 2026)", "EndTime 1795690672.48 (Thu Nov 26 10:57:52 2026)",
        "ElapsedTime 0.36 (0.36 seconds)", "SourceFiles 133", "SourceFileSize 12027017 (11.5 MB)", "NewFiles 133",
        "NewFileSize 12027017 (11.5 MB)", "DeletedFiles 0", "ChangedFiles 0", "ChangedFileSize 0 (0 bytes)",
        "ChangedDeltaSize 0 (0 bytes)", "DeltaEntries 133", "RawDeltaSize 12006537 (11.5 MB)",
        "TotalDestinationSizeChange 12034477 (11.5 MB)", "Errors 0",
    ];

    private static string Log(IEnumerable<string> block)
        => string.Join('\n', ["Local and Remote metadata are synchronized, no sync needed.", "Last full backup date: none", .. block]) + "\n";

    private static string Log(Func<string, string> change) => Log([Heading, .. Body.Select(change), Closing]);

    [Test]
    public void The_recorded_block_is_a_success()
    {
        var (result, _) = LogCheck.Judge(Log(l => l));

        result.State.Should().Be(ServiceState.Ok);
        result.Summary.Should().Be("last backup succeeded (133 files, 133 new, 0 changed, 0 deleted, Errors 0)");
    }

    [Test]
    public void Errors_3_stays_a_warning_with_its_hint()
    {
        var (result, _) = LogCheck.Judge(Log(l => l == "Errors 0" ? "Errors 3" : l));

        result.State.Should().Be(ServiceState.Warning);
        result.Summary.Should().Be("last backup succeeded, but some source files could not be backed up (Errors > 0)");
    }

    private static IEnumerable<TestCaseData> Damaged()
    {
        TestCaseData Case(string log, string reason, string name) => new TestCaseData(log, reason).SetName($"Damaged_block_is_unknown({name})");
        yield return Case(Log([Heading]), "nothing after its heading", "heading alone");
        yield return Case(Log([Heading, Closing]), "nothing after its heading", "heading and closing");
        yield return Case(Log(l => l == "Errors 0" ? " Errors 3" : l), "Errors line indented", "leading blank before Errors 3");
        yield return Case(Log(l => l == "Errors 0" ? "Errors 0 " : l), "Errors line unreadable", "trailing blank");
        yield return Case(Log(l => l == "Errors 0" ? "Errors ?" : l), "Errors line unreadable", "Errors ?");
        yield return Case(Log(l => l == "Errors 0" ? "Errors -1" : l), "Errors line unreadable", "negative Errors");
        yield return Case(Log(l => l == "Errors 0" ? "Errors 0.0" : l), "Errors line unreadable", "Errors with a point");
        yield return Case(Log([Heading, .. Body.Where(l => l != "Errors 0"), Closing]), "Errors line missing", "no Errors line");
        yield return Case(Log(l => l.Replace("SourceFiles 133", "SourceFiles 1x3", StringComparison.Ordinal)), "SourceFiles line unreadable", "garbled count");
        yield return Case(Log(l => l.Replace("(11.5 MB)", "(11.9 MB)", StringComparison.Ordinal)), "SourceFileSize line unreadable", "size summary disagrees");
        yield return Case(Log(l => l.Replace("10:57:52", "10:50:52", StringComparison.Ordinal)), "StartTime line unreadable", "local time not a zone shift");
        yield return Case(Log(l => l.Replace("Thu Nov", "Fri Nov", StringComparison.Ordinal)), "StartTime line unreadable", "wrong weekday");
        yield return Case(Log(l => l.Replace("(0.36 seconds)", "(5 minutes 0.36 seconds)", StringComparison.Ordinal)), "ElapsedTime line unreadable", "elapsed disagrees");
        yield return Case(Log([Heading, Body[1], Body[0], .. Body[2..], Closing]), "StartTime line out of order", "swapped");
        yield return Case(Log([Heading, .. Body[..4], Body[3], .. Body[4..], Closing]), "SourceFiles line repeated", "repeated line");
        yield return Case(Log([Heading, .. Body]), "no closing line (cut off, or still being written)", "no closing line");
        yield return Case(Log([Heading, .. Body, Closing[..20]]), "closing line damaged", "short closing line");
        yield return Case(Log([Heading, .. Body, Closing, Closing]), "closing line repeated", "closing line twice");
        yield return Case(Log([Heading, Heading, .. Body, Closing]), "heading repeated", "heading twice");
        yield return Case(Log([" " + Heading, .. Body, Closing]), "heading indented", "indented heading");
        yield return Case(Log([Heading[..^1], .. Body, Closing]), "heading damaged", "short heading");
    }

    [TestCaseSource(nameof(Damaged))]
    public void Damaged_block_is_unknown(string log, string reason)
    {
        var (result, scan) = LogCheck.Judge(log);

        result.State.Should().Be(ServiceState.Unknown, FixtureRunTests.Describe(result));
        result.Summary.Should().Be($"last run: backup statistics damaged: {reason}");
        scan.LastStatisticsRun.Should().BeNull("a damaged block gives no perfdata");
    }

    [Test]
    public void The_machine_log_form_is_judged_the_same()
    {
        string Stanza(IEnumerable<string> lines) => "NOTICE 1\n. Last full backup date: none\n\nNOTICE 1\n" + string.Join('\n', lines.Select(l => ". " + l)) + "\n. \n\n";

        LogCheck.Judge(Stanza([Heading, .. Body, Closing])).Result.State.Should().Be(ServiceState.Ok);
        var (damaged, _) = LogCheck.Judge(Stanza([Heading, .. Body.Select(l => l == "Errors 0" ? " Errors 3" : l), Closing]));
        damaged.State.Should().Be(ServiceState.Unknown);
        damaged.Summary.Should().Be("last run: backup statistics damaged: Errors line indented");
        LogCheck.Judge(Stanza([Heading, .. Body, Closing, "Errors 0"])).Result.Summary.Should().Be("last run: backup statistics damaged: lines after its closing line");
    }

    [TestCase("ChangedFileSize 1 (1 byte)")]
    [TestCase("TotalDestinationSizeChange -301 (-301 bytes)")]
    [TestCase("SourceFileSize 1152 (1.12 KB)")]
    [TestCase("SourceFileSize 1152 (1.13 KB)")]
    [TestCase("RawDeltaSize 1099511627776 (1.00 TB)")]
    [TestCase("ElapsedTime 3725.50 (1 hour 2 minutes 5.50 seconds)")]
    [TestCase("ElapsedTime 61.00 (1 minute)")]
    [TestCase("ElapsedTime 120.00 (2 minutes)")]
    [TestCase("StartTime 1795690672.12 (Thu Nov 26 05:57:52 2026)")]
    [TestCase("StartTime 1795690672.12 (Thu Nov 26 16:42:52 2026)")]
    [TestCase("StartTime 1780300800.00 (Mon Jun  1 10:00:00 2026)")]
    [TestCase("FutureKey 5 (five)")]
    public void Lines_duplicity_writes_are_read(string line)
    {
        var block = new StatisticsBlockParser();
        block.TryAddLine(Encoding.UTF8.GetBytes(line)).Should().BeTrue();
        block.Statistics.DamagedLine.Should().BeNull(block.Statistics.DamageReason);
    }
}
