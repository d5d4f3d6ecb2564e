namespace DuplicityChecks.TestSupport;

/// <summary>Where the repository, ../shared/fixtures and the published executables (dist/) are.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Checks.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Checks.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootLazy.Value;

    /// <summary>../shared next to the checkout (CI has it beside its clone too); DUPLICITY_CHECKS_SHARED overrides.</summary>
    public static string Shared => Environment.GetEnvironmentVariable("DUPLICITY_CHECKS_SHARED") is { Length: > 0 } s
        ? s
        : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Fixtures => Path.Combine(Shared, "fixtures");

    /// <summary>The published Native AOT executables; DUPLICITY_CHECKS_DIST overrides.</summary>
    public static string Dist => Environment.GetEnvironmentVariable("DUPLICITY_CHECKS_DIST") is { Length: > 0 } d
        ? d
        : Path.Combine(Root, "dist");

    public static string Executable(string name) => Path.Combine(Dist, name);

    /// <summary>
    /// The opt-in static build (packaging/publish.sh --static DIST/static, as tests/run-tests.sh publishes it);
    /// DUPLICITY_CHECKS_STATIC_DIST overrides.
    /// </summary>
    public static string StaticDist => Environment.GetEnvironmentVariable("DUPLICITY_CHECKS_STATIC_DIST") is { Length: > 0 } d
        ? d
        : Path.Combine(Dist, "static");

    public static string StaticExecutable(string name) => Path.Combine(StaticDist, name);

    public static IEnumerable<string> VersionDirectories =>
        Directory.EnumerateDirectories(Fixtures, "duplicity-*").OrderBy(d => d, StringComparer.Ordinal);

    public static string VersionOf(string versionDirectory) => Path.GetFileName(versionDirectory)["duplicity-".Length..];
}
