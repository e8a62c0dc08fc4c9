using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sockit.Capture;

/// <summary>
/// Captures every frame on one network interface through a Linux <c>AF_PACKET</c> raw socket (packet(7)), the
/// mechanism libpcap uses. Needs CAP_NET_RAW. Frames are whole Ethernet frames; on the loopback interface the
/// link addresses are zero. A packet on loopback is delivered twice to such a socket (leaving and arriving); the
/// copy leaving is skipped here, as libpcap does, so each packet is seen once. Not thread-safe: one reader.
/// </summary>
public sealed partial class PacketCapture : IDisposable
{
    /// <summary>A buffer this large holds any frame on an interface with an MTU up to 65,536 bytes (loopback's).</summary>
    public const int MaxFrameLength = 65_536 + 256;

    /// <summary>The default kernel receive buffer asked for: 32 MiB, so a burst of loopback traffic, or a moment when
    /// the reader does not get a core, is not dropped (the kernel charges each frame its whole buffer, 1 KiB or more).</summary>
    public const int DefaultReceiveBufferSize = 32 << 20;

    private const ushort EthPAll = 0x0003;
    private const int SolPacket = 263;
    private const int PacketStatistics = 6;
    private const byte PacketOutgoing = 4;
    private const ushort ArphrdLoopback = 772;
    private const nuint SiocGStamp = 0x8906;
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;
    private const int SoAttachFilter = 26;

    private readonly Socket _socket;
    private readonly SocketAddress _from = new(AddressFamily.Packet, SocketAddress.GetMaximumAddressSize(AddressFamily.Packet));
    private long _received;
    private long _dropped;

    private PacketCapture(Socket socket, string interfaceName)
    {
        _socket = socket;
        InterfaceName = interfaceName;
    }

    /// <summary>The interface being captured.</summary>
    public string InterfaceName { get; }

    /// <summary>
    /// Opens a capture of the frames on <paramref name="interfaceName"/> (default <c>lo</c>) that
    /// <paramref name="filter"/> keeps (a classic BPF program from <see cref="CaptureFilter"/>; null keeps every
    /// frame). The filter is attached before the socket is bound, so no frame slips past it.
    /// </summary>
    /// <exception cref="CapturePermissionException">The process lacks CAP_NET_RAW.</exception>
    /// <exception cref="ArgumentException">No interface has that name.</exception>
    public static PacketCapture Open(string interfaceName = "lo", byte[]? filter = null, int receiveBufferSize = DefaultReceiveBufferSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        var index = IfNameToIndex(interfaceName);
        if (index == 0)
        {
            throw new ArgumentException($"no network interface named '{interfaceName}'", nameof(interfaceName));
        }

        Socket socket;
        try
        {
            // Protocol 0: the socket receives nothing until bind names the protocol (ETH_P_ALL), after the filter is on.
            socket = new Socket(AddressFamily.Packet, SocketType.Raw, 0);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied || ex.NativeErrorCode is 1 or 13)
        {
            throw new CapturePermissionException(new CapturePermissionException().Message, ex);
        }

        try
        {
            SetReceiveBuffer(socket, receiveBufferSize);
            if (filter is not null)
            {
                AttachFilter(socket, filter);
            }

            socket.Bind(new LinkLayerEndPoint((int)index));
            var capture = new PacketCapture(socket, interfaceName);

            // The first SIOCGSTAMP switches the kernel's receive timestamps on; frames queued before that carry none
            // and would read as "now", so it is asked once here, before any frame is read.
            capture.KernelTimestamp();
            return capture;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for the next frame and copies it into <paramref name="buffer"/> (cut to the buffer's length; use
    /// <see cref="MaxFrameLength"/>). Cancelling <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async ValueTask<CapturedFrame> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            _from.Size = SocketAddress.GetMaximumAddressSize(AddressFamily.Packet);
            var length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _from, cancellationToken).ConfigureAwait(false);
            if (IsLoopbackOutgoing())
            {
                continue;
            }

            return new CapturedFrame(length, KernelTimestamp());
        }
    }

