package io.sluice.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A deliberately low-level WebSocket client (RFC 6455, client side) over a plain socket, for tests
 * that must send exactly the frames they mean — any FIN/RSV bits, reserved opcodes, unmasked frames,
 * non-minimal lengths, fragments interleaved with control frames, garbage — and see exactly what the
 * server answers, down to the close code and whether it closed TCP.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (RawWebSocketClient ws = RawWebSocketClient.connect(port, "/echo")) {
 *     ws.sendText("hi");
 *     assertThat(ws.readMessage().text()).isEqualTo("hi");
 *     ws.sendFrame(0x80 | 0x40 | 0x1, "x".getBytes());   // FIN + RSV1 + text, no extension
 *     assertThat(ws.awaitCloseCode()).isEqualTo(1002);
 *     assertThat(ws.awaitServerClose()).isTrue();
 * }
 * }</pre>
 *
 * <p>What it does:
 *
 * <ul>
 *   <li><b>Handshake</b> ({@link #builder}): a standard upgrade request with a random key plus any extra
 *       header lines; a non-101 answer fails {@link Builder#connect()}, a wrong
 *       {@code Sec-WebSocket-Accept} too. The 101's status line and fields are kept
 *       ({@link #handshakeHeader}).
 *   <li><b>Sending</b>: {@link #sendFrame(int, byte[])} takes the first header byte raw
 *       ({@code FIN | RSV1-3 | opcode}) and masks with a random key; {@link #encodeFrame} builds any
 *       frame bytes (masked or not, any length encoding) for {@link #sendRaw}. Helpers for the usual
 *       frames. Writes are synchronised, so one thread may send while another reads.
 *   <li><b>Reading</b>: {@link #readFrame()} returns the server's next frame as it is (servers must not
 *       mask; a masked server frame fails the read). {@link #readMessage()} reassembles data messages,
 *       answers pings (unless {@link #answerPings(boolean) told not to}), counts pongs, and returns a
 *       close frame as a message of type {@link #CLOSE}. Every read has the socket timeout, so a test
 *       never hangs on a silent server.
 *   <li><b>permessage-deflate</b> (RFC 7692): when the 101 accepts it, {@link #sendCompressed} sends a
 *       message compressed with RSV1, and compressed server messages are inflated by
 *       {@link #readMessage()}, honouring the negotiated context-takeover parameters.
 *   <li><b>Accounting</b>: {@link #bytesRead()} counts the bytes taken off the socket (for backpressure
 *       tests that stop reading).
 * </ul>
 */
public final class RawWebSocketClient implements Closeable {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    public static final int FIN = 0x80;
    public static final int RSV1 = 0x40;
    public static final int RSV2 = 0x20;
    public static final int RSV3 = 0x10;

    /** The GUID RFC 6455 appends to the key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final byte[] DEFLATE_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicLong bytesRead = new AtomicLong();
    private final String statusLine;
    private final Map<String, List<String>> handshakeHeaders;
    private volatile boolean answerPings = true;
    private final AtomicLong pongsReceived = new AtomicLong();
    private final List<byte[]> pongPayloads = new ArrayList<>();
    private final AtomicLong pingsReceived = new AtomicLong();

    // permessage-deflate, when negotiated
    private final boolean deflate;
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private Deflater deflater;
    private Inflater inflater;

    /** A frame as the server sent it. */
    public record Frame(boolean fin, boolean rsv1, boolean rsv2, boolean rsv3, int opcode, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The code of a close frame: 1005 when its payload is empty. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        public String closeReason() {
            return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Frame[op=" + opcode + (fin ? " FIN" : "") + (rsv1 ? " RSV1" : "") + ", " + payload.length
                    + " bytes]";
        }
    }

    /**
     * A reassembled data message (type {@link #TEXT} or {@link #BINARY}, payload already inflated), or
     * a close frame (type {@link #CLOSE}).
     */
    public record Message(int type, byte[] data, boolean compressed, int frames) {

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        public boolean isClose() {
            return type == CLOSE;
        }

        public int closeCode() {
            return data.length < 2 ? 1005 : ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        }

        @Override
        public String toString() {
            return "Message[type=" + type + ", " + data.length + " bytes, " + frames + " frames]";
        }
    }

    /** Options of the opening handshake and the socket. */
    public static final class Builder {
        private final int port;
        private final String target;
        private final List<String> headerLines = new ArrayList<>();
        private int readTimeoutMillis = 5_000;
        private int receiveBufferSize;
        private String host = "127.0.0.1";

        private Builder(int port, String target) {
            this.port = port;
            this.target = target;
        }

        /** Adds a header line, e.g. {@code "Sec-WebSocket-Protocol: chat, superchat"}. */
        public Builder header(String line) {
            headerLines.add(line);
            return this;
        }

        /** Offers extensions: {@code Sec-WebSocket-Extensions: value}. */
        public Builder extensions(String value) {
            return header("Sec-WebSocket-Extensions: " + value);
        }

        public Builder readTimeoutMillis(int millis) {
            this.readTimeoutMillis = millis;
            return this;
        }

        /** Sets SO_RCVBUF before connecting (0: the system default, which auto-tunes). */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = bytes;
            return this;
        }

        public Builder hostHeader(String host) {
            this.host = host;
            return this;
        }

        /** Connects and performs the handshake; fails unless the server answers 101 with the right accept value. */
        public RawWebSocketClient connect() throws IOException {
            Socket socket = new Socket();
            try {
                if (receiveBufferSize > 0) {
                    socket.setReceiveBufferSize(receiveBufferSize);
                }
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(readTimeoutMillis);
                socket.setTcpNoDelay(true);
                return new RawWebSocketClient(socket, this);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    public static Builder builder(int port, String target) {
        return new Builder(port, target);
    }

    /** Connects to {@code target} (path and query) with a plain handshake. */
    public static RawWebSocketClient connect(int port, String target) throws IOException {
        return builder(port, target).connect();
    }

    private RawWebSocketClient(Socket socket, Builder builder) throws IOException {
        this.socket = socket;
        AtomicLong counter = bytesRead;
        this.in = new BufferedInputStream(new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    counter.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    counter.addAndGet(n);
                }
                return n;
            }
        }, 64 * 1024);
        this.out = socket.getOutputStream();
        byte[] keyBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(keyBytes);
        String key = Base64.getEncoder().encodeToString(keyBytes);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(builder.target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(builder.host).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String line : builder.headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("Connection closed before the handshake response");
        }
        handshakeHeaders = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            handshakeHeaders.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[1].equals("101")) {
            throw new IOException("Handshake refused: " + statusLine + " " + handshakeHeaders);
        }
        String accept = handshakeHeader("Sec-WebSocket-Accept");
        if (!acceptValue(key).equals(accept)) {
            throw new IOException("Wrong Sec-WebSocket-Accept: " + accept);
        }
        String extensions = handshakeHeader("Sec-WebSocket-Extensions");
        deflate = extensions != null && extensions.toLowerCase(Locale.ROOT).startsWith("permessage-deflate");
        serverNoContextTakeover = deflate && extensions.contains("server_no_context_takeover");
        clientNoContextTakeover = deflate && extensions.contains("client_no_context_takeover");
    }

    /** The {@code Sec-WebSocket-Accept} value for {@code key}. */
    public static String acceptValue(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(
                    sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Socket socket() {
        return socket;
    }

    /** The status line of the 101. */
    public String handshakeStatusLine() {
        return statusLine;
    }

    /** A field of the 101 (first value, name ignoring case), or null. */
    public String handshakeHeader(String name) {
        List<String> values = handshakeHeaders.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.get(0);
    }

    /** Whether permessage-deflate was accepted by the server. */
    public boolean deflateNegotiated() {
        return deflate;
    }

    /** Whether {@link #readMessage()} answers pings with pongs (default true). */
    public RawWebSocketClient answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    /** Pings seen by {@link #readMessage()}. */
    public long pingsReceived() {
        return pingsReceived.get();
    }

    /** Pongs seen by {@link #readMessage()}. */
    public long pongsReceived() {
        return pongsReceived.get();
    }

    /** Payloads of the pongs seen by {@link #readMessage()}, in order. */
    public synchronized List<byte[]> pongPayloads() {
        return List.copyOf(pongPayloads);
    }

    /** Bytes taken off the socket so far (including the handshake response and read-ahead). */
    public long bytesRead() {
        return bytesRead.get();
    }

    // ---------------------------------------------------------------- encoding

    /**
     * The bytes of one frame.
     *
     * @param firstByte    FIN, RSV1-3 and opcode, raw
     * @param payload      the (unmasked) payload
     * @param masked       whether to set the mask bit and mask with a random key
     * @param lengthBytes  0 for the minimal length encoding, or 2 / 8 to force the 16- or 64-bit form
     *                     (a non-minimal encoding when the payload is short)
     */
    public static byte[] encodeFrame(int firstByte, byte[] payload, boolean masked, int lengthBytes) {
        int length = payload.length;
        int form = lengthBytes != 0 ? lengthBytes : length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 14);
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (form == 0) {
            frame.write(maskBit | length);
        } else if (form == 2) {
            frame.write(maskBit | 126);
            frame.write(length >>> 8);
            frame.write(length);
        } else {
            frame.write(maskBit | 127);
            long l = length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (l >>> shift));
            }
        }
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            frame.write(key, 0, 4);
            byte[] maskedPayload = new byte[length];
            for (int i = 0; i < length; i++) {
                maskedPayload[i] = (byte) (payload[i] ^ key[i & 3]);
            }
            frame.write(maskedPayload, 0, length);
        } else {
            frame.write(payload, 0, length);
        }
        return frame.toByteArray();
    }

    // ---------------------------------------------------------------- sending

    /** Writes {@code bytes} as they are. */
    public synchronized RawWebSocketClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends one masked frame with its first header byte given raw ({@code FIN | RSV | opcode}). */
    public RawWebSocketClient sendFrame(int firstByte, byte[] payload) throws IOException {
        return sendRaw(encodeFrame(firstByte, payload, true, 0));
    }

    /** Sends one masked frame. */
    public RawWebSocketClient sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        return sendFrame((fin ? FIN : 0) | opcode, payload);
    }

    public RawWebSocketClient sendText(String text) throws IOException {
        return sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public RawWebSocketClient sendBinary(byte[] data) throws IOException {
        return sendFrame(true, BINARY, data);
    }

    public RawWebSocketClient sendPing(byte[] payload) throws IOException {
        return sendFrame(true, PING, payload);
    }

    public RawWebSocketClient sendPong(byte[] payload) throws IOException {
        return sendFrame(true, PONG, payload);
    }

    /** Sends a close frame with {@code code} and {@code reason}. */
    public RawWebSocketClient sendClose(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return sendFrame(true, CLOSE, payload);
    }

    /**
     * Sends {@code payload} as one message compressed with permessage-deflate (RSV1 on the first frame),
     * split into {@code fragments} frames. Needs the extension to have been negotiated.
     */
    public RawWebSocketClient sendCompressed(int opcode, byte[] payload, int fragments) throws IOException {
        byte[] compressed = compress(payload);
        int per = Math.max(1, (compressed.length + fragments - 1) / fragments);
        int offset = 0;
        int index = 0;
        do {
            int end = Math.min(compressed.length, offset + per);
            boolean last = end == compressed.length;
            int first = (last ? FIN : 0) | (index == 0 ? RSV1 | opcode : CONTINUATION);
            sendFrame(first, Arrays.copyOfRange(compressed, offset, end));
            offset = end;
            index++;
        } while (offset < compressed.length);
        return this;
    }

    /**
     * Compresses one message as a permessage-deflate client does: raw DEFLATE, sync flush, the trailing
     * {@code 00 00 FF FF} removed (an empty payload becomes the single byte {@code 00}). The context
     * carries over unless {@code client_no_context_takeover} was negotiated.
     */
    public synchronized byte[] compress(byte[] payload) {
        if (payload.length == 0) {
            // An empty stored block without its 00 00 FF FF (RFC 7692 §7.2.3.6): a second sync flush
            // without input would produce nothing at all.
            return new byte[] {0x00};
        }
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        byte[] result = deflateSyncFlush(deflater, payload);
        if (clientNoContextTakeover) {
            deflater.reset();
        }
        return result;
    }

    /** Raw DEFLATE of {@code payload} with a sync flush, without the trailing {@code 00 00 FF FF}. */
    public static byte[] deflateSyncFlush(Deflater deflater, byte[] payload) {
        deflater.setInput(payload);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            compressed.write(buffer, 0, n);
            if (n < buffer.length && deflater.needsInput()) {
                break;
            }
        }
        byte[] bytes = compressed.toByteArray();
        if (bytes.length < 4 || !Arrays.equals(bytes, bytes.length - 4, bytes.length, DEFLATE_TAIL, 0, 4)) {
            throw new IllegalStateException("sync flush did not end with 00 00 FF FF");
        }
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    private byte[] inflate(byte[] compressed) throws IOException {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
        System.arraycopy(DEFLATE_TAIL, 0, input, compressed.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (true) {
                int n = inflater.inflate(buffer);
                result.write(buffer, 0, n);
                if ((n < buffer.length && inflater.needsInput()) || inflater.finished() || inflater.needsDictionary()) {
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("Server sent invalid compressed data", e);
        }
        if (serverNoContextTakeover) {
            inflater.reset();
        }
        return result.toByteArray();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads the server's next frame as sent.
     *
     * @throws EOFException           when the server closed the connection first
     * @throws SocketTimeoutException when nothing arrived within the read timeout
     */
    public Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("Connection closed by the server");
        }
        int b1 = readByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("The server masked a frame");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("Frame too long for this client: " + length);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("Connection closed inside a frame");
        }
        return new Frame((b0 & FIN) != 0, (b0 & RSV1) != 0, (b0 & RSV2) != 0, (b0 & RSV3) != 0, b0 & 0x0F, payload);
    }

    /**
     * Reads the next data message, reassembling fragments and inflating compressed ones; pings in between
     * are answered (unless disabled) and pongs are counted. A close frame is returned as a message of type
     * {@link #CLOSE} with the close payload.
     */
    public Message readMessage() throws IOException {
        ByteArrayOutputStream data = null;
        int type = -1;
        boolean compressed = false;
        int frames = 0;
        while (true) {
            Frame frame = readFrame();
            switch (frame.opcode()) {
                case PING -> {
                    pingsReceived.incrementAndGet();
                    if (answerPings) {
                        sendPong(frame.payload());
                    }
                }
                case PONG -> {
                    synchronized (this) {
                        pongPayloads.add(frame.payload());
                    }
                    pongsReceived.incrementAndGet();
                }
                case CLOSE -> {
                    return new Message(CLOSE, frame.payload(), false, 1);
                }
                case TEXT, BINARY, CONTINUATION -> {
                    if (frame.opcode() == CONTINUATION) {
                        if (data == null) {
                            throw new IOException("Continuation frame without a message");
                        }
                    } else {
                        if (data != null) {
                            throw new IOException("New message inside a fragmented message");
                        }
                        data = new ByteArrayOutputStream();
                        type = frame.opcode();
                        compressed = frame.rsv1();
                    }
                    frames++;
                    data.write(frame.payload(), 0, frame.payload().length);
                    if (frame.fin()) {
                        byte[] bytes = data.toByteArray();
                        if (compressed) {
                            if (!deflate) {
                                throw new IOException("Compressed message without permessage-deflate");
                            }
                            bytes = inflate(bytes);
                        }
                        return new Message(type, bytes, compressed, frames);
                    }
                }
                default -> throw new IOException("Reserved opcode from the server: " + frame.opcode());
            }
        }
    }

    /**
     * Reads until the server's close frame, skipping data (and answering pings), and returns its code
     * (1005 when it had none).
     *
     * @throws EOFException when the connection ended without a close frame
     */
    public int awaitCloseCode() throws IOException {
        return awaitCloseFrame().closeCode();
    }

    /** Like {@link #awaitCloseCode()}, returning the whole close frame. */
    public Frame awaitCloseFrame() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame;
            }
            if (frame.opcode() == PING && answerPings) {
                sendPong(frame.payload());
            }
        }
    }

    /**
     * Whether the server closed the connection (end of stream, or a reset) within the read timeout;
     * anything it sends first is read and discarded.
     */
    public boolean awaitServerClose() throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Reads and discards {@code bytes} bytes (for draining a backlog). */
    public void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                n = 1;
            }
            left -= n;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("Connection closed inside a frame header");
        }
        return b;
    }

    private String readLine() throws IOException {
        return RawHttpClient.readLine(in);
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            synchronized (this) {
                if (deflater != null) {
                    deflater.end();
                }
                if (inflater != null) {
                    inflater.end();
                }
            }
        }
    }
}
