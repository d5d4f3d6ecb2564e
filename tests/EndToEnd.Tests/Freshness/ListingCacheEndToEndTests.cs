using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>
/// The listing cache through the published check: a folder changed within the last 10 s is listed and not cached;
/// once settled it is cached; then it is read from the cache with the same answer as with <c>--listing-cache off</c>;
/// a new file is seen at once. Waits for the settle time once (about 11 s).
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class ListingCacheEndToEndTests
{
    private const string Check = "check_duplicity_freshness";
    private const string Now = "2024-01-05T00:00:00Z";

    [Test]
    public void A_settled_folder_is_read_from_the_cache_with_the_same_answer_and_a_change_is_seen_at_once()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "cache", "job");
        Directory.CreateDirectory(folder);
        var state = Path.Combine(dir.Path, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(folder, "duplicity-full.20240101T000000Z.manifest"), "Volume 1:\nVolume 2:\n");
        File.WriteAllText(Path.Combine(folder, "duplicity-inc.20240101T000000Z.to.20240104T000000Z.manifest"), "Volume 1:\n");
        File.WriteAllText(Path.Combine(folder, "duplicity-full-signatures.20240101T000000Z.sigtar.gz"), "");
        string[] Args(string cache) => ["-A", folder, "--now", Now, "--listing-cache", cache, "-vv"];

        var off = ProcessRun.Check(Check, Args("off"));
        off.FirstLine.Should().StartWith("DUPLICITY FRESHNESS OK - last backup 1d ago (incremental, 2024-01-04 00:00 UTC)");
        var fresh = ProcessRun.Check(Check, Args(state));
        fresh.Stdout.Should().Contain("not cached (changed within the last 10 s)");
        fresh.FirstLine.Should().Be(off.FirstLine);

        Thread.Sleep(TimeSpan.FromSeconds(11)); // the settle time, by the real clock
        ProcessRun.Check(Check, Args(state)).Stdout.Should().Contain("listing cached in " + state);
        var cached = ProcessRun.Check(Check, Args(state));
        cached.Stdout.Should().Contain("listing from the cache");
        cached.FirstLine.Should().Be(off.FirstLine);
        cached.Stdout.Split('\n')[^2].Should().Be(off.Stdout.Split('\n')[^2], "the same perfdata");

        File.WriteAllText(Path.Combine(folder, "duplicity-inc.20240104T000000Z.to.20240105T000000Z.manifest.part"), "");
        var changed = ProcessRun.Check(Check, Args(state));
        changed.Stdout.Should().Contain("listing cache miss (the folder changed)");
        changed.FirstLine.Should().Contain("1 incomplete backup set");
        changed.ExitCode.Should().Be(1);
    }
}
