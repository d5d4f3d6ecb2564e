using System.ComponentModel;
using System.Text;
using CliWrap;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Runs <c>duplicity collection-status</c> (acquisition) through CliWrap: argument array, no shell,
/// <c>LC_ALL=C</c>, <c>LANGUAGE</c> unset, <c>TZ=UTC</c>, stdin at EOF (a passphrase prompt gets EOF at once
/// instead of hanging), the machine log written to a private temporary file, and cancellation (the plugin's
/// timeout or SIGTERM) killing the whole process tree.
/// </summary>
public static class CollectionStatusRunner
{
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

            var stdout = new BoundedTextCapture(ReadLimits.CapturedOutputChars);
            var stderr = new BoundedTextCapture(ReadLimits.CapturedOutputChars);
            var command = Cli.Wrap(program)
                .WithArguments(args)
                .WithEnvironmentVariables(env => env
                    .Set("LC_ALL", "C")
                    .Set("LANGUAGE", null)
                    .Set("TZ", "UTC"))
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(stdout.Target)
                .WithStandardErrorPipe(stderr.Target)
                .WithValidation(CommandResultValidation.None);

            CommandResult result;
            OrphanReaper.BecomeSubreaper();
            try
            {
                // CliWrap kills the process tree it can see by parent links when the token is cancelled; the reaper
                // then kills what escaped it (double-forked grandchildren, re-parented to us as the subreaper).
                result = await command.ExecuteAsync(cancellation).ConfigureAwait(false);
            }
            catch (Win32Exception e)
            {
                throw new CheckException($"cannot run {program}: {e.Message}");
            }
            catch (OperationCanceledException)
            {
                var killed = OrphanReaper.KillAll();
                log.Debug("cancelled: killed {Count} process(es) left below the check", killed);
                throw;
            }
            var machineLog = File.Exists(logPath) ? await ReadMachineLogAsync(logPath, cancellation).ConfigureAwait(false) : "";
            if (stdout.Truncated || stderr.Truncated)
                log.Debug("duplicity wrote more than {Limit:l} to stdout or stderr: only the start was kept", ReadLimits.Format(ReadLimits.CapturedOutputChars));
            log.Debug("duplicity exited with {Code} after {Ms} ms, machine log {Bytes} bytes", result.ExitCode, (long)result.RunTime.TotalMilliseconds, machineLog.Length);
            if (log.IsVerbose) log.Verbose("duplicity stderr: {Stderr:l}", masker.Mask(stderr.ToString()));
            return new CollectionStatusRun(result.ExitCode, machineLog, stdout.ToString(), stderr.ToString(), commandLine);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
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
