package io.meshwork.networking.multiformats;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr (multiaddr spec): a path of protocol/value steps such as {@code
 * /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…}, with a text and a binary form that map one-to-one.
 *
 * <p>Decoding is strict: unknown protocol codes or names, truncated values, non-minimal varints and
 * invalid values fail with {@link MultiaddrException}. Text parsing never does DNS lookups.
 * Immutable and thread-safe; equality is over the binary form.
 */
public final class Multiaddr {
  private final List<MultiaddrComponent> components;
  private final byte[] bytes;

  private Multiaddr(List<MultiaddrComponent> components) {
    this.components = List.copyOf(components);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (MultiaddrComponent component : this.components) {
      out.writeBytes(Varint.encode(component.protocol().code()));
      byte[] value = component.valueUnsafe();
      if (component.protocol().kind().size < 0) {
        out.writeBytes(Varint.encode(value.length));
      }
      out.writeBytes(value);
    }
    this.bytes = out.toByteArray();
  }

  /** A multiaddr made of these components (possibly none). */
  public static Multiaddr of(List<MultiaddrComponent> components) {
    return new Multiaddr(components);
  }

  /**
   * Parses text such as {@code /dns4/example.com/tcp/443}. A trailing '/' is tolerated; /ipfs is
   * read as /p2p; /p2p values may be base58btc or a libp2p-key CID.
   *
   * @throws MultiaddrException if the text is empty, names an unknown protocol or has a bad value
   */
  public static Multiaddr fromString(String text) {
    if (!text.startsWith("/")) {
      throw new MultiaddrException("multiaddr must start with '/': '" + text + "'");
    }
    String body = text.substring(1);
    if (body.endsWith("/")) {
      body = body.substring(0, body.length() - 1);
    }
    if (body.isEmpty()) {
      throw new MultiaddrException("empty multiaddr");
    }
    String[] parts = body.split("/", -1);
    List<MultiaddrComponent> components = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String name = parts[i];
      MultiaddrProtocol protocol =
          MultiaddrProtocol.byName(name)
              .orElseThrow(
                  () ->
                      new MultiaddrException("unknown protocol '" + name + "' in '" + text + "'"));
      if (!protocol.hasValue()) {
        components.add(new MultiaddrComponent(protocol, new byte[0]));
        continue;
      }
      if (++i >= parts.length) {
        throw new MultiaddrException("/" + name + " needs a value in '" + text + "'");
      }
      components.add(MultiaddrComponent.parse(protocol, parts[i]));
    }
    return new Multiaddr(components);
  }

  /**
   * Decodes the binary form: {@code (varint code ‖ value)*}, where a value is fixed-size or
   * prefixed with its varint length, according to the protocol.
   *
   * @throws MultiaddrException if it is empty, truncated, has an unknown code or a bad value
   */
  public static Multiaddr fromBytes(byte[] bytes) {
    if (bytes.length == 0) {
      throw new MultiaddrException("empty multiaddr");
    }
    List<MultiaddrComponent> components = new ArrayList<>();
    int offset = 0;
    try {
      while (offset < bytes.length) {
        Varint.Decoded code = Varint.decode(bytes, offset);
        offset += code.length();
        MultiaddrProtocol protocol =
            MultiaddrProtocol.byCode(code.value())
                .orElseThrow(() -> new MultiaddrException("unknown protocol code " + code.value()));
        int size = protocol.kind().size;
        if (size < 0) {
          Varint.Decoded length = Varint.decode(bytes, offset);
          offset += length.length();
          if (length.value() > bytes.length - offset) {
            throw new MultiaddrException(
                "truncated /" + protocol.protocolName() + " value: needs " + length.value());
          }
          size = (int) length.value();
        } else if (size > bytes.length - offset) {
          throw new MultiaddrException("truncated /" + protocol.protocolName() + " value");
        }
        components.add(
            new MultiaddrComponent(protocol, Arrays.copyOfRange(bytes, offset, offset + size)));
        offset += size;
      }
    } catch (VarintException e) {
      throw new MultiaddrException("bad varint at byte " + offset + ": " + e.getMessage(), e);
    }
    return new Multiaddr(components);
  }

  /**
   * {@code /ip4|ip6/<address>/tcp/<port>} for a resolved address, {@code /dns/<host>/tcp/<port>}
   * for an unresolved one. An IPv6 scope (zone) is dropped.
   */
  public static Multiaddr fromSocketAddress(InetSocketAddress address) {
    MultiaddrComponent host;
    if (address.isUnresolved()) {
      host = MultiaddrComponent.parse(MultiaddrProtocol.DNS, address.getHostString());
    } else if (address.getAddress() instanceof Inet4Address) {
      host = new MultiaddrComponent(MultiaddrProtocol.IP4, address.getAddress().getAddress());
    } else {
      host = new MultiaddrComponent(MultiaddrProtocol.IP6, address.getAddress().getAddress());
    }
    MultiaddrComponent port =
        MultiaddrComponent.parse(MultiaddrProtocol.TCP, Integer.toString(address.getPort()));
    return new Multiaddr(List.of(host, port));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public List<MultiaddrComponent> components() {
    return components;
  }

  /** The textual value of the first component of this protocol. */
  public Optional<String> valueOf(MultiaddrProtocol protocol) {
    return components.stream()
        .filter(c -> c.protocol() == protocol)
        .findFirst()
        .map(MultiaddrComponent::valueString);
  }

  /**
   * The peer id multihash of a trailing /p2p component (the peer this address reaches; in a relay
   * address {@code …/p2p/R/p2p-circuit/p2p/T} that is T).
   */
  public Optional<byte[]> p2pMultihash() {
    return lastP2p().map(MultiaddrComponent::value);
  }

  /** This address without its trailing /p2p component, if it has one. */
  public Multiaddr withoutP2p() {
    return lastP2p().isPresent()
        ? new Multiaddr(components.subList(0, components.size() - 1))
        : this;
  }

  /** This address with {@code other}'s components appended. */
  public Multiaddr encapsulate(Multiaddr other) {
    List<MultiaddrComponent> joined = new ArrayList<>(components);
    joined.addAll(other.components);
    return new Multiaddr(joined);
  }

  /** This address ending in {@code /p2p/<peerIdMultihash>}, replacing a trailing /p2p if any. */
  public Multiaddr withP2p(byte[] peerIdMultihash) {
    List<MultiaddrComponent> joined = new ArrayList<>(withoutP2p().components);
    joined.add(new MultiaddrComponent(MultiaddrProtocol.P2P, peerIdMultihash));
    return new Multiaddr(joined);
  }

  /**
   * The TCP socket address, if this starts with ip4/ip6/dns/dns4/dns6 followed by tcp. DNS names
   * give an unresolved address; nothing is looked up.
   */
  public Optional<InetSocketAddress> toSocketAddress() {
    if (components.size() < 2 || components.get(1).protocol() != MultiaddrProtocol.TCP) {
      return Optional.empty();
    }
    MultiaddrComponent host = components.get(0);
    int port = Integer.parseInt(components.get(1).valueString());
    return switch (host.protocol()) {
      case IP4, IP6 -> {
        try {
          InetAddress address = InetAddress.getByAddress(host.valueUnsafe());
          yield Optional.of(new InetSocketAddress(address, port));
        } catch (UnknownHostException e) {
          throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
      }
      case DNS, DNS4, DNS6 ->
          Optional.of(InetSocketAddress.createUnresolved(host.valueString(), port));
      default -> Optional.empty();
    };
  }

  private Optional<MultiaddrComponent> lastP2p() {
    if (components.isEmpty()) {
      return Optional.empty();
    }
    MultiaddrComponent last = components.get(components.size() - 1);
    return last.protocol() == MultiaddrProtocol.P2P ? Optional.of(last) : Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (MultiaddrComponent component : components) {
      text.append(component);
    }
    return text.toString();
  }
}
