package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloseCodesTest {

    @Test
    void validOnTheWireExactlyForAssignedAndApplicationCodes() {
        for (int code = -1; code <= 70_000; code++) {
            boolean expected = code == 1000 || code == 1001 || code == 1002 || code == 1003
                    || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
            assertThat(CloseCodes.isValidOnWire(code)).as("code %d", code).isEqualTo(expected);
        }
    }

    @Test
    void localOnlyCodesAreNeverValidOnTheWire() {
        assertThat(CloseCodes.isValidOnWire(CloseCodes.NO_STATUS)).isFalse();
        assertThat(CloseCodes.isValidOnWire(CloseCodes.ABNORMAL)).isFalse();
        assertThat(CloseCodes.isValidOnWire(CloseCodes.TLS_HANDSHAKE)).isFalse();
        assertThat(CloseCodes.isValidOnWire(1004)).isFalse();
        assertThat(CloseCodes.isValidOnWire(CloseCodes.TRY_AGAIN_LATER)).isTrue();
    }
}
