package io.meshwork.networking.kad;

import io.meshwork.networking.peers.AddressGroup;
import java.time.Duration;

/**
 * Kademlia parameters. Defaults follow the kad-dht spec and the go/rust implementations (noted per
 * field); {@link #loopback()} switches the address-diversity limits off so many nodes on 127.0.0.1
 * can share a routing table.
 *
 * @param k replication parameter and bucket size (spec: 20)
 * @param alpha lookup concurrency (spec: 3)
 * @param requestTimeout how long a lookup waits for one peer before counting it unresponsive
 * @param stallTimeout after this long without an answer a request stops holding one of the α slots
 *     (its answer is still taken until {@code requestTimeout}), so peers that never answer cannot
 *     stall a lookup for a whole request timeout
 * @param queryTimeout the whole lookup's budget (rust: 60 s)
 * @param replacementCacheSize peers kept per bucket to replace evicted ones
 * @param maxPeersPerGroupPerBucket diversity: peers of one {@link AddressGroup} in one bucket (go:
 *     2); 0 disables the limit
 * @param maxPeersPerGroupPerTable diversity: peers of one group in the whole table (go: 3); 0
 *     disables the limit
 * @param maxInboundMessageSize largest message we read (go accepts 4 MiB; 64 KiB is plenty)
 * @param maxReplySize largest reply we send; rust-libp2p rejects more than 16 KiB by default
 * @param maxAddressesPerPeer addresses kept and sent per peer, to keep replies small
 * @param maxTrackedPeersPerQuery candidate peers one lookup remembers; the farthest go first
 * @param refreshInterval how often an idle bucket is refreshed (spec notes: 10 min)
 * @param maxRefreshCpl buckets refreshed are those up to this common prefix length (go: 15), since
 *     random keys for deeper buckets cannot be found by hashing
 * @param recordTtl how long a stored record lives (go: 36 h)
 * @param maxRecords records stored
 * @param maxRecordSize largest record value accepted
 * @param providerTtl how long a provider record lives (go: 48 h)
 * @param republishInterval how often we re-announce what we provide (go: 22 h)
 * @param maxProviderKeys keys with provider records
 * @param maxProvidersPerKey providers kept and returned per key (rust: 20)
 * @param quorum valid records a GET_VALUE lookup collects before it stops
 */
