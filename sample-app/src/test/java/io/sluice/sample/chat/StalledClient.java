package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A chat member that joins and then stops reading, on a plain socket with a small receive buffer, so that the
 * server's writes back up quickly: the client a slow-client policy exists for. Later it can read everything
 * the server managed to send, up to the close frame.
 */
final class StalledClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int OPCODE_CLOSE = 0x8;

    /** The end of the session as read from the wire. */
    record Ending(int textMessages, int closeCode, String closeReason) {
    }

    private final Socket socket;
    private final DataInputStream in;

    private StalledClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Completes the handshake of {@code /ws/rooms/{room}?name={name}}; reads nothing after the 101. */
    static StalledClient join(int port, String room, String name) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);    // before connecting, so the TCP window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String handshake = "GET /ws/rooms/" + room + "?name=" + name + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(handshake.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StalledClient client = new StalledClient(socket);
        assertThat(client.readResponseHead()).startsWith("HTTP/1.1 101");
        return client;
    }

    /** Reads every frame the server sent, up to and including its close frame. */
    Ending readUntilClose() throws IOException {
        int texts = 0;
        while (true) {
            int first = in.readUnsignedByte();
            long length = in.readUnsignedByte() & 0x7F;    // server frames are never masked
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = first & 0x0F;
            if (opcode == OPCODE_CLOSE) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                String reason = payload.length > 2
                        ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                return new Ending(texts, code, reason);
            }
            if (opcode == 0x1) {
                texts++;
            }
        }
    }

    private String readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream raw = in;
        int matched = 0;    // of "\r\n\r\n"
        while (matched < 4) {
            int b = raw.read();
            if (b < 0) {
                throw new IOException("Connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
