package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.Optional;

/**
 * A peer offered through PRUNE peer exchange (gossipsub v1.1, "PRUNE Backoff and Peer Exchange").
 * The signed peer record is passed on unverified: whoever dials must open the envelope (RFC 0002)
 * and check that it is signed by {@code peerId}.
 */
public record PxPeer(PeerId peerId, Optional<byte[]> signedPeerRecord) {}
