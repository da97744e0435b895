using System.Buffers;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Bytes written into arrays rented from the shared pool and returned on Dispose, so that building a response body
/// (a list page is ~40 KB) does not allocate a new array each time.
/// </summary>
public sealed class PooledBufferWriter(int initialCapacity = 16 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int written;

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, written);

    public void Advance(int count) => written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(written);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(written);

    private byte[] Reserve(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (needed <= buffer.Length) return buffer;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return buffer = larger;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
