package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import io.sluice.testing.PropertyCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;

class PerMessageDeflateProperties {

    /** A message: random bytes, repetitive text (compresses, refers back), Unicode text, or empty. */
    private static byte[] message(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Gen.bytes(random, 3000);
            case 1 -> Gen.alphanumeric(random, 1, 8).repeat(Gen.between(random, 1, 2000))
                    .getBytes(StandardCharsets.US_ASCII);
            case 2 -> Gen.unicode(random, 200).getBytes(StandardCharsets.UTF_8);
            case 3 -> new byte[0];
            default -> ("{\"user\":\"" + Gen.alphanumeric(random, 1, 10) + "\",\"text\":\"" + Gen.fieldValue(random, 80)
                    + "\"}").getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Inflates a compressed payload cut at random points, sometimes ending with an empty last piece. */
    private static byte[] inflateSplit(Random random, DeflateInflater inflater, byte[] compressed)
            throws DataFormatException {
        byte[][] pieces = Gen.split(compressed, Gen.splitPoints(random, compressed.length));
        boolean emptyLast = random.nextInt(4) == 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < pieces.length; i++) {
            boolean last = !emptyLast && i == pieces.length - 1;
            // pass each piece inside a larger array to exercise offsets
            byte[] framed = new byte[pieces[i].length + 4];
            System.arraycopy(pieces[i], 0, framed, 2, pieces[i].length);
            inflater.inflate(framed, 2, pieces[i].length, last, (b, off, len) -> {
                assertThat(len).isBetween(1, DeflateInflater.CHUNK_SIZE);
                out.write(b, off, len);
            });
        }
        if (emptyLast) {
            inflater.inflate(new byte[0], 0, 0, true, out::write);
        }
        return out.toByteArray();
    }

    @Test
    void messagesRoundTripThroughDeflateAndInflate() {
        PropertyCheck.forAll(200, random -> {
            boolean serverNoContext = random.nextBoolean();
            // A resetting inflater can only follow a resetting deflater; a context-keeping one follows either.
            boolean clientNoContext = serverNoContext && random.nextBoolean();
            MessageDeflater deflater = new MessageDeflater(Gen.between(random, -1, 9), serverNoContext);
            DeflateInflater inflater = new DeflateInflater(clientNoContext);
            try {
                int messages = Gen.between(random, 1, 8);
                for (int m = 0; m < messages; m++) {
                    byte[] message = message(random);
                    byte[] compressed = deflater.deflate(message, 0, message.length);
                    assertThat(compressed).isNotEmpty();
                    assertThat(inflateSplit(random, inflater, compressed)).isEqualTo(message);
                }
            } catch (DataFormatException e) {
                throw new AssertionError(e);
            } finally {
                deflater.release();
                inflater.release();
            }
        });
    }

    @Test
    void randomCompressedInputFailsOnlyWithDataFormatException() {
        PropertyCheck.forAll(500, random -> {
            DeflateInflater inflater = new DeflateInflater(random.nextBoolean());
            MessageDeflater deflater = new MessageDeflater(6, false);
            long[] produced = {0};
            long fed = 0;
            try {
                int messages = Gen.between(random, 1, 4);
                for (int m = 0; m < messages; m++) {
                    byte[] payload = random.nextBoolean() ? Gen.bytes(random, 400) : corrupted(random, deflater);
                    fed += payload.length + 4;
                    byte[][] pieces = Gen.split(payload, Gen.splitPoints(random, payload.length));
                    for (int i = 0; i < pieces.length; i++) {
                        inflater.inflate(pieces[i], 0, pieces[i].length, i == pieces.length - 1,
                                (b, off, len) -> produced[0] += len);
                    }
                }
            } catch (DataFormatException expected) {
                // the only failure allowed
            } finally {
                inflater.release();
                deflater.release();
            }
            // DEFLATE expands at most 258 bytes per 1-bit code, about 2064 per input byte
            assertThat(produced[0]).isLessThanOrEqualTo(fed * 2064);
        });
    }

