using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.ArchiveDir.Cache;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// Issue 15, item 1, for the freshness check's listing cache in the state directory: root writes nothing into the
/// monitoring user's directory (a planted <c>archive-HASH.listing.PID.tmp</c> link overwrote a root-only file), reads
/// only its owner's or root's cache files, follows no link; and item 8: a cache file is read up to its limit only.
/// Run as root; ignored otherwise.
/// </summary>
public class ListingCacheTrapTests
{
    private TrapTree _tree = null!;
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        if (!TrapTree.IsRoot) Assert.Ignore("the trap is for a check run by root");
        _tree = new TrapTree();
        _folder = Path.Combine(_tree.Root, "cache", "job");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "duplicity-full.20240101T000000Z.manifest"), CacheRebuilder.ManifestText(2));
        File.WriteAllText(Path.Combine(_folder, "duplicity-full-signatures.20240101T000000Z.sigtar.gz"), "");
    }

    [TearDown]
    public void TearDown() => _tree?.Dispose();

    // Stamps count as settled when the clock is an hour ahead: the folder was made just now.
    private ListingCache Cache() => new(_tree.State, clock: () => DateTimeOffset.UtcNow.AddHours(1));

    private ArchiveDirBackup Scan(ListingCache cache) => ArchiveDirScanner.ScanFolder(_folder, "job", "/nonexistent-proc", cache: cache);

    private bool Hit(ListingCache cache) => cache.TryLoad(_folder, FileStamp.Of(_folder)!.Value, "job", VolumeCounting.PrimaryChain) is not null;

    [Test]
    public void Root_writes_nothing_into_the_monitoring_users_directory_even_through_a_planted_temporary_name()
    {
        _tree.GiveStateToUnprivileged();
        var cache = Cache();
        _tree.Plant(Path.GetFileName(cache.PathFor(_folder)) + $".{Environment.ProcessId}.tmp", _tree.Secret);
        var before = _tree.Entries();
        var secret = _tree.SecretContent;

        Scan(cache).Collection.Volumes.Should().Be(2);

        _tree.SecretContent.Should().Be(secret, "a root-only file is not written through a link");
        _tree.Entries().Should().Equal(before, "root creates nothing in another user's directory");
    }

    [Test]
    public void Root_reads_a_cache_file_of_the_directorys_owner()
    {
        var cache = Cache();
        Scan(cache);
        File.Exists(cache.PathFor(_folder)).Should().BeTrue("root's own directory: cached");
        TrapTree.Chown(cache.PathFor(_folder));
        _tree.GiveStateToUnprivileged();
        Hit(cache).Should().BeTrue("the owner's cache file is read");
    }

    [Test]
    public void A_cache_file_of_another_user_is_not_read()
    {
        var cache = Cache();
        Scan(cache);
        TrapTree.Chown(cache.PathFor(_folder));
        Hit(cache).Should().BeFalse("the directory is root's, the file another user's");
    }

    [Test]
    public void Root_on_its_own_directory_never_writes_through_a_planted_temporary_name()
    {
        var cache = Cache();
        _tree.Plant(Path.GetFileName(cache.PathFor(_folder)) + $".{Environment.ProcessId}.tmp", _tree.Secret);
        var secret = _tree.SecretContent;
        Scan(cache);
        _tree.SecretContent.Should().Be(secret);
        Hit(cache).Should().BeTrue("the entry was written beside the planted link");
    }

    [Test]
    public void A_cache_file_that_is_a_link_is_not_followed_and_is_replaced_by_a_regular_file()
    {
        var cache = Cache();
        var path = cache.PathFor(_folder);
        _tree.Plant(Path.GetFileName(path), _tree.Secret);
        var secret = _tree.SecretContent;
        Hit(cache).Should().BeFalse();
        Scan(cache);
        _tree.SecretContent.Should().Be(secret, "the rename replaces the link, it does not write through it");
        new FileInfo(path).LinkTarget.Should().BeNull();
        Hit(cache).Should().BeTrue();
    }

    [Test]
    public void A_cache_file_linked_to_dev_zero_is_a_miss()
    {
        var cache = Cache();
        _tree.Plant(Path.GetFileName(cache.PathFor(_folder)), "/dev/zero");
        Hit(cache).Should().BeFalse();
        Scan(cache).Collection.Volumes.Should().Be(2);
    }

    [Test]
    public void A_cache_file_larger_than_its_limit_is_a_miss_and_is_replaced()
    {
        var cache = Cache();
        var path = cache.PathFor(_folder);
        using (var f = File.Create(path)) f.SetLength(ListingCacheFormat.MaxLength + 1L);
        Hit(cache).Should().BeFalse();
        Scan(cache);
        new FileInfo(path).Length.Should().BeLessThan(ListingCacheFormat.MaxLength);
        Hit(cache).Should().BeTrue();
    }
}
