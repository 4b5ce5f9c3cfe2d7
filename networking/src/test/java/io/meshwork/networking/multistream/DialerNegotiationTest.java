package io.meshwork.networking.multistream;

import static io.meshwork.networking.multistream.MultistreamMessage.HEADER;
import static io.meshwork.networking.multistream.MultistreamMessage.NA;
import static io.meshwork.networking.multistream.MultistreamMessage.protocol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialerNegotiationTest {

  @Test
  void sendsTheHeaderAndFirstProposalTogether() {
    var dialer = new DialerNegotiation(List.of("/noise", "/tls/1.0.0"), false);

    assertThat(dialer.start())
        .isEqualTo(new NegotiationStep.Continue(List.of(HEADER, protocol("/noise"))));
  }

  @Test
  void selectsTheProtocolTheListenerEchoes() {
    var dialer = new DialerNegotiation(List.of("/noise"), false);
    dialer.start();

    assertThat(dialer.onMessage(HEADER)).isEqualTo(new NegotiationStep.Continue(List.of()));
    assertThat(dialer.onMessage(protocol("/noise")))
        .isEqualTo(new NegotiationStep.Selected("/noise", List.of()));
    assertThat(dialer.isFinished()).isTrue();
  }

  @Test
  void proposesTheNextProtocolAfterNa() {
    var dialer = new DialerNegotiation(List.of("/tls/1.0.0", "/noise"), false);
    dialer.start();
    dialer.onMessage(HEADER);

    assertThat(dialer.onMessage(NA))
        .isEqualTo(new NegotiationStep.Continue(List.of(protocol("/noise"))));
    assertThat(dialer.onMessage(protocol("/noise")))
        .isEqualTo(new NegotiationStep.Selected("/noise", List.of()));
  }

  @Test
  void failsWithTheProtocolsTriedWhenAllAreRefused() {
    var dialer = new DialerNegotiation(List.of("/tls/1.0.0", "/noise"), false);
    dialer.start();
    dialer.onMessage(HEADER);
    dialer.onMessage(NA);

    NegotiationStep step = dialer.onMessage(NA);

    assertThat(step).isInstanceOf(NegotiationStep.Failed.class);
    assertThat(((NegotiationStep.Failed) step).cause())
        .isInstanceOfSatisfying(
            NoProtocolAgreedException.class,
            e -> assertThat(e.protocols()).containsExactly("/tls/1.0.0", "/noise"));
    assertThat(dialer.isFinished()).isTrue();
  }

  @Test
  void failsOnAHeaderOfAnotherVersion() {
    var dialer = new DialerNegotiation(List.of("/noise"), false);
    dialer.start();

    assertUnexpected(dialer.onMessage(protocol("/multistream/2.0.0")));
  }

  @Test
  void failsOnAnAnswerThatIsNeitherEchoNorNa() {
    var dialer = new DialerNegotiation(List.of("/noise"), false);
    dialer.start();
    dialer.onMessage(HEADER);

    assertUnexpected(dialer.onMessage(protocol("/yamux/1.0.0")));
  }

  @Test
  void lazyDialerSelectsAtStartAndIsConfirmedByTheEcho() {
    var dialer = new DialerNegotiation(List.of("/ipfs/id/1.0.0"), true);

    assertThat(dialer.start())
        .isEqualTo(
            new NegotiationStep.Selected(
                "/ipfs/id/1.0.0", List.of(HEADER, protocol("/ipfs/id/1.0.0"))));
    assertThat(dialer.isFinished()).isFalse();
    dialer.onMessage(HEADER);
    assertThat(dialer.onMessage(protocol("/ipfs/id/1.0.0")))
        .isEqualTo(new NegotiationStep.Confirmed("/ipfs/id/1.0.0"));
    assertThat(dialer.isFinished()).isTrue();
  }

  @Test
  void lazyDialerFailsWhenTheListenerRefuses() {
    var dialer = new DialerNegotiation(List.of("/ipfs/id/1.0.0"), true);
    dialer.start();
    dialer.onMessage(HEADER);

    NegotiationStep step = dialer.onMessage(NA);

    assertThat(((NegotiationStep.Failed) step).cause())
        .isInstanceOf(NoProtocolAgreedException.class);
  }

  @Test
  void lazyIsIgnoredWithSeveralProtocols() {
    var dialer = new DialerNegotiation(List.of("/a", "/b"), true);

    assertThat(dialer.isLazy()).isFalse();
    assertThat(dialer.start()).isInstanceOf(NegotiationStep.Continue.class);
  }

  @Test
  void refusesAnEmptyOrInvalidProtocolList() {
    assertThatThrownBy(() -> new DialerNegotiation(List.of(), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DialerNegotiation(List.of("na"), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertUnexpected(NegotiationStep step) {
    assertThat(step).isInstanceOf(NegotiationStep.Failed.class);
    assertThat(((NegotiationStep.Failed) step).cause())
        .isInstanceOfSatisfying(
            MultistreamProtocolException.class,
            e -> assertThat(e.reason()).isEqualTo(MultistreamException.Reason.UNEXPECTED_MESSAGE));
  }
}
