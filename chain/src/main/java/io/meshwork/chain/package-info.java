/** Meshwork's blockchain core. Depends on nothing else in Meshwork. */
package io.meshwork.chain;
