/**
 * The embeddable node: {@link io.meshwork.node.NodeBuilder} starts a {@link io.meshwork.node.Node}
 * (a libp2p host, its gossipsub service, its Kademlia DHT server, its HTTP API) from a {@link
 * io.meshwork.node.NodeConfig}.
 */
package io.meshwork.node;