public record KadConfig(
    int k,
    int alpha,
    Duration requestTimeout,
    Duration stallTimeout,
    Duration queryTimeout,
    int replacementCacheSize,
    int maxPeersPerGroupPerBucket,
    int maxPeersPerGroupPerTable,
    int maxInboundMessageSize,
    int maxReplySize,
    int maxAddressesPerPeer,
    int maxTrackedPeersPerQuery,
    Duration refreshInterval,
    int maxRefreshCpl,
    Duration recordTtl,
    int maxRecords,
    int maxRecordSize,
    Duration providerTtl,
    Duration republishInterval,
    int maxProviderKeys,
    int maxProvidersPerKey,
    int quorum) {

  public KadConfig {
    positive("k", k);
    positive("alpha", alpha);
    positive("maxInboundMessageSize", maxInboundMessageSize);
    positive("maxReplySize", maxReplySize);
    positive("maxAddressesPerPeer", maxAddressesPerPeer);
    positive("quorum", quorum);
    positive("maxRecordSize", maxRecordSize);
    if (maxTrackedPeersPerQuery < k) {
      throw new IllegalArgumentException("a query must track at least k peers");
    }
    if (replacementCacheSize < 0 || maxPeersPerGroupPerBucket < 0 || maxPeersPerGroupPerTable < 0) {
      throw new IllegalArgumentException("cache sizes and diversity limits cannot be negative");
    }
    if (maxRefreshCpl < 0 || maxRefreshCpl > 255) {
      throw new IllegalArgumentException("maxRefreshCpl must be in [0, 255]");
    }
  }

  public static KadConfig defaults() {
    return builder().build();
  }

  /** Defaults without diversity limits: for testnets where every node is on 127.0.0.1. */
  public static KadConfig loopback() {
    return builder().maxPeersPerGroupPerBucket(0).maxPeersPerGroupPerTable(0).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.k = k;
    b.alpha = alpha;
    b.requestTimeout = requestTimeout;
    b.stallTimeout = stallTimeout;
    b.queryTimeout = queryTimeout;
    b.replacementCacheSize = replacementCacheSize;
    b.maxPeersPerGroupPerBucket = maxPeersPerGroupPerBucket;
    b.maxPeersPerGroupPerTable = maxPeersPerGroupPerTable;
    b.maxInboundMessageSize = maxInboundMessageSize;
    b.maxReplySize = maxReplySize;
    b.maxAddressesPerPeer = maxAddressesPerPeer;
    b.maxTrackedPeersPerQuery = maxTrackedPeersPerQuery;
    b.refreshInterval = refreshInterval;
    b.maxRefreshCpl = maxRefreshCpl;
    b.recordTtl = recordTtl;
    b.maxRecords = maxRecords;
    b.maxRecordSize = maxRecordSize;
    b.providerTtl = providerTtl;
    b.republishInterval = republishInterval;
    b.maxProviderKeys = maxProviderKeys;
    b.maxProvidersPerKey = maxProvidersPerKey;
    b.quorum = quorum;
    return b;
  }

  /** Builds a {@link KadConfig}; starts from the defaults. */
  public static final class Builder {
    private int k = 20;
    private int alpha = 3;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration stallTimeout = Duration.ofSeconds(2);
    private Duration queryTimeout = Duration.ofSeconds(60);
    private int replacementCacheSize = 20;
    private int maxPeersPerGroupPerBucket = 2;
    private int maxPeersPerGroupPerTable = 3;
    private int maxInboundMessageSize = 64 * 1024;
    private int maxReplySize = 16 * 1024;
    private int maxAddressesPerPeer = 8;
    private int maxTrackedPeersPerQuery = 400;
    private Duration refreshInterval = Duration.ofMinutes(10);
    private int maxRefreshCpl = 15;
    private Duration recordTtl = Duration.ofHours(36);
    private int maxRecords = 16_384;
    private int maxRecordSize = 8 * 1024;
    private Duration providerTtl = Duration.ofHours(48);
    private Duration republishInterval = Duration.ofHours(22);
    private int maxProviderKeys = 16_384;
    private int maxProvidersPerKey = 20;
    private int quorum = 1;

    private Builder() {}

    public Builder k(int value) {
      this.k = value;
      return this;
    }

    public Builder alpha(int value) {
      this.alpha = value;
      return this;
    }

    public Builder requestTimeout(Duration value) {
      this.requestTimeout = value;
      return this;
    }

    public Builder stallTimeout(Duration value) {
      this.stallTimeout = value;
      return this;
    }

    public Builder queryTimeout(Duration value) {
      this.queryTimeout = value;
      return this;
    }

    public Builder replacementCacheSize(int value) {
      this.replacementCacheSize = value;
      return this;
    }

    public Builder maxPeersPerGroupPerBucket(int value) {
      this.maxPeersPerGroupPerBucket = value;
      return this;
    }

    public Builder maxPeersPerGroupPerTable(int value) {
      this.maxPeersPerGroupPerTable = value;
      return this;
    }

    public Builder maxInboundMessageSize(int value) {
      this.maxInboundMessageSize = value;
      return this;
    }

    public Builder maxReplySize(int value) {
      this.maxReplySize = value;
      return this;
    }

    public Builder maxAddressesPerPeer(int value) {
      this.maxAddressesPerPeer = value;
      return this;
    }

    public Builder maxTrackedPeersPerQuery(int value) {
      this.maxTrackedPeersPerQuery = value;
      return this;
    }

    public Builder refreshInterval(Duration value) {
      this.refreshInterval = value;
      return this;
    }

    public Builder maxRefreshCpl(int value) {
      this.maxRefreshCpl = value;
      return this;
    }

    public Builder recordTtl(Duration value) {
      this.recordTtl = value;
      return this;
    }

    public Builder maxRecords(int value) {
      this.maxRecords = value;
      return this;
    }

    public Builder maxRecordSize(int value) {
      this.maxRecordSize = value;
      return this;
    }

    public Builder providerTtl(Duration value) {
      this.providerTtl = value;
      return this;
    }

    public Builder republishInterval(Duration value) {
      this.republishInterval = value;
      return this;
    }

    public Builder maxProviderKeys(int value) {
      this.maxProviderKeys = value;
      return this;
    }

    public Builder maxProvidersPerKey(int value) {
      this.maxProvidersPerKey = value;
      return this;
    }

    public Builder quorum(int value) {
      this.quorum = value;
      return this;
    }

    public KadConfig build() {
      return new KadConfig(
          k,
          alpha,
          requestTimeout,
          stallTimeout,
          queryTimeout,
          replacementCacheSize,
          maxPeersPerGroupPerBucket,
          maxPeersPerGroupPerTable,
          maxInboundMessageSize,
          maxReplySize,
          maxAddressesPerPeer,
          maxTrackedPeersPerQuery,
          refreshInterval,
          maxRefreshCpl,
          recordTtl,
          maxRecords,
          maxRecordSize,
          providerTtl,
          republishInterval,
          maxProviderKeys,
          maxProvidersPerKey,
          quorum);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
