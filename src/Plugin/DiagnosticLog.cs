using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace DuplicityChecks.Plugin;

/// <summary>
/// The checks' diagnostics (-vv, -vvv, --debug-log), in front of Serilog. A default run logs nothing, and with this
/// class it pays nothing for the calls either: each method returns before its arguments reach Serilog.
/// Why not Serilog's <see cref="ILogger"/> itself: its <c>Debug&lt;T0&gt;</c>-style methods are generic virtual
/// methods of an interface, which Native AOT resolves through its type loader at each call site's first call, even
/// when the logger is <see cref="Logger.None"/> (~3% of a check's run, packaging/docs/benchmarks.md #23). Here the
/// generic methods are not virtual; Serilog is reached only when the level is on.
/// </summary>
public sealed class DiagnosticLog
{
    /// <summary>Logs nothing (default runs, tests).</summary>
    public static readonly DiagnosticLog None = new(Logger.None);

    private readonly ILogger _logger;

    public DiagnosticLog(ILogger logger)
    {
        _logger = logger;
        IsDebug = logger.IsEnabled(LogEventLevel.Debug);
        IsVerbose = logger.IsEnabled(LogEventLevel.Verbose);
    }

    /// <summary>Debug events are kept (-vv or --debug-log): worth computing an argument that costs something.</summary>
    public bool IsDebug { get; }

    /// <summary>Verbose (trace) events are kept (-vvv or --debug-log).</summary>
    public bool IsVerbose { get; }

    public void Debug<T0>(string template, T0 a0) { if (IsDebug) _logger.Debug(template, a0); }
    public void Debug<T0, T1>(string template, T0 a0, T1 a1) { if (IsDebug) _logger.Debug(template, a0, a1); }
    public void Debug<T0, T1, T2>(string template, T0 a0, T1 a1, T2 a2) { if (IsDebug) _logger.Debug(template, a0, a1, a2); }
    public void Debug(string template, params object?[] values) { if (IsDebug) _logger.Debug(template, values); }

    public void Verbose<T0>(string template, T0 a0) { if (IsVerbose) _logger.Verbose(template, a0); }
    public void Verbose<T0, T1>(string template, T0 a0, T1 a1) { if (IsVerbose) _logger.Verbose(template, a0, a1); }
    public void Verbose<T0, T1, T2>(string template, T0 a0, T1 a1, T2 a2) { if (IsVerbose) _logger.Verbose(template, a0, a1, a2); }
    public void Verbose(string template, params object?[] values) { if (IsVerbose) _logger.Verbose(template, values); }

    /// <summary>A failure with its exception (the stack trace is shown at -vvv only).</summary>
    public void Error(Exception exception, string message) => _logger.Error(exception, message);
}
