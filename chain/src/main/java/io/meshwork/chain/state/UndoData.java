package io.meshwork.chain.state;

import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What applying one block overwrote: each touched account's value before the block ({@link
 * Account#EMPTY} when it did not exist). Undoing a block restores exactly these, so a
 * reorganisation never replays from genesis.
 *
 * <p>Encoding: varint(count) then, in address order, address[20] varint(balance) varint(nonce).
 */
public record UndoData(SortedMap<Address, Account> previous) {
  /** Upper bound on entries when decoding (two accounts per transaction at most). */
  public static final int MAX_ENTRIES = 1 << 20;

  public UndoData {
    previous = Collections.unmodifiableSortedMap(new TreeMap<>(previous));
  }

  public byte[] encode() {
    CanonicalWriter writer = new CanonicalWriter(4 + previous.size() * 40);
    writer.varint(previous.size());
    for (Map.Entry<Address, Account> entry : previous.entrySet()) {
      writer.address(entry.getKey());
      entry.getValue().writeTo(writer);
    }
    return writer.toByteArray();
  }

  public static UndoData decode(byte[] bytes) {
    CanonicalReader reader = new CanonicalReader(bytes);
    int count = reader.count(MAX_ENTRIES, "undo entries");
    TreeMap<Address, Account> previous = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      previous.put(reader.address("undo address"), Account.read(reader));
    }
    reader.expectEnd("undo data");
    return new UndoData(previous);
  }
}
