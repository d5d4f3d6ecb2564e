using System.IO.Compression;
using System.Text;
using DuplicityChecks.Duplicity.ArchiveDir;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

public class ManifestVolumesTests
{
    private static int Count(string text) => ManifestVolumes.Count(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Test]
    public void Counts_the_volume_entries_of_a_cache_manifest() => Count(CacheRebuilder.ManifestText(41)).Should().Be(41);

    [Test]
    public void The_recorded_real_manifest_has_one_volume()
        => Count("Hostname vm\nLocaldir /srv/t/src\nVolume 1:\n    StartingPath   a.txt\n    EndingPath     a.txt\n    Hash SHA1 e7296dfe2b141673ac5075a2c07701f697e5b5a3\nFilelist 1\n    changed  a.txt\n")
            .Should().Be(1);

    [Test]
    public void A_resumed_backup_repeating_a_volume_counts_it_once()
        => Count("Hostname vm\nVolume 1:\nVolume 2:\nVolume 8:\nVolume 8:\nVolume 9:\n").Should().Be(4);

    [Test]
    public void File_list_first_as_in_a_manifest_synced_from_the_destination()
        => Count("Hostname vm\nFilelist 2\n    new      Volume 3: tricky name\n    changed  x\nVolume 1:\n    StartingPath   .\nVolume 2:\n").Should().Be(2);

    [TestCase("")]
    [TestCase("Hostname vm\nLocaldir /srv\n")]
    [TestCase("Volume :\nVolume x:\n Volume 1:\nvolume 2:\nVolume 3\nVolumes 4:\n")]
    public void Lines_that_are_not_volume_entries_count_nothing(string text) => Count(text).Should().Be(0);

    [Test]
    public void A_last_line_without_newline_still_counts() => Count("Volume 1:\nVolume 2:").Should().Be(2);

    [Test]
    public void Entries_across_read_buffer_boundaries_are_counted()
    {
        // A 200 KB file list first, so "Volume N:" lines straddle the 64 KiB reads at arbitrary offsets.
        var text = new StringBuilder("Filelist 5000\n");
        for (var i = 0; i < 5000; i++) text.Append("    new      some/longer/path/name-").Append(i).Append(".txt\n");
        for (var i = 1; i <= 700; i++) text.Append("Volume ").Append(i).Append(":\n    StartingPath   p").Append(i).Append('\n');
        Count(text.ToString()).Should().Be(700);
    }

    [Test]
    public void Reads_files_plain_and_gzipped_and_reports_unreadable_ones_as_null()
    {
        using var tree = new TempTree();
        var plain = tree.File_("m/duplicity-full.20261126T101346Z.manifest", CacheRebuilder.ManifestText(3));
        ManifestVolumes.Count(plain).Should().Be(3);

        var gz = Path.Combine(tree.Root, "m", "duplicity-full.20261126T101346Z.manifest.gz");
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            zip.Write(Encoding.UTF8.GetBytes(CacheRebuilder.ManifestText(5)));
        ManifestVolumes.Count(gz, gzipped: true).Should().Be(5);

        ManifestVolumes.Count(plain, gzipped: true).Should().BeNull("plain text is not gzip");
        ManifestVolumes.Count(Path.Combine(tree.Root, "nope.manifest")).Should().BeNull();
    }
}
