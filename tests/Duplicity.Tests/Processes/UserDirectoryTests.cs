using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Processes;

public class UserDirectoryTests
{
    private const string Passwd = """
        root:x:0:0:root:/root:/bin/bash
        govuk-backup:x:1001:1001:Backups,,,:/var/lib/govuk-backup:/usr/sbin/nologin
        broken line without fields
        :x:1002:1002::/nowhere:/bin/sh
        notanumber:x:12a:1::/x:/bin/sh
        duplicate:x:1001:1001::/elsewhere:/bin/sh
        root:x:4711:4711:a second root line:/x:/bin/sh
        """;

    [Test]
    public void Names_and_homes_come_from_the_file_and_malformed_lines_are_skipped()
    {
        using var dir = new TempDir();
        var users = new UserDirectory(dir.File("passwd", Passwd));

        users.NameOf(0).Should().Be("root");
        users.NameOf(1001).Should().Be("govuk-backup", "the first line for a uid wins");
        users.HomeOf(1001).Should().Be("/var/lib/govuk-backup");
        users.NameOf(1002).Should().BeNull("a line without a name names nobody");
        users.UidOf("govuk-backup").Should().Be(1001);
        users.UidOf("duplicate").Should().Be(1001, "a second name for a uid is still a user");
        users.UidOf("root").Should().Be(0, "the first line for a name wins");
        users.UidOf("notanumber").Should().BeNull("its uid is not a number");
        users.UidOf("govuk").Should().BeNull("names are compared whole");
        users.UidOf("").Should().BeNull();
    }

    [Test]
    public void A_missing_file_knows_no_user()
    {
        using var dir = new TempDir();
        var users = new UserDirectory(Path.Combine(dir.Path, "missing"));

        users.UidOf("root").Should().BeNull();
        users.NameOf(0).Should().BeNull();
    }
}
