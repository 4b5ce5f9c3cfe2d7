package io.meshwork.chain.mempool;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.state.Account;
import io.meshwork.chain.validation.BlockValidator;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MempoolTest {
  private static final Hash NET = Hash.sha256(new byte[] {9});
  private final SigningKey alice = key(1);
  private final SigningKey bob = key(2);
  private final SigningKey carol = key(3);
  private final Address dave = key(4).address();
  private final Map<Address, Account> accounts = new HashMap<>();
  private final BlockValidator validator =
      new BlockValidator(ConsensusParams.forTests(), NET, Clock.systemUTC());

  MempoolTest() {
    accounts.put(alice.address(), new Account(1_000, 0));
    accounts.put(bob.address(), new Account(1_000, 5));
    accounts.put(carol.address(), new Account(1_000, 0));
  }

  private static SigningKey key(int i) {
    return SigningKey.fromSeed(Hash.sha256(new byte[] {(byte) i}).toBytes());
  }

  private Account view(Address address) {
    return accounts.getOrDefault(address, Account.EMPTY);
  }

  private Transaction tx(SigningKey from, long amount, long fee, long nonce) {
    return Transaction.sign(from, NET, dave, amount, fee, nonce);
  }

  private Mempool pool(int maxTransactions) {
    return new Mempool(new MempoolConfig(maxTransactions, 1 << 20, 8), validator);
  }

  private static Reason rejection(Mempool.AddResult result) {
    assertThat(result).isInstanceOf(Mempool.Rejected.class);
    return ((Mempool.Rejected) result).failure().reason();
  }

  @Test
  void ordersByFeeAcrossSendersAndByNonceWithinOne() {
    Mempool pool = pool(100);
    Transaction a0 = tx(alice, 1, 1, 0);
    Transaction a1 = tx(alice, 1, 50, 1);
    Transaction b5 = tx(bob, 1, 10, 5);
    Transaction c0 = tx(carol, 1, 5, 0);
    for (Transaction t : List.of(a1, c0, b5, a0)) {
      assertThat(pool.add(t, this::view)).isInstanceOf(Mempool.Added.class);
    }
    assertThat(pool.selectForBlock(10, 1 << 20, this::view)).containsExactly(b5, c0, a0, a1);
    assertThat(pool.selectForBlock(2, 1 << 20, this::view)).containsExactly(b5, c0);
    assertThat(pool.ids()).containsExactlyInAnyOrder(a0.id(), a1.id(), b5.id(), c0.id());
  }

  @Test
  void holdsGappedTransactionsButDoesNotSelectThem() {
    Mempool pool = pool(100);
    Transaction a2 = tx(alice, 1, 9, 2);
    assertThat(pool.add(a2, this::view)).isInstanceOf(Mempool.Added.class);
    assertThat(pool.selectForBlock(10, 1 << 20, this::view)).isEmpty();
    assertThat(rejection(pool.add(tx(alice, 1, 9, 9), this::view)))
        .isEqualTo(Reason.NONCE_TOO_FAR_AHEAD);
  }

  @Test
  void replacesOnlyForAHigherFee() {
    Mempool pool = pool(100);
    Transaction first = tx(alice, 1, 5, 0);
    pool.add(first, this::view);
    assertThat(rejection(pool.add(tx(alice, 2, 5, 0), this::view)))
        .isEqualTo(Reason.REPLACEMENT_FEE_TOO_LOW);
    Transaction better = tx(alice, 2, 6, 0);
    assertThat(pool.add(better, this::view))
        .isInstanceOfSatisfying(Mempool.Added.class, a -> assertThat(a.replaced()).contains(first));
    assertThat(pool.ids()).containsExactly(better.id());
  }

  @Test
  void rejectsBadSignaturesUsedNoncesOverspendingAndDuplicates() {
    Mempool pool = pool(100);
    Transaction good = tx(alice, 1, 1, 0);
    byte[] sig = good.signature();
    sig[0] ^= 1;
    Transaction forged = Transaction.of(good.senderKey(), dave, 1, 1, 0, sig);
    assertThat(rejection(pool.add(forged, this::view))).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(rejection(pool.add(tx(bob, 1, 1, 4), this::view))).isEqualTo(Reason.BAD_NONCE);
    assertThat(pool.add(tx(alice, 600, 1, 0), this::view)).isInstanceOf(Mempool.Added.class);
    assertThat(rejection(pool.add(tx(alice, 600, 1, 1), this::view)))
        .isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(rejection(pool.add(tx(alice, 600, 1, 0), this::view)))
        .isEqualTo(Reason.ALREADY_KNOWN);
    assertThat(rejection(pool.add(tx(carol, 1, 0, 0), this::view))).isEqualTo(Reason.FEE_TOO_LOW);
  }

  @Test
  void evictsTheCheapestTailWhenFullAndRefusesCheaperTransactions() {
    Mempool pool = pool(2);
    Transaction cheap = tx(alice, 1, 2, 0);
    Transaction mid = tx(carol, 1, 5, 0);
    pool.add(cheap, this::view);
    pool.add(mid, this::view);
    assertThat(rejection(pool.add(tx(bob, 1, 1, 5), this::view))).isEqualTo(Reason.MEMPOOL_FULL);
    Transaction rich = tx(bob, 1, 9, 5);
    assertThat(pool.add(rich, this::view))
        .isInstanceOfSatisfying(
            Mempool.Added.class, a -> assertThat(a.evicted()).containsExactly(cheap));
    assertThat(pool.size()).isEqualTo(2);
    assertThat(pool.ids()).containsExactlyInAnyOrder(mid.id(), rich.id());
  }

  @Test
  void boundsTotalBytes() {
    Transaction one = tx(alice, 1, 2, 0);
    Mempool pool = new Mempool(new MempoolConfig(100, one.encodedSize() * 2L, 8), validator);
    pool.add(one, this::view);
    pool.add(tx(alice, 1, 2, 1), this::view);
    assertThat(rejection(pool.add(tx(alice, 1, 2, 2), this::view))).isEqualTo(Reason.MEMPOOL_FULL);
    assertThat(pool.bytes()).isLessThanOrEqualTo(one.encodedSize() * 2L);
  }

  @Test
  void revalidatesWhenTheHeadChanges() {
    Mempool pool = pool(100);
    Transaction a0 = tx(alice, 400, 1, 0);
    Transaction a1 = tx(alice, 400, 1, 1);
    Transaction c0 = tx(carol, 1, 1, 0);
    pool.add(a0, this::view);
    pool.add(a1, this::view);
    pool.add(c0, this::view);
    // a new head confirmed a0 and carol spent most of her balance elsewhere
    accounts.put(alice.address(), new Account(599, 1));
    accounts.put(carol.address(), new Account(1, 1));
    Transaction returned = tx(bob, 1, 3, 5);

    pool.onHeadChanged(this::view, List.of(returned));

    assertThat(pool.ids()).containsExactlyInAnyOrder(a1.id(), returned.id());
  }
}
