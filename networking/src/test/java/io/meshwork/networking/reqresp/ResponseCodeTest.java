package io.meshwork.networking.reqresp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseCodeTest {
  @Test
  void everyCodeRoundTripsThroughItsWireByte() {
    for (ResponseCode code : ResponseCode.values()) {
      assertThat(ResponseCode.fromWire(code.wire())).contains(code);
    }
  }

  @Test
  void theWireBytesAreTheOnesInTheSpec() {
    assertThat(ResponseCode.OK.wire()).isZero();
    assertThat(ResponseCode.INVALID_REQUEST.wire()).isEqualTo(1);
    assertThat(ResponseCode.SERVER_ERROR.wire()).isEqualTo(2);
    assertThat(ResponseCode.RESOURCE_UNAVAILABLE.wire()).isEqualTo(3);
    assertThat(ResponseCode.RATE_LIMITED.wire()).isEqualTo(4);
  }

  @Test
  void unknownBytesHaveNoCode() {
    assertThat(ResponseCode.fromWire(5)).isEmpty();
    assertThat(ResponseCode.fromWire(255)).isEmpty();
    assertThat(ResponseCode.fromWire(-1)).isEmpty();
  }

  @Test
  void anErrorReasonIsTruncatedTo256Utf8Bytes() {
    Response response = Response.error(ResponseCode.SERVER_ERROR, "x".repeat(1000));
    assertThat(response.payload()).hasSize(256);
  }

  @Test
  void truncationNeverSplitsACharacter() {
    // 3-byte characters: 85 fit in 255 bytes, the 86th would need 258
    Response response = Response.error(ResponseCode.INVALID_REQUEST, "€".repeat(200));
    assertThat(response.payload()).hasSize(255);
    assertThat(response.reason()).isEqualTo("€".repeat(85));
  }

  @Test
  void aShortReasonIsKeptAsIs() {
    Response response = Response.error(ResponseCode.RATE_LIMITED, "slow down");
    assertThat(response.payload()).isEqualTo("slow down".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anErrorResponseCannotUseOk() {
    assertThatThrownBy(() -> Response.error(ResponseCode.OK, "fine"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOkPayloadMayBeLongerThanAReason() {
    assertThat(Response.ok(new byte[10_000]).payload()).hasSize(10_000);
  }
}
