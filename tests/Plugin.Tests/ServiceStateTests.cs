namespace DuplicityChecks.Plugin.Tests;

public class ServiceStateTests
{
    [TestCase(ServiceState.Critical, ServiceState.Unknown, ServiceState.Critical)]
    [TestCase(ServiceState.Unknown, ServiceState.Warning, ServiceState.Unknown)]
    [TestCase(ServiceState.Warning, ServiceState.Ok, ServiceState.Warning)]
    [TestCase(ServiceState.Ok, ServiceState.Ok, ServiceState.Ok)]
    public void Worst_state_order_is_critical_unknown_warning_ok(ServiceState a, ServiceState b, ServiceState worst)
    {
        ServiceStates.Worst(a, b).Should().Be(worst);
        ServiceStates.Worst(b, a).Should().Be(worst);
    }

    [Test]
    public void Exit_codes_are_the_enum_values()
        => new[] { (int)ServiceState.Ok, (int)ServiceState.Warning, (int)ServiceState.Critical, (int)ServiceState.Unknown }.Should().Equal(0, 1, 2, 3);

    [TestCase("ok", ServiceState.Ok)]
    [TestCase("WARNING", ServiceState.Warning)]
    [TestCase("Critical", ServiceState.Critical)]
    [TestCase("unknown", ServiceState.Unknown)]
    public void State_names_parse(string text, ServiceState state)
    {
        ServiceStates.TryParse(text, out var s).Should().BeTrue();
        s.Should().Be(state);
    }

    [Test]
    public void Unknown_names_are_refused() => ServiceStates.TryParse("fine", out _).Should().BeFalse();
}
