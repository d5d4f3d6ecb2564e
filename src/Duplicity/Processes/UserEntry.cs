namespace DuplicityChecks.Duplicity.Processes;

/// <summary>What the checks use of a user's entry: never its password field.</summary>
public readonly record struct UserEntry(string Name, int Uid, string Home);
