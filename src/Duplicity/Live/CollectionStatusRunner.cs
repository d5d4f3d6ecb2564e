using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Runs <c>duplicity collection-status</c> (acquisition) through CliWrap: argument array, no shell,
/// <c>LC_ALL=C</c>, <c>LANGUAGE</c> unset, <c>TZ=UTC</c>, stdin at EOF (a passphrase prompt gets EOF at once
/// instead of hanging), the machine log written to a private temporary file. duplicity runs in a session of its own
/// (setsid) with a marker in its environment. The run is over when duplicity exits, not when its output pipes
/// reach end of file (a helper it started may hold them open for hours: an ssh ControlPersist master); then, and
/// on cancellation (the plugin's timeout or SIGTERM), <see cref="OrphanReaper"/> ends everything the run started.
/// </summary>
public static class CollectionStatusRunner
{
    public const string SetsidPath = "/usr/bin/setsid";

    /// <summary>Once duplicity exited, what it wrote is already in the pipes: reading it takes microseconds.</summary>
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromMilliseconds(500);

    public static async Task<CollectionStatusRun> RunAsync(CollectionStatusInvocation invocation, DiagnosticLog log, SecretMasker masker, CancellationToken cancellation)
    {
        var dir = Directory.CreateTempSubdirectory("duplicity-checks-");
        var logPath = Path.Combine(dir.FullName, "collection-status.log");
        try
        {
            PrepareLogFile(dir.FullName, logPath, invocation.SudoUser is not null);
            var (program, args) = invocation.Command(logPath);
            var commandLine = masker.Mask(program + " " + string.Join(' ', args.Select(Quote)));
            log.Debug("running {Command:l}", commandLine);

            // setsid(1) from util-linux calls setsid() and execs (the check's child is never a group leader, so it
            // does not fork; --wait covers the case it would): duplicity keeps the PID, in a session of its own.
            var ownSession = File.Exists(SetsidPath);
            var marker = OrphanReaper.NewMarker();
            using var stopReading = new CancellationTokenSource();
            var stdout = new ExitBoundCapture(stopReading.Token);
            var stderr = new ExitBoundCapture(stopReading.Token);
            var target = ownSession ? SetsidPath : program;
            var arguments = new List<string>();
            if (ownSession) arguments.AddRange(["--wait", "--", program]);
            arguments.AddRange(args);
            var command = Cli.Wrap(target)
                .WithArguments(arguments)
                .WithEnvironmentVariables(env => env
                    .Set("LC_ALL", "C")
                    .Set("LANGUAGE", null)
                    .Set("TZ", "UTC")
                    .Set(OrphanReaper.MarkerVariable, marker))
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(stdout.Target)
                .WithStandardErrorPipe(stderr.Target)
                .WithValidation(CommandResultValidation.None);

            OrphanReaper.BecomeSubreaper();
            CommandTask<CommandResult> task;
            try
            {
                task = command.ExecuteAsync(cancellation);
            }
            catch (Win32Exception e)
            {
                throw new CheckException($"cannot run {(ownSession ? SetsidPath : program)}: {e.Message}");
            }
            var run = new RunIdentity(task.ProcessId, ownSession ? task.ProcessId : null, marker);
            var clock = Stopwatch.StartNew();
            try
            {
                await ProcessExit.WaitAsync(task.ProcessId, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // CliWrap kills the process tree it can see by parent links; the reaper kills what escaped it.
                var ended = await EndRunAsync(run, invocation.SudoUser, gentle: false, log, CancellationToken.None).ConfigureAwait(false);
                try { await task; } catch (Exception e) when (e is OperationCanceledException or IOException or TimeoutException) { }
                log.Debug("cancelled: ended {Count} process(es) left by the run", ended);
                throw;
            }
            var runTime = clock.Elapsed;
            var leftovers = await EndRunAsync(run, invocation.SudoUser, gentle: true, log, cancellation).ConfigureAwait(false);
            stopReading.CancelAfter(DrainAfterExit); // for what could not be ended and still holds a pipe
            var exitCode = (await task).ExitCode;
            if (ownSession && exitCode is 126 or 127 && SetsidExecFailure(stderr.Text) is { } reason)
                throw new CheckException($"cannot run {program}: {reason}");
            var machineLog = File.Exists(logPath) ? await ReadMachineLogAsync(logPath, cancellation).ConfigureAwait(false) : "";
            if (stdout.Truncated || stderr.Truncated)
                log.Debug("duplicity wrote more than {Limit:l} to stdout or stderr: only the start was kept", ReadLimits.Format(ExitBoundCapture.MaxBytes));
            log.Debug("duplicity exited with {Code} after {Ms} ms, machine log {Bytes} bytes; {Left} process(es) it left ended", exitCode, (long)runTime.TotalMilliseconds, machineLog.Length, leftovers);
            if (log.IsVerbose) log.Verbose("duplicity stderr: {Stderr:l}", masker.Mask(stderr.Text));
            return new CollectionStatusRun(exitCode, machineLog, stdout.Text, stderr.Text, commandLine);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>setsid's own words when it could not exec the program ("setsid: failed to execute PATH: REASON").</summary>
    private static string? SetsidExecFailure(string stderr)
    {
        const string prefix = "setsid: failed to execute ";
        if (!stderr.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var line = stderr.Split('\n')[0];
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return colon < prefix.Length ? line.Trim() : line[(colon + 2)..].Trim();
    }

    /// <summary>Ends what the run left; under --sudo-user what the check may not signal itself is killed through sudo.</summary>
    private static async Task<int> EndRunAsync(RunIdentity run, string? sudoUser, bool gentle, DiagnosticLog log, CancellationToken cancellation)
    {
        var outcome = OrphanReaper.EndRun(run, gentle);
        if (outcome.Left.Count == 0) return outcome.Ended;
        if (sudoUser is not null && await SudoKill.RunAsync(sudoUser, outcome.Left, cancellation).ConfigureAwait(false))
        {
            var after = OrphanReaper.EndRun(run, gentle: false);
            if (after.Left.Count == 0) return outcome.Ended + outcome.Left.Count;
        }
        log.Debug("{Count} process(es) left by the run could not be ended (PIDs {Pids:l}): another user's; with --sudo-user allow '{Kill:l}' for that user in sudoers",
            outcome.Left.Count, string.Join(' ', outcome.Left), SudoKill.KillPath);
        return outcome.Ended;
    }

    /// <summary>
    /// The machine log, within <see cref="ReadLimits.LiveMachineLogBytes"/>: it is parsed whole from a string, and
    /// the program that writes it may be anything --duplicity names.
    /// </summary>
    private static async Task<string> ReadMachineLogAsync(string path, CancellationToken cancellation)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var limited = new LimitedReadStream(file, ReadLimits.LiveMachineLogBytes,
            () => $"the machine log of duplicity collection-status exceeds the {ReadLimits.Format(ReadLimits.LiveMachineLogBytes)} read limit");
        using var reader = new StreamReader(limited, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The log file is created by us so that its place is private. Under sudo the backup user must be able
    /// to append to it: the directory is then traversable but not listable (0711) and the file writable (0622).
    /// </summary>
    private static void PrepareLogFile(string dir, string path, bool otherUserWrites)
    {
        using (File.Create(path)) { }
        if (!otherUserWrites) return;
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@+,%".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}
