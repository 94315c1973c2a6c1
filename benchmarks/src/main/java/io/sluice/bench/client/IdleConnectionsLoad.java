package io.sluice.bench.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens many keep-alive connections and keeps them open and (mostly) idle, on one {@code java.nio}
 * selector thread, so that a server's memory per connection can be measured:
 *
 * <pre>IdleConnectionsLoad HOST PORT CONNECTIONS cycle|hold [REQUEST_INTERVAL_S]</pre>
 *
 * <p>Connects {@code CONNECTIONS} times (at most {@value #MAX_IN_FLIGHT} connects or requests in
 * flight, so that no accept backlog overflows) and sends one {@code GET /plaintext} on each, which must
 * be answered {@code 200} with the benchmark body and the connection kept open.
 *
 * <ul>
 *   <li>{@code cycle}: then closes them all, prints the result and exits (a warm-up for the server);</li>
 *   <li>{@code hold}: then prints {@code READY open=N errors=E} and keeps them open; with {@code
 *       REQUEST_INTERVAL_S} above 0, each connection sends one more request every that many seconds
 *       (spread evenly over the interval). When a line (or the end of input) arrives on stdin, one more
 *       request on every connection (again at most {@value #MAX_IN_FLIGHT} at a time) checks that all
 *       are still served; then it prints the result, closes them and exits.</li>
 * </ul>
 *
 * <p>The result line is {@code RESULT connections=N open=M requests=R errors=E open_s=S}: {@code open}
 * counts the connections that answered every request, {@code open_s} is the time taken to open and
 * answer all of them. A refused or timed-out connect, a wrong or missing answer (within {@value
 * #TIMEOUT_SECONDS} s each, and within {@value #PHASE_SECONDS} s for all of a phase), or a connection
 * the server closes is an error. Connections are closed with an RST ({@code SO_LINGER} 0), so that
 * tens of thousands of client ports do not sit in {@code TIME_WAIT} between runs.
 */
public final class IdleConnectionsLoad {

    private static final int MAX_IN_FLIGHT = 128;
    private static final int TIMEOUT_SECONDS = 30;
    private static final long TIMEOUT_NANOS = TIMEOUT_SECONDS * 1_000_000_000L;
    private static final long TICK_NANOS = 100_000_000L;
    /** Opening all connections, or checking them all, may take this long; what is left then fails. */
    private static final int PHASE_SECONDS = 120;
    private static final long PHASE_NANOS = PHASE_SECONDS * 1_000_000_000L;
    private static final int MAX_RESPONSE = 8192;
    private static final byte[] EXPECTED_BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;
    private final ByteBuffer request;
    private final Selector selector;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
    private final List<Connection> connections = new ArrayList<>();
    /** Connections in order of their last connect or request, for timeouts; stale entries are skipped. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private volatile boolean released;
    private int busy;
    private long requests;
    private int errors;

    private IdleConnectionsLoad(String host, int port) throws IOException {
        this.address = new InetSocketAddress(host, port);
        this.request = ByteBuffer.wrap(("GET /plaintext HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || !(args[3].equals("cycle") || args[3].equals("hold"))) {
            System.err.println("usage: IdleConnectionsLoad HOST PORT CONNECTIONS cycle|hold [REQUEST_INTERVAL_S]");
            System.exit(2);
        }
        int count = Integer.parseInt(args[2]);
        double interval = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        IdleConnectionsLoad load = new IdleConnectionsLoad(args[0], Integer.parseInt(args[1]));
        long start = System.nanoTime();
        load.open(count);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "opened %d of %d connections in %.2f s, %d errors%n",
                load.openCount(), count, openSeconds, load.errors);
        if (args[3].equals("hold")) {
            System.out.println("READY open=" + load.openCount() + " errors=" + load.errors);
            System.out.flush();
            load.hold(interval);
            load.checkAll();
        }
        load.closeAll();
        System.out.print(String.format(Locale.ROOT, "RESULT connections=%d open=%d requests=%d errors=%d open_s=%.2f%n",
                count, load.openCount(), load.requests, load.errors, openSeconds));
        System.out.flush();
    }

    /** Opens {@code count} connections and sends the first request on each; returns when all are answered or failed. */
    private void open(int count) throws IOException {
        long deadline = System.nanoTime() + PHASE_NANOS;
        int launched = 0;
        while (launched < count || busy > 0) {
            if (System.nanoTime() > deadline) {
                giveUp("opening", count - launched);
                return;
            }
            while (launched < count && busy < MAX_IN_FLIGHT) {
                connect();
                launched++;
            }
            awaitEvents(TICK_NANOS);
        }
    }

    /** Keeps the connections open until released through stdin; every {@code interval} s one request each. */
    private void hold(double interval) throws IOException {
        Thread stdin = new Thread(() -> {
            try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            } catch (IOException ignored) {
                // the end of input releases too
            }
            released = true;
            selector.wakeup();
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        // Requests owed accrue with time so that each connection sends one per interval, spread evenly.
        double perNano = interval > 0 ? connections.size() / (interval * 1e9) : 0;
        double owed = 0;
        int cursor = 0;
        long last = System.nanoTime();
        while (!released) {
            long now = System.nanoTime();
            owed += (now - last) * perNano;
            last = now;
            for (int tried = 0; owed >= 1 && tried < connections.size(); tried++) {
                Connection connection = connections.get(cursor);
                cursor = (cursor + 1) % connections.size();
                if (connection.state == State.IDLE) {
                    send(connection);
                    owed--;
                }
            }
            owed = Math.min(owed, 1);
            awaitEvents(TICK_NANOS);
        }
    }

    /**
     * One more request on every open connection, as many at a time as when opening them (a burst of
     * one request on each would measure how the server copes with that, not whether it kept them);
     * returns when all are answered or failed.
     */
    private void checkAll() throws IOException {
        long deadline = System.nanoTime() + PHASE_NANOS;
        int checked = 0;
        for (Connection connection : connections) {
            while (busy >= MAX_IN_FLIGHT && System.nanoTime() <= deadline) {
                awaitEvents(TICK_NANOS);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            if (connection.state == State.IDLE) {
                send(connection);
            }
            checked++;
        }
        while (busy > 0 && System.nanoTime() <= deadline) {
            awaitEvents(TICK_NANOS);
        }
        if (busy > 0 || checked < connections.size()) {
            int unchecked = 0;
            for (int i = checked; i < connections.size(); i++) {
                Connection connection = connections.get(i);
                if (connection.state == State.IDLE) {
                    connection.state = State.FAILED; // still open, but not known to be served
                    unchecked++;
                }
            }
            giveUp("checking", unchecked);
        }
    }

    /** A phase ran out of time: every connection still waiting fails, and so do {@code notStarted} more. */
    private void giveUp(String phase, int notStarted) {
        System.err.println(phase + " took more than " + PHASE_SECONDS + " s: giving up on " + (busy + notStarted) + " connections");
        errors += notStarted;
        for (Connection connection : connections) {
            if (connection.state == State.CONNECTING || connection.state == State.AWAITING_RESPONSE) {
                fail(connection, phase + " timed out");
            }
        }
    }

    private int openCount() {
        int open = 0;
        for (Connection connection : connections) {
            if (connection.state == State.IDLE || connection.state == State.AWAITING_RESPONSE) {
                open++;
            }
        }
        return open;
    }

    private void closeAll() throws IOException {
        for (Connection connection : connections) {
            if (connection.channel.isOpen()) {
                connection.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                connection.channel.close();
            }
        }
        selector.close();
    }

    private void connect() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        Connection connection = new Connection(channel);
        connections.add(connection);
        connection.key = channel.register(selector, 0, connection);
        becomeBusy(connection, State.CONNECTING);
        try {
            if (channel.connect(address)) {
                connected(connection);
            } else {
                connection.key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            fail(connection, "connect: " + e.getMessage());
        }
    }

    private void connected(Connection connection) throws IOException {
        connection.key.interestOps(SelectionKey.OP_READ);
        connection.state = State.IDLE;
        busy--;
        send(connection);
    }

    private void send(Connection connection) throws IOException {
        ByteBuffer out = request.duplicate();
        connection.channel.write(out);
        if (out.hasRemaining()) {
            fail(connection, "the request did not fit the socket's send buffer");
            return;
        }
        requests++;
        becomeBusy(connection, State.AWAITING_RESPONSE);
    }

    private void becomeBusy(Connection connection, State state) {
        connection.state = state;
        connection.busySince = System.nanoTime();
        pending.addLast(new Pending(connection, connection.busySince));
        busy++;
    }

    /** Handles what is ready within {@code nanos}, then fails whatever has waited too long. */
    private void awaitEvents(long nanos) throws IOException {
        selector.select(key -> {
            Connection connection = (Connection) key.attachment();
            try {
                if (key.isConnectable()) {
                    connection.channel.finishConnect();
                    connected(connection);
                } else if (key.isReadable()) {
                    read(connection);
                }
            } catch (IOException | RuntimeException e) {
                fail(connection, e.toString());
            }
        }, Math.max(1, nanos / 1_000_000));
        long now = System.nanoTime();
        Pending oldest;
        while ((oldest = pending.peekFirst()) != null) {
            Connection connection = oldest.connection;
            boolean stale = connection.busySince != oldest.since
                    || !(connection.state == State.CONNECTING || connection.state == State.AWAITING_RESPONSE);
            if (!stale && now - oldest.since < TIMEOUT_NANOS) {
                break;
            }
            pending.removeFirst();
            if (!stale) {
                fail(connection, connection.state == State.CONNECTING ? "connect timed out" : "no response in " + TIMEOUT_SECONDS + " s");
            }
        }
    }

    private void read(Connection connection) throws IOException {
        scratch.clear();
        if (connection.partial != null) {
            scratch.put(connection.partial);
            connection.partial = null;
        }
        if (connection.channel.read(scratch) < 0) {
            fail(connection, "closed by the server");
            return;
        }
        scratch.flip();
        if (connection.state != State.AWAITING_RESPONSE) {
            fail(connection, "unexpected bytes from the server");
            return;
        }
        int headEnd = headEnd(scratch);
        if (headEnd < 0) {
            keepPartial(connection);
            return;
        }
        byte[] headBytes = new byte[headEnd];
        scratch.get(0, headBytes);
        String head = new String(headBytes, StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.1 200 ")) {
            fail(connection, "answered " + head.lines().findFirst().orElse(""));
            return;
        }
        long length = contentLength(head);
        if (length != EXPECTED_BODY.length) {
            fail(connection, "answered Content-Length " + length);
            return;
        }
        int bodyStart = headEnd + 4;
        if (scratch.limit() < bodyStart + length) {
            keepPartial(connection);
            return;
        }
        if (scratch.limit() > bodyStart + length) {
            fail(connection, "more bytes than one response");
            return;
        }
        for (int i = 0; i < EXPECTED_BODY.length; i++) {
            if (scratch.get(bodyStart + i) != EXPECTED_BODY[i]) {
                fail(connection, "wrong body");
                return;
            }
        }
        connection.state = State.IDLE;
        busy--;
    }

    private void keepPartial(Connection connection) {
        if (scratch.limit() > MAX_RESPONSE) {
            fail(connection, "response longer than " + MAX_RESPONSE + " bytes");
            return;
        }
        connection.partial = ByteBuffer.allocate(scratch.limit()).put(scratch).flip();
    }

    /** The index of the blank line ending the response head, or -1. */
    private static int headEnd(ByteBuffer buffer) {
        for (int i = 0; i + 3 < buffer.limit(); i++) {
            if (buffer.get(i) == '\r' && buffer.get(i + 1) == '\n' && buffer.get(i + 2) == '\r' && buffer.get(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The Content-Length of a response head, or -1 if it has none. */
    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    return Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private void fail(Connection connection, String why) {
        errors++;
        if (errors <= 20) {
            System.err.println("connection error: " + why);
        } else if (errors == 21) {
            System.err.println("(further connection errors not shown)");
        }
        if (connection.state == State.CONNECTING || connection.state == State.AWAITING_RESPONSE) {
            busy--;
        }
        connection.state = State.FAILED;
        connection.key.cancel();
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private enum State { CONNECTING, AWAITING_RESPONSE, IDLE, FAILED }

    private static final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        State state;
        long busySince;
        ByteBuffer partial;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private record Pending(Connection connection, long since) {
    }
}
