using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>What was read from the log, and the runs to judge (acquisition result).</summary>
public sealed record LogScanResult
{
    public required string Path { get; init; }
    public bool Missing { get; init; }
    public LogScope Scope { get; init; }
    public DateTime? LastWriteUtc { get; init; }
    public long Length { get; init; }

    /// <summary>Bytes read from the log (and a rotated predecessor) for this check.</summary>
    public long BytesRead { get; init; }

    /// <summary>Where the forward scan started (a byte offset of the log), or the tail's start for --scope new.</summary>
    public long ScanStart { get; init; }

    /// <summary>How --scope new chose where to start (rotation, truncation, ...).</summary>
    public string? TailExplanation { get; init; }

    /// <summary>Why the state file was not usable (it was rebuilt).</summary>
    public string? StateProblem { get; init; }

    /// <summary>Why --scope new did not save its position (another user's state directory): said in the output.</summary>
    public string? PositionNotSaved { get; init; }

    /// <summary>--scope new found no new bytes.</summary>
    public bool NothingNew { get; init; }

    /// <summary>
    /// The runs to judge: for last-run, the most recent run that is not a cleanup/remove/verify/collection-status
    /// plus those after it; for new and all, the runs with failures (capped) and the last run.
    /// </summary>
    public IReadOnlyList<LogRun> Runs { get; init; } = [];

    public int RunCount { get; init; }
    public int FailedRunCount { get; init; }
    public LogRun? LastRun { get; init; }

    /// <summary>The most recent run with a Backup Statistics block (perfdata).</summary>
    public LogRun? LastStatisticsRun { get; init; }

    /// <summary>Lines scanned that belong to no run (no recognised duplicity line before them).</summary>
    public int OrphanLines { get; init; }

    public long LinesScanned { get; init; }
}

/// <summary>
/// Reads the log for one check (acquisition): last-run from the last run boundary found backwards
/// (<see cref="LastRunLocator"/>), new through the state file and <see cref="LogTail"/>, all from the start.
/// </summary>
public sealed class LogProbe(LogCheckOptions options, DiagnosticLog log)
{
    public const int MaxRunsKept = 20;

    public LogScanResult Read(CancellationToken cancellation = default)
    {
        if (!File.Exists(options.LogFile))
        {
            if (Directory.Exists(options.LogFile)) throw new CheckException($"{options.LogFile} is a directory, not a log file");
            ThrowIfHidden(options.LogFile);
            return new LogScanResult { Path = options.LogFile, Missing = true, Scope = options.Scope };
        }
        try
        {
            return options.Scope == LogScope.New ? ReadNew(cancellation) : ReadWhole(cancellation);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckException($"cannot read {options.LogFile}: permission denied ({e.Message})");
        }
        catch (FileNotFoundException)
        {
            return new LogScanResult { Path = options.LogFile, Missing = true, Scope = options.Scope };
        }
    }

