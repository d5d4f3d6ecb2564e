using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Processes;

public class PsCaptureTests
{
    [Test]
    public void Reads_pid_ppid_user_start_and_args()
    {
        var entries = PsCapture.Parse(["   1574    1573 root     Thu Nov 26 10:43:00 2026       5 /usr/bin/python3 /usr/bin/duplicity  --volsize 5 src file:///t"], TimeZoneInfo.Utc);

        var e = entries.Single();
        e.Pid.Should().Be(1574);
        e.ParentPid.Should().Be(1573);
        e.User.Should().Be("root");
        e.StartUtc.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 43, 0, TimeSpan.Zero));
        e.Argv.Should().Equal("/usr/bin/python3", "/usr/bin/duplicity", "--volsize", "5", "src", "file:///t");
    }

    [Test]
    public void Reads_lstart_in_the_given_zone_and_single_digit_days()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var e = PsCapture.Parse(["  9 1 backup   Fri Nov  6 11:00:00 2026      60 /usr/bin/duplicity src file:///t"], berlin).Single();

        e.StartUtc.Should().Be(new DateTimeOffset(2026, 11, 6, 10, 0, 0, TimeSpan.Zero));
    }

    [Test]
    public void Skips_a_header_and_blank_lines_and_the_forest_markers()
    {
        var entries = PsCapture.Parse(
        [
            "    PID    PPID USER     STARTED                   ELAPSED COMMAND",
            "",
            "   1573    1572 root     Thu Nov 26 10:43:00 2026       0      \\_ /bin/sh -c x",
            "   1574    1573 root     Thu Nov 26 10:43:00 2026       0          \\_ /usr/bin/python3 /usr/bin/duplicity src file:///t",
        ], TimeZoneInfo.Utc);

        entries.Select(e => e.Argv[0]).Should().Equal("/bin/sh", "/usr/bin/python3");
    }

    [Test]
    public void The_absurd_etimes_ps_prints_for_itself_is_accepted()
        => PsCapture.Parse(["     18       1 root     Thu Nov 26 10:42:20 2026 4123168608 ps -eo pid,ppid,user,lstart,etimes,args --no-headers"], TimeZoneInfo.Utc)
            .Single().Pid.Should().Be(18);

    [TestCase("garbage")]
    [TestCase("   1574    1573 root     Thu Nov 26 10:43")]
    [TestCase("   1574    1573 root     Thu Nov 26 25:43:00 2026       5 duplicity")]
    [TestCase("   1574    1573 root     Thu Nov 26 10:43:00 2026      -5 duplicity")]
    [TestCase("   1574 root Thu Nov 26 10:43:00 2026 5 /usr/bin/duplicity src file:///t")]
    [TestCase("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND")]
    public void A_line_of_another_shape_makes_the_capture_unknown(string line)
    {
        var act = () => PsCapture.Parse(["      1       0 root     Thu Nov 26 10:42:20 2026      40 /bin/bash x", line], TimeZoneInfo.Utc);

        act.Should().Throw<CheckException>().WithMessage("ps capture line 2 is not 'ps -eo pid,ppid,user,lstart,etimes,args' output*");
    }

    [Test]
    public void Ps_aux_output_is_refused_rather_than_misread()
    {
        var path = Path.Combine(ProcFixtures.PsDuringBackup, "01-duplicity-started-holds-lock", "ps-aux.txt");

        var act = () => PsCapture.Read(path, TimeZoneInfo.Utc);

        act.Should().Throw<CheckException>().WithMessage("ps capture * line 1 is not*");
    }

    [Test]
    public void A_missing_file_is_unknown_with_its_name()
        => FluentActions.Invoking(() => PsCapture.Read("/nonexistent/ps.txt")).Should().Throw<CheckException>().WithMessage("cannot read ps capture /nonexistent/ps.txt*");

    [Test]
    public void Users_cut_by_ps_match_the_full_name()
    {
        var e = PsCapture.Parse(["  9 1 govuk-b+ Thu Nov 26 10:43:00 2026 5 /usr/bin/duplicity src file:///t"], TimeZoneInfo.Utc).Single();
        var p = new DuplicityProcess(e, DuplicityArguments.Parse(e.Argv), null, false, new LockStatus(LockState.Unknown, null), [], null);

        new ProcessFilter(User: "govuk-backup").Matches(p).Should().BeTrue();
        new ProcessFilter(User: "govuk-build").Matches(p).Should().BeTrue("ps cuts both to govuk-b+: the capture cannot tell them apart");
        new ProcessFilter(User: "root").Matches(p).Should().BeFalse();
    }
}
