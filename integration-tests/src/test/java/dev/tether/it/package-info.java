/**
 * Integration tests: real clients through an in-process Tether to real servers. The harness that
 * provides those servers arrives with the integration-test work.
 */
package dev.tether.it;
