using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Serilog;
using Serilog.Events;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Owns the process contract: parses options, runs the check under its own timeout and SIGTERM handling,
/// turns every exception into UNKNOWN (stack trace only at -vvv), writes stdout exactly once and returns the
/// exit code (0-3, never anything else). Nothing is written to stderr.
/// </summary>
public static class PluginRunner
{
    /// <summary>How long a cancelled check gets to stop its children before the result is printed anyway.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromMilliseconds(800);

    /// <summary>Environment variables duplicity and its backends read secrets from.</summary>
    private static readonly string[] SecretEnvironment =
    [
        "PASSPHRASE", "SIGN_PASSPHRASE", "FTP_PASSWORD", "IMAP_PASSWORD", "AWS_SECRET_ACCESS_KEY", "SWIFT_PASSWORD",
        "CLOUDFILES_APIKEY", "GS_SECRET_ACCESS_KEY", "B2_APPLICATION_KEY", "AZURE_ACCOUNT_KEY", "WEBDAV_PASSWORD",
        "RSYNC_PASSWORD", "DUPLICITY_PASSPHRASE", "BOTO_SECRET_ACCESS_KEY",
    ];

    /// <summary>Runs a check defined as its options, probe and evaluator (<see cref="CheckPipeline{TOptions, TReading}"/>).</summary>
    public static int Run<TOptions, TReading>(string[] args, PluginDefinition plugin, CheckPipeline<TOptions, TReading> pipeline)
        => Run(args, plugin, pipeline.RunAsync);

    public static int Run(string[] args, PluginDefinition plugin, Func<PluginContext, Task<CheckResult>> check)
    {
        // First: from here on a SIGTERM cannot end the process without an answer.
        TerminationSignal.Install();
        // Defence in depth: a library that writes to Console.Error writes nowhere.
        Console.SetError(TextWriter.Null);
        var masker = new SecretMasker();
        // Secrets the check inherits (the job's environment): their bare values are masked too, wherever a child
        // or an error message repeats them without the NAME= that the assignment pattern catches.
        foreach (var name in SecretEnvironment) masker.Register(Environment.GetEnvironmentVariable(name));
        foreach (System.Collections.DictionaryEntry v in Environment.GetEnvironmentVariables())
            if (v.Key is string name && SecretMasker.IsSecretName(name)) masker.Register(v.Value as string);
        // Joined too: "--x-password VALUE" spans two arguments.
        foreach (var arg in args) masker.Learn(arg);
        masker.Learn(string.Join(' ', args));
        var verbosity = 0;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            // A crash on another thread: still one UNKNOWN line and exit 3, never the runtime's stderr trace.
            Write(PluginOutput.Render(plugin.Service, CheckResult.Unknown(Describe(e.ExceptionObject as Exception)), verbosity, null, masker));
            Environment.Exit((int)ServiceState.Unknown);
        };

        var all = plugin.Options.Concat(StandardOptions.For(plugin)).ToList();
        ParsedOptions options;
        DateTimeOffset now;
        TimeSpan timeout;
        try
        {
            options = CommandLine.Parse(args, all);
            if (options.Has("help")) return Finish(HelpText.Full(plugin, all) + "\n");
            if (options.Has("version")) return Finish(HelpText.Version(plugin) + "\n");
            verbosity = Math.Min(options.Count("verbose"), 3);
            now = options.Get("now") is { } n ? EvaluationTime.Parse(n) : DateTimeOffset.UtcNow;
            var t = options.Get("timeout");
            var seconds = t is null ? plugin.DefaultTimeoutSeconds : Duration.ParseSeconds(t, "--timeout");
            if (seconds <= 0 || seconds > 86400) throw new UsageException($"--timeout: {t} must be more than 0 s and at most 1 d");
            timeout = TimeSpan.FromSeconds(seconds);
        }
        catch (UsageException e)
        {
            return UsageError(plugin, all, e.Message, masker);
        }

        var debugLog = options.Get("debug-log");
        var sink = verbosity >= 2 || debugLog is not null ? new MemorySink(withExceptions: verbosity >= 3) : null;
        // No sink, no Serilog pipeline: default runs pay nothing for diagnostics.
        var logger = sink is null ? DiagnosticLog.None : new DiagnosticLog(new LoggerConfiguration()
            .MinimumLevel.Is(verbosity >= 3 || debugLog is not null ? LogEventLevel.Verbose : LogEventLevel.Debug)
            .WriteTo.Sink(sink)
            .CreateLogger());

        using var cts = new CancellationTokenSource();
        var context = new PluginContext(options, now, verbosity, logger, masker, cts.Token, timeout);
        if (logger.IsDebug)
            logger.Debug("{Name:l} {Version:l}, now {Now:l}, timeout {Timeout} s", plugin.Name, plugin.Version, now.ToString("O", CultureInfo.InvariantCulture), timeout.TotalSeconds);

