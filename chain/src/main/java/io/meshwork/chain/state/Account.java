package io.meshwork.chain.state;

import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;

/** An account's balance and the nonce its next transaction must carry. */
public record Account(long balance, long nonce) {
  /** No account: zero balance, nonce zero. */
  public static final Account EMPTY = new Account(0, 0);

  public Account {
    if (balance < 0 || nonce < 0) {
      throw new IllegalArgumentException("balance and nonce must not be negative");
    }
  }

  public boolean isEmpty() {
    return balance == 0 && nonce == 0;
  }

  public void writeTo(CanonicalWriter writer) {
    writer.varint(balance).varint(nonce);
  }

  public static Account read(CanonicalReader reader) {
    return new Account(reader.varint("account balance"), reader.varint("account nonce"));
  }

  public byte[] encode() {
    CanonicalWriter writer = new CanonicalWriter(18);
    writeTo(writer);
    return writer.toByteArray();
  }

  public static Account decode(byte[] bytes) {
    CanonicalReader reader = new CanonicalReader(bytes);
    Account account = read(reader);
    reader.expectEnd("account");
    return account;
  }
}
