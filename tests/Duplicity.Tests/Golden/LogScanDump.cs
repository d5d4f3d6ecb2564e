using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Duplicity.Logs;

namespace DuplicityChecks.Duplicity.Tests.Golden;

/// <summary>
/// Everything a scan of a log gives, as readable text: the scanner's counts and safe offset, and each run with its
/// offsets, end, phase, counts, statistics (every value, exactly; the damage) and failure hits with their lines.
/// </summary>
public static class LogScanDump
{
    public static (List<LogRun> Runs, LogScanner Scanner) Scan(byte[] bytes, int bufferSize = 1 << 18, Func<byte[], Stream>? stream = null)
    {
        var runs = new List<LogRun>();
        var scanner = new LogScanner(runs.Add, bufferSize: bufferSize);
        scanner.Scan(stream?.Invoke(bytes) ?? new MemoryStream(bytes));
        scanner.Finish();
        return (runs, scanner);
    }

    public static string Of((List<LogRun> Runs, LogScanner Scanner) scan)
    {
        var (runs, s) = scan;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"scan: safe offset {s.SafeOffset}, {s.Lines} lines, {s.BytesScanned} bytes, {s.OrphanLines} orphan lines, {s.RunCount} runs\n");
        foreach (var r in runs)
        {
            sb.Append(CultureInfo.InvariantCulture, $"run {r.Index}: bytes {r.StartOffset}-{r.EndOffset}, end {r.End}, action {r.Action ?? "-"}, phase {r.MaxPhase}, ")
                .Append(CultureInfo.InvariantCulture, $"fatal {r.FatalFamily ?? "-"}, lines {r.RecognisedLines} known/{r.UnknownLines} unknown, machine {r.IsMachineLog}, ")
                .Append(CultureInfo.InvariantCulture, $"backup line {r.SawBackupLine}, prompt {r.EndsAtPassphrasePrompt}, verify {r.VerifyDifferences?.ToString(CultureInfo.InvariantCulture) ?? "-"}\n");
            if (r.Statistics is { } st)
                sb.Append(CultureInfo.InvariantCulture, $"  statistics at {r.StatisticsOffset}: {Statistics(st)}\n");
            foreach (var h in r.Hits)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {h.Failure.Name} x{h.Count} at {h.Offset}{(h.FromMachineLog ? " (machine)" : "")}{(h.Detail is null ? "" : ", detail " + h.Detail)}\n");
                foreach (var line in h.Lines) sb.Append("    | ").Append(Escape(line)).Append('\n');
            }
        }
        return sb.ToString();
    }

    public static string Statistics(BackupStatistics s)
        => string.Join(", ",
               $"StartTime {Real(s.StartTime)}", $"EndTime {Real(s.EndTime)}", $"ElapsedTime {Real(s.ElapsedTime)}",
               $"SourceFiles {Whole(s.SourceFiles)}", $"SourceFileSize {Whole(s.SourceFileSize)}", $"NewFiles {Whole(s.NewFiles)}",
               $"NewFileSize {Whole(s.NewFileSize)}", $"DeletedFiles {Whole(s.DeletedFiles)}", $"ChangedFiles {Whole(s.ChangedFiles)}",
               $"ChangedFileSize {Whole(s.ChangedFileSize)}", $"ChangedDeltaSize {Whole(s.ChangedDeltaSize)}", $"DeltaEntries {Whole(s.DeltaEntries)}",
               $"RawDeltaSize {Whole(s.RawDeltaSize)}", $"TotalDestinationSizeChange {Whole(s.TotalDestinationSizeChange)}", $"Errors {Whole(s.Errors)}")
           + $"; closed {s.Closed}, complete {s.IsComplete}, empty {s.IsEmpty}"
           + (s.DamageReason is null ? "" : $", damage '{s.DamageReason}'")
           + (s.DamagedLine is null ? "" : $" in '{Escape(s.DamagedLine)}'");

    /// <summary>A short line for a damaged variant: its runs' ends and failures, and a digest of the whole dump.</summary>
    public static string Summary(string dump, IReadOnlyList<LogRun> runs)
        => $"{runs.Count} runs [{string.Join(' ', runs.Select(r => r.End.ToString() + (r.Hits.Count == 0 ? "" : ":" + string.Join('+', r.Hits.Select(h => h.Failure.Name)))))}] "
           + $"#{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dump)))[..16].ToLowerInvariant()}";

    private static string Real(double? d) => d is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "-";

    private static string Whole(long? n) => n is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";

    /// <summary>Control characters and invalid UTF-8 (read as U+FFFD) shown, so that the file stays one line per line.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff' or '\ufffd' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }
}
