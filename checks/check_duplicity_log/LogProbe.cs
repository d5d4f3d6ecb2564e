using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Log;

/// <summary>
/// Reads the log for one check (acquisition): last-run from the last run boundary found backwards
/// (<see cref="LastRunLocator"/>), new through the state file and <see cref="LogTail"/>, all from the start.
/// Logs are opened without any lock (<see cref="UnlockedFile"/>). For --scope new the new position is only
/// prepared here; <see cref="CommitPosition"/> saves it once the result is out (the runner's after-output step).
/// </summary>
public sealed class LogProbe(LogOptions options, DiagnosticLog log, DateTimeOffset? now = null) : IProbe<LogScanResult>, ICommitAfterOutput, IDisposable
{
    /// <summary>The check's context: names the read as a stage (a timeout says what it interrupted) and cancels it.</summary>
    private readonly PluginContext? _context;

    public LogProbe(LogOptions options, PluginContext context) : this(options, context.Log, context.Now) => _context = context;

    public const int MaxRunsKept = 20;

    /// <summary>
    /// --scope new holds back new lines without any duplicity line (a wrapper's "done" after a run, its header
    /// before the next) up to this many; more is not a run's edge but a log of something else, reported UNKNOWN
    /// and committed.
    /// </summary>
    public const int MaxHeldOrphanLines = 64;

    /// <summary>The locked state with the prepared position, until <see cref="CommitPosition"/> or <see cref="Dispose"/>.</summary>
    private StateFile? _pending;

    /// <summary>--scope new: saves the position prepared by <see cref="Read"/> (call after the result was printed).</summary>
    public void CommitPosition()
    {
        var state = _pending;
        _pending = null;
        if (state is null) return;
        using (state) state.Commit();
    }

    void ICommitAfterOutput.CommitAfterOutput() => CommitPosition();

    /// <summary>Releases the state without saving (the result was not delivered: the next check reads the same bytes).</summary>
    public void Dispose()
    {
        _pending?.Dispose();
        _pending = null;
    }

