package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PerMessageDeflateNegotiationTest {

    private static final PerMessageDeflate.Settings DEFAULT = PerMessageDeflate.Settings.DEFAULT;

    private static PerMessageDeflate negotiate(String... fieldValues) {
        return PerMessageDeflate.negotiate(List.of(fieldValues), DEFAULT);
    }

    private static String response(String... fieldValues) {
        PerMessageDeflate agreed = negotiate(fieldValues);
        return agreed == null ? null : agreed.responseHeaderValue();
    }

    @Test
    void plainOffer() {
        PerMessageDeflate agreed = negotiate("permessage-deflate");
        assertThat(agreed.responseHeaderValue()).isEqualTo("permessage-deflate");
        assertThat(agreed.serverNoContextTakeover()).isFalse();
        assertThat(agreed.clientNoContextTakeover()).isFalse();
        assertThat(agreed.clientMaxWindowBits()).isEqualTo(15);
        assertThat(agreed.compressionLevel()).isEqualTo(-1);
    }

    @Test
    void noOfferNoAgreement() {
        assertThat(PerMessageDeflate.negotiate(List.of(), DEFAULT)).isNull();
        assertThat(negotiate("x-webkit-deflate-frame")).isNull();
        assertThat(negotiate("")).isNull();
        assertThat(negotiate(" , ,")).isNull();
    }

    @Test
    void serverNoContextTakeoverIsHonoured() {
        PerMessageDeflate agreed = negotiate("permessage-deflate; server_no_context_takeover");
        assertThat(agreed.serverNoContextTakeover()).isTrue();
        assertThat(agreed.clientNoContextTakeover()).isFalse();
        assertThat(agreed.responseHeaderValue()).isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(agreed.newDeflater().noContextTakeover()).isTrue();
        assertThat(agreed.newInflater().noContextTakeover()).isFalse();
    }

    @Test
    void clientNoContextTakeoverIsEchoed() {
        PerMessageDeflate agreed = negotiate("permessage-deflate; client_no_context_takeover");
        assertThat(agreed.clientNoContextTakeover()).isTrue();
        assertThat(agreed.serverNoContextTakeover()).isFalse();
        assertThat(agreed.responseHeaderValue()).isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(agreed.newInflater().noContextTakeover()).isTrue();
        assertThat(agreed.newDeflater().noContextTakeover()).isFalse();
    }

    @Test
    void serverPreferencesAddNoContextTakeoverUnoffered() {
        PerMessageDeflate.Settings both = DEFAULT.withServerNoContextTakeover(true).withClientNoContextTakeover(true)
                .withCompressionLevel(3);
        PerMessageDeflate agreed = PerMessageDeflate.negotiate(List.of("permessage-deflate"), both);
        assertThat(agreed.responseHeaderValue())
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        assertThat(agreed.compressionLevel()).isEqualTo(3);
        assertThat(PerMessageDeflate.negotiate(List.of("permessage-deflate"), DEFAULT.withServerNoContextTakeover(true))
                .responseHeaderValue()).isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(PerMessageDeflate.negotiate(List.of("permessage-deflate"), DEFAULT.withClientNoContextTakeover(true))
                .responseHeaderValue()).isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThatThrownBy(() -> DEFAULT.withCompressionLevel(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULT.withCompressionLevel(-2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverMaxWindowBitsOnlyFifteenIsAcceptedAndEchoed() {
        assertThat(response("permessage-deflate; server_max_window_bits=15"))
                .isEqualTo("permessage-deflate; server_max_window_bits=15");
        assertThat(response("permessage-deflate; server_max_window_bits=\"15\""))
                .isEqualTo("permessage-deflate; server_max_window_bits=15");
        for (int bits = 8; bits < 15; bits++) {
            assertThat(response("permessage-deflate; server_max_window_bits=" + bits)).as("%s", bits).isNull();
        }
        for (String bad : new String[] {"", "=", "=16", "=7", "=0", "=015", "=abc", "=1.5", "=-15", "=\"\""}) {
            assertThat(response("permessage-deflate; server_max_window_bits" + bad)).as(bad).isNull();
        }
    }

    @Test
    void aDeclinedOfferFallsThroughToTheNext() {
        assertThat(response("permessage-deflate; server_max_window_bits=10; client_max_window_bits, "
                + "permessage-deflate; client_max_window_bits"))
                .isEqualTo("permessage-deflate");
        assertThat(response("permessage-deflate; server_max_window_bits=10",
                "permessage-deflate; server_no_context_takeover"))
                .isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(response("permessage-deflate; server_max_window_bits=10")).isNull();
    }

    @Test
    void clientMaxWindowBitsIsAcceptedWithOrWithoutValueAndNotEchoed() {
        PerMessageDeflate noValue = negotiate("permessage-deflate; client_max_window_bits");
        assertThat(noValue.responseHeaderValue()).isEqualTo("permessage-deflate");
        assertThat(noValue.clientMaxWindowBits()).isEqualTo(15);
        for (int bits = 8; bits <= 15; bits++) {
            PerMessageDeflate agreed = negotiate("permessage-deflate; client_max_window_bits=" + bits);
            assertThat(agreed.responseHeaderValue()).isEqualTo("permessage-deflate");
            assertThat(agreed.clientMaxWindowBits()).isEqualTo(bits);
        }
        assertThat(negotiate("permessage-deflate; client_max_window_bits=\"9\"").clientMaxWindowBits()).isEqualTo(9);
        for (String bad : new String[] {"=", "=16", "=7", "=08", "=x", "=\"\"", "=100"}) {
            assertThat(response("permessage-deflate; client_max_window_bits" + bad)).as(bad).isNull();
        }
    }

    @Test
    void unknownDuplicateOrValuedFlagParametersDecline() {
        assertThat(response("permessage-deflate; foo")).isNull();
        assertThat(response("permessage-deflate; foo=1")).isNull();
        assertThat(response("permessage-deflate; server_no_context_takeover; server_no_context_takeover")).isNull();
        assertThat(response("permessage-deflate; client_no_context_takeover; CLIENT_NO_CONTEXT_TAKEOVER")).isNull();
        assertThat(response("permessage-deflate; client_max_window_bits; client_max_window_bits=10")).isNull();
        assertThat(response("permessage-deflate; server_max_window_bits=15; server_max_window_bits=15")).isNull();
        assertThat(response("permessage-deflate; server_no_context_takeover=1")).isNull();
        assertThat(response("permessage-deflate; client_no_context_takeover=\"\"")).isNull();
    }

    @Test
    void namesCompareIgnoringCase() {
        PerMessageDeflate agreed = negotiate(
                "PerMessage-Deflate; Server_No_Context_Takeover; CLIENT_NO_CONTEXT_TAKEOVER; Client_Max_Window_Bits=12");
        assertThat(agreed.responseHeaderValue())
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        assertThat(agreed.clientMaxWindowBits()).isEqualTo(12);
    }

    @Test
    void allParametersTogether() {
        PerMessageDeflate agreed = negotiate("permessage-deflate;client_max_window_bits=10;server_max_window_bits=15;"
                + "server_no_context_takeover;client_no_context_takeover");
        assertThat(agreed.responseHeaderValue()).isEqualTo("permessage-deflate; server_no_context_takeover; "
                + "client_no_context_takeover; server_max_window_bits=15");
    }

    @Test
    void otherExtensionsAreSkipped() {
        assertThat(response("x-webkit-deflate-frame; max_window_bits=10, permessage-deflate; client_no_context_takeover"))
                .isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(response("foo", "bar; baz=\"a,b\"", "permessage-deflate")).isEqualTo("permessage-deflate");
    }

    @Test
    void malformedOffersAreDroppedAndParsingResumes() {
        // a quoted value that is not a token makes the offer malformed
        assertThat(response("permessage-deflate; client_max_window_bits=\"1,5\", "
                + "permessage-deflate; server_no_context_takeover"))
                .isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(response("permessage-deflate; =1, permessage-deflate")).isEqualTo("permessage-deflate");
        assertThat(response("permessage-deflate;; server_no_context_takeover, permessage-deflate"))
                .isEqualTo("permessage-deflate");
        assertThat(response("permessage-deflate server_no_context_takeover, permessage-deflate"))
                .isEqualTo("permessage-deflate");
        assertThat(response("permessage-deflate; client_max_window_bits=\"10")).isNull(); // unterminated
        assertThat(response("permessage-deflate; client_max_window_bits=\"10, permessage-deflate")).isNull();
        assertThat(response("\"permessage-deflate\"")).isNull();
        assertThat(response("permessage-deflate; client_max_window_bits=1 0")).isNull();
    }

    @Test
    void parsesOffersWithWhitespaceAndQuotedValues() {
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of(
                "a ; x = 1 ;y=\"q\\\"uo\\\\ted\" , b", ",,c;z", "d; w=\"ok\""));
        assertThat(offers).extracting(ExtensionOffer::name).containsExactly("a", "b", "c", "d");
        assertThat(offers.get(0).parameters()).extracting(ExtensionOffer.Parameter::name).containsExactly("x", "y");
        assertThat(offers.get(0).parameters()).extracting(ExtensionOffer.Parameter::value)
                .containsExactly("1", "q\"uo\\ted");
        assertThat(offers.get(0).isWellFormed()).isFalse(); // the unescaped value is not a token
        assertThat(offers.get(2).parameters().get(0).value()).isNull();
        assertThat(offers.get(3).isWellFormed()).isTrue();
        assertThat(offers.get(3).is("D")).isTrue();
        assertThat(offers.get(3).toString()).isEqualTo("d; w=ok");
    }
}
