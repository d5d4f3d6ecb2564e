using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Live;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Live;

/// <summary>
/// Issue 15 item 10: a destination that begins with '-' reached duplicity as an option (argv ended "--version").
/// It is a usage error now, and every other value goes to duplicity in one word with its option.
/// </summary>
public class OptionLikeValueTests
{
    [TestCase("-x")]
    [TestCase("--version")]
    [TestCase("--archive-dir=/tmp/x")]
    public void A_destination_option_that_begins_with_a_dash_is_a_usage_error(string destination)
    {
        var act = () => DestinationUrl.Pick(destination, null, null);
        act.Should().Throw<UsageException>().WithMessage($"--destination: '{destination}' begins with '-'*");
    }

    [Test]
    public void A_job_destination_that_begins_with_a_dash_is_a_usage_error_naming_the_job()
    {
        var act = () => DestinationUrl.Pick(null, "--version", "assets");
        act.Should().Throw<UsageException>().WithMessage("destination of [job:assets]: '--version' begins with '-'*");
    }

    [TestCase("file:///srv/b", null, "file:///srv/b")]
    [TestCase("", "sftp://u@h/p", "sftp://u@h/p")]
    [TestCase(null, "sftp://u@h/p", "sftp://u@h/p")]
    [TestCase("file:///a", "--version", "file:///a")]
    [TestCase(null, null, null)]
    public void The_option_wins_over_the_job_and_only_the_chosen_value_is_checked(string? option, string? job, string? expected)
        => DestinationUrl.Pick(option, job, "j").Should().Be(expected);

    [Test]
    public void Every_value_is_passed_in_one_word_with_its_option()
    {
        var (program, args) = new CollectionStatusInvocation("file:///srv/b", ArchiveDir: "-cache", BackupName: "--version").Command("/tmp/l/log");
        program.Should().Be(CollectionStatusInvocation.DefaultDuplicity);
        args.Should().Equal("collection-status", "--archive-dir=-cache", "--name=--version", "--log-file=/tmp/l/log", "file:///srv/b");
    }

    [Test]
    public void A_sudo_user_is_passed_in_one_word_too()
    {
        var (program, args) = new CollectionStatusInvocation("file:///srv/b", SudoUser: "-backup").Command("/tmp/l/log");
        program.Should().Be(CollectionStatusInvocation.SudoPath);
        args.Should().StartWith(["--non-interactive", "--user=-backup", "--", CollectionStatusInvocation.DefaultDuplicity, "collection-status"]);
    }

    [Test]
    public void The_invocation_itself_refuses_a_destination_that_begins_with_a_dash()
    {
        var act = () => new CollectionStatusInvocation("--version").Command("/tmp/l/log");
        act.Should().Throw<ArgumentException>();
    }
}
