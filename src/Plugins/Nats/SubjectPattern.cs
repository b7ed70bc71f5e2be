namespace Joold.Plugins.Nats;

/// <summary>NATS subject wildcards: '*' matches one token, '>' (last) matches one or more.</summary>
internal static class SubjectPattern
{
    /// <summary>
    /// Whether every subject that <paramref name="subject"/> names (it may hold '*' itself) also matches
    /// <paramref name="pattern"/>: a stream with subject <paramref name="pattern"/> stores all of them.
    /// </summary>
    public static bool Covers(string pattern, string subject)
    {
        string[] patternTokens = pattern.Split('.');
        string[] subjectTokens = subject.Split('.');
        for (int i = 0; i < patternTokens.Length; i++)
        {
            if (patternTokens[i] == ">")
            {
                return i == patternTokens.Length - 1 && subjectTokens.Length > i;
            }

            if (i >= subjectTokens.Length || subjectTokens[i] == ">")
            {
                return false;
            }

            if (patternTokens[i] != "*" && (subjectTokens[i] == "*" || patternTokens[i] != subjectTokens[i]))
            {
                return false;
            }
        }

        return patternTokens.Length == subjectTokens.Length;
    }

    /// <summary>Whether one of <paramref name="patterns"/> covers <paramref name="subject"/>.</summary>
    public static bool AnyCovers(IEnumerable<string>? patterns, string subject) =>
        patterns is not null && patterns.Any(p => Covers(p, subject));
}