    public Task<LogScanResult> ReadAsync()
    {
        LogScanResult scan;
        using (_context?.Stage($"reading {options.LogFile}"))
            scan = Read(_context?.Cancellation ?? CancellationToken.None);
        log.Debug("read {Bytes} bytes from byte {Start}: {Runs} runs, {Lines} lines", scan.BytesRead, scan.ScanStart, scan.RunCount, scan.LinesScanned);
        return Task.FromResult(scan);
    }

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
            return options.Scope.ReadsOnlyNew ? ReadNew(cancellation) : ReadWhole(cancellation);
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
        using var file = UnlockedFile.OpenRead(options.LogFile);
        var length = file.Length;
        long start = 0, locatorBytes = 0;
        if (options.Scope.JudgesLastRunOnly)
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
            LastWriteUtc = File.GetLastWriteTimeUtc(file.SafeFileHandle),
            Length = length,
            BytesRead = scanner.BytesScanned + locatorBytes,
            ScanStart = start,
            OrphanLines = scanner.OrphanLines,
            LinesScanned = scanner.Lines,
        });
    }

    private LogScanResult ReadNew(CancellationToken cancellation)
    {
        var state = StateFile.Open(options.StateFilePath, TimeSpan.FromSeconds(5), cancellation);
        try
        {
            var result = ReadNew(state, cancellation);
            _pending?.Dispose();
            _pending = result.Commit ? state : null;
            if (!result.Commit) state.Dispose();
            return result.Scan;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    private (LogScanResult Scan, bool Commit) ReadNew(StateFile state, CancellationToken cancellation)
    {
        var previous = LogTailPosition.Load(state, out var positionProblem);
        var problem = state.CorruptReason is { } corrupt ? $"state file {state.Path} was corrupt ({corrupt}); {(state.ReadOnlyReason is null ? "rebuilt" : "ignored")}" : positionProblem;
        if (state.Get("log") is { } tracked && tracked != options.LogFile)
        {
            problem ??= $"state file {state.Path} belonged to {tracked}; restarted for {options.LogFile}";
            previous = null;
        }
        var progressStart = state.Get("progress_start");
        var progressSince = state.Get("progress_since");
        using var tail = LogTail.Open(options.LogFile, previous);
        log.Debug("new: {Explanation} ({Pending} bytes pending)", tail.Explanation, tail.PendingBytes);
        // An unfinished line is waited for, but not without end: past the line limit its newline cannot make it readable.
        if (tail.Length - tail.CompleteLength > ReadLimits.LogLineBytes)
            throw new CheckException($"log line longer than {ReadLimits.Format(ReadLimits.LogLineBytes)} (the read limit for one line) at offset {tail.CompleteLength}");

        // A passphrase prompt waits without a newline; any other unfinished line is left for the check that
        // sees its newline (looked at now, it would be reported twice).
        var unfinished = tail.UnfinishedLine();
        var withPrompt = unfinished is not null
            && LinePatterns.Classify(System.Text.Encoding.UTF8.GetString(unfinished)).Kind == LineKind.PassphrasePrompt;
        var collector = new RunCollector(options.Scope);
        var scanner = new LogScanner(collector.Add, options.Patterns);
        using (var reader = tail.OpenReader(withPrompt))
            scanner.Scan(reader, 0, cancellation);
        scanner.Finish();

        // The last run, if it is still being written, is read again from its first line by the next check (a check
        // landing between its lines must not leave the next one with lines that belong to no run). Waiting at
        // the passphrase prompt it is held as well, but judged: that wait is the news.
        // A statistics block, stanza or traceback still open at the end is a run being written whatever it
        // holds so far (the scanner's safe offset stops at its start): judged when it is complete.
        var consumed = scanner.SafeOffset;
        var openAtEnd = consumed < tail.BytesRead - (withPrompt ? unfinished!.Length : 0);
        var waitsAtPrompt = false;
        var held = collector.LastRun is { } last && (openAtEnd || last.End == RunEnd.None && OnlyNotEnded(last, out waitsAtPrompt)) ? last : null;
        var inProgress = held is not null && (openAtEnd || !waitsAtPrompt) ? held : null;
        var waiting = previous is not null && collector.LastRun is null && scanner.Lines is > 0 and <= MaxHeldOrphanLines;
        if (held is not null) consumed = Math.Min(consumed, held.StartOffset);
        if (waiting) consumed = 0;
        var position = tail.PositionAfter(consumed);

        DateTimeOffset? since = null;
        var saved = new Dictionary<string, string>(state.Values, StringComparer.Ordinal);
        var wasUsable = state.CorruptReason is null && !state.IsNew;
        state.Clear();
        position.Save(state);
        state.Set("log", options.LogFile);
        if (inProgress is not null)
        {
            // Where the run starts in the log, and when a check first saw it there: "in progress since".
            var start = position.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
            since = progressStart == start && previous is not null
                && long.TryParse(progressSince, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seen)
                ? DateTimeOffset.FromUnixTimeSeconds(seen) : now ?? DateTimeOffset.UtcNow;
            state.Set("progress_start", start);
            state.Set("progress_since", since.Value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var scan = collector.Result(new LogScanResult
        {
            Path = options.LogFile,
            Scope = options.Scope,
            LastWriteUtc = tail.LastWriteUtc,
            Length = tail.Length,
            BytesRead = tail.BytesRead,
            ScanStart = tail.StartOffset,
            TailExplanation = tail.Explanation,
            StateProblem = problem,
            PositionNotSaved = state.ReadOnlyReason is { } readOnly ? $"position not saved: {readOnly}; its owner's next check reads these lines again" : null,
            NothingNew = tail.NothingNew,
            FirstRun = previous is null,
            Restarted = tail.Restarted,
            InProgress = inProgress,
            InProgressSince = since,
            WaitingForRun = waiting,
            OrphanLines = scanner.OrphanLines,
            LinesScanned = scanner.Lines,
        }, inProgress);
        // A first check of a log with no run yet (empty, or no complete line) saves nothing: the next one is a
        // first check too, and says the same until a run is there. Nothing changed: nothing to save either.
        var commit = !(previous is null && collector.LastRun is null && scanner.OrphanLines == 0) && !SameValues(saved, state.Values);
        if (commit && wasUsable) ProveWritable(state, saved);
        return (scan, commit);
    }

    /// <summary>
    /// The new position is saved after the output, when a failure can no longer be reported: a state that cannot
    /// be written (a full disk) would make every check repeat the same lines without saying why. So the saved
    /// state is first written again as it is (same content; a failure is the check's UNKNOWN and leaves it as it
    /// was), then the new values are put back for the commit after the output.
    /// </summary>
    private static void ProveWritable(StateFile state, Dictionary<string, string> saved)
    {
        var next = new Dictionary<string, string>(state.Values, StringComparer.Ordinal);
        state.Clear();
        foreach (var (k, v) in saved) state.Set(k, v);
        state.Commit();
        state.Clear();
        foreach (var (k, v) in next) state.Set(k, v);
    }

    private static bool SameValues(Dictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var w) || w != v) return false;
        return true;
    }

    /// <summary>A run still being written: nothing wrong with it but that it has not ended (yet), or waits at the prompt.</summary>
    private static bool OnlyNotEnded(LogRun run, out bool waitsAtPrompt)
    {
        waitsAtPrompt = false;
        foreach (var hit in run.Failures)
        {
            if (hit.Failure == KnownFailures.PassphraseWait) waitsAtPrompt = true;
            else if (hit.Failure != KnownFailures.Unfinished) return false;
        }
        return true;
    }

    /// <summary>Keeps what the evaluation needs from a stream of runs, in flat memory.</summary>
    private sealed class RunCollector(LogScope scope)
    {
        private readonly List<LogRun> _kept = [];
        private int _count;
        private int _failed;
        private LogRun? _last;
        private LogRun? _lastStats;

        public LogRun? LastRun => _last;

        public void Add(LogRun run)
        {
            _count++;
            _last = run;
            if (run.Statistics is { IsComplete: true }) _lastStats = run;
            if (scope.JudgesLastRunOnly)
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

        /// <param name="inProgress">The last run when it is still being written: left out of the runs judged.</param>
        public LogScanResult Result(LogScanResult partial, LogRun? inProgress = null)
        {
            var runs = _kept.ToList();
            if (!scope.JudgesLastRunOnly && _last is not null && !runs.Contains(_last)) runs.Add(_last);
            if (inProgress is not null) runs.Remove(inProgress);
            return partial with
            {
                Runs = runs,
                RunCount = _count - (inProgress is null ? 0 : 1),
                FailedRunCount = scope.JudgesLastRunOnly ? runs.Count(r => r.Failures.Count > 0) : _failed - (inProgress is null ? 0 : 1),
                LastRun = _last,
                LastStatisticsRun = scope.JudgesLastRunOnly ? runs.FirstOrDefault(r => r.Statistics is { IsComplete: true }) : _lastStats,
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
