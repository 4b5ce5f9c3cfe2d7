package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link LookupQuery} ended.
 *
 * @param kind what was looked up
 * @param termination why it stopped
 * @param closestPeers the closest peers that answered, closest first, at most k
 * @param foundPeer the wanted peer of a find-peer lookup, with the addresses we learned
 * @param value the best valid record value of a GET_VALUE lookup
 * @param outdatedPeers peers that answered a GET_VALUE with a worse value (to correct with
 *     PUT_VALUE, kad-dht spec "Entry correction")
 * @param providers providers found by a GET_PROVIDERS lookup
 * @param rounds lookup depth: the hop at which the result was complete (seeds are hop 1)
 * @param requestsSent requests sent, i.e. messages per lookup
 * @param failures requests that failed or timed out
 * @param elapsed time from start to end on the lookup's clock
 */
public record LookupResult(
    LookupQuery.Kind kind,
    Termination termination,
    List<KadPeer> closestPeers,
    Optional<KadPeer> foundPeer,
    Optional<byte[]> value,
    List<PeerId> outdatedPeers,
    List<KadPeer> providers,
    int rounds,
    int requestsSent,
    int failures,
    Duration elapsed) {

  public LookupResult {
    closestPeers = List.copyOf(closestPeers);
    outdatedPeers = List.copyOf(outdatedPeers);
    providers = List.copyOf(providers);
  }

  /** Why a lookup stopped. */
  public enum Termination {
    /** The k closest peers seen have all answered (or fewer were reachable, and all answered). */
    CONVERGED,
    /** The goal was met early: the wanted peer, the record quorum or enough providers. */
    SATISFIED,
    /** The query budget ran out. */
    TIMED_OUT,
    /** No peer answered at all. */
    STARVED
  }
}
