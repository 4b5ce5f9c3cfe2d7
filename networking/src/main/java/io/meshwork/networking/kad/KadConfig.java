package io.meshwork.networking.kad;

import java.time.Duration;

/**
 * Kademlia parameters. Defaults follow the kad-dht spec and the go/rust implementations (noted per
 * field); {@link #loopback()} switches the address-diversity limits off so many nodes on 127.0.0.1
 * can share a routing table.
 *
 * @param k replication parameter and bucket size (spec: 20)
 * @param alpha lookup concurrency (spec: 3)
 * @param requestTimeout how long a lookup waits for one peer before counting it unresponsive
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
    return new KadConfig(
        20,
        3,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        20,
        2,
        3,
        64 * 1024,
        16 * 1024,
        8,
        400,
        Duration.ofMinutes(10),
        15,
        Duration.ofHours(36),
        16_384,
        8 * 1024,
        Duration.ofHours(48),
        Duration.ofHours(22),
        16_384,
        20,
        1);
  }

  /** Defaults without diversity limits: for testnets where every node is on 127.0.0.1. */
  public static KadConfig loopback() {
    return defaults().withDiversityLimits(0, 0);
  }

  public KadConfig withDiversityLimits(int perBucket, int perTable) {
    return new KadConfig(
        k,
        alpha,
        requestTimeout,
        queryTimeout,
        replacementCacheSize,
        perBucket,
        perTable,
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

  public KadConfig withTimeouts(Duration request, Duration query) {
    return new KadConfig(
        k,
        alpha,
        request,
        query,
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

  public KadConfig withKAndAlpha(int newK, int newAlpha) {
    return new KadConfig(
        newK,
        newAlpha,
        requestTimeout,
        queryTimeout,
        replacementCacheSize,
        maxPeersPerGroupPerBucket,
        maxPeersPerGroupPerTable,
        maxInboundMessageSize,
        maxReplySize,
        maxAddressesPerPeer,
        Math.max(maxTrackedPeersPerQuery, newK),
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

  public KadConfig withQuorum(int newQuorum) {
    return new KadConfig(
        k,
        alpha,
        requestTimeout,
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
        newQuorum);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
