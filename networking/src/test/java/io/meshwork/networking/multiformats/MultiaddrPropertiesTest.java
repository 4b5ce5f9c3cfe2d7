package io.meshwork.networking.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class MultiaddrPropertiesTest {
  @Property
  void roundTripsThroughBinary(@ForAll("multiaddrs") Multiaddr addr) {
    Multiaddr decoded = Multiaddr.fromBytes(addr.toBytes());
    assertThat(decoded).isEqualTo(addr);
    assertThat(decoded.components()).isEqualTo(addr.components());
  }

  @Property
  void roundTripsThroughText(@ForAll("multiaddrs") Multiaddr addr) {
    Multiaddr parsed = Multiaddr.fromString(addr.toString());
    assertThat(parsed).isEqualTo(addr);
    assertThat(parsed.toString()).isEqualTo(addr.toString());
  }

  @Property
  void arbitraryBytesDecodeOrFailWithMultiaddrException(@ForAll @Size(max = 40) byte[] bytes) {
    Multiaddr addr;
    try {
      addr = Multiaddr.fromBytes(bytes);
    } catch (MultiaddrException expected) {
      return;
    }
    assertThat(addr.toBytes()).isEqualTo(bytes);
    assertThat(Multiaddr.fromString(addr.toString())).isEqualTo(addr);
  }

  @Property
  void rejectsEveryTruncation(@ForAll("multiaddrs") Multiaddr addr) {
    byte[] bytes = addr.toBytes();
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    if (cut.length == 0) {
      return;
    }
    // A cut either fails or happens to land on a component boundary (a shorter valid address).
    try {
      Multiaddr shorter = Multiaddr.fromBytes(cut);
      assertThat(shorter.components().size()).isLessThan(addr.components().size());
    } catch (MultiaddrException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Multiaddr> multiaddrs() {
    return component().list().ofMinSize(1).ofMaxSize(6).map(Multiaddr::of);
  }

  private Arbitrary<MultiaddrComponent> component() {
    return Arbitraries.of(MultiaddrProtocol.values())
        .flatMap(protocol -> value(protocol).map(v -> new MultiaddrComponent(protocol, v)));
  }

  private Arbitrary<byte[]> value(MultiaddrProtocol protocol) {
    return switch (protocol.kind()) {
      case NONE -> Arbitraries.just(new byte[0]);
      case IP4 -> Arbitraries.bytes().array(byte[].class).ofSize(4);
      case IP6 -> Arbitraries.bytes().array(byte[].class).ofSize(16);
      case PORT -> Arbitraries.bytes().array(byte[].class).ofSize(2);
      case TEXT ->
          Arbitraries.strings()
              .withChars("abcxyz0189.-_é")
              .ofMinLength(1)
              .ofMaxLength(30)
              .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case MULTIHASH, MULTIBASE_MULTIHASH ->
          Combinators.combine(
                  Arbitraries.of(true, false),
                  Arbitraries.bytes().array(byte[].class).ofMaxSize(42))
              .as(
                  (identity, data) ->
                      identity
                          ? Multihash.identity(data).toBytes()
                          : Multihash.sha256Of(data).toBytes());
    };
  }

  @Property(tries = 20)
  void listOfComponentsIsImmutable(@ForAll("multiaddrs") Multiaddr addr) {
    List<MultiaddrComponent> components = addr.components();
    assertThatThrownBy(() -> components.add(components.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
