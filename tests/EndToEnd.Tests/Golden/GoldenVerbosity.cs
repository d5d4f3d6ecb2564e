namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// What every check's golden run has in common: the verbosities a fixture input is run at (-vv only adds what -vvv
/// also shows), and the cases of the standard options (help, version, the errors of the command line itself).
/// </summary>
internal static class GoldenVerbosity
{
    public static readonly string[][] Levels = [[], ["-v"], ["-vvv"]];

    /// <param name="valid">Arguments that make a valid run, for the errors that need one around them.</param>
    public static IEnumerable<GoldenCase> CommonOptionCases(string[] valid)
    {
        string[][] cases =
        [
            ["--help"],
            ["-h"],
            ["--version"],
            ["-V"],
            [.. valid, "--help"],
            ["--no-such-option"],
            ["-x"],
            [.. valid, "extra-argument"],
            [.. valid[..^1]],
            [.. valid[..^1], "yesterday"],
            [.. valid[..^1], "2026-11-26T10:30:00Z"],
            [.. valid, "--timeout", "0"],
            [.. valid, "--timeout", "abc"],
            [.. valid, "-t", "5m"],
            [.. valid, "--verbose=2"],
            [.. valid, "-vv", "-v"],
        ];
        return cases.Select(GoldenCase.Of);
    }

    /// <summary>A case per option text (split at spaces), each after the arguments of a valid run.</summary>
    public static IEnumerable<GoldenCase> WithEach(string[] valid, params string[] options)
        => options.Select(o => GoldenCase.Of([.. valid, .. o.Split(' ')]));
}
