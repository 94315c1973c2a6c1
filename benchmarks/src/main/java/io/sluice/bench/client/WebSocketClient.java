package io.sluice.bench.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of WebSocket that the load generators share: the opening handshake and masked text
 * frames. Frames from the server are read by {@link ServerFrameReader}.
 */
final class WebSocketClient {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HANDSHAKE_RESPONSE = 8192;

    private WebSocketClient() {
    }

    /**
     * Connects, upgrades {@code path} to WebSocket (blocking) and checks the server's answer; returns the
     * channel, non-blocking, with {@code TCP_NODELAY}, positioned at the first frame byte.
     */
    static SocketChannel connect(String host, int port, String path) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            byte[] keyBytes = new byte[16];
            ThreadLocalRandom.current().nextBytes(keyBytes);
            String key = Base64.getEncoder().encodeToString(keyBytes);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            String response = readHead(channel);
            if (!response.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + response.lines().findFirst().orElse(""));
            }
            if (!response.toLowerCase(Locale.ROOT).contains("sec-websocket-accept: " + accept(key).toLowerCase(Locale.ROOT))) {
                throw new IOException("wrong Sec-WebSocket-Accept");
            }
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Reads the handshake response byte by byte up to the blank line, so that no frame byte is consumed. */
    private static String readHead(SocketChannel channel) throws IOException {
        StringBuilder head = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
            one.clear();
            if (channel.read(one) < 0) {
                throw new IOException("closed during the handshake");
            }
            head.append((char) one.get(0));
            if (head.length() > MAX_HANDSHAKE_RESPONSE) {
                throw new IOException("handshake response too long");
            }
        }
        return head.toString();
    }

    /** The largest frame {@link #putMaskedText} writes for a payload of {@code length} bytes. */
    /** Writes what the socket takes of {@code out}; asks for OP_WRITE only while some is left. */
    static void flush(SocketChannel channel, SelectionKey key, ByteBuffer out) throws IOException {
        channel.write(out);
        int ops = SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    static int maskedFrameSize(int length) {
        return 2 + (length > 125 ? 2 : 0) + 4 + length;
    }

    /**
     * Puts one final, masked text frame of {@code payload} (at most 65,535 bytes) into {@code out} with a
     * fresh random mask, as RFC 6455 asks of a client.
     */
    static void putMaskedText(ByteBuffer out, byte[] payload) {
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes needs a 64-bit length");
        }
        out.put((byte) 0x81);
        if (payload.length > 125) {
            out.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            out.put((byte) (0x80 | payload.length));
        }
        int mask = ThreadLocalRandom.current().nextInt();
        out.putInt(mask);
        for (int i = 0; i < payload.length; i++) {
            out.put((byte) (payload[i] ^ (mask >>> (24 - 8 * (i & 3)))));
        }
    }

    /** A ready-made masked text frame of {@code payload}, read-only; send it with {@code duplicate()}. */
    static ByteBuffer maskedTextFrame(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(maskedFrameSize(payload.length));
        putMaskedText(frame, payload);
        return frame.flip().asReadOnlyBuffer();
    }

    private static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
