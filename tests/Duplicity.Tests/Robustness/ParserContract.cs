using System.Diagnostics;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>How one generated case ended.</summary>
public enum Verdict
{
    /// <summary>The parser returned a model.</summary>
    Parsed,

    /// <summary>The parser refused the input with CheckException or UsageException (UNKNOWN / usage error).</summary>
    Refused,
}

/// <summary>
/// The rule every parser keeps for any input: it returns a model or throws <see cref="CheckException"/> /
/// <see cref="UsageException"/>, nothing else, within a bounded time (<see cref="Bound"/>, generous: a case takes
/// milliseconds). Violations are collected, not thrown at the first one, so one run shows every broken case.
/// </summary>
public sealed class ParserContract
{
    /// <summary>Per case; only a hang or pathological backtracking gets near it.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly List<string> _violations = [];

    public int Cases { get; private set; }
    public int ParsedCount { get; private set; }
    public int RefusedCount { get; private set; }

    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Runs one case; returns the model (or default when refused or broken).</summary>
    public (Verdict Verdict, T? Value) Run<T>(Mutant mutant, Func<byte[], T> parse)
    {
        Cases++;
        var bytes = mutant.Bytes();
        var clock = Stopwatch.StartNew();
        try
        {
            var value = parse(bytes);
            ParsedCount++;
            CheckTime(mutant, clock);
            return (Verdict.Parsed, value);
        }
        catch (Exception e) when (e is CheckException or UsageException)
        {
            RefusedCount++;
            CheckTime(mutant, clock);
            if (e.Message.Length == 0) Violate(mutant, "refused with an empty message");
            return (Verdict.Refused, default);
        }
        catch (Exception e)
        {
            Violate(mutant, $"{e.GetType().Name}: {e.Message}\n{e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            return (Verdict.Refused, default);
        }
    }

    public void Violate(Mutant mutant, string what)
    {
        lock (_violations) _violations.Add($"{mutant.Description}: {what}");
    }

    private void CheckTime(Mutant mutant, Stopwatch clock)
    {
        if (clock.Elapsed > Bound) Violate(mutant, $"took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Fails with every violation (the first 40), and reports the counts.</summary>
    public void AssertClean(string what, int atLeast)
    {
        TestContext.Progress.WriteLine($"robustness {what}: {Cases} cases, {ParsedCount} parsed, {RefusedCount} refused, {_violations.Count} violations");
        Cases.Should().BeGreaterThanOrEqualTo(atLeast, "the generator must produce the cases it is meant to");
        if (_violations.Count > 0) Assert.Fail($"{_violations.Count} violations (a model or CheckException/UsageException in bounded time, and the oracle), first:\n{string.Join("\n", _violations.Take(40))}");
    }
}
