namespace Joold.Nats.Tests.Support;

/// <summary>Orders byte arrays by content, to compare batches whose arrival order does not matter.</summary>
internal static class ByteArrays
{
    public static readonly IComparer<byte[]> Comparer = Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y));
}
