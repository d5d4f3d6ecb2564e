using System.Text;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

public class StatusFileReaderTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("status-file-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void A_missing_file_is_refused_naming_the_path()
    {
        var path = Path.Combine(_directory, "nope.txt");

        FluentActions.Invoking(() => StatusFileReader.Read(path, TimeZoneInfo.Utc))
            .Should().Throw<CheckException>().WithMessage($"cannot read the status file {path}: no such file");
    }

    [Test]
    public void A_directory_is_refused_naming_the_path()
        => FluentActions.Invoking(() => StatusFileReader.Read(_directory, TimeZoneInfo.Utc))
            .Should().Throw<CheckException>().WithMessage($"cannot read the status file {_directory}: it is a directory");

    [Test]
    public void An_unreadable_file_is_refused_with_permission_denied()
    {
        Assume.That(Environment.UserName, Is.Not.EqualTo("root"), "root reads files whatever their mode");
        var path = Write("secret.txt", "x");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.None);

        FluentActions.Invoking(() => StatusFileReader.Read(path, TimeZoneInfo.Utc))
            .Should().Throw<CheckException>().WithMessage($"cannot read the status file {path}: permission denied");
    }

    [Test]
    public void The_machine_form_is_detected_even_after_leading_blank_lines()
    {
        var path = Write("log.txt", "\n\nNOTICE 1\n. Last full backup date: none\n\nINFO 3 \nchain-complete\n full 20261126T101339Z 3 enc\norphaned-sets-num 0\nincomplete-sets-num 0\n\n");

        var c = StatusFileReader.Read(path, TimeZoneInfo.Utc);

        c.Source.Should().Be(BackupSourceKind.MachineLog);
        c.SourceDescription.Should().Be(path);
        c.Chains.Should().ContainSingle();
    }

    [Test]
    public void The_text_form_is_read_in_the_given_zone()
    {
        var sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");
        var text = "Last full backup date: Thu Nov 26 21:12:33 2026\nCollection Status\n-----------------\n\nFound 0 secondary backup chain(s).\n\n"
                   + "Found primary backup chain with matching signature chain:\n-------------------------\nChain start time: Thu Nov 26 21:12:33 2026\n"
                   + "Chain end time: Thu Nov 26 21:12:33 2026\nNumber of contained backup sets: 1\nTotal number of contained volumes: 3\n"
                   + " Type of backup set:                            Time:      Num volumes:\n                Full         Thu Nov 26 21:12:33 2026                 3\n"
                   + "-------------------------\nNo orphaned or incomplete backup sets found.\n";

        var c = StatusFileReader.Parse(new StringReader(text), sydney, "stdin", name: "job");

        c.Source.Should().Be(BackupSourceKind.StatusText);
        c.Name.Should().Be("job");
        c.Chains[0].Sets[0].Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 33, TimeSpan.Zero));
    }

    [Test]
    public void Ten_thousand_sets_stream_through_both_forms()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var machine = new StringBuilder("INFO 3 \nbackend BackendWrapper\narchive-dir (. dir)\nchain-complete\n");
        var rows = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            var t = start.AddMinutes(37 * i);
            machine.Append(i == 0 ? " full " : " inc ").Append(DuplicityTime.Format(t)).Append(" 1 enc\n");
            rows.Append(i == 0 ? "                Full   " : "         Incremental   ")
                .Append(t.ToString("ddd MMM d HH:mm:ss yyyy", System.Globalization.CultureInfo.InvariantCulture).PadLeft(30)).Append("                 1\n");
        }
        machine.Append("orphaned-sets-num 0\nincomplete-sets-num 0\n\n");
        var end = start.AddMinutes(37 * 9_999);
        var text = "Collection Status\n-----------------\n\nFound 0 secondary backup chain(s).\n\nFound primary backup chain with matching signature chain:\n-------------------------\n"
                   + $"Chain start time: {start:ddd MMM d HH:mm:ss yyyy}\nChain end time: {end:ddd MMM d HH:mm:ss yyyy}\nNumber of contained backup sets: 10000\n"
                   + "Total number of contained volumes: 10000\n Type of backup set:                            Time:      Num volumes:\n"
                   + rows + "-------------------------\nNo orphaned or incomplete backup sets found.\n";

        var fromMachine = StatusFileReader.Read(Write("big.log", machine.ToString()), TimeZoneInfo.Utc);
        var fromText = StatusFileReader.Read(Write("big.txt", text), TimeZoneInfo.Utc);

        fromMachine.BackupSets.Should().Be(10_000);
        fromText.Chains[0].Sets.Select(s => s.Time).Should().Equal(fromMachine.Chains[0].Sets.Select(s => s.Time));
        fromText.LastCompleteBackup!.Time.Should().Be(end);
    }
}
