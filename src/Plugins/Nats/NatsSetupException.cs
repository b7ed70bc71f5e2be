namespace Joold.Plugins.Nats;

/// <summary>The servers answered, but the stream or the consumer cannot serve this gateway as configured.</summary>
public sealed class NatsSetupException : Exception
{
    public NatsSetupException()
    {
    }

    public NatsSetupException(string message)
        : base(message)
    {
    }

    public NatsSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
