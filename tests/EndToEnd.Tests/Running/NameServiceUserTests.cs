using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Running;

/// <summary>
/// The default build resolves users through NSS (getpwnam_r, getpwuid_r): a backup run by a user that only a
/// directory service knows (here a systemd userdb record; LDAP and SSSD answer through the same interface) is found
/// by --user NAME and shown under its name. Before, /etc/passwd was read directly and the name was UNKNOWN.
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
[NonParallelizable]
public class NameServiceUserTests
{
    private const string Check = "check_duplicity_running";

    [Test]
    public void A_backup_of_a_user_only_nss_knows_is_found_by_name()
    {
        using var user = new NameServiceOnlyUser();
        user.InEtcPasswd.Should().BeFalse();
        using var backup = new FakeDuplicityRun(user);

        var run = ProcessRun.Check(Check, "-u", user.Name, "-d", backup.Target, "-v");

        run.FirstLine.Should().StartWith($"DUPLICITY RUNNING OK - incremental backup to {backup.Target} running for ", run.Stdout);
        run.FirstLine.Should().Contain($"(PID {backup.Pid}");
        run.Stdout.Should().Contain($"PID {backup.Pid} (user {user.Name}): ", "the uid's name comes from NSS too");
        run.Stderr.Should().BeEmpty();
        run.ExitCode.Should().Be(0);

        var other = ProcessRun.Check(Check, "-u", "root", "-d", backup.Target);
        other.FirstLine.Should().StartWith($"DUPLICITY RUNNING OK - no duplicity process for {backup.Target}, user root", "the run is not root's");
    }

    [Test]
    public void A_name_no_database_holds_is_unknown()
    {
        var run = ProcessRun.Check(Check, "-u", "no-such-user-duplicity-checks");

        run.Stdout.Should().Be("DUPLICITY RUNNING UNKNOWN - --user no-such-user-duplicity-checks: no such user in the user database (NSS)\n");
        run.ExitCode.Should().Be(3);
    }
}