    /** A valid compressed message with a few bytes changed, or cut short, or with bytes appended. */
    private static byte[] corrupted(Random random, MessageDeflater deflater) {
        byte[] compressed = deflater.deflate(message(random));
        switch (random.nextInt(3)) {
            case 0 -> {
                int changes = Gen.between(random, 1, 3);
                for (int i = 0; i < changes; i++) {
                    compressed[random.nextInt(compressed.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return compressed;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(compressed, random.nextInt(compressed.length + 1));
            }
            default -> {
                byte[] extra = Gen.bytes(random, 20);
                byte[] out = java.util.Arrays.copyOf(compressed, compressed.length + extra.length);
                System.arraycopy(extra, 0, out, compressed.length, extra.length);
                return out;
            }
        }
    }

    @Test
    void extensionHeaderParsingNeverThrowsAndOnlyAcceptsPermessageDeflate() {
        String alphabet = "permessage-deflate;,= \"\\\t_clientservr_no_context_takeover_max_window_bits0123456789xX";
        PropertyCheck.forAll(1000, random -> {
            List<String> fields = new ArrayList<>();
            int count = Gen.between(random, 1, 3);
            for (int i = 0; i < count; i++) {
                fields.add(random.nextBoolean() ? Gen.fromAlphabet(random, alphabet, 0, 60) : Gen.fieldValue(random, 60));
            }
            ExtensionOffer.parse(fields);
            PerMessageDeflate agreed = PerMessageDeflate.negotiate(fields, PerMessageDeflate.Settings.DEFAULT);
            if (agreed != null) {
                assertThat(agreed.responseHeaderValue()).startsWith("permessage-deflate");
                assertThat(String.join(",", fields).toLowerCase(Locale.ROOT)).contains("permessage-deflate");
            }
        });
    }

    @Test
    void wellFormedOffersAreAcceptedWithTheirParameters() {
        PropertyCheck.forAll(300, random -> {
            List<String> parameters = new ArrayList<>();
            boolean serverNoContext = random.nextBoolean();
            boolean clientNoContext = random.nextBoolean();
            int clientBits = random.nextBoolean() ? -1 : Gen.between(random, 7, 16);
            boolean clientBitsNoValue = clientBits == -1 && random.nextBoolean();
            int serverBits = random.nextBoolean() ? -1 : Gen.between(random, 8, 15);
            if (serverNoContext) {
                parameters.add(randomCase(random, "server_no_context_takeover"));
            }
            if (clientNoContext) {
                parameters.add(randomCase(random, "client_no_context_takeover"));
            }
            if (clientBitsNoValue) {
                parameters.add(randomCase(random, "client_max_window_bits"));
            } else if (clientBits != -1) {
                parameters.add(randomCase(random, "client_max_window_bits") + "=" + quoteMaybe(random, clientBits));
            }
            if (serverBits != -1) {
                parameters.add(randomCase(random, "server_max_window_bits") + " = " + quoteMaybe(random, serverBits));
            }
            Collections.shuffle(parameters, random);
            StringBuilder offer = new StringBuilder(randomCase(random, "permessage-deflate"));
            for (String p : parameters) {
                offer.append(random.nextBoolean() ? "; " : ";").append(p);
            }
            PerMessageDeflate agreed = PerMessageDeflate.negotiate(List.of(offer.toString()),
                    PerMessageDeflate.Settings.DEFAULT);

            boolean acceptable = (clientBits == -1 || (clientBits >= 8 && clientBits <= 15))
                    && (serverBits == -1 || serverBits == 15);
            if (!acceptable) {
                assertThat(agreed).as(offer.toString()).isNull();
                return;
            }
            assertThat(agreed).as(offer.toString()).isNotNull();
            assertThat(agreed.serverNoContextTakeover()).isEqualTo(serverNoContext);
            assertThat(agreed.clientNoContextTakeover()).isEqualTo(clientNoContext);
            assertThat(agreed.clientMaxWindowBits()).isEqualTo(clientBits == -1 ? 15 : clientBits);
            assertThat(agreed.responseHeaderValue().contains("server_max_window_bits=15")).isEqualTo(serverBits == 15);
        });
    }

    @Test
    void sixteenByteKeysAreValidAndOtherLengthsAreNot() {
        PropertyCheck.forAll(300, random -> {
            byte[] key = new byte[random.nextBoolean() ? 16 : Gen.between(random, 0, 40)];
            random.nextBytes(key);
            String encoded = Base64.getEncoder().encodeToString(key);
            assertThat(WebSocketHandshake.isValidKey(encoded)).as(encoded).isEqualTo(key.length == 16);
            assertThat(Base64.getDecoder().decode(WebSocketHandshake.acceptValue(encoded))).hasSize(20);
        });
    }

    private static String randomCase(Random random, String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(random.nextInt(3) == 0 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    private static String quoteMaybe(Random random, int value) {
        return random.nextBoolean() ? "\"" + value + "\"" : Integer.toString(value);
    }
}