    /// <summary>
    /// Takes the next frame the kernel has already queued, without waiting: false when none is queued. Frames are
    /// queued as they cross the interface, so after traffic has been seen to happen (a peer's recv saw the reset), every
    /// frame of it can be taken this way even when the reading loop fell behind. Not to be called while a
    /// <see cref="ReceiveAsync"/> is pending.
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out CapturedFrame frame)
    {
        while (_socket.Available > 0)
        {
            _from.Size = SocketAddress.GetMaximumAddressSize(AddressFamily.Packet);
            var length = _socket.ReceiveFrom(buffer, SocketFlags.None, _from);
            if (!IsLoopbackOutgoing())
            {
                frame = new CapturedFrame(length, KernelTimestamp());
                return true;
            }
        }

        frame = default;
        return false;
    }

    /// <summary>The kernel's counters since the capture was opened.</summary>
    public CaptureStatistics ReadStatistics()
    {
        // struct tpacket_stats { unsigned tp_packets, tp_drops; }; reading resets the kernel's counters, so they
        // are added up here; tp_packets already includes the drops.
        Span<byte> stats = stackalloc byte[8];
        _socket.GetRawSocketOption(SolPacket, PacketStatistics, stats);
        _received += BinaryPrimitives.ReadUInt32LittleEndian(stats);
        _dropped += BinaryPrimitives.ReadUInt32LittleEndian(stats[4..]);
        return new CaptureStatistics(_received, _dropped);
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    // On lo every frame is seen twice, going out and coming in: the outgoing copy is skipped.
    private bool IsLoopbackOutgoing()
    {
        var address = _from.Buffer.Span; // struct sockaddr_ll: family, protocol, ifindex, hatype (8), pkttype (10)
        return address[10] == PacketOutgoing && BinaryPrimitives.ReadUInt16LittleEndian(address[8..]) == ArphrdLoopback;
    }

    private static unsafe void AttachFilter(Socket socket, byte[] program)
    {
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the kernel copies the program.
        fixed (byte* instructions = program)
        {
            Span<byte> fprog = stackalloc byte[16];
            fprog.Clear();
            MemoryMarshal.Write(fprog, (ushort)(program.Length / 8));
            MemoryMarshal.Write(fprog[8..], (nint)instructions);
            socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
        }
    }

    private static void SetReceiveBuffer(Socket socket, int size)
    {
        // SO_RCVBUF is capped by net.core.rmem_max (208 KiB by default): a few 64 KiB loopback segments of someone
        // else's traffic would fill it and the kernel would drop frames. SO_RCVBUFFORCE (CAP_NET_ADMIN, which root
        // has) ignores the cap; without it, take what SO_RCVBUF gives.
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(size));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = size;
        }
    }

    private DateTimeOffset KernelTimestamp()
    {
        // SIOCGSTAMP: the kernel's receive time of the last frame read (struct timeval, CLOCK_REALTIME), so frames
        // line up with the wall-clock times of socket calls even when the reader runs late.
        var handle = _socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            Span<long> timeval = stackalloc long[2];
            return Ioctl((int)handle.DangerousGetHandle(), SiocGStamp, ref MemoryMarshal.GetReference(timeval)) == 0
                ? DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((timeval[0] * 1_000_000 + timeval[1]) * 10)
                : DateTimeOffset.UtcNow;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint IfNameToIndex(string name);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, nuint request, ref long timeval);

    /// <summary>A <c>struct sockaddr_ll</c> naming an interface, for binding the capture socket to it.</summary>
    private sealed class LinkLayerEndPoint(int interfaceIndex) : EndPoint
    {
        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            var address = new SocketAddress(AddressFamily.Packet, 20);
            var bytes = address.Buffer.Span;
            BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], EthPAll);
            BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], interfaceIndex);
            return address;
        }
    }
}
