using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Tests.Processes;

public class DuplicityArgumentsTests
{
    private static DuplicityArguments Parse(string args) => DuplicityArguments.Parse(("/usr/bin/python3 /usr/bin/duplicity " + args).Split(' '));

    [TestCase("full --volsize 2 src file:///t", "full", false, "file:///t")]
    [TestCase("--full-if-older-than 7D --archive-dir /c --volsize 5 /srv/src file:///t", "backup", true, "file:///t")]
    [TestCase("incremental src sftp://u@h/p", "incremental", false, "sftp://u@h/p")]
    [TestCase("inc src file:///t", "incremental", false, "file:///t")]
    [TestCase("incr src file:///t", "incremental", false, "file:///t")]
    [TestCase("fb src file:///t", "full", false, "file:///t")]
    [TestCase("bu src file:///t", "backup", false, "file:///t")]
    [TestCase("backup src file:///t", "backup", false, "file:///t")]
    [TestCase("collection-status file:///t", "collection-status", false, "file:///t")]
    [TestCase("coll --log-fd 3 file:///t", "collection-status", false, "file:///t")]
    [TestCase("st file:///t", "collection-status", false, "file:///t")]
    [TestCase("cleanup --force file:///t", "cleanup", false, "file:///t")]
    [TestCase("remove-older-than 30D --force file:///t", "remove-older-than", false, "file:///t")]
    [TestCase("remove-all-but-n-full 2 --force file:///t", "remove-all-but-n-full", false, "file:///t")]
    [TestCase("remove-all-inc-of-but-n-full 1 --force file:///t", "remove-all-inc-of-but-n-full", false, "file:///t")]
    [TestCase("restore file:///t /srv/restore", "restore", false, "file:///t")]
    [TestCase("file:///t /srv/restore", "restore", true, "file:///t")]
    [TestCase("-t 2D file:///t /srv/restore", "restore", true, "file:///t")]
    [TestCase("verify --compare-data file:///t /srv/src", "verify", false, "file:///t")]
    [TestCase("list-current-files file:///t", "list-current-files", false, "file:///t")]
    [TestCase("replicate file:///a file:///b", "replicate", false, "file:///b")]
    [TestCase("-v8 --exclude /srv/src/full --name full /srv/src pexpect+sftp://h//p", "backup", true, "pexpect+sftp://h//p")]
    [TestCase("--verbosity=info --gpg-options --compress-algo=zlib src boto3+s3://bucket/p", "backup", true, "boto3+s3://bucket/p")]
    [TestCase("--rename a b src file:///t", "backup", true, "file:///t")]
    [TestCase("--s3-use-ia --s3-region-name eu-west-1 src s3://bucket/x", "backup", true, "s3://bucket/x")]
    [TestCase("-- src file:///t", "backup", true, "file:///t")]
    public void Finds_action_and_target(string args, string action, bool isImplicit, string target)
    {
        var parsed = Parse(args);

        parsed.Action.Should().Be(action);
        parsed.ActionIsImplicit.Should().Be(isImplicit);
        parsed.Target.Should().Be(target);
    }

    [Test]
    public void An_ambiguous_or_missing_action_is_not_guessed()
    {
        Parse("re file:///t").Action.Should().BeNull("re could be remove-* or restore, which duplicity refuses too");
        Parse("--archive-dir /c").Target.Should().BeNull();
        Parse("--archive-dir /c").Describe().Should().Be("duplicity (action unknown) on (no target URL)");
    }

    [Test]
    public void Passwords_in_the_target_are_masked_but_the_default_name_hashes_the_url_as_typed()
    {
        var parsed = Parse("src sftp://backup:s3cr3t@host.example.org/srv/b");

        parsed.Target.Should().Be("sftp://backup:***@host.example.org/srv/b");
        parsed.Describe().Should().NotContain("s3cr3t");
        // printf '%s' 'sftp://backup:s3cr3t@host.example.org/srv/b' | md5sum
        parsed.BackupName.Should().Be(Md5("sftp://backup:s3cr3t@host.example.org/srv/b"));
    }

    [Test]
    public void The_default_backup_name_is_md5_of_the_url_as_duplicity_uses_it()
        // The folder duplicity created in the 0.8.22 capture (facts.json holds_lock).
        => Parse("--archive-dir /var/cache/duplicity-live /srv/backup/big file:///var/backups/live-proc").BackupName.Should().Be("96f201a7c9afd8d7703c3c84e235194f");

    [Test]
    public void Archive_dir_and_name_are_read_in_both_spellings()
    {
        var parsed = Parse("--archive-dir=/data/cache --name assets src file:///t");

        parsed.ArchiveDir.Should().Be("/data/cache");
        parsed.Name.Should().Be("assets");
        parsed.BackupName.Should().Be("assets");
        parsed.Source.Should().Be("src");
    }

    [TestCase("full src file:///t", "full backup to file:///t")]
    [TestCase("incremental src file:///t", "incremental backup to file:///t")]
    [TestCase("src file:///t", "backup to file:///t")]
    [TestCase("cleanup file:///t", "cleanup of file:///t")]
    [TestCase("file:///t /srv/r", "restore from file:///t")]
    public void Describes_the_run_for_a_summary(string args, string text) => Parse(args).Describe().Should().Be(text);

    private static string Md5(string s) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
}