        // What was interrupted is captured when it happens: once cancelled, the check unwinds its stages.
        // The check runs on this thread; a kernel timer (SIGALRM) enforces the timeout: no thread at start.
        var interrupted = "";
        var interruptedStage = "";
        var answered = false;
        var gate = new object();
        CheckWatchdog? watchdog = null;
        void Interrupt(string why)
        {
            lock (gate)
            {
                // Once the result is decided, a late signal changes nothing (and the token may be gone).
                if (interrupted.Length > 0 || answered) return;
                interrupted = why;
                interruptedStage = context.CurrentStage;
            }
            cts.Cancel();
            watchdog?.Wake();
        }
        watchdog = new CheckWatchdog(timeout, CancelGrace,
            onTimeout: () => Interrupt($"timed out after {FormatSeconds(timeout.TotalSeconds)} s"),
            onAbandon: () =>
            {
                // The check did not stop within the grace period: report for it and end the process.
                var shownNow = verbosity >= 2 && sink is not null ? sink.Lines : [];
                string why;
                lock (gate) why = $"{interrupted} {interruptedStage}";
                Write(PluginOutput.Render(plugin.Service, CheckResult.Unknown(why), verbosity, shownNow, masker));
                Environment.Exit((int)ServiceState.Unknown);
            });
        TerminationSignal.Route(() => Interrupt("terminated by SIGTERM"));

        CheckResult result;
        Exception? failure = null;
        try
        {
            result = check(context).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e is AggregateException { InnerException: { } inner } ? inner : e;
            result = CheckResult.Unknown(Describe(failure));
        }
        finally
        {
            watchdog.Finished();
        }

        bool ownResult;
        lock (gate)
        {
            if (interrupted.Length == 0 && TerminationSignal.Arrived)
            {
                interrupted = "terminated by SIGTERM";
                interruptedStage = context.CurrentStage;
            }
            answered = true;
            ownResult = interrupted.Length == 0 && failure is null;
            // Interrupted (timeout or SIGTERM): whatever the check returned after that is not the answer.
            if (interrupted.Length > 0) result = CheckResult.Unknown($"{interrupted} {interruptedStage}");
            else if (failure is UsageException usage) return UsageError(plugin, all, usage.Message, masker);
            else if (failure is not null) logger.Error(failure, "check failed");
        }

        var diagnostics = sink?.Lines ?? [];
        // All of them, shown or not: the debug log gets every line, and a secret seen in one is masked in the others.
        foreach (var line in diagnostics) masker.Learn(line);
        var shown = new List<string>(verbosity >= 2 ? diagnostics : []);
        if (verbosity >= 3 && failure is not null && shown.All(l => !l.Contains(failure.StackTrace ?? "\u0000", StringComparison.Ordinal)))
            shown.Add(failure.ToString());
        var text = PluginOutput.Render(plugin.Service, result, verbosity, shown, masker, verbosity >= 2 ? 64 * 1024 : PluginOutput.DefaultMaxBytes);
        if (debugLog is not null) WriteDebugLog(debugLog, diagnostics, masker);
        if (Write(text) && ownResult) RunAfterOutput(context);
        return (int)result.State;
    }

    /// <summary>
    /// The check's after-output actions (a state commit). The result is out: a failure here can no longer change
    /// it, and the next run repeats what this one reported rather than losing it.
    /// </summary>
    private static void RunAfterOutput(PluginContext context)
    {
        foreach (var action in context.AfterOutputActions)
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is CheckException or IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static int UsageError(PluginDefinition plugin, IReadOnlyList<OptionSpec> all, string message, SecretMasker masker)
    {
        // Masked before the '|' is replaced: the replacement could break a secret's form (a PASSPHRASE with a '|').
        var text = $"{plugin.Service} UNKNOWN - usage error: {PluginOutput.Sanitise(masker.Mask(message))}\n{HelpText.Usage(plugin, all)}\n";
        return Finish(text);
    }

    private static int Finish(string text)
    {
        Write(text);
        return (int)ServiceState.Unknown;
    }

    /// <summary>The exception as one line: CheckException messages as they are, others with their type.</summary>
    private static string Describe(Exception? e) => e switch
    {
        null => "internal error",
        CheckException c => c.Message,
        UnauthorizedAccessException u => $"permission denied: {u.Message}",
        IOException io => $"I/O error: {io.Message}",
        _ => $"internal error: {e.GetType().Name}: {e.Message}",
    };

    private static string FormatSeconds(double s) => s.ToString("0.##", CultureInfo.InvariantCulture);

    private static void WriteDebugLog(string path, IReadOnlyList<string> lines, SecretMasker masker)
    {
        try
        {
            var sb = new StringBuilder();
            foreach (var l in lines) masker.Learn(l);
            foreach (var l in lines) sb.Append(masker.Mask(l)).Append('\n');
            File.AppendAllText(path, sb.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The debug log is an aid, never a reason to change the check's verdict.
        }
    }

    private static readonly object WriteLock = new();
    private static bool _written;

    /// <summary>The only place that writes to stdout; it writes once. True when this call wrote and flushed it.</summary>
    private static bool Write(string text)
    {
        lock (WriteLock)
        {
            if (_written) return false;
            _written = true;
            var bytes = Encoding.UTF8.GetBytes(text.EndsWith('\n') ? text : text + "\n");
            using var stdout = Console.OpenStandardOutput();
            try
            {
                stdout.Write(bytes);
                stdout.Flush();
                return true;
            }
            catch (IOException)
            {
                // The reader went away (closed pipe): nothing left to tell anyone.
                return false;
            }
        }
    }
}
