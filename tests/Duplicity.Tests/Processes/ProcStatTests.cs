using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Tests.Processes;

public class ProcStatTests
{
    [Test]
    public void Parses_the_fields_from_the_last_parenthesis()
    {
        var stat = ProcStat.TryParse("50 (duplicity) S 49 49 49 34816 49 4194560 7871 636 0 0 14 2 0 0 20 0 1 0 181965 116305920 8412");

        stat.Should().Be(new ProcStat(50, "duplicity", 'S', 49, 49, 49, 34816, 49, 181965));
    }

    [Test]
    public void A_command_name_with_blanks_and_parentheses_does_not_shift_the_fields()
        => ProcStat.TryParse("7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0")!.StartTicks.Should().Be(99);

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("50 (duplicity) S 49 49")]
    [TestCase("50 (duplicity) S x 49 49 34816 49 4194560 7871 636 0 0 14 2 0 0 20 0 1 0 181965")]
    [TestCase("(duplicity) S 49 49 49 34816 49 4194560 7871 636 0 0 14 2 0 0 20 0 1 0 181965")]
    [TestCase("50 duplicity) S 49 49 49 34816 49 4194560 7871 636 0 0 14 2 0 0 20 0 1 0 181965")]
    public void Truncated_or_garbled_lines_are_refused(string line) => ProcStat.TryParse(line).Should().BeNull();

    [Test]
    public void Start_time_is_boot_time_plus_ticks_exactly()
        => new ProcStat(4, "duplicity", 'R', 1, 4, 4, 0, -1, 180909).StartUtc(DateTimeOffset.FromUnixTimeSeconds(1795687443))
            .ToUnixTimeMilliseconds().Should().Be(1795689252090);

    [TestCase(34816, "/dev/pts/0")]
    [TestCase(34817, "/dev/pts/1")]
    [TestCase(1025, "/dev/tty1")]
    public void Names_terminals_from_their_device_number(int device, string name) => TerminalWait.TerminalName(device).Should().Be(name);
}
