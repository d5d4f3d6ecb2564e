using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// A job file decides what the checks read (log), write (log_state_file), match (log_critical) and run (duplicity,
/// sudo_user), so nothing of it is used unless nobody but root or the user running the check can have written it:
/// not the file (group- or world-writable), not a folder on its path (writable, sticky or not), not a folder a link
/// leads through. Refused before anything is read or run, with the path and what is wrong in the first line.
/// </summary>
[Category("EndToEnd")]
public class ConfigTrustTests
{
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0755 = Mode0644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static string Job(TempDir dir, string program, string extra = "") => dir.File("jobs/jobs.ini",
        $"[job:j]\ndestination = file:///srv/none\nduplicity = {program}\n{extra}");

    /// <summary>A trusted temp dir (0755) with a stand-in duplicity that leaves a mark when it runs.</summary>
    private static (TempDir Dir, string Marker, string Program) Lab()
    {
        var dir = TempDir.InTrustedFolder();
        File.SetUnixFileMode(dir.Path, Mode0755);
        var marker = Path.Combine(dir.Path, "ran");
        return (dir, marker, dir.Script("fake-duplicity", $"#!/bin/sh\ntouch {marker}\nexit 1\n"));
    }

    private static ProcessOutcome Freshness(string ini) => Checks.Run(Checks.Freshness, ["-j", "j", "--config", ini, "-t", "10"]);

