package io.meshwork.networking.multiformats;

import java.util.Arrays;

/**
 * One {@code /protocol/value} step of a {@link Multiaddr}; {@code value} is the binary value (empty
 * for protocols without one). Immutable: the array is copied in and out.
 */
public record MultiaddrComponent(MultiaddrProtocol protocol, byte[] value) {
  /**
   * @throws MultiaddrException if {@code value} is not a valid binary value for {@code protocol}
   */
  public MultiaddrComponent {
    value = value.clone();
    MultiaddrValues.validate(protocol, value);
  }

  /** A component from the textual value, e.g. {@code (TCP, "4001")}. */
  public static MultiaddrComponent parse(MultiaddrProtocol protocol, String text) {
    return new MultiaddrComponent(protocol, MultiaddrValues.parse(protocol, text));
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value as written in text multiaddrs; empty for protocols without a value. */
  public String valueString() {
    return MultiaddrValues.render(protocol, value);
  }

  byte[] valueUnsafe() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiaddrComponent other
        && protocol == other.protocol
        && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * protocol.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return protocol.hasValue()
        ? "/" + protocol.protocolName() + "/" + valueString()
        : "/" + protocol.protocolName();
  }
}
