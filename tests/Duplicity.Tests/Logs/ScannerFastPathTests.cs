using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Logs;

/// <summary>
/// The scanner's fast paths (issue 6) against what they replace: lines split 16 bytes at a time must give the
/// same runs whatever the buffer size (lines cut at every possible place between reads), and statistics lines
/// read from UTF-8 bytes must give exactly what reading them as text gives.
/// </summary>
public class ScannerFastPathTests
{
    private static IEnumerable<FixtureLog> Logs() => FixtureLogs.All().Where(l => l.Text.Length > 0);

    [Test]
    public void Runs_do_not_depend_on_where_reads_cut_the_lines()
    {
        var checkedLogs = 0;
        foreach (var log in Logs())
        {
            var bytes = Encoding.UTF8.GetBytes(log.Text);
            var expected = Describe(Scan(bytes, 1 << 20));
            foreach (var size in new[] { 1, 2, 15, 16, 17, 31, 33, 100, 4096 })
                Describe(Scan(bytes, size)).Should().Be(expected, $"{log} with a {size}-byte buffer");
            checkedLogs++;
        }
        checkedLogs.Should().BeGreaterThan(50);
    }

    [Test]
    public void Crlf_and_a_last_line_without_newline_are_lines_too()
    {
        var text = "Using archive dir: /c\r\nLast full backup date: none\r\n--------------[ Backup Statistics ]--------------\r\n"
                   + "StartTime 1795688184.00 (Thu Nov 26 10:16:24 2026)\r\nErrors 0\r\n-------------------------------------------------";
        foreach (var size in new[] { 1, 7, 16, 64 })
        {
            var runs = Scan(Encoding.UTF8.GetBytes(text), size);
            runs.Should().ContainSingle().Which.Statistics!.Errors.Should().Be(0);
            runs[0].Statistics!.StartTime.Should().Be(1795688184.00);
        }
    }

    private static readonly string[] StatisticsLines =
    [
        "StartTime 1795688184.00 (Thu Nov 26 10:16:24 2026)", "EndTime 1795688184.25 (Thu Nov 26 10:16:24 2026)",
        "ElapsedTime 0.01 (0.01 seconds)", "SourceFiles 3", "SourceFileSize 12021390 (11.5 MB)", "NewFiles 2",
        "NewFileSize 4104 (4.01 KB)", "DeletedFiles 0", "ChangedFiles 1", "ChangedFileSize 111 (111 bytes)",
        "ChangedDeltaSize 0 (0 bytes)", "DeltaEntries 3", "RawDeltaSize 132 (132 bytes)",
        "TotalDestinationSizeChange -301 (-301 bytes)", "Errors 0", "Errors 7\r", "Errors 7\r\r", "Errors  7", "Errors",
        "Errors ", " Errors 0", "Errörs 0", "Errors ٣", "Errors 0x10", "Errors 1e3", "Errors 12345678901234567890",
        "FutureKey 5 (five)", "Future-Key 5", "SourceFiles 3.5", "SourceFiles 2.5", "SourceFiles -0", "Errors\t0",
        "ElapsedTime 1e400 (forever)", "StartTime 99999999999999999999.0 (x)", "", "-----", "Errors 0 " + new string('x', 3000),
    ];

    [Test]
    public void Statistics_lines_read_from_bytes_equal_the_text_reading([ValueSource(nameof(StatisticsLines))] string line)
    {
        var fromText = new StatisticsBlockParser();
        var fromBytes = new StatisticsBlockParser();
        var okText = fromText.TryAddLine(line.AsSpan());
        var okBytes = fromBytes.TryAddLine(Encoding.UTF8.GetBytes(line).AsSpan());
        okBytes.Should().Be(okText);
        Values(fromBytes.Statistics).Should().Be(Values(fromText.Statistics));
        fromBytes.Statistics.DamageReason.Should().Be(fromText.Statistics.DamageReason);
    }

    [Test]
    public void The_closing_line_reads_the_same_from_bytes([Values("-------------------------------------------------", "----------", "---------",
        "----------\r", "-----+-----", "", "--------------[ Backup Statistics ]--------------")] string line)
        => StatisticsBlockParser.IsClosingLine(Encoding.UTF8.GetBytes(line)).Should().Be(StatisticsBlockParser.IsClosingLine(line.AsSpan()));

    private static string Values(BackupStatistics s) => string.Join(',', s.StartTime, s.EndTime, s.ElapsedTime, s.SourceFiles, s.SourceFileSize,
        s.NewFiles, s.NewFileSize, s.DeletedFiles, s.ChangedFiles, s.ChangedFileSize, s.ChangedDeltaSize, s.DeltaEntries, s.RawDeltaSize,
        s.TotalDestinationSizeChange, s.Errors);

    private static List<LogRun> Scan(byte[] bytes, int bufferSize)
    {
        var runs = new List<LogRun>();
        var scanner = new LogScanner(runs.Add, bufferSize: bufferSize);
        scanner.Scan(new MemoryStream(bytes));
        scanner.Finish();
        return runs;
    }

    private static string Describe(List<LogRun> runs) => string.Join('\n', runs.Select(r =>
        $"{r.Index} {r.StartOffset}-{r.EndOffset} {r.End} {r.Action} {r.MaxPhase} {r.RecognisedLines}/{r.UnknownLines} prompt={r.EndsAtPassphrasePrompt} "
        + $"stats={(r.Statistics is null ? "-" : Values(r.Statistics) + (r.Statistics.Closed ? " closed" : ""))} "
        + string.Join(';', r.Failures.Select(f => $"{f.Failure.Name}x{f.Count}@{f.Offset}:{string.Join('|', f.Lines)}"))));
}
