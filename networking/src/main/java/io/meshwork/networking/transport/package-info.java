/**
 * TCP on Netty (native epoll where available, NIO otherwise) and the connection upgrader that turns
 * a raw TCP channel into a secured, multiplexed libp2p connection: multistream-select {@code
 * /noise}, the Noise XX handshake, then Yamux, agreed either inside the handshake (Noise
 * extensions) or by multistream-select over the secured channel (specs {@code
 * connections/README.md}, "Upgrading connections").
 */
package io.meshwork.networking.transport;
