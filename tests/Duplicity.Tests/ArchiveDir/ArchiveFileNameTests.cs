using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

public class ArchiveFileNameTests
{
    private static readonly DateTimeOffset T1 = new(2026, 11, 26, 10, 13, 46, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = new(2026, 11, 26, 10, 14, 22, TimeSpan.Zero);

    private static ArchiveFileName Parsed(string name)
    {
        ArchiveFileName.TryParse(name, out var result).Should().BeTrue($"'{name}' is a duplicity file name");
        return result;
    }

    [Test]
    public void Full_manifest_in_the_cache()
    {
        var n = Parsed("duplicity-full.20261126T101346Z.manifest");
        n.Should().Be(new ArchiveFileName(ArchiveFileKind.Manifest, BackupSetType.Full, T1, null, null,
            Partial: false, Encrypted: false, Compressed: false, ShortName: false, PrefixLength: 0));
    }

    [Test]
    public void Partial_full_manifest_of_a_running_or_killed_backup()
    {
        var n = Parsed("duplicity-full.20261126T101346Z.manifest.part");
        (n.Kind, n.Type, n.Time, n.Partial).Should().Be((ArchiveFileKind.Manifest, BackupSetType.Full, T1, true));
    }

    [Test]
    public void Incremental_manifest_carries_start_and_end()
    {
        var n = Parsed("duplicity-inc.20261126T101346Z.to.20261126T101422Z.manifest.part");
        (n.Kind, n.Type, n.StartTime, n.Time, n.Partial).Should().Be((ArchiveFileKind.Manifest, BackupSetType.Incremental, T1, T2, true));
        n.SetKey.Should().Be((BackupSetType.Incremental, (DateTimeOffset?)T1, T2));
    }

    [TestCase("duplicity-full.20261126T101346Z.manifest.gpg", true, false)]
    [TestCase("duplicity-full.20261126T101346Z.manifest.gz", false, true)]
    [TestCase("duplicity-full.20261126T101346Z.manifest.p7m", true, false)]
    [TestCase("duplicity-full.20261126T101346Z.manifest", false, false)]
    public void Suffix_says_encrypted_or_compressed(string name, bool encrypted, bool compressed)
    {
        var n = Parsed(name);
        (n.Encrypted, n.Compressed).Should().Be((encrypted, compressed));
    }

    [Test]
    public void Volumes_carry_their_number()
    {
        var full = Parsed("duplicity-full.20261126T101346Z.vol12.difftar.gpg");
        (full.Kind, full.Type, full.Volume, full.Encrypted).Should().Be((ArchiveFileKind.Volume, BackupSetType.Full, 12, true));
        var inc = Parsed("duplicity-inc.20261126T101346Z.to.20261126T101422Z.vol3.difftar.gz");
        (inc.Kind, inc.Type, inc.StartTime, inc.Time, inc.Volume, inc.Compressed).Should().Be((ArchiveFileKind.Volume, BackupSetType.Incremental, T1, T2, 3, true));
    }

    [Test]
    public void Signatures_full_and_new()
    {
        var full = Parsed("duplicity-full-signatures.20261126T101346Z.sigtar.gz");
        (full.Kind, full.Type, full.Time, full.Compressed, full.Partial).Should().Be((ArchiveFileKind.Signature, BackupSetType.Full, T1, true, false));
        var partial = Parsed("duplicity-full-signatures.20261126T101346Z.sigtar.part");
        (partial.Kind, partial.Partial).Should().Be((ArchiveFileKind.Signature, true));
        var inc = Parsed("duplicity-new-signatures.20261126T101346Z.to.20261126T101422Z.sigtar.gpg");
        (inc.Kind, inc.Type, inc.StartTime, inc.Time, inc.Encrypted).Should().Be((ArchiveFileKind.Signature, BackupSetType.Incremental, T1, T2, true));
    }

    [Test]
    public void Jsonstat_files_of_2_1_and_later()
    {
        var full = Parsed("duplicity-full.20261126T101346Z.jsonstat.gz");
        (full.Kind, full.Type, full.Time).Should().Be((ArchiveFileKind.JsonStat, BackupSetType.Full, T1));
        var inc = Parsed("duplicity-inc.20261126T101346Z.to.20261126T101422Z.jsonstat.part");
        (inc.Kind, inc.Type, inc.StartTime, inc.Time, inc.Partial).Should().Be((ArchiveFileKind.JsonStat, BackupSetType.Incremental, T1, T2, true));
    }

    [TestCase("host1-duplicity-full.20261126T101346Z.manifest", 6)]
    [TestCase("m_duplicity-full.20261126T101346Z.manifest", 2)]
    [TestCase("duplicity-x-duplicity-full.20261126T101346Z.manifest", 12)]
    [TestCase(".hidden.duplicity-full.20261126T101346Z.manifest", 8)]
    public void File_prefixes_are_skipped(string name, int prefixLength)
    {
        var n = Parsed(name);
        (n.Kind, n.Time, n.PrefixLength).Should().Be((ArchiveFileKind.Manifest, T1, prefixLength));
    }

    [Test]
    public void Lower_case_stamps_are_accepted_as_upstream_upper_cases_them()
        => Parsed("duplicity-full.20261126t101346z.manifest").Time.Should().Be(T1);

    [TestCase("duplicity-full.2008-05-04T10:11:12+02:00.vol1.difftar.gpg", "2008-05-04T08:11:12Z")]
    [TestCase("duplicity-full.2008-05-04T10:11:12Z.manifest", "2008-05-04T10:11:12Z")]
    [TestCase("duplicity-full.2008-05-04T10.11.12-05.30.manifest.gpg", "2008-05-04T15:41:12Z")]
    [TestCase("duplicity-inc.2008-05-04T10_11_12+02_00.to.2008-05-05T10_11_12+02_00.manifest", "2008-05-05T08:11:12Z")]
    public void Old_format_is_local_time_with_its_offset(string name, string utc)
        => Parsed(name).Time.Should().Be(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

    [Test]
    public void Old_format_start_time_of_an_incremental()
        => Parsed("duplicity-inc.2008-05-04T10:11:12+02:00.to.2008-05-05T10:11:12+02:00.manifest").StartTime
            .Should().Be(new DateTimeOffset(2008, 5, 4, 8, 11, 12, TimeSpan.Zero));

    [Test]
    public void Days_past_the_end_of_a_month_roll_over_like_timegm()
        => Parsed("duplicity-full.20261131T000000Z.manifest").Time.Should().Be(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    private static string B36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var s = "";
        do
        {
            s = digits[(int)(value % 36)] + s;
            value /= 36;
        } while (value > 0);
        return s;
    }

    [Test]
    public void Short_names_use_base36_epoch_seconds()
    {
        var t1 = B36(T1.ToUnixTimeSeconds());
        var t2 = B36(T2.ToUnixTimeSeconds());

        var m = Parsed($"df.{t1}.m");
        (m.Kind, m.Type, m.Time, m.ShortName, m.Partial).Should().Be((ArchiveFileKind.Manifest, BackupSetType.Full, T1, true, false));

        var vol = Parsed($"df.{t1}.{B36(37)}.dt.g");
        (vol.Kind, vol.Volume, vol.Encrypted).Should().Be((ArchiveFileKind.Volume, 37, true));

        var incPart = Parsed($"di.{t1}.{t2}.m.p");
        (incPart.Kind, incPart.Type, incPart.StartTime, incPart.Time, incPart.Partial).Should().Be((ArchiveFileKind.Manifest, BackupSetType.Incremental, T1, T2, true));

        var incVol = Parsed($"di.{t1}.{t2}.2.dt.z");
        (incVol.Kind, incVol.Volume, incVol.Compressed).Should().Be((ArchiveFileKind.Volume, 2, true));

        var sig = Parsed($"dfs.{t1}.st.z");
        (sig.Kind, sig.Type, sig.Time).Should().Be((ArchiveFileKind.Signature, BackupSetType.Full, T1));

        var newSig = Parsed($"dns.{t1}.{t2}.st.p");
        (newSig.Kind, newSig.Type, newSig.StartTime, newSig.Time, newSig.Partial).Should().Be((ArchiveFileKind.Signature, BackupSetType.Incremental, T1, T2, true));

        var jst = Parsed($"dfst.{t1}.jst");
        (jst.Kind, jst.Type, jst.Time).Should().Be((ArchiveFileKind.JsonStat, BackupSetType.Full, T1));

        var ijst = Parsed($"dist.{t1}.to.{t2}.jst.z");
        (ijst.Kind, ijst.Type, ijst.StartTime, ijst.Time).Should().Be((ArchiveFileKind.JsonStat, BackupSetType.Incremental, T1, T2));
    }

    [TestCase("")]
    [TestCase("lockfile")]
    [TestCase("lockfile.lock")]
    [TestCase("progress")]
    [TestCase("duplicity-full.manifest")]
    [TestCase("duplicity-full.20261126T101346Z")]
    [TestCase("duplicity-full.20261126T101346Z.")]
    [TestCase("duplicity-full.2026112T101346Z.manifest")]
    [TestCase("duplicity-full.20261326T101346Z.manifest")]
    [TestCase("duplicity-full.18991126T101346Z.manifest")]
    [TestCase("duplicity-full.20261126T251346Z.manifest")]
    [TestCase("duplicity-full.20261126X101346Z.manifest")]
    [TestCase("duplicity-full.20261126T101346Z.manifest.bak")]
    [TestCase("duplicity-full.20261126T101346Z.manifest.gpg.part")]
    [TestCase("duplicity-full.20261126T101346Z.manifest~")]
    [TestCase("duplicity-inc.20261126T101346Z.manifest")]
    [TestCase("duplicity-inc.20261126T101346Z.to.manifest")]
    [TestCase("duplicity-full.20261126T101346Z.vol.difftar")]
    [TestCase("duplicity-full.20261126T101346Z.volx.difftar")]
    [TestCase("duplicity-full.20261126T101346Z.sigtar")]
    [TestCase("duplicity-full-signatures.20261126T101346Z.manifest")]
    [TestCase("duplicity-fulls.20261126T101346Z.manifest")]
    [TestCase("duplicity-full.2008-05-04T10:11:12+2:00.manifest")]
    [TestCase("duplicity-full.2008-05-04T10:11-12+02:00.manifest")]
    [TestCase("DUPLICITY-full.20261126T101346Z.manifest")]
    [TestCase("df.m")]
    [TestCase("df..m")]
    [TestCase("df.XYZ.m")]
    [TestCase("df.0.m")]
    [TestCase("df.abc.x")]
    [TestCase("df.abc.m.q")]
    [TestCase("di.abc.m")]
    [TestCase("dfs.abc")]
    [TestCase("x-df.abc.m")]
    [TestCase("notes.txt")]
    public void Garbage_is_not_a_duplicity_file(string name)
    {
        ArchiveFileName.TryParse(name, out _).Should().BeFalse();
        ArchiveFileName.Parse(name).Should().BeNull();
    }

    [Test]
    public void Format_writes_the_file_name_stamp() => DuplicityTime.Format(T1).Should().Be("20261126T101346Z");

    [Test]
    public void Every_name_in_every_recorded_listing_is_understood_or_a_known_other_file()
    {
        var names = Directory.EnumerateFiles(TestSupport.RepoPaths.Fixtures, "ls-*.txt", SearchOption.AllDirectories)
            .SelectMany(CacheListing.FileNamesIn)
            .Distinct()
            .ToList();
        names.Should().HaveCountGreaterThan(200, "the fixtures list destinations and caches of six versions");
        var unknown = names.Where(n => !ArchiveFileName.TryParse(n, out _) && n != "lockfile").ToList();
        unknown.Should().BeEmpty();
    }
}
