package io.meshwork.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link KeyValueStore} must do; each implementation's test extends this. */
abstract class KeyValueStoreContract {
  abstract KeyValueStore store();

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void readsBackWhatABatchWrote() {
    KeyValueStore store = store();
    store.write(new WriteBatch().put(b("a1"), b("x")).put(b("a2"), b("y")));
    assertThat(store.get(b("a1"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("x")));
    assertThat(store.get(b("zz"))).isEmpty();
  }

  @Test
  void laterOperationsInABatchWin() {
    KeyValueStore store = store();
    store.write(
        new WriteBatch()
            .put(b("k"), b("1"))
            .delete(b("k"))
            .put(b("j"), b("1"))
            .put(b("j"), b("2")));
    assertThat(store.get(b("k"))).isEmpty();
    assertThat(store.get(b("j"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("2")));
  }

  @Test
  void iteratesAPrefixInUnsignedKeyOrder() {
    KeyValueStore store = store();
    store.write(
        new WriteBatch()
            .put(new byte[] {'p', (byte) 0xff}, b("high"))
            .put(new byte[] {'p', 0x01}, b("low"))
            .put(b("q"), b("other"))
            .put(b("o"), b("before")));
    List<String> seen = new ArrayList<>();
    store.forEachWithPrefix(b("p"), (k, v) -> seen.add(new String(v, StandardCharsets.US_ASCII)));
    assertThat(seen).containsExactly("low", "high");
  }

  @Test
  void returnedValuesAreCopies() {
    KeyValueStore store = store();
    store.write(new WriteBatch().put(b("k"), b("v")));
    store.get(b("k")).orElseThrow()[0] = 'X';
    assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("v"));
  }
}
