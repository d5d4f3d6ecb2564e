using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>Every argv shape of duplicity-formats.md §6.1, and the look-alikes that are not duplicity.</summary>
public class DuplicityRecognizerTests
{
    [TestCase("/usr/bin/python3.11 /usr/bin/duplicity full --volsize 2 src7 file:///srv/t/tgt7", TestName = "Debian 12 0.8.22 package")]
    [TestCase("/usr/bin/python3 /usr/bin/duplicity --full-if-older-than 7D src file:///t", TestName = "Debian 3.x / pip console script")]
    [TestCase("/opt/venv/bin/python3 /opt/venv/bin/duplicity collection-status file:///t", TestName = "venv")]
    [TestCase("/root/.local/pipx/venvs/duplicity/bin/python /root/.local/bin/duplicity full src file:///t", TestName = "pipx")]
    [TestCase("python3 /usr/local/bin/duplicity src file:///t", TestName = "upstream script through env")]
    [TestCase("/usr/bin/python3 -m duplicity src file:///t", TestName = "python -m duplicity")]
    [TestCase("/usr/bin/python3 -B -X dev -m duplicity src file:///t", TestName = "interpreter options before -m")]
    [TestCase("/usr/bin/python3 -u /usr/bin/duplicity src file:///t", TestName = "interpreter option before the script")]
    [TestCase("/usr/bin/python3 -mduplicity src file:///t", TestName = "glued -m")]
    [TestCase("/usr/bin/duplicity src file:///t", TestName = "program named duplicity")]
    public void Recognises(string commandLine) => DuplicityRecognizer.IsDuplicity(commandLine.Split(' ')).Should().BeTrue();

    [TestCase("/usr/bin/python3 /usr/bin/rdiffdir sig src out", TestName = "rdiffdir")]
    [TestCase("/usr/bin/python3 /usr/bin/duplicity --version", TestName = "--version")]
    [TestCase("/usr/bin/python3 /usr/bin/duplicity --help", TestName = "--help")]
    [TestCase("/bin/sh -c /usr/local/bin/duplicity-backup.sh", TestName = "cron wrapper shell")]
    [TestCase("sh -c duplicity src file:///t", TestName = "sh -c with the command as words")]
    [TestCase("script -q -c duplicity /dev/null", TestName = "script")]
    [TestCase("sudo -u backup duplicity src file:///t", TestName = "sudo")]
    [TestCase("nice duplicity src file:///t", TestName = "nice (execs, so its child is the duplicity)")]
    [TestCase("/bin/bash /usr/bin/duply assets backup", TestName = "duply")]
    [TestCase("/usr/bin/python3 -c import duplicity", TestName = "python -c")]
    [TestCase("/usr/bin/python3 /usr/bin/duplicity-helper src", TestName = "other script")]
    [TestCase("/usr/bin/gpg --passphrase-fd 11 --batch --symmetric", TestName = "gpg child")]
    [TestCase("/usr/bin/python3 -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=12) --multiprocessing-fork", TestName = "3.x concurrency worker")]
    [TestCase("vim /usr/bin/duplicity", TestName = "editor on the script")]
    public void Does_not_recognise(string commandLine) => DuplicityRecognizer.IsDuplicity(commandLine.Split(' ')).Should().BeFalse();

    [Test]
    public void An_empty_argument_vector_is_not_duplicity() => DuplicityRecognizer.IsDuplicity([]).Should().BeFalse();

    [Test]
    public void The_byte_precheck_only_passes_command_lines_naming_duplicity()
    {
        DuplicityRecognizer.MayBeDuplicity("/usr/bin/python3\0/usr/bin/duplicity\0"u8).Should().BeTrue();
        DuplicityRecognizer.MayBeDuplicity("/usr/sbin/cron\0-f\0"u8).Should().BeFalse();
    }
}
