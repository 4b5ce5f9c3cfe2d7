/** Test support shared by the modules' tests (through the networking test-jar). */
package io.meshwork.networking.testsupport;
