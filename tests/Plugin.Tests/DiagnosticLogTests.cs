using DuplicityChecks.Plugin;
using Serilog;
using Serilog.Events;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>
/// DiagnosticLog passes each event to Serilog exactly when Serilog's level keeps it (-vv: debug, -vvv and
/// --debug-log: verbose too), with its arguments rendered as Serilog renders them, and None keeps nothing.
/// </summary>
public class DiagnosticLogTests
{
    private static (DiagnosticLog Log, MemorySink Sink) At(LogEventLevel level)
    {
        var sink = new MemorySink(withExceptions: true);
        var log = new DiagnosticLog(new LoggerConfiguration().MinimumLevel.Is(level).WriteTo.Sink(sink).CreateLogger());
        return (log, sink);
    }

    private static void WriteEveryForm(DiagnosticLog log)
    {
        log.Debug("d1 {A}", 1);
        log.Debug("d2 {A} {B:l}", 1, "two");
        log.Debug("d3 {A} {B} {C}", 1, 2, 3);
        log.Debug("d4 {A} {B} {C} {D}", 1, 2, 3, 4);
        log.Verbose("v1 {A}", 1);
        log.Verbose("v2 {A} {B}", 1, 2);
        log.Verbose("v3 {A} {B} {C}", 1, 2, 3);
        log.Verbose("v4 {A} {B} {C} {D}", 1, 2, 3, 4);
        log.Error(new InvalidOperationException("boom"), "failed");
    }

    private static IEnumerable<string> Messages(MemorySink sink) => sink.Lines.Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..].Split('\n')[0]);

    [Test]
    public void Debug_level_keeps_debug_and_errors_but_not_verbose()
    {
        var (log, sink) = At(LogEventLevel.Debug);
        log.IsDebug.Should().BeTrue();
        log.IsVerbose.Should().BeFalse();

        WriteEveryForm(log);

        Messages(sink).Should().Equal("d1 1", "d2 1 two", "d3 1 2 3", "d4 1 2 3 4", "failed");
    }

    [Test]
    public void Verbose_level_keeps_everything()
    {
        var (log, sink) = At(LogEventLevel.Verbose);
        log.IsVerbose.Should().BeTrue();

        WriteEveryForm(log);

        Messages(sink).Should().Equal("d1 1", "d2 1 two", "d3 1 2 3", "d4 1 2 3 4", "v1 1", "v2 1 2", "v3 1 2 3", "v4 1 2 3 4", "failed");
        sink.Lines[^1].Should().Contain("boom", "the exception travels with the error");
    }

    [Test]
    public void None_keeps_nothing_and_says_so()
    {
        DiagnosticLog.None.IsDebug.Should().BeFalse();
        DiagnosticLog.None.IsVerbose.Should().BeFalse();
        WriteEveryForm(DiagnosticLog.None);
    }
}
