namespace Joold.Host.Hosting;

/// <summary>A source, sink or exporter whose start failed; the message names it and its plugin.</summary>
public sealed class ComponentStartException : Exception
{
    public ComponentStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ComponentStartException()
    {
    }

    public ComponentStartException(string message)
        : base(message)
    {
    }
}
