package io.meshwork.chain.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary Merkle root with domain-separated leaves (0x00 || leaf) and nodes (0x01 || left || right).
 * An odd node at the end of a level is promoted unchanged rather than paired with itself, so two
 * different lists never share a root (the duplication trick behind CVE-2012-2459). The root of an
 * empty list is SHA-256 of the empty string.
 */
public final class MerkleRoot {
  private static final byte[] LEAF = {0};
  private static final byte[] NODE = {1};

  private MerkleRoot() {}

  public static Hash of(List<Hash> leaves) {
    if (leaves.isEmpty()) {
      return Hash.sha256(new byte[0]);
    }
    List<Hash> level = new ArrayList<>(leaves.size());
    for (Hash leaf : leaves) {
      level.add(Hash.sha256(LEAF, leaf.toBytes()));
    }
    while (level.size() > 1) {
      List<Hash> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        if (i + 1 == level.size()) {
          next.add(level.get(i));
        } else {
          next.add(Hash.sha256(NODE, level.get(i).toBytes(), level.get(i + 1).toBytes()));
        }
      }
      level = next;
    }
    return level.get(0);
  }
}