    [TestCase(0b110_110_100, "it is writable by group", "chmod g-w")]
    [TestCase(0b110_100_110, "it is writable by others", "chmod o-w")]
    [TestCase(0b110_110_110, "it is writable by group and others", "chmod go-w")]
    public void A_job_file_others_can_write_is_not_used(int mode, string problem, string fix)
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var ini = Job(dir, program);
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, Mode0755);
        File.SetUnixFileMode(ini, (UnixFileMode)mode);
        var r = Freshness(ini);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - job file {ini}: {problem}: not trusted, nothing in it is used ({fix} {ini})");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [TestCase(0b111_111_111, "group and others", "chmod go-w")]
    [TestCase(0b111_111_101, "group", "chmod g-w")]
    [TestCase(0b111_101_111, "others", "chmod o-w")]
    public void A_job_file_in_a_folder_others_can_write_is_not_used(int mode, string who, string fix)
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var ini = Job(dir, program);
        var folder = Path.GetDirectoryName(ini)!;
        File.SetUnixFileMode(ini, Mode0644);
        File.SetUnixFileMode(folder, (UnixFileMode)mode);
        var r = Freshness(ini);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {ini}: folder {folder} is writable by {who}: not trusted, nothing in it is used ({fix} {folder})");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_sticky_world_writable_folder_on_the_path_is_not_trusted_either()
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var ini = Job(dir, program);
        var folder = Path.GetDirectoryName(ini)!;
        File.SetUnixFileMode(ini, Mode0644);
        File.SetUnixFileMode(folder, Mode0755 | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit);
        var r = Freshness(ini);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"folder {folder} is writable by group and others (sticky, yet anyone can add a name to it): not trusted");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_job_file_below_tmp_is_not_used()
    {
        using var dir = new TempDir(); // /tmp/duplicity-checks-test-XXXX (0700, ours); /tmp is 1777
        var marker = Path.Combine(dir.Path, "ran");
        var ini = Job(dir, dir.Script("fake-duplicity", $"#!/bin/sh\ntouch {marker}\nexit 1\n"));
        var r = Freshness(ini);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {ini}: folder {Path.GetTempPath().TrimEnd('/')} is writable by");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_link_from_a_trusted_folder_into_a_writable_folder_is_not_followed_into_use()
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var writable = Directory.CreateDirectory(Path.Combine(dir.Path, "drop")).FullName;
        File.SetUnixFileMode(writable, (UnixFileMode)0b111_111_111);
        var real = Path.Combine(writable, "jobs.ini");
        File.WriteAllText(real, $"[job:j]\ndestination = file:///srv/none\nduplicity = {program}\n");
        File.SetUnixFileMode(real, Mode0644);
        var link = Path.Combine(dir.Path, "etc", "jobs.ini");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, "../drop/jobs.ini");
        var r = Freshness(link);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {link}: folder {writable} (reached through the link {link}) is writable by group and others: not trusted");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_link_in_a_writable_folder_to_a_trusted_file_is_not_used()
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var ini = Job(dir, program);
        File.SetUnixFileMode(ini, Mode0644);
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, Mode0755);
        var writable = Directory.CreateDirectory(Path.Combine(dir.Path, "drop")).FullName;
        File.SetUnixFileMode(writable, (UnixFileMode)0b111_111_111);
        var link = Path.Combine(writable, "jobs.ini");
        File.CreateSymbolicLink(link, ini);
        var r = Freshness(link);
        r.ExitCode.Should().Be(3, "whoever can write the link's folder chooses which file the check reads");
        r.FirstLine.Should().Contain($"job file {link}: folder {writable} is writable by group and others: not trusted");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_link_chain_through_trusted_folders_is_used()
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var ini = Job(dir, program);
        File.SetUnixFileMode(ini, Mode0644);
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, Mode0755);
        var etc = Directory.CreateDirectory(Path.Combine(dir.Path, "etc")).FullName;
        File.CreateSymbolicLink(Path.Combine(etc, "hop.ini"), "../jobs/./jobs.ini");
        var link = Path.Combine(etc, "jobs.ini");
        File.CreateSymbolicLink(link, Path.Combine(etc, "hop.ini"));
        var r = Freshness(link);
        r.ExitCode.Should().Be(3, "the stand-in fails");
        File.Exists(marker).Should().BeTrue("links that only root placed lead to a trusted file: " + r.FirstLine);
    }

    [Test]
    public void A_trusted_job_file_may_choose_the_program()
    {
        var (dir, marker, program) = Lab();
        using var _ = dir;
        var ini = Job(dir, program);
        File.SetUnixFileMode(ini, Mode0644);
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, Mode0755);
        var r = Freshness(ini);
        r.ExitCode.Should().Be(3);
        File.Exists(marker).Should().BeTrue("a root-owned 0644 file in a 0755 folder is trusted: " + r.FirstLine);
    }

    /// <summary>
    /// The attack of issue 15: a writable job file that sets log, log_state_file, log_critical=. and log_scope=new made
    /// a root run print a root-only file's lines and overwrite another file. No key of such a file is used.
    /// </summary>
    [Test]
    public void A_writable_job_file_can_neither_read_nor_write_files_through_the_log_check()
    {
        var (dir, _, _) = Lab();
        using var d = dir;
        var secret = dir.File("secret/shadow", "root:$6$SECRETHASH:19000:0:99999:7:::\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead);
        var victim = dir.File("victim/important", "keep me\n");
        var ini = dir.File("jobs/jobs.ini",
            $"[job:j]\nlog = {secret}\nlog_state_file = {victim}\nlog_critical = .\nlog_scope = new\n");
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, Mode0755);
        File.SetUnixFileMode(ini, (UnixFileMode)0b110_110_110);
        var r = Checks.Run(Checks.Log, ["-j", "j", "--config", ini, "-vvv"]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {ini}: it is writable by group and others: not trusted");
        r.Stdout.Should().NotContain("SECRETHASH");
        File.ReadAllText(victim).Should().Be("keep me\n");
    }

    [Test]
    public void A_fifo_as_job_file_is_refused_without_waiting_for_a_writer()
    {
        using var dir = TempDir.InTrustedFolder();
        var fifo = Path.Combine(dir.Path, "jobs.ini");
        ProcessRun.Run("/usr/bin/mkfifo", [fifo]).ExitCode.Should().Be(0);
        var r = Freshness(fifo);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - config {fifo} is not a regular file");
    }

    [Test]
    public void A_missing_job_file_and_a_folder_are_named()
    {
        using var dir = TempDir.InTrustedFolder();
        var missing = Path.Combine(dir.Path, "none", "jobs.ini");
        Freshness(missing).FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - config file {missing} not found");
        Freshness(dir.Path).FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - config {dir.Path} is a directory");
    }
}