    /// <summary>
    /// File.Exists is also false when a folder on the way cannot be searched: that is not a missing log (which
    /// --missing-state may call OK), it is a log we may not see. The stat error tells the two apart.
    /// </summary>
    private static void ThrowIfHidden(string path)
    {
        try
        {
            File.GetAttributes(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CheckException($"cannot read {path}: permission denied (a folder on its path cannot be searched by this user)");
        }
        catch (IOException)
        {
            // Not found (FileNotFoundException, DirectoryNotFoundException) or gone meanwhile: missing.
        }
    }

    private LogScanResult ReadWhole(CancellationToken cancellation)
    {
        using var file = new FileStream(options.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var length = file.Length;
        long start = 0, locatorBytes = 0;
        if (options.Scope == LogScope.LastRun)
        {
            start = LastRunLocator.FindScanStart(file, length, out locatorBytes);
            log.Debug("last-run: scanning from byte {Start} of {Length} (located by reading {Bytes} bytes backwards)", start, length, locatorBytes);
        }
        file.Position = start;
        var collector = new RunCollector(options.Scope);
        var scanner = new LogScanner(collector.Add, options.Patterns);
        using (var limited = new BoundedStream(file, length - start))
            scanner.Scan(limited, start, cancellation);
        scanner.Finish();
        return collector.Result(new LogScanResult
        {
            Path = options.LogFile,
            Scope = options.Scope,
            LastWriteUtc = File.GetLastWriteTimeUtc(options.LogFile),
            Length = length,
            BytesRead = scanner.BytesScanned + locatorBytes,
            ScanStart = start,
            OrphanLines = scanner.OrphanLines,
            LinesScanned = scanner.Lines,
        });
    }

    private LogScanResult ReadNew(CancellationToken cancellation)
    {
        using var state = StateFile.Open(options.StateFilePath, TimeSpan.FromSeconds(5), cancellation);
        var previous = LogTailPosition.Load(state, out var positionProblem);
        var problem = state.CorruptReason is { } corrupt ? $"state file {state.Path} was corrupt ({corrupt}); {(state.ReadOnlyReason is null ? "rebuilt" : "ignored")}" : positionProblem;
        if (state.Get("log") is { } tracked && tracked != options.LogFile)
        {
            problem ??= $"state file {state.Path} belonged to {tracked}; restarted for {options.LogFile}";
            previous = null;
        }
        using var tail = LogTail.Open(options.LogFile, previous);
        log.Debug("new: {Explanation} ({Pending} bytes pending)", tail.Explanation, tail.PendingBytes);

        var collector = new RunCollector(LogScope.New);
        var scanner = new LogScanner(collector.Add, options.Patterns);
        using (var reader = tail.OpenReader())
            scanner.Scan(reader, 0, cancellation);
        scanner.Finish();

        var position = tail.PositionAfter(scanner.SafeOffset);
        state.Clear();
        position.Save(state);
        state.Set("log", options.LogFile);
        state.Commit();

        return collector.Result(new LogScanResult
        {
            Path = options.LogFile,
            Scope = LogScope.New,
            LastWriteUtc = tail.LastWriteUtc,
            Length = tail.Length,
            BytesRead = tail.BytesRead,
            ScanStart = tail.StartOffset,
            TailExplanation = tail.Explanation,
            StateProblem = problem,
            PositionNotSaved = state.ReadOnlyReason is { } readOnly ? $"position not saved: {readOnly}; its owner's next check reads these lines again" : null,
            NothingNew = tail.PendingBytes == 0,
            OrphanLines = scanner.OrphanLines,
            LinesScanned = scanner.Lines,
        });
    }

    /// <summary>Keeps what the evaluation needs from a stream of runs, in flat memory.</summary>
    private sealed class RunCollector(LogScope scope)
    {
        private readonly List<LogRun> _kept = [];
        private int _count;
        private int _failed;
        private LogRun? _last;
        private LogRun? _lastStats;

        public void Add(LogRun run)
        {
            _count++;
            _last = run;
            if (run.Statistics is { IsComplete: true }) _lastStats = run;
            if (scope == LogScope.LastRun)
            {
                // A cleanup or collection-status after the backup does not hide the backup's verdict.
                if (!(run.IsMaintenance && _kept.Count > 0)) _kept.Clear();
                _kept.Add(run);
                return;
            }
            if (run.Failures.Count > 0)
            {
                _failed++;
                if (_kept.Count < MaxRunsKept) _kept.Add(run);
            }
        }

        public LogScanResult Result(LogScanResult partial)
        {
            var runs = _kept.ToList();
            if (scope != LogScope.LastRun && _last is not null && !runs.Contains(_last)) runs.Add(_last);
            return partial with
            {
                Runs = runs,
                RunCount = _count,
                FailedRunCount = scope == LogScope.LastRun ? runs.Count(r => r.Failures.Count > 0) : _failed,
                LastRun = _last,
                LastStatisticsRun = scope == LogScope.LastRun ? runs.FirstOrDefault(r => r.Statistics is { IsComplete: true }) : _lastStats,
            };
        }
    }

    /// <summary>Reads at most the bytes that were there when the check began (a growing log is read next time).</summary>
    private sealed class BoundedStream(Stream inner, long remaining) : ForwardReadStream
    {
        private long _remaining = remaining;

        public override int Read(Span<byte> buffer)
        {
            if (_remaining <= 0) return 0;
            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= n;
            return n;
        }
    }
}
