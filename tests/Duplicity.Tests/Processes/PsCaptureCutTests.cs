using System.Text;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>
/// Issue 15 item 6: a ps capture cut mid-line read as "OK - no duplicity process" (the cut took the duplicity's
/// arguments, so the line no longer named duplicity). Every real capture is cut at every byte and read as the
/// check reads <c>--ps-file</c>: a capture that ends inside a line is refused, one cut after a newline is read.
/// </summary>
public class PsCaptureCutTests
{
    private static IEnumerable<string> Captures() => Directory
        .EnumerateFiles(RepoPaths.Fixtures, "ps-eo-pid-ppid-user-lstart-etimes-args.txt", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal);

    [Test]
    public void A_capture_cut_inside_a_line_is_refused_at_every_byte()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "ps.txt");
        int cases = 0, refused = 0, duplicityLinesCut = 0, captures = 0;
        foreach (var capture in Captures())
        {
            captures++;
            var bytes = File.ReadAllBytes(capture);
            for (var k = 1; k < bytes.Length; k++)
            {
                File.WriteAllBytes(path, bytes[..k]);
                cases++;
                var act = () => PsCapture.Read(path, TimeZoneInfo.Utc);
                if (bytes[k - 1] == (byte)'\n')
                {
                    act.Should().NotThrow($"{capture} cut after a newline at byte {k} is a whole capture");
                    continue;
                }
                act.Should().Throw<CheckException>($"{capture} cut at byte {k}").WithMessage("*ends inside line*cut off*");
                refused++;
                var lineStart = Array.LastIndexOf(bytes, (byte)'\n', k - 1) + 1;
                var lineEnd = Array.IndexOf(bytes, (byte)'\n', k);
                var cutLine = Encoding.UTF8.GetString(bytes, lineStart, (lineEnd < 0 ? bytes.Length : lineEnd) - lineStart);
                if (cutLine.Contains("duplicity", StringComparison.Ordinal)) duplicityLinesCut++;
            }
        }
        TestContext.Out.WriteLine($"{captures} captures, {cases} cuts, {refused} inside a line refused ({duplicityLinesCut} inside a duplicity line)");
        captures.Should().BeGreaterThan(5);
        duplicityLinesCut.Should().BeGreaterThan(1000);
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("\n\n  \n")]
    public void An_empty_capture_is_not_proof_that_nothing_runs(string text)
    {
        using var dir = new TempDir();
        var path = dir.File("ps.txt", text);

        FluentActions.Invoking(() => PsCapture.Read(path, TimeZoneInfo.Utc)).Should().Throw<CheckException>()
            .WithMessage($"ps capture {path} is empty (no header and no process*");
    }

    [Test]
    public void A_header_alone_is_an_empty_process_table()
    {
        using var dir = new TempDir();
        var path = dir.File("ps.txt", "    PID    PPID USER     STARTED                   ELAPSED COMMAND\n");

        PsCapture.Read(path, TimeZoneInfo.Utc).Should().BeEmpty();
    }

    [Test]
    public void A_second_header_is_not_skipped()
    {
        var act = () => PsCapture.Parse(["    PID    PPID USER     STARTED ELAPSED COMMAND", "    PID    PPID USER     STARTED ELAPSED COMMAND"], TimeZoneInfo.Utc);

        act.Should().Throw<CheckException>().WithMessage("ps capture line 2 is not*");
    }
}
