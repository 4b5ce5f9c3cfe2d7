package io.meshwork.networking.peers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The byte-keyed persistent store the peers package keeps its state in across restarts; the node
 * module adapts its RocksDB store to it, {@link #inMemory()} serves tests and ephemeral nodes.
 * Implementations are thread-safe; values handed in or out are copies the receiver owns.
 *
 * <p>Key prefixes, so the users of one store never collide:
 *
 * <ul>
 *   <li>{@link #ADDRESS_PREFIX} {@code "addr/"} + peer id bytes: {@link AddressBook} entries;
 *   <li>{@link #SECRET_KEY} {@code "addrbook/secret"}: the address book's 32-byte bucketing secret;
 *   <li>{@link #ANCHOR_PREFIX} {@code "anchor/"} and {@link #BAN_PREFIX} {@code "ban/"}: reserved
 *       for the peer manager's anchors and bans (the address book never touches them).
 * </ul>
 */
public interface PeerDataStore {
  byte[] ADDRESS_PREFIX = ascii("addr/");
  byte[] SECRET_KEY = ascii("addrbook/secret");
  byte[] ANCHOR_PREFIX = ascii("anchor/");
  byte[] BAN_PREFIX = ascii("ban/");

  Optional<byte[]> get(byte[] key);

  /** Visits the entries whose key starts with {@code prefix}, in unsigned key order. */
  void forEachWithPrefix(byte[] prefix, BiConsumer<byte[], byte[]> visitor);

  /** Applies every operation of {@code batch} in order, or none (also across a crash). */
  void write(Batch batch);

  /** A store in a sorted in-memory map: lost when the process ends. */
  static PeerDataStore inMemory() {
    return new InMemoryPeerDataStore();
  }

  /** {@code prefix} followed by {@code suffix}: a key under one of the prefixes above. */
  static byte[] key(byte[] prefix, byte[] suffix) {
    byte[] key = new byte[prefix.length + suffix.length];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
    return key;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Puts and deletes a {@link PeerDataStore} applies all together or not at all, in order. Not
   * thread-safe: build it on one thread, then hand it to {@link PeerDataStore#write}. Arrays are
   * copied in.
   */
  final class Batch {
    /** One operation; an empty value means delete. */
    public record Operation(byte[] key, Optional<byte[]> value) {
      public Operation {
        key = key.clone();
        value = value.map(byte[]::clone);
      }

      @Override
      public byte[] key() {
        return key.clone();
      }

      @Override
      public Optional<byte[]> value() {
        return value.map(byte[]::clone);
      }
    }

    private final List<Operation> operations = new ArrayList<>();

    public Batch put(byte[] key, byte[] value) {
      operations.add(new Operation(key, Optional.of(value)));
      return this;
    }

    public Batch delete(byte[] key) {
      operations.add(new Operation(key, Optional.empty()));
      return this;
    }

    public List<Operation> operations() {
      return Collections.unmodifiableList(operations);
    }

    public boolean isEmpty() {
      return operations.isEmpty();
    }

    public int size() {
      return operations.size();
    }
  }
}
