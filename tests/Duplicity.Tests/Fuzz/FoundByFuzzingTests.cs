using System.Text;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Fuzz;

/// <summary>What the bugs afl found (Crashes/) must do now, stated plainly; the replay only says "no crash".</summary>
public class FoundByFuzzingTests
{
    // Crashes/collection-status/11f6c0f419139f13: "INFO " and U+07C3 NKO DIGIT THREE. The stanza pattern's \d took it
    // for a message code and int.Parse threw FormatException (an internal error instead of UNKNOWN).
    [Test]
    public void A_machine_log_code_in_other_digits_is_no_stanza()
    {
        MachineLogReader.IsStanzaStart("INFO \u07C3").Should().BeFalse();
        MachineLogReader.Read(new StringReader("INFO \u07C3\n. text\n\nINFO 3\n. text\n\n")).Select(s => s.Code)
            .Should().Equal(3);
    }

    [Test]
    public void A_collection_status_of_only_such_a_line_is_refused()
    {
        var parse = () => StatusFileReader.Parse(new StringReader(Encoding.UTF8.GetString([.. "INFO "u8, 0xDF, 0x83])), TimeZoneInfo.Utc, "fuzz");
        parse.Should().Throw<CheckException>();
    }
}
