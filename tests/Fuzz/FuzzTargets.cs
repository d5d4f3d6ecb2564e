using System.Text;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Fuzz;

/// <summary>One fuzz target: a parser family, fed one input as bytes.</summary>
public sealed record FuzzTarget(string Name, string What, Action<byte[]> Run);

/// <summary>An input broke a rule beyond "no exception" (a NaN range, an infinite duration, an empty refusal).</summary>
public sealed class FuzzOracleException(string message) : Exception(message);

/// <summary>
/// The fuzz targets: one per parser family, each calling the public entry point the checks call, the way they
/// call it (streamed where they stream). Shared, as source, by the afl++ harness (tests/Fuzz) and the regression
/// test (tests/Duplicity.Tests/Fuzz) so that a saved crashing input replays through exactly the same code.
/// The contract (as tests/Duplicity.Tests/Robustness/ParserContract): a model, or <see cref="CheckException"/> /
/// <see cref="UsageException"/> with a message; any other exception is a crash, and so is a hang.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The zone the fixtures' local times (asctime, ps lstart) are read in: has daylight saving.</summary>
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static readonly DateTimeOffset Boot = DateTimeOffset.FromUnixTimeSeconds(1795687443);

    public static readonly IReadOnlyList<FuzzTarget> All =
    [
        new("collection-status", "collection-status output, text or machine form (StatusFileReader -> StatusTextParser / MachineStatusParser)", CollectionStatus),
        new("machine-log", "a --log-fd machine log (MachineLogReader stanzas, MachineStatusParser)", MachineLog),
        new("archive-name", "an archive-dir file name (ArchiveFileNameParser); the lines after the first: a manifest (ManifestVolumes)", ArchiveName),
        new("ps", "a ps -eo pid,ppid,user,lstart,etimes,args capture (PsCapture), duplicity argv of each process", Ps),
        new("proc", "a /proc text file: PID/stat line (ProcStat), stat btime (ProcBootTime), locks (ProcLocks)", Proc),
        new("proc-tree", "a /proc tree, its files separated by 0x01 (see ProcTreeFiles), scanned with ProcProcessSource and DuplicityProcessFinder", ProcTree),
        new("cmdline", "a NUL-separated /proc/PID/cmdline (DuplicityRecognizer, DuplicityArguments)", Cmdline),
        new("log", "a backup log, any form (LogScanner: runs, failures, backup statistics)", Log),
        new("ini", "the INI job file (JobConfigReader, from a temp file)", Ini),
        new("range", "a threshold range, plain and duration units (ThresholdRange.Parse), a duration (Duration.ParseSeconds)", Range),
        new("now", "--now (EvaluationTime.Parse)", Now),
    ];

    public static FuzzTarget? Named(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// Runs one input; returns when the parser kept the contract, throws otherwise (the exception the parser threw,
    /// or <see cref="FuzzOracleException"/>).
    /// </summary>
    public static void Execute(FuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
        }
        catch (Exception e) when (e is CheckException or UsageException)
        {
            if (string.IsNullOrWhiteSpace(e.Message)) throw new FuzzOracleException($"{target.Name}: refused with an empty message");
        }
    }

    private static StreamReader Reader(byte[] input) => new(new MemoryStream(input), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    private static IEnumerable<string> Lines(byte[] input)
    {
        using var reader = Reader(input);
        while (reader.ReadLine() is { } line) yield return line;
    }

    private static void CollectionStatus(byte[] input)
    {
        using var reader = Reader(input);
        Touch(StatusFileReader.Parse(reader, Zone, "fuzz"));
    }

    private static void MachineLog(byte[] input)
    {
        using (var reader = Reader(input))
            foreach (var stanza in MachineLogReader.Read(reader))
                _ = (stanza.MessageText.Length, stanza.IsError, stanza.IsWarning);
        using var again = Reader(input);
        Touch(MachineStatusParser.Parse(again, "fuzz"));
    }

    /// <summary>Everything the checks read from a collection, including the computed properties.</summary>
    private static void Touch(BackupCollection c)
    {
        foreach (var chain in c.Chains)
            _ = (chain.Start, chain.End, chain.Volumes, chain.LastComplete, chain.Full);
        _ = (c.PrimaryChain, c.BackupSets, c.Volumes, c.AllSets.Count(), c.LastCompleteBackup, c.LastCompleteFull, c.IncompleteSets, c.OrphanedSets);
    }

    private static void ArchiveName(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var name = newline < 0 ? text : text[..newline];
        if (ArchiveFileNameParser.TryParse(name, out var parsed))
            _ = (parsed.IsFull, parsed.SetKey);
        if (newline >= 0)
            _ = ManifestVolumes.Count(new MemoryStream(input, newline + 1, input.Length - newline - 1));
    }

    private static void Ps(byte[] input)
    {
        foreach (var p in PsCapture.Parse(Lines(input), Zone, "fuzz"))
        {
            _ = (p.CommandLine, p.ShortName, TerminalWait.WaitingOn(p));
            if (DuplicityRecognizer.IsDuplicity(p.Argv)) Describe(DuplicityArguments.Parse(p.Argv));
        }
    }

    private static void Proc(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var stat = ProcStat.TryParse(newline < 0 ? text : text[..newline]);
        if (stat is not null) _ = stat.StartUtc(Boot);
        _ = ProcBootTime.Parse(text);
        var locks = ProcLocks.Parse(Lines(input));
        foreach (var l in locks) _ = ProcLocks.HolderOf(locks, l.Inode, (l.Major, l.Minor));
    }

    /// <summary>The files of the proc-tree target, in the order of the input's 0x01-separated sections; missing sections: no file.</summary>
    public static readonly string[] ProcTreeFiles = ["50/cmdline", "50/stat", "50/status", "50/wchan", "50/syscall", "50/fd/0.link", "stat", "uptime", "locks"];

    private static readonly DateTimeOffset ProcTreeNow = DateTimeOffset.FromUnixTimeSeconds(1795689256);

    private static readonly Lazy<string> ProcTreeRoot = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("fuzz-proc-");
        Directory.CreateDirectory(Path.Combine(dir.FullName, "50", "fd"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Delete(recursive: true);
        return dir.FullName;
    });

    /// <summary>
    /// The whole /proc path of the process checks (everything ProcProcessSource parses from text: status Uid, wchan,
    /// syscall, btime, uptime, locks, stat, cmdline), on disk as the check reads it.
    /// </summary>
    private static void ProcTree(byte[] input)
    {
        var root = ProcTreeRoot.Value;
        var sections = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= input.Length; i++)
        {
            if (i < input.Length && input[i] != 0x01) continue;
            sections.Add(input[start..i]);
            start = i + 1;
        }
        for (var f = 0; f < ProcTreeFiles.Length; f++)
        {
            var path = Path.Combine(root, ProcTreeFiles[f]);
            if (f < sections.Count) File.WriteAllBytes(path, sections[f]);
            else File.Delete(path);
        }
        var scan = DuplicityProcessFinder.Scan(new ProcProcessSource(root, ProcTreeNow), ProcessFilter.All,
            new FinderSeams { FileIdentity = _ => null, Users = new UserDirectory("/nonexistent/passwd") });
        foreach (var p in scan.Instances) _ = (p.Pid, p.StartUtc, p.User, p.LockFile, p.ElapsedSeconds(ProcTreeNow), p.ToString());
    }

    private static void Cmdline(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var argv = text.TrimEnd('\0').Split('\0');
        _ = DuplicityRecognizer.MayBeDuplicity(input);
        _ = DuplicityRecognizer.ScriptIndex(argv);
        if (DuplicityRecognizer.IsDuplicity(argv)) Describe(DuplicityArguments.Parse(argv));
    }

    private static void Describe(DuplicityArguments a) => _ = (a.Describe(), a.Target, a.BackupName, a.Action, a.Source, a.ArchiveDir);

    private static void Log(byte[] input)
    {
        var runs = new List<LogRun>();
        // A small buffer, so that lines straddle reads as they do in a real (megabytes) log.
        var scanner = new LogScanner(runs.Add, bufferSize: 4096);
        scanner.Scan(new MemoryStream(input));
        scanner.Finish();
        foreach (var r in runs)
        {
            _ = (r.Failures.Count, r.Epoch, r.IsMaintenance, r.IsOver);
            if (r.Statistics is { } s) _ = (s.IsComplete, s.DamageReason);
        }
    }

    /// <summary>
    /// One folder per process (mode 700), so parallel fuzzers never share the file; gone at exit. Beside the fuzzer,
    /// not below /tmp: a job file in a folder everyone can write is refused unread (JobConfigReader's trust rule).
    /// </summary>
    private static readonly Lazy<string> IniPath = new(() =>
    {
        var dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"fuzz-ini-{Environment.ProcessId}"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Delete(recursive: true);
        return Path.Combine(dir.FullName, "jobs.ini");
    });

    private static void Ini(byte[] input)
    {
        File.WriteAllBytes(IniPath.Value, input);
        var job = JobConfigReader.Load(IniPath.Value, "assets");
        foreach (var key in job.Values.Keys) _ = job.Get(key);
    }

    private static void Range(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        foreach (var units in new[] { RangeUnits.Plain, RangeUnits.Duration })
        {
            if (!ThresholdRange.TryParse(text, units, out var range, out var error))
            {
                if (string.IsNullOrWhiteSpace(error)) throw new FuzzOracleException($"range '{text}' refused without a reason");
                continue;
            }
            if (double.IsNaN(range.Start) || double.IsNaN(range.End)) throw new FuzzOracleException($"NaN in the range {range} from '{text}'");
            _ = (range.ToString(), range.Describe(), range.Alerts(0), range.Alerts(range.Start), range.Alerts(range.End));
            _ = ThresholdRange.Parse(text, units, "--warning");
        }
        if (Duration.TryParseSeconds(text, out var seconds))
        {
            if (!double.IsFinite(seconds)) throw new FuzzOracleException($"a duration of {seconds} s from '{text}'");
            _ = Duration.Format(seconds);
        }
        _ = Duration.ParseSeconds(text, "--timeout");
    }

    private static void Now(byte[] input) => _ = EvaluationTime.Parse(Encoding.UTF8.GetString(input)).ToUnixTimeSeconds();
}
