namespace Joold.Sessions;

/// <summary>The outcome of checking a container: the first problem found, where, and how many entries were whole.</summary>
public readonly record struct ContainerValidation(ContainerError Error, int Offset, int EntryCount)
{
    /// <summary>Whether the container can be forwarded (<see cref="ContainerError.None"/>).</summary>
    public bool IsValid => Error == ContainerError.None;

    /// <summary>A one-line explanation fit for a log, naming the byte offset of the problem.</summary>
    public string Describe() => Error switch
    {
        ContainerError.None => $"{EntryCount} sessions",
        ContainerError.Empty => "the container holds no session",
        ContainerError.ShortEntry => $"entry at byte {Offset} is cut short (its length is under 4 or runs past the container)",
        ContainerError.WrongLength => $"entry at byte {Offset} has a length other than {SessionContainer.EntrySize}",
        ContainerError.WrongType => $"entry at byte {Offset} is not a JNLAL_ENTRY attribute",
        ContainerError.UnknownProtocol => $"entry at byte {Offset} has protocol 3 (unknown)",
        ContainerError.UnknownTimer => $"entry at byte {Offset} has timer type 3 (unknown)",
        ContainerError.TrailingBytes => $"{EntryCount} whole sessions followed by stray bytes at byte {Offset}",
        _ => Error.ToString(),
    };
}
