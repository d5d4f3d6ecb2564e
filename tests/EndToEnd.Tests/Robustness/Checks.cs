using System.Diagnostics;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>Runs a published check and enforces the process contract on every run: exit 0-3, nothing on stderr, bounded time.</summary>
internal static class Checks
{
    public const string Freshness = "check_duplicity_freshness";
    public const string Log = "check_duplicity_log";
    public const string Running = "check_duplicity_running";

    /// <summary>Generous: a run takes tens of milliseconds; only a hang comes near it.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static ProcessOutcome Run(string check, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var clock = Stopwatch.StartNew();
        var r = ProcessRun.Run(RepoPaths.Executable(check), args, env, Bound + TimeSpan.FromSeconds(10));
        var what = $"{check} {string.Join(' ', args)}";
        clock.Elapsed.Should().BeLessThan(Bound, $"bounded run time: {what}");
        r.ExitCode.Should().BeInRange(0, 3, what);
        r.Stderr.Should().BeEmpty(what);
        return r;
    }

    /// <summary>The same through setpriv as nobody (65534), no groups.</summary>
    public static ProcessOutcome RunAsNobody(string check, params string[] args) => RunAs("65534", "65534", check, args);

    /// <summary>The same through setpriv as uid and gid, no other groups.</summary>
    public static ProcessOutcome RunAs(string uid, string gid, string check, params string[] args)
        => Run("/usr/bin/setpriv", [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", RepoPaths.Executable(check), .. args], null, check);

    private static ProcessOutcome Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env, string check)
    {
        var clock = Stopwatch.StartNew();
        var r = ProcessRun.Run(program, args, env, Bound + TimeSpan.FromSeconds(10));
        var what = $"{check} {string.Join(' ', args)}";
        clock.Elapsed.Should().BeLessThan(Bound, $"bounded run time: {what}");
        r.ExitCode.Should().BeInRange(0, 3, what);
        r.Stderr.Should().BeEmpty(what);
        return r;
    }
}
