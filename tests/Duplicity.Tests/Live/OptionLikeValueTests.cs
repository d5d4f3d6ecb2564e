using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Live;

namespace DuplicityChecks.Duplicity.Tests.Live;

/// <summary>
/// Issue 15 item 10: a destination that begins with '-' reached duplicity as an option (argv ended "--version").
/// Every value goes to duplicity in one word with its option; the option layer refuses such a destination as a
/// usage error (tests/Checks.Tests, the option tables of the three checks).
/// </summary>
public class OptionLikeValueTests
{
    [TestCase("-x", true)]
    [TestCase("--version", true)]
    [TestCase("file:///srv/b", false)]
    [TestCase("sftp://u@h/-p", false)]
    public void A_destination_that_begins_with_a_dash_has_a_problem(string destination, bool refused)
        => (DestinationUrl.Problem(destination) is not null).Should().Be(refused);

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
