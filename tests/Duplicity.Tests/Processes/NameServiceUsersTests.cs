using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>
/// The default <see cref="UserDirectory"/> asks the system's user database through NSS (getpwnam_r, getpwuid_r), so
/// a user that only a directory service knows resolves: here a systemd userdb record, which /etc/passwd does not
/// hold (reading /etc/passwd, as before, found none of these).
/// </summary>
[Category("RealComponent")]
[NonParallelizable]
public class NameServiceUsersTests
{
    [Test]
    public void A_user_only_nss_knows_resolves_by_name_and_by_uid()
    {
        using var user = new NameServiceOnlyUser();
        user.InEtcPasswd.Should().BeFalse("the user must come from NSS only");
        var users = new UserDirectory();

        users.UidOf(user.Name).Should().Be(user.Uid);
        users.NameOf(user.Uid).Should().Be(user.Name);
        users.HomeOf(user.Uid).Should().Be(user.Home);
        users.Source.Should().Be("the user database (NSS)");
    }

    [Test]
    public void An_entry_larger_than_the_first_buffer_is_read_whole()
    {
        // glibc starts with 1 KiB; a 3000-character real name makes getpwnam_r answer ERANGE until the buffer grows.
        using var user = new NameServiceOnlyUser(realNameLength: 3000);

        NameServiceUsers.ByName(user.Name, out var byNameError).Should().Be(new UserEntry(user.Name, user.Uid, user.Home));
        byNameError.Should().BeNull();
        NameServiceUsers.ByUid(user.Uid, out var byUidError).Should().Be(new UserEntry(user.Name, user.Uid, user.Home));
        byUidError.Should().BeNull();
    }

    [Test]
    public void Root_and_the_files_database_still_resolve()
    {
        var users = new UserDirectory();
        users.UidOf("root").Should().Be(0);
        users.NameOf(0).Should().Be("root");
        users.HomeOf(0).Should().Be("/root");
    }

    [TestCase("no-such-user-duplicity-checks")]
    [TestCase("")]
    [TestCase("root\0x")] // a NUL would end the C string: "root" must not answer for it
    [TestCase("ROOT")]
    [TestCase("root ")]
    public void A_name_the_database_does_not_hold_is_no_user(string name)
    {
        new UserDirectory().UidOf(name).Should().BeNull();
        NameServiceUsers.ByName(name, out var error).Should().BeNull();
        error.Should().BeNull("not found is not a failed lookup");
    }

    [TestCase(-1)]
    [TestCase(59999999)]
    public void A_uid_the_database_does_not_hold_stays_a_number(int uid)
    {
        new UserDirectory().NameOf(uid).Should().BeNull();
    }
}
