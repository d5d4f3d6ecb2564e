using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Collects Serilog events in memory; the runner prints them on stdout as long output after the sub-checks
/// (a plugin must never write to stderr, and stdout is written once).
/// </summary>
public sealed class MemorySink(bool withExceptions) : ILogEventSink
{
    private readonly List<string> _lines = [];
    private readonly long _start = Stopwatch.GetTimestamp();

    public void Emit(LogEvent logEvent)
    {
        var ms = Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
        var level = logEvent.Level switch
        {
            LogEventLevel.Verbose => "trace",
            LogEventLevel.Debug => "debug",
            LogEventLevel.Information => "info",
            LogEventLevel.Warning => "warn",
            LogEventLevel.Error => "error",
            _ => "fatal",
        };
        var text = $"[{level} +{ms.ToString("0", CultureInfo.InvariantCulture)}ms] {logEvent.RenderMessage(CultureInfo.InvariantCulture)}";
        if (withExceptions && logEvent.Exception is not null) text += "\n" + logEvent.Exception;
        lock (_lines) _lines.Add(text);
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }
}
