/**
 * Gossipsub v1.1 peer scoring (specs pubsub/gossipsub/gossipsub-v1.1.md, "Peer Scoring"): the score
 * function with P1 to P7, decay, thresholds and parameters. Sans-IO; owned by the router thread.
 */
package io.meshwork.networking.pubsub.score;
