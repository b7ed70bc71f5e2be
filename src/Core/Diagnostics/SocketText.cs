using System.Net;
using System.Net.Sockets;

namespace Joold.Diagnostics;

/// <summary>How socket errors and socket addresses read in log lines and operator errors.</summary>
public static class SocketText
{
    /// <summary>The system's text for the error, starting lower case so it reads inside a sentence ("address already in use").</summary>
    public static string Describe(SocketException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            // EADDRNOTAVAIL's own text ("cannot assign requested address") does not say what is wrong with the address.
            return "address not available (no interface of this host has it)";
        }

        string message = exception.Message;
        return message.Length > 1 && char.IsUpper(message[0]) && char.IsLower(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;
    }

    /// <summary>A socket address as "address:port"; allocates, so only for messages that are actually logged.</summary>
    public static string DescribeEndPoint(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            return new IPEndPoint(IPAddress.Any, 0).Create(address).ToString() ?? "(unknown)";
        }
        catch (ArgumentException)
        {
            return "(unknown)";
        }
    }
}
